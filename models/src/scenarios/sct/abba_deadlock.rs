//! `sct/abba-deadlock`: a transfer from account A to B locks A then B; one from B to A locks B
//! then A. Each can take its first lock and wait forever for the other's.
//!
//! Bug: an ABBA deadlock. Needs 1 preemption (a transfer stopped between its two locks while
//! the other takes its first). Tasks: 3 (root, two transfers). Ancestor: SCTBench
//! `CS.deadlock01_bad`. Fix: both transfers lock in one global order (lower account first).
//! Failure: a deadlock.

use std::sync::Arc;

use weft_core::sync::Mutex;
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::info;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct AbbaDeadlock;

crate::variants! {
    /// The variants of [`AbbaDeadlock`].
    pub enum AbbaDeadlockVariant {
        Buggy {
            name: "buggy",
            summary: "each transfer locks its source account, then its destination",
            expect: Expect::Fail(FailureKind::Deadlock, None),
        },
        Fixed {
            name: "fixed",
            summary: "each transfer locks the lower-numbered account first",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for AbbaDeadlock {
    type Variant = AbbaDeadlockVariant;

    const INFO: Info = info(
        "sct/abba-deadlock",
        "transfers A->B and B->A lock source then destination: ABBA deadlock",
        "SCTBench CS.deadlock01_bad",
        <Self::Variant as VariantId>::DESCRIPTIONS,
        &[],
        3,
    );

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        Box::pin(async move {
            let accounts = Arc::new([Mutex::new(&rt, 100u32), Mutex::new(&rt, 100u32)]);
            let transfers: Vec<_> = [(0usize, 1usize), (1, 0)]
                .into_iter()
                .map(|(from, to)| {
                    let accounts = accounts.clone();
                    rt.spawn(&format!("transfer-{from}-{to}"), async move {
                        let (first, second) = match variant {
                            AbbaDeadlockVariant::Buggy => (from, to),
                            AbbaDeadlockVariant::Fixed => (from.min(to), from.max(to)),
                        };
                        let mut a = accounts[first].lock().await;
                        let mut b = accounts[second].lock().await;
                        let (src, dst) = if first == from {
                            (&mut *a, &mut *b)
                        } else {
                            (&mut *b, &mut *a)
                        };
                        *src -= 10;
                        *dst += 10;
                    })
                })
                .collect();
            for t in transfers {
                t.join().await;
            }
        })
    }
}
