//! `cortex/shutdown-vs-lazy-create` (spec §4 B4, model M4): a request for an unknown tenant
//! creates it from the fallback config. Before PR 7618 nothing stops that from happening after
//! shutdown stopped every tenant: the tenant is registered after shutdown, never stopped, and
//! the request is answered 200 (B4a through gRPC's `HandleRequest`, which has no state check).
//!
//! Tasks: the owner registers tenant `a` (the service's sync before shutdown), then starts the
//! shutdown S and a request R for tenant `b` through the gRPC path, and checks at the end:
//! (b) no tenant registered after shutdown (`post-shutdown-registration`), and (c) a 200 only
//! from an Alertmanager that was in the map when stopping() took the lock, otherwise 503
//! (`wrong-status`). Oracle (a), every instance stopped, is the backend's leak check.
//! Alertmanagers are spec §5 M4's abstraction (tenant tasks, no dispatcher generations).

use weft_core::sync::CancellationToken;
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::{POST_SHUTDOWN_REGISTRATION, SYSTEM, WRONG_STATUS};
use crate::cortex::{Fixes, MultitenantAlertmanager, Status, TenantOptions};
use crate::oracle;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct ShutdownVsLazyCreate;

crate::variants! {
    /// The variants of [`ShutdownVsLazyCreate`].
    pub enum ShutdownVsLazyCreateVariant {
        Buggy {
            name: "buggy",
            summary: "pre-7618: no shuttingDown gate",
            expect: Expect::Fail(FailureKind::Assertion, Some(POST_SHUTDOWN_REGISTRATION)),
        },
        Fixed {
            name: "fixed",
            summary: "PR 7618 gate: shuttingDown set in stopping(), checked in setConfig",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for ShutdownVsLazyCreate {
    type Variant = ShutdownVsLazyCreateVariant;

    const INFO: Info = Info {
        name: "cortex/shutdown-vs-lazy-create",
        system: SYSTEM,
        summary: "lazy fallback create races shutdown (B4): tenant registered after shutdown, 200 instead of 503",
        spec: "alertmanager.md §4 B4, §5 M4",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[POST_SHUTDOWN_REGISTRATION, WRONG_STATUS],
        max_tasks: 5, // root, shutdown, request, two tenants' maintenance
        needs_quiescence: false,
        needs_clock: false,
        tolerates: &[],
        may_outlive: &[],
        faults: crate::scenario::Faults::NONE,
    };

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        let fixes = match variant {
            ShutdownVsLazyCreateVariant::Buggy => Fixes::PRE_7618,
            ShutdownVsLazyCreateVariant::Fixed => Fixes::PR_7618,
        };
        Box::pin(async move {
            let options = TenantOptions {
                components: false,
                ..TenantOptions::default()
            };
            let mt = MultitenantAlertmanager::new(&rt, options, fixes, Some("fallback"));
            mt.sync_configs(&[("a", "config-a")]).await;

            let s = mt.clone();
            let shutdown = rt.spawn("shutdown", async move { s.shutdown().await });
            let (m, r) = (mt.clone(), rt.clone());
            let request = rt.spawn("request-b", async move {
                let ctx = CancellationToken::new(&r);
                m.serve_request("b", &ctx).await
            });
            shutdown.join().await;
            let answer = request.join().await;

            let at_stopping = mt.at_stopping().unwrap_or_default().in_map;
            for am in mt.created() {
                let registered = mt.tenants().await.contains(&am.tenant().to_string());
                if registered && !at_stopping.contains(&am.id()) {
                    oracle::violated(
                        &rt,
                        POST_SHUTDOWN_REGISTRATION,
                        format!(
                            "tenant {:?} (Alertmanager {}) was \
                             registered after stopping() stopped the map {at_stopping:?}",
                            am.tenant(),
                            am.id()
                        ),
                    );
                }
            }
            let ok = match answer.status {
                Status::Ok => answer.served_by.is_some_and(|id| at_stopping.contains(&id)),
                Status::Unavailable => true,
                _ => false,
            };
            if !ok {
                oracle::violated(
                    &rt,
                    WRONG_STATUS,
                    format!(
                        "request for tenant \"b\" got {} ({}) from Alertmanager \
                         {:?}, which was not in the map at stopping() {at_stopping:?}; expected \
                         503",
                        answer.status.code(),
                        answer.reason,
                        answer.served_by
                    ),
                );
            }
        })
    }
}
