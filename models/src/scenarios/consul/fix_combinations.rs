//! `consul/fix-combinations` (spec §7): the outcome at quiescence of every combination of PR
//! 5876's fixes, in the bug-3 model with the H1 restore (M3 + H1_RESTORE, §9).
//!
//! The question §7 answers is what the *state machine* ends in, so this scenario's verdict is
//! the outcome: O-final one reconcile interval after quiescence, and O-bound. The checkers'
//! findings (bug 1's data race, fix 3's late `Add`) are counted, not fatal
//! ([`Info::tolerates`]), as Go's race detector reports and goes on; `weft check` prints
//! their counts beside the verdict. Each variant is one row of §7:
//!
//! | variant | spec §7 outcome |
//! |---|---|
//! | `none` | A wrong forever |
//! | `1` | forever |
//! | `2` | wrong for at most 60 s after G2's last update |
//! | `3-merged` | forever in the residual schedule |
//! | `3-corrected` | correct, unless H1: then forever (H1 is in this model) |
//! | `1+2+3-merged` | repaired within 60 s |
//! | `1+2+3-corrected` | H1 still possible, repaired within 60 s |
//!
//! Workload: the agent boots with `web-check` passing; the upstream flaps it critical then
//! passing while the registrar re-registers the sidecar (snapshot, stop, start, restore).

use weft_core::{BoxFuture, FailureKind, Runtime};

use super::{sidecar, World, O_FINAL, SYSTEM};
use crate::consul::{AgentOptions, Fixes, Lifetime, Oracles, Status, O_BOUND};
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

const FOREVER: Expect = Expect::Fail(FailureKind::Assertion, Some(O_FINAL));

/// See the module documentation.
#[derive(Debug)]
pub struct FixCombinations;

/// The fixes of `variant`.
pub fn fixes_of(variant: FixCombinationsVariant) -> Fixes {
    let clone = Fixes::CLONE_ONLY;
    let timer = Fixes {
        reconcile_timer: true,
        ..Fixes::PRE_5876
    };
    let lifetime = |lifetime| Fixes {
        lifetime,
        ..Fixes::PRE_5876
    };
    match variant {
        FixCombinationsVariant::NoFix => Fixes::PRE_5876,
        FixCombinationsVariant::Fix1 => clone,
        FixCombinationsVariant::Fix2 => timer,
        FixCombinationsVariant::Fix3Merged => lifetime(Lifetime::Merged),
        FixCombinationsVariant::Fix3Corrected => lifetime(Lifetime::Corrected),
        FixCombinationsVariant::Pr5876 => Fixes::PR_5876,
        FixCombinationsVariant::Pr5876Corrected => Fixes::CORRECTED,
    }
}

crate::variants! {
    /// The variants of [`FixCombinations`].
    pub enum FixCombinationsVariant {
        NoFix {
            name: "none",
            summary: "6b31482: no fix",
            expect: FOREVER,
        },
        Fix1 {
            name: "1",
            summary: "fix 1 only (deep clone + copy-on-write)",
            expect: FOREVER,
        },
        Fix2 {
            name: "2",
            summary: "fix 2 only (60 s reconcile timer)",
            expect: Expect::Pass,
        },
        Fix3Merged {
            name: "3-merged",
            summary: "fix 3 only, as merged (Add inside the task)",
            expect: FOREVER,
        },
        Fix3Corrected {
            name: "3-corrected",
            summary: "fix 3 only, corrected (Add before the spawn)",
            expect: FOREVER,
        },
        Pr5876 {
            name: "1+2+3-merged",
            summary: "PR 5876 as merged (40336fd)",
            expect: Expect::Pass,
        },
        Pr5876Corrected {
            name: "1+2+3-corrected",
            summary: "PR 5876 + PR 8346",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for FixCombinations {
    type Variant = FixCombinationsVariant;

    const INFO: Info = Info {
        name: "consul/fix-combinations",
        system: SYSTEM,
        summary: "spec §7: the outcome at quiescence of each combination of PR 5876's fixes (checker findings counted)",
        spec: "consul-alias.md §7, §9 M3 + H1",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[O_FINAL, O_BOUND], // Oracles::OUTCOME, and O-final
        max_tasks: 5, // root, upstream, registrar, two alias tasks
        needs_quiescence: false,
        needs_clock: true,
        tolerates: &[FailureKind::DataRace, FailureKind::ContractViolation],
        may_outlive: &[],
        faults: crate::scenario::Faults::NONE,
    };

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        let fixes = fixes_of(variant);
        Box::pin(async move {
            let options = AgentOptions {
                restore_after_register: true,
            };
            let w = World::boot(&rt, fixes, options, Oracles::OUTCOME, Status::Passing).await;
            let upstream = w.upstream(vec![Status::Critical, Status::Passing]);
            let registrar = w.registrar(vec![sidecar()]);
            upstream.join().await;
            registrar.join().await;
            w.settle_and_check(true).await;
        })
    }
}
