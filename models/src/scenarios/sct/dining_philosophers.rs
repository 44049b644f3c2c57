//! `sct/dining-philosophers`: four philosophers around a table, one fork (mutex) between each
//! pair; each takes its left fork, then its right one, and eats once.
//!
//! Bug: a cyclic deadlock when every philosopher holds its left fork. Needs 1 preemption,
//! whatever the number of philosophers: philosopher 0 stopped between its forks; then
//! philosophers 3, 2 and 1, in that order, each take their left fork and block on their right
//! one, and blocking hands the turn over for free. Tasks: 5 (root, four philosophers). Ancestor: SCTBench's
//! `CS.din_phil*` programs. Fix: the last philosopher takes its right fork first (a global
//! order on forks breaks the cycle). Failure: a deadlock.

use std::sync::Arc;

use weft_core::sync::Mutex;
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::info;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// Philosophers (and forks) at the table.
pub const PHILOSOPHERS: usize = 4;

/// See the module documentation.
#[derive(Debug)]
pub struct DiningPhilosophers;

crate::variants! {
    /// The variants of [`DiningPhilosophers`].
    pub enum DiningPhilosophersVariant {
        Buggy {
            name: "buggy",
            summary: "every philosopher takes its left fork, then its right one",
            expect: Expect::Fail(FailureKind::Deadlock, None),
        },
        Fixed {
            name: "fixed",
            summary: "the last philosopher takes its right fork first",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for DiningPhilosophers {
    type Variant = DiningPhilosophersVariant;

    const INFO: Info = info(
        "sct/dining-philosophers",
        "four philosophers each take the left fork, then the right: a cycle of waits",
        "SCTBench CS.din_phil*",
        <Self::Variant as VariantId>::DESCRIPTIONS,
        &[],
        1 + PHILOSOPHERS,
    );

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        Box::pin(async move {
            let forks: Arc<Vec<_>> =
                Arc::new((0..PHILOSOPHERS).map(|_| Mutex::new(&rt, 0u32)).collect());
            let philosophers: Vec<_> = (0..PHILOSOPHERS)
                .map(|p| {
                    let forks = forks.clone();
                    rt.spawn(&format!("philosopher-{p}"), async move {
                        let (left, right) = (p, (p + 1) % PHILOSOPHERS);
                        let last = p == PHILOSOPHERS - 1;
                        let (first, second) = match variant {
                            DiningPhilosophersVariant::Fixed if last => (right, left),
                            _ => (left, right),
                        };
                        let mut a = forks[first].lock().await;
                        let mut b = forks[second].lock().await;
                        // Eat: each fork counts its uses.
                        *a += 1;
                        *b += 1;
                    })
                })
                .collect();
            for p in philosophers {
                p.join().await;
            }
        })
    }
}
