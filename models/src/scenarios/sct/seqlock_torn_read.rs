//! `sct/seqlock-torn-read`: a sequence lock guarding a pair `(a, b)` whose writer makes the
//! sequence odd, writes `a`, writes `b`, and makes it even again. The buggy reader accepts its
//! snapshot when the sequence is even before and after, without checking it is the *same*
//! sequence, so a read that straddles a whole write is accepted torn.
//!
//! Bug: a torn read. Needs 1 preemption: the reader stopped after reading `a` while the
//! writer completes its whole write; the reader then reads the new `b` and an even sequence.
//! Tasks: 3 (root, writer, reader). Ancestor: the torn reads of SCTBench's `CS.twostage_bad`
//! (a reader between two stages of a writer). Fix: accept only when the sequence is
//! unchanged. Oracle (`torn-read`): an accepted snapshot has `a == b`.

use std::sync::Arc;

use weft_core::sync::Atomic;
use weft_core::{BoxFuture, FailureKind, OracleId, Runtime};

use super::info;
use crate::oracle;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// An accepted snapshot is one the writer wrote (`a == b`).
pub const TORN_READ: OracleId = OracleId::new("torn-read");

/// See the module documentation.
#[derive(Debug)]
pub struct SeqlockTornRead;

crate::variants! {
    /// The variants of [`SeqlockTornRead`].
    pub enum SeqlockTornReadVariant {
        Buggy {
            name: "buggy",
            summary: "the reader accepts when the sequence is even before and after",
            expect: Expect::Fail(FailureKind::Assertion, Some(TORN_READ)),
        },
        Fixed {
            name: "fixed",
            summary: "the reader accepts when the sequence is unchanged and even",
            expect: Expect::Pass,
        },
    }
}

struct SeqLock<R: Runtime> {
    seq: Atomic<R, u32>,
    a: Atomic<R, u32>,
    b: Atomic<R, u32>,
}

impl<R: Runtime> SeqLock<R> {
    async fn write(&self, value: u32) {
        let s = self.seq.load().await;
        self.seq.store(s + 1).await;
        self.a.store(value).await;
        self.b.store(value).await;
        self.seq.store(s + 2).await;
    }

    /// One attempt: the snapshot, or `None` if a write was seen in progress.
    async fn try_read(&self, same_sequence: bool) -> Option<(u32, u32)> {
        let before = self.seq.load().await;
        if before % 2 == 1 {
            return None;
        }
        let snapshot = (self.a.load().await, self.b.load().await);
        let after = self.seq.load().await;
        let ok = if same_sequence {
            after == before
        } else {
            after % 2 == 0
        };
        ok.then_some(snapshot)
    }
}

impl Scenario for SeqlockTornRead {
    type Variant = SeqlockTornReadVariant;

    const INFO: Info = info(
        "sct/seqlock-torn-read",
        "seqlock reader checks only parity: a read straddling a whole write is accepted torn",
        "SCTBench CS.twostage_bad (pattern)",
        <Self::Variant as VariantId>::DESCRIPTIONS,
        &[TORN_READ],
        3,
    );

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        let same_sequence = variant == SeqlockTornReadVariant::Fixed;
        Box::pin(async move {
            let lock = Arc::new(SeqLock {
                seq: Atomic::new(&rt, 0),
                a: Atomic::new(&rt, 0),
                b: Atomic::new(&rt, 0),
            });
            let l = lock.clone();
            let writer = rt.spawn("writer", async move { l.write(1).await });
            let (l, rt2) = (lock.clone(), rt.clone());
            let reader = rt.spawn("reader", async move {
                if let Some((a, b)) = l.try_read(same_sequence).await {
                    if a != b {
                        oracle::violated(&rt2, TORN_READ, format!("accepted ({a}, {b})"));
                    }
                }
            });
            writer.join().await;
            reader.join().await;
        })
    }
}
