//! `cortex/groupfunc-dispatcher-read` (spec §4 B6, model M6): the API's GroupFunc reads
//! `am.dispatcher` with no lock while a reload's ApplyConfig writes it. Unfixed in Cortex
//! (a8c6358a): the `buggy` variant is Cortex as merged, PR 7618's barrier included.
//!
//! Tasks: the owner applies a first config, starts an API handler A (GET alert groups), and
//! reloads (ApplyConfig again). The race detector on the dispatcher field is the oracle.
//! `fixed` is upstream's protocol: an atomic pointer, stored only after the new dispatcher
//! loaded (so Groups is never called on a dispatcher that will not load).

use weft_core::sync::CancellationToken;
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::{small_dispatcher, SYSTEM};
use crate::cortex::{Fixes, TenantAlertmanager, TenantOptions};
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct GroupFuncDispatcherRead;

crate::variants! {
    /// The variants of [`GroupFuncDispatcherRead`].
    pub enum GroupFuncDispatcherReadVariant {
        Buggy {
            name: "buggy",
            summary: "Cortex as merged: plain am.dispatcher field, written by ApplyConfig",
            expect: Expect::Fail(FailureKind::DataRace, None),
        },
        Fixed {
            name: "fixed",
            summary: "atomic pointer published after WaitForLoading (upstream's protocol)",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for GroupFuncDispatcherRead {
    type Variant = GroupFuncDispatcherReadVariant;

    const INFO: Info = Info {
        name: "cortex/groupfunc-dispatcher-read",
        system: SYSTEM,
        summary: "API GroupFunc reads am.dispatcher while a reload writes it (B6): data race",
        spec: "alertmanager.md §4 B6, §5 M6",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[],
        max_tasks: 7, // minimal: root, maintenance, API, 2 × (Run, start timer)
        needs_quiescence: false,
        needs_clock: false,
        tolerates: &[],
        may_outlive: &[],
        faults: crate::scenario::Faults::NONE,
    };

    fn run<R: Runtime>(rt: R, variant: Self::Variant, scale: Scale) -> BoxFuture {
        let full = scale == Scale::Full;
        let fixes = match variant {
            GroupFuncDispatcherReadVariant::Buggy => Fixes::PR_7618,
            GroupFuncDispatcherReadVariant::Fixed => Fixes::ALL,
        };
        Box::pin(async move {
            // Minimal: spec §5 M6 (no inhibitor, no provider GC task); full: the whole tenant.
            let options = TenantOptions {
                dispatcher: small_dispatcher(0),
                inhibitor: full,
                provider_gc: full,
                ..TenantOptions::default()
            };
            let am = TenantAlertmanager::new(&rt, "t", 1, options, fixes);
            am.apply_config().await;
            let (a, r) = (am.clone(), rt.clone());
            let api = rt.spawn("api-get-groups", async move {
                let ctx = CancellationToken::new(&r);
                a.group_func(&ctx).await
            });
            am.apply_config().await; // the reload
                                     // The answer may be empty (the request's deadline can come first under any
                                     // backend's time); the oracle is the race check on the dispatcher field.
            let _groups = api.join().await;
            am.stop_and_wait().await;
        })
    }
}
