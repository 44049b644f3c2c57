//! `sct/wait-group-misuse`: the root starts two workers that each call `add(1)` first thing
//! and `done()` at the end, then waits on the WaitGroup; the wait can return before any add.
//!
//! Bug: Go's classic WaitGroup misuse (add inside the spawned task). Needs 0 preemptions: the
//! root reaching `wait` before the workers run is the default order, and weft's predictive
//! WaitGroup contract check reports an add that does not happen-before a concurrent wait on
//! any schedule that has one. Tasks: 3 (root, two workers). Ancestor: the Go WaitGroup
//! contract (SCTBench has no WaitGroup). Fix: `add` before spawning. Failure: a WaitGroup
//! contract violation.

use std::sync::Arc;

use weft_core::sync::{Atomic, WaitGroup};
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::info;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct WaitGroupMisuse;

crate::variants! {
    /// The variants of [`WaitGroupMisuse`].
    pub enum WaitGroupMisuseVariant {
        Buggy {
            name: "buggy",
            summary: "each worker calls add(1) inside its task",
            expect: Expect::Fail(FailureKind::ContractViolation, None),
        },
        Fixed {
            name: "fixed",
            summary: "the root calls add(1) before spawning each worker",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for WaitGroupMisuse {
    type Variant = WaitGroupMisuseVariant;

    const INFO: Info = info(
        "sct/wait-group-misuse",
        "WaitGroup add inside the spawned task: wait may return before the work (contract)",
        "Go WaitGroup contract (no SCTBench counterpart)",
        <Self::Variant as VariantId>::DESCRIPTIONS,
        &[],
        3,
    );

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        let inside = variant == WaitGroupMisuseVariant::Buggy;
        Box::pin(async move {
            let wg = Arc::new(WaitGroup::new(&rt));
            let work = Arc::new(Atomic::new(&rt, 0u32));
            let workers: Vec<_> = (0..2)
                .map(|w| {
                    if !inside {
                        wg.add(1);
                    }
                    let (wg, work) = (wg.clone(), work.clone());
                    rt.spawn(&format!("worker-{w}"), async move {
                        if inside {
                            wg.add(1);
                        }
                        work.fetch_update(|n| n + 1).await;
                        wg.done();
                    })
                })
                .collect();
            wg.wait().await;
            for w in workers {
                w.join().await;
            }
        })
    }
}
