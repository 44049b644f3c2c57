//! `sct/bounded-buffer`: a one-slot buffer between a producer of two items and two consumers.
//! A consumer that finds the buffer empty waits for `not_empty`, and after the wake-up takes
//! an item without checking again (`if` where it needs `while`); the other consumer can take
//! the item it was woken for.
//!
//! Bug: a wrong wait condition (a stolen wake-up). Needs 0 preemptions: consumer 0 waits on
//! the empty buffer, the producer puts item 1 (waking it) and blocks on the full slot,
//! consumer 1 takes item 1; every switch is at a blocking wait, so free. Tasks: 4 (root, producer, two consumers). Ancestor: SCTBench
//! `CS.circular_buffer_bad` (a bounded buffer with a wrong condition). Fix: re-check the
//! condition in a loop. Oracle (`take-from-empty`): a consumer never takes from an empty
//! buffer.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;

use weft_core::sync::{Mutex, Notify};
use weft_core::{BoxFuture, FailureKind, OracleId, Runtime};

use super::info;
use crate::oracle;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// A consumer never takes from an empty buffer.
pub const TAKE_FROM_EMPTY: OracleId = OracleId::new("take-from-empty");

/// The buffer's slots.
const CAPACITY: usize = 1;

/// See the module documentation.
#[derive(Debug)]
pub struct BoundedBuffer;

crate::variants! {
    /// The variants of [`BoundedBuffer`].
    pub enum BoundedBufferVariant {
        Buggy {
            name: "buggy",
            summary: "a woken consumer takes without re-checking (if, not while)",
            expect: Expect::Fail(FailureKind::Assertion, Some(TAKE_FROM_EMPTY)),
        },
        Fixed {
            name: "fixed",
            summary: "a woken consumer re-checks the buffer in a loop",
            expect: Expect::Pass,
        },
    }
}

struct Buffer<R: Runtime> {
    items: Mutex<R, VecDeque<u32>>,
    not_empty: Notify<R>,
    not_full: Notify<R>,
}

impl<R: Runtime> Buffer<R> {
    async fn put(&self, item: u32) {
        let mut items = self.items.lock().await;
        while items.len() == CAPACITY {
            let mut notified = self.not_full.notified();
            Pin::new(&mut notified).enable();
            drop(items);
            notified.await;
            items = self.items.lock().await;
        }
        items.push_back(item);
        drop(items);
        self.not_empty.notify_one();
    }

    async fn take(&self, recheck: bool) -> Option<u32> {
        let mut items = self.items.lock().await;
        while items.is_empty() {
            let mut notified = self.not_empty.notified();
            Pin::new(&mut notified).enable();
            drop(items);
            notified.await;
            items = self.items.lock().await;
            if !recheck {
                break;
            }
        }
        let item = items.pop_front();
        drop(items);
        self.not_full.notify_one();
        item
    }
}

impl Scenario for BoundedBuffer {
    type Variant = BoundedBufferVariant;

    const INFO: Info = info(
        "sct/bounded-buffer",
        "a woken consumer takes without re-checking: the other consumer took its item",
        "SCTBench CS.circular_buffer_bad (pattern)",
        <Self::Variant as VariantId>::DESCRIPTIONS,
        &[TAKE_FROM_EMPTY],
        4,
    );

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        let recheck = variant == BoundedBufferVariant::Fixed;
        Box::pin(async move {
            let buffer = Arc::new(Buffer {
                items: Mutex::new(&rt, VecDeque::new()),
                not_empty: Notify::new(&rt),
                not_full: Notify::new(&rt),
            });
            let b = buffer.clone();
            let producer = rt.spawn("producer", async move {
                for item in 1..=2 {
                    b.put(item).await;
                }
            });
            let consumers: Vec<_> = (0..2)
                .map(|c| {
                    let (b, rt2) = (buffer.clone(), rt.clone());
                    rt.spawn(&format!("consumer-{c}"), async move {
                        if b.take(recheck).await.is_none() {
                            oracle::violated(
                                &rt2,
                                TAKE_FROM_EMPTY,
                                format!("consumer-{c} was woken and found the buffer empty"),
                            );
                        }
                    })
                })
                .collect();
            producer.join().await;
            for c in consumers {
                c.join().await;
            }
        })
    }
}
