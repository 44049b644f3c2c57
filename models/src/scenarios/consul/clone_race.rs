//! `consul/clone-race` (spec §4 bug 1, model M1): `CheckState.Clone` is shallow, so
//! `Checks()` hands out the live `HealthCheck`; the alias reads its status after releasing
//! `L` while `UpdateCheck` writes it in place. Fix 1a (deep clone) protects `Checks()`
//! readers but not `Check(id)`, which returns the live record by design (addCheckLocked's
//! `existing`); fix 1b (copy-on-write) makes installed records immutable.
//!
//! Tasks: the checker W (`UpdateCheck(web-check, critical)`), the alias's update R
//! (`Checks()`, read, `UpdateCheck(alias)`) and the `existing` reader R2 (`Check(web-check)`,
//! read). Oracle: the happens-before race check on the status cells. At [`Scale::Full`] W
//! flaps three times and R updates twice.

use std::sync::Arc;

use weft_core::{BoxFuture, FailureKind, Runtime};

use super::{sidecar, web, ALIAS, SYSTEM, WEB, WEB_CHECK};
use crate::consul::{CheckAlias, Fixes, Oracles, Probe, State, Status, O_BOUND};
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct CloneRace;

crate::variants! {
    /// The variants of [`CloneRace`].
    pub enum CloneRaceVariant {
        Buggy {
            name: "buggy",
            summary: "before PR 5876: shallow clone, in-place writes",
            expect: Expect::Fail(FailureKind::DataRace, None),
        },
        DeepCloneOnly {
            name: "deep-clone-only",
            summary: "fix 1a alone: Checks() is safe, Check(id)'s live record still races",
            expect: Expect::Fail(FailureKind::DataRace, None),
        },
        Fixed {
            name: "fixed",
            summary: "fix 1a + 1b: deep clone and copy-on-write",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for CloneRace {
    type Variant = CloneRaceVariant;

    const INFO: Info = Info {
        name: "consul/clone-race",
        system: SYSTEM,
        summary: "shallow CheckState clone (bug 1): status read after RUnlock races UpdateCheck's in-place write",
        spec: "consul-alias.md §4, §9 M1",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[O_BOUND], // its probe sees status writes; no alias task runs
        max_tasks: 4, // root, checker, alias update, existing reader
        needs_quiescence: false,
        needs_clock: false,
        tolerates: &[],
        may_outlive: &[],
        faults: crate::scenario::Faults::NONE,
    };

    fn run<R: Runtime>(rt: R, variant: Self::Variant, scale: Scale) -> BoxFuture {
        let fixes = match variant {
            CloneRaceVariant::Buggy => Fixes::PRE_5876,
            CloneRaceVariant::DeepCloneOnly => Fixes {
                deep_clone: true,
                ..Fixes::PRE_5876
            },
            CloneRaceVariant::Fixed => Fixes::CLONE_ONLY,
        };
        let (flaps, updates) = match scale {
            Scale::Minimal => (vec![Status::Critical], 1),
            Scale::Full => (vec![Status::Critical, Status::Passing, Status::Critical], 2),
        };
        Box::pin(async move {
            let probe = Arc::new(Probe::new(&rt, Oracles::ALL, ALIAS, WEB));
            let state = Arc::new(State::new(&rt, fixes, probe.clone()));
            let mut defs = web(Status::Passing).checks;
            defs.extend(sidecar().checks);
            state.add_service_with_checks(&defs).await;
            let alias = CheckAlias::new(&rt, ALIAS, WEB, fixes, state.clone(), probe);

            let s = state.clone();
            let checker = rt.spawn("checker", async move {
                for status in flaps {
                    s.update_check(WEB_CHECK, status).await;
                }
            });
            let update = rt.spawn("alias-update", async move {
                for _ in 0..updates {
                    alias.update_status().await;
                }
            });
            let s = state.clone();
            let existing = rt.spawn("existing-reader", async move {
                if let Some(check) = s.check(WEB_CHECK).await {
                    let _ = check.status();
                }
            });
            checker.join().await;
            update.join().await;
            existing.join().await;
        })
    }
}
