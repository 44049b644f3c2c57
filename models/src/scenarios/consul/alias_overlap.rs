//! `consul/alias-overlap` (spec §6 bug 3, model M3): re-registering the sidecar stops the old
//! alias task and starts a new one. Before PR 5876 `Stop` does not wait, so the two overlap:
//! the old one can write a stale status after the new one's last write, and delete the new
//! one's notify slot on exit (6.1-6.3). PR 5876 as merged waits on a WaitGroup whose `Add` is
//! the task's first statement: a task stopped before it ran is not waited for (6.5), the
//! WaitGroup misuse Go's race detector reported until PR 8346 moved the `Add` into `Start`.
//!
//! Tasks: upstream (web-check critical, then passing), registrar (re-registers the sidecar),
//! the first and the second alias task. Oracles: O-alive, O-slot, O-final at quiescence, the
//! WaitGroup contract. `buggy` has fix 1 applied so that bug 1's race cannot be reported
//! first (spec §7: fix 1 does not change bug 3's reachability). At [`Scale::Full`] the
//! registrar re-registers three times and the upstream flaps four times.

use weft_core::{BoxFuture, FailureKind, Runtime};

use super::{sidecar, World, ORACLES, SYSTEM};
use crate::consul::{AgentOptions, Fixes, Oracles, Status, O_ALIVE};
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct AliasOverlap;

crate::variants! {
    /// The variants of [`AliasOverlap`].
    pub enum AliasOverlapVariant {
        Buggy {
            name: "buggy",
            summary: "Stop does not wait (fix 1 applied, no timer)",
            expect: Expect::Fail(FailureKind::Assertion, Some(O_ALIVE)),
        },
        MergedFix {
            name: "merged-fix",
            summary: "PR 5876 as merged (40336fd): Add(1) is the task's first statement",
            expect: Expect::Fail(FailureKind::ContractViolation, None),
        },
        Fixed {
            name: "fixed",
            summary: "PR 5876 + PR 8346: Add(1) in Start, before the spawn",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for AliasOverlap {
    type Variant = AliasOverlapVariant;

    const INFO: Info = Info {
        name: "consul/alias-overlap",
        system: SYSTEM,
        summary: "old alias task outlives its replacement (bug 3): stale write, deleted slot; PR 5876's late WaitGroup Add",
        spec: "consul-alias.md §6, §9 M3",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: ORACLES,
        max_tasks: 5, // root, upstream, registrar, two alias tasks
        needs_quiescence: false,
        needs_clock: false,
        tolerates: &[],
        may_outlive: &[],
        faults: crate::scenario::Faults::NONE,
    };

    fn run<R: Runtime>(rt: R, variant: Self::Variant, scale: Scale) -> BoxFuture {
        let fixes = match variant {
            AliasOverlapVariant::Buggy => Fixes::CLONE_ONLY,
            AliasOverlapVariant::MergedFix => Fixes::PR_5876,
            AliasOverlapVariant::Fixed => Fixes::CORRECTED,
        };
        Box::pin(async move {
            workload(&rt, fixes, Oracles::ALL, scale).await;
        })
    }
}

/// The workload with `fixes` and `oracles` (tests switch oracles off to reach the symptoms
/// that O-alive reports first); returns the world after the final checks.
pub async fn workload<R: Runtime>(
    rt: &R,
    fixes: Fixes,
    oracles: Oracles,
    scale: Scale,
) -> World<R> {
    let (flaps, registrations) = match scale {
        Scale::Minimal => (vec![Status::Critical, Status::Passing], 1),
        Scale::Full => (
            vec![
                Status::Critical,
                Status::Passing,
                Status::Critical,
                Status::Passing,
            ],
            3,
        ),
    };
    let options = AgentOptions {
        restore_after_register: false,
    };
    let w = World::boot(rt, fixes, options, oracles, Status::Passing).await;
    let upstream = w.upstream(flaps);
    let registrar = w.registrar(vec![sidecar(); registrations]);
    upstream.join().await;
    registrar.join().await;
    w.settle_and_check(false).await;
    w
}
