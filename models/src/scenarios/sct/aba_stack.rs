//! `sct/aba-stack`: a lock-free (Treiber) stack of three nodes, its head an [`Atomic`] swapped
//! with compare-and-swap. A pop reads the head and its successor, then swings the head; if
//! meanwhile the head node was popped, another popped, and the first pushed back, the head is
//! the same node again and the CAS succeeds, installing a successor that is no longer in the
//! stack.
//!
//! Bug: ABA. Needs 1 preemption (the first popper stopped between reading the successor and
//! its CAS while the second pops twice and pushes back). Tasks: 3 (root, two tasks). Ancestor:
//! SCTBench `misc.safestack` (a lock-free stack with an ABA bug). Fix: a version tag in the
//! head, bumped by every successful CAS. Oracle (`stack-ownership`): after the tasks and a
//! final drain, every node was taken exactly once.

use std::sync::Arc;

use weft_core::sync::Atomic;
use weft_core::{BoxFuture, FailureKind, OracleId, Runtime};

use super::info;
use crate::oracle;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// Every node is taken from the stack exactly once.
pub const STACK_OWNERSHIP: OracleId = OracleId::new("stack-ownership");

const NODES: usize = 3;

/// See the module documentation.
#[derive(Debug)]
pub struct AbaStack;

crate::variants! {
    /// The variants of [`AbaStack`].
    pub enum AbaStackVariant {
        Buggy {
            name: "buggy",
            summary: "the head is a bare node index",
            expect: Expect::Fail(FailureKind::Assertion, Some(STACK_OWNERSHIP)),
        },
        Fixed {
            name: "fixed",
            summary: "the head carries a version tag bumped by every CAS",
            expect: Expect::Pass,
        },
    }
}

/// A Treiber stack over a fixed arena of nodes; `head` is `(top node, tag)`.
struct Stack<R: Runtime> {
    head: Atomic<R, (Option<usize>, u32)>,
    next: Vec<Atomic<R, Option<usize>>>,
    tagged: bool,
}

impl<R: Runtime> Stack<R> {
    fn tag(&self, tag: u32) -> u32 {
        if self.tagged {
            tag + 1
        } else {
            tag
        }
    }

    async fn pop(&self) -> Option<usize> {
        loop {
            let (top, tag) = self.head.load().await;
            let node = top?;
            let next = self.next[node].load().await;
            let new = (next, self.tag(tag));
            if self.head.compare_exchange((top, tag), new).await.is_ok() {
                return Some(node);
            }
        }
    }

    async fn push(&self, node: usize) {
        loop {
            let (top, tag) = self.head.load().await;
            self.next[node].store(top).await;
            let new = (Some(node), self.tag(tag));
            if self.head.compare_exchange((top, tag), new).await.is_ok() {
                return;
            }
        }
    }
}

impl Scenario for AbaStack {
    type Variant = AbaStackVariant;

    const INFO: Info = info(
        "sct/aba-stack",
        "Treiber stack pop: head popped, another popped, head pushed back; the stale CAS succeeds",
        "SCTBench misc.safestack",
        <Self::Variant as VariantId>::DESCRIPTIONS,
        &[STACK_OWNERSHIP],
        3,
    );

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        Box::pin(async move {
            // The stack 0 -> 1 -> 2.
            let stack = Arc::new(Stack {
                head: Atomic::new(&rt, (Some(0), 0)),
                next: (0..NODES)
                    .map(|n| Atomic::new(&rt, (n + 1 < NODES).then_some(n + 1)))
                    .collect(),
                tagged: variant == AbaStackVariant::Fixed,
            });
            let s = stack.clone();
            let popper = rt.spawn("popper", async move { s.pop().await });
            let s = stack.clone();
            let recycler = rt.spawn("recycler", async move {
                // Pops two nodes, keeps the second and recycles the first.
                let first = s.pop().await;
                let kept = s.pop().await;
                if let Some(n) = first {
                    s.push(n).await;
                }
                kept
            });
            let mut taken = vec![0u32; NODES];
            let held = [popper.join().await, recycler.join().await];
            for n in held.into_iter().flatten() {
                taken[n] += 1;
            }
            while let Some(n) = stack.pop().await {
                taken[n] += 1;
                if taken[n] > 1 {
                    break; // the stack may now be a cycle
                }
            }
            if taken.iter().any(|&t| t != 1) {
                oracle::violated(
                    &rt,
                    STACK_OWNERSHIP,
                    format!("nodes taken {taken:?} times (each once expected)"),
                );
            }
        })
    }
}
