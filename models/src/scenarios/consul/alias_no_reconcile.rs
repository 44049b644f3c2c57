//! `consul/alias-no-reconcile` (spec §5 bug 2, model M2): the alias task is purely
//! edge-triggered, so any path that leaves its check wrong without a later notification
//! leaves it wrong until the aliased service changes again. The path here is the agent's
//! deferred restore after a registration (hazard H1, §8): it writes the snapshot's status of
//! every check back, including the alias's, and `UpdateCheck` of the alias notifies nobody
//! who re-reads. Fix 2's 60 s timer repairs it within one interval.
//!
//! The system has fix 1 and fix 3 (corrected), so only bug 2 remains. The agent boots with
//! `web-check` restored from disk as critical; the upstream turns it passing while the
//! registrar re-registers the sidecar. Oracles: O-final one reconcile interval after
//! quiescence, and O-bound (no disagreement lasts longer than 60 s of virtual time). Needs a
//! clock that advances when the system is idle (weft-sim's virtual time, tokio's paused clock).

use weft_core::{BoxFuture, FailureKind, Runtime};

use super::{sidecar, World, ORACLES, O_FINAL, SYSTEM};
use crate::consul::{AgentOptions, Fixes, Oracles, Status};
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct AliasNoReconcile;

crate::variants! {
    /// The variants of [`AliasNoReconcile`].
    pub enum AliasNoReconcileVariant {
        Buggy {
            name: "buggy",
            summary: "no reconcile timer (fixes 1 and 3 applied)",
            expect: Expect::Fail(FailureKind::Assertion, Some(O_FINAL)),
        },
        Fixed {
            name: "fixed",
            summary: "fix 2: re-read 60 s after the last update",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for AliasNoReconcile {
    type Variant = AliasNoReconcileVariant;

    const INFO: Info = Info {
        name: "consul/alias-no-reconcile",
        system: SYSTEM,
        summary: "edge-triggered alias, no fallback (bug 2): a reverted alias status stays wrong; the 60 s timer repairs it",
        spec: "consul-alias.md §5, §8 H1, §9 M2",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: ORACLES,
        max_tasks: 5, // root, upstream, registrar, two alias tasks
        needs_quiescence: false,
        needs_clock: true,
        tolerates: &[],
        may_outlive: &[],
        faults: crate::scenario::Faults::NONE,
    };

    fn run<R: Runtime>(rt: R, variant: Self::Variant, scale: Scale) -> BoxFuture {
        let fixes = match variant {
            AliasNoReconcileVariant::Buggy => Fixes {
                reconcile_timer: false,
                ..Fixes::CORRECTED
            },
            AliasNoReconcileVariant::Fixed => Fixes::CORRECTED,
        };
        Box::pin(async move {
            workload(&rt, fixes, scale).await;
        })
    }
}

/// The workload with `fixes`; returns the world after the final checks (tests read the
/// probe's record of how long the alias was wrong).
pub async fn workload<R: Runtime>(rt: &R, fixes: Fixes, scale: Scale) -> World<R> {
    let registrations = match scale {
        Scale::Minimal => 1,
        Scale::Full => 2,
    };
    let options = AgentOptions {
        restore_after_register: true,
    };
    let w = World::boot(rt, fixes, options, Oracles::ALL, Status::Critical).await;
    let upstream = w.upstream(vec![Status::Passing]);
    let registrar = w.registrar(vec![sidecar(); registrations]);
    upstream.join().await;
    registrar.join().await;
    w.settle_and_check(true).await;
    w
}
