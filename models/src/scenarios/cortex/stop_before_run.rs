//! `cortex/stop-before-run` (spec §4 B1, model M1): ApplyConfig spawns the dispatcher's Run and
//! returns; a Stop follows. Run's first `finished.add` is inside the task, so Stop's `wait` may
//! run before it (B1b: Stop returns while the dispatcher starts) or block on it with no
//! happens-before from the add (B1a, the `-race` report at dispatch.go:190 vs :449).
//!
//! Workload: at [`Scale::Full`], Cortex's regression test shape
//! (`TestAlertmanagerStopBeforeDispatcherStart`, 30× ApplyConfig→Stop). One generation is not
//! enough to fail every sampled execution: when Stop's state store beats Run's CAS (B1c) Run
//! adds nothing, and that execution is clean by design; over 30 generations PCT and random
//! meet B1a or B1b in the first execution (measured: every seed in 1..=1000). At
//! [`Scale::Minimal`], spec §5's M1: one generation, which DFS and loom explore completely.

use std::sync::Arc;

use weft_core::{BoxFuture, FailureKind, Runtime};

use super::{small_dispatcher, SYSTEM};
use crate::alertmanager::{Dispatcher, Provider};
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// ApplyConfig→Stop generations per execution at [`Scale::Full`] (Cortex's test runs 30).
pub const GENERATIONS: usize = 30;

/// See the module documentation.
#[derive(Debug)]
pub struct StopBeforeRun;

crate::variants! {
    /// The variants of [`StopBeforeRun`].
    pub enum StopBeforeRunVariant {
        Buggy {
            name: "buggy",
            summary: "pre-7618 ApplyConfig: spawn Run, return, Stop",
            expect: Expect::Fail(FailureKind::ContractViolation, None),
        },
        Fixed {
            name: "fixed",
            summary: "PR 7618 barrier: WaitForLoading before ApplyConfig returns",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for StopBeforeRun {
    type Variant = StopBeforeRunVariant;

    const INFO: Info = Info {
        name: "cortex/stop-before-run",
        system: SYSTEM,
        summary: "dispatcher Stop before Run's first WaitGroup add (B1): predictive WaitGroup contract check",
        spec: "alertmanager.md §4 B1, §5 M1",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[],
        max_tasks: 3, // root, Run, start timer
        needs_quiescence: false,
        needs_clock: false,
        tolerates: &[],
        may_outlive: &[],
        faults: crate::scenario::Faults::NONE,
    };

    fn run<R: Runtime>(rt: R, variant: Self::Variant, scale: Scale) -> BoxFuture {
        let barrier = match variant {
            StopBeforeRunVariant::Buggy => false,
            StopBeforeRunVariant::Fixed => true,
        };
        let generations = match scale {
            Scale::Minimal => 1,
            Scale::Full => GENERATIONS,
        };
        Box::pin(async move {
            let provider = Arc::new(Provider::new(&rt, 200));
            for g in 0..generations {
                // ApplyConfig (the dispatcher half; spec §3.3 steps 8-9 or 11'-12').
                let d = Dispatcher::new(&rt, provider.clone(), small_dispatcher(0));
                drop(rt.spawn(&format!("g{g}-dispatcher-run"), d.clone().run()));
                if barrier {
                    d.wait_for_loading().await;
                }
                // Stop (StopAndWait, or the next reload stopping this generation).
                d.stop().await;
            }
        })
    }
}
