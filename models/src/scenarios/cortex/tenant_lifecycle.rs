//! `cortex/tenant-lifecycle`: the whole registry with real tenant Alertmanagers (dispatcher and
//! inhibitor generations) under a mixed workload: create, reload, deactivate (the service's
//! sync loop), requests (the API, concurrently), then shutdown racing the last requests.
//! Every oracle is on: WaitGroup contract, data races, deadlock, leaks at quiescence, no tenant
//! registered after shutdown (`post-shutdown-registration`), no request served by an instance
//! created after shutdown began (`wrong-status`), every instance stopped (`unstopped`).
//!
//! The workload is a list of [`LifecycleOp`]s. The CLI draws it through the runtime's data
//! choices (so a schedule string replays it); the proptest in `tests/` generates it, so a
//! failure shrinks to the fewest operations.

use std::collections::BTreeMap;

use weft_core::sync::CancellationToken;
use weft_core::{BoxFuture, OracleId, Runtime};

use super::{small_dispatcher, POST_SHUTDOWN_REGISTRATION, SYSTEM, WRONG_STATUS};
use crate::cortex::{Fixes, MultitenantAlertmanager, Status, TenantOptions};
use crate::oracle;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// Every Alertmanager the registry created is stopped after shutdown.
pub const UNSTOPPED: OracleId = OracleId::new("unstopped");

/// Tenants the workload uses.
pub const TENANTS: [&str; 2] = ["a", "b"];
/// Configs the workload applies.
pub const CONFIGS: [&str; 2] = ["config-1", "config-2"];
/// Operations per execution when the runtime draws them, at [`Scale::Full`] and
/// [`Scale::Minimal`].
pub const DRAWN_OPS: [usize; 2] = [4, 2];

/// One step of the workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LifecycleOp {
    /// The sync loop applies config `config` to tenant `tenant` (create or reload).
    Apply {
        /// Index in [`TENANTS`].
        tenant: usize,
        /// Index in [`CONFIGS`].
        config: usize,
    },
    /// The sync loop drops tenant `tenant` (deactivation).
    Deactivate {
        /// Index in [`TENANTS`].
        tenant: usize,
    },
    /// The API serves a request for tenant `tenant` (lazy create from the fallback if absent).
    Request {
        /// Index in [`TENANTS`].
        tenant: usize,
    },
}

impl LifecycleOp {
    /// Draws an operation with the runtime's data choices.
    pub fn draw<R: Runtime>(rt: &R) -> LifecycleOp {
        let tenant = rt.choose(TENANTS.len());
        match rt.choose(3) {
            0 => LifecycleOp::Apply {
                tenant,
                config: rt.choose(CONFIGS.len()),
            },
            1 => LifecycleOp::Deactivate { tenant },
            _ => LifecycleOp::Request { tenant },
        }
    }
}

/// See the module documentation.
#[derive(Debug)]
pub struct TenantLifecycle;

crate::variants! {
    /// The variants of [`TenantLifecycle`].
    pub enum TenantLifecycleVariant {
        Buggy {
            name: "buggy",
            summary: "pre-7618 system (B1, B2, B4, B6 all present)",
            expect: Expect::FailAny,
        },
        Fixed {
            name: "fixed",
            summary: "PR 7618 plus the atomic dispatcher pointer",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for TenantLifecycle {
    type Variant = TenantLifecycleVariant;

    const INFO: Info = Info {
        name: "cortex/tenant-lifecycle",
        system: SYSTEM,
        summary:
            "create, reload, request, deactivate, shutdown on the whole registry: every oracle on",
        spec: "alertmanager.md §3.3, §3.4, §4",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[POST_SHUTDOWN_REGISTRATION, WRONG_STATUS, UNSTOPPED],
        max_tasks: 24,
        needs_quiescence: true,
        needs_clock: false,
        tolerates: &[],
        may_outlive: &[],
        faults: crate::scenario::Faults::NONE,
    };

    fn run<R: Runtime>(rt: R, variant: Self::Variant, scale: Scale) -> BoxFuture {
        let fixes = match variant {
            TenantLifecycleVariant::Buggy => Fixes::PRE_7618,
            TenantLifecycleVariant::Fixed => Fixes::ALL,
        };
        Box::pin(async move {
            let n = DRAWN_OPS[usize::from(scale == Scale::Minimal)];
            let ops: Vec<_> = (0..n).map(|_| LifecycleOp::draw(&rt)).collect();
            run_ops(rt, fixes, ops).await;
        })
    }
}

/// Runs `ops` against a registry with `fixes`: the sync ops in order on the sync loop, the
/// requests in order on the API task, then shutdown (after the sync loop, as the service
/// does) racing the requests; then the oracles.
pub async fn run_ops<R: Runtime>(rt: R, fixes: Fixes, ops: Vec<LifecycleOp>) {
    let options = TenantOptions {
        dispatcher: small_dispatcher(1),
        ..TenantOptions::default()
    };
    let mt = MultitenantAlertmanager::new(&rt, options, fixes, Some("fallback"));

    let requests: Vec<usize> = ops
        .iter()
        .filter_map(|op| match op {
            LifecycleOp::Request { tenant } => Some(*tenant),
            _ => None,
        })
        .collect();
    let (m, r) = (mt.clone(), rt.clone());
    let api = rt.spawn("api", async move {
        let mut answers = Vec::new();
        for tenant in requests {
            let ctx = CancellationToken::new(&r);
            answers.push((tenant, m.serve_http(TENANTS[tenant], &ctx).await));
        }
        answers
    });

    let mut desired: BTreeMap<&str, &str> = BTreeMap::new();
    for op in &ops {
        match *op {
            LifecycleOp::Apply { tenant, config } => {
                desired.insert(TENANTS[tenant], CONFIGS[config]);
            }
            LifecycleOp::Deactivate { tenant } => {
                desired.remove(TENANTS[tenant]);
            }
            LifecycleOp::Request { .. } => continue,
        }
        let cfgs: Vec<(&str, &str)> = desired.iter().map(|(t, c)| (*t, *c)).collect();
        mt.sync_configs(&cfgs).await;
    }
    mt.shutdown().await;
    let answers = api.join().await;

    let at = mt.at_stopping().unwrap_or_default();
    for tenant in mt.tenants().await {
        let am = mt
            .created()
            .into_iter()
            .rev()
            .find(|am| am.tenant() == tenant);
        if let Some(am) = am.filter(|am| !at.in_map.contains(&am.id())) {
            oracle::violated(
                &rt,
                POST_SHUTDOWN_REGISTRATION,
                format!(
                    "tenant {tenant:?} (Alertmanager {}) was \
                     registered after stopping() stopped the map {:?}",
                    am.id(),
                    at.in_map
                ),
            );
        }
    }
    for (tenant, answer) in &answers {
        if answer.status == Status::Ok && answer.served_by.is_some_and(|id| id >= at.next_id) {
            oracle::violated(
                &rt,
                WRONG_STATUS,
                format!(
                    "request for tenant {:?} got 200 from Alertmanager {:?}, \
                     created after shutdown began; expected 503",
                    TENANTS[*tenant], answer.served_by
                ),
            );
        }
    }
    for am in mt.created() {
        if !am.is_stopped() {
            oracle::violated(
                &rt,
                UNSTOPPED,
                format!(
                    "Alertmanager {} (tenant {:?}) is still running after shutdown",
                    am.id(),
                    am.tenant()
                ),
            );
        }
    }
}
