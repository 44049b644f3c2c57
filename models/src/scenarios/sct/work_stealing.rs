//! `sct/work-stealing`: a work-stealing deque (Chase and Lev's, cut to its indices): the owner
//! pops at the bottom, a thief steals at the top with a CAS on `top`. When one item is left,
//! owner and thief race for it; the buggy owner takes it by storing `top`, not with the CAS.
//!
//! Bug: the last-item race of a work-stealing queue. Needs 2 preemptions (the thief stopped
//! between reading the indices and its CAS while the owner starts its last pop; the owner
//! stopped between reading `top` and storing it while the thief's CAS wins). Tasks: 3 (root,
//! owner, thief). Ancestor: SCTBench `CHESS.WorkStealQueue`. Fix: the owner takes the last item only
//! by winning the same CAS on `top`. Oracle (`taken-once`): no item is taken twice.

use std::sync::Arc;

use weft_core::sync::Atomic;
use weft_core::{BoxFuture, FailureKind, OracleId, Runtime};

use super::info;
use crate::oracle;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// No item is taken twice.
pub const TAKEN_ONCE: OracleId = OracleId::new("taken-once");

/// Items in the deque at the start (item `i` at index `i`).
const ITEMS: i64 = 2;

/// See the module documentation.
#[derive(Debug)]
pub struct WorkStealing;

crate::variants! {
    /// The variants of [`WorkStealing`].
    pub enum WorkStealingVariant {
        Buggy {
            name: "buggy",
            summary: "the owner takes the last item with a plain store to top, not a CAS",
            expect: Expect::Fail(FailureKind::Assertion, Some(TAKEN_ONCE)),
        },
        Fixed {
            name: "fixed",
            summary: "the owner takes the last item by winning the CAS on top",
            expect: Expect::Pass,
        },
    }
}

/// The deque's indices: items `top..bottom` are in it.
struct Deque<R: Runtime> {
    top: Atomic<R, i64>,
    bottom: Atomic<R, i64>,
    cas_last: bool,
}

impl<R: Runtime> Deque<R> {
    /// The owner's pop at the bottom.
    async fn pop(&self) -> Option<i64> {
        let b = self.bottom.load().await - 1;
        self.bottom.store(b).await;
        let t = self.top.load().await;
        if t > b {
            self.bottom.store(t).await; // empty: restore
            return None;
        }
        if t < b {
            return Some(b); // more than one left: no race with a thief
        }
        // The last item: a thief may be about to take it with its CAS on `top`.
        let won = if self.cas_last {
            self.top.compare_exchange(t, t + 1).await.is_ok()
        } else {
            self.top.store(t + 1).await;
            true
        };
        self.bottom.store(t + 1).await;
        won.then_some(b)
    }

    /// A thief's steal at the top.
    async fn steal(&self) -> Option<i64> {
        let t = self.top.load().await;
        let b = self.bottom.load().await;
        if t >= b {
            return None;
        }
        self.top.compare_exchange(t, t + 1).await.ok().map(|_| t)
    }
}

impl Scenario for WorkStealing {
    type Variant = WorkStealingVariant;

    const INFO: Info = info(
        "sct/work-stealing",
        "owner and thief race for the last item of a work-stealing deque: taken twice",
        "SCTBench CHESS.WorkStealQueue",
        <Self::Variant as VariantId>::DESCRIPTIONS,
        &[TAKEN_ONCE],
        3,
    );

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        Box::pin(async move {
            let deque = Arc::new(Deque {
                top: Atomic::new(&rt, 0),
                bottom: Atomic::new(&rt, ITEMS),
                cas_last: variant == WorkStealingVariant::Fixed,
            });
            let d = deque.clone();
            let owner = rt.spawn("owner", async move {
                let mut taken = Vec::new();
                while let Some(item) = d.pop().await {
                    taken.push(item);
                }
                taken
            });
            let d = deque.clone();
            let thief = rt.spawn("thief", async move { d.steal().await });
            let mut taken = owner.join().await;
            taken.extend(thief.join().await);
            taken.sort_unstable();
            if taken.windows(2).any(|w| w[0] == w[1]) {
                oracle::violated(&rt, TAKEN_ONCE, format!("items taken: {taken:?}"));
            }
        })
    }
}
