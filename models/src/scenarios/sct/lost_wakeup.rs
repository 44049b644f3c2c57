//! `sct/lost-wakeup`: an idle worker checks the job queue, counts itself idle, then waits for
//! the producer's `notify_waiters`; the producer enqueues a job and broadcasts. The broadcast
//! wakes only waiters that exist when it is sent, so one sent between the worker's check and
//! its wait is lost and the worker sleeps forever.
//!
//! Bug: a lost wakeup (notify before wait). Needs 1 preemption (the worker stopped after its
//! check, before it starts waiting, while the producer enqueues and broadcasts). Tasks: 3
//! (root, worker, producer). Ancestor: the lost-wakeup pattern (no direct SCTBench program;
//! the condition-variable misuse of its pthread benchmarks). Fix: tokio's pattern: create the
//! `Notified` before checking the queue. Failure: a deadlock (the root waits for the worker).

use std::sync::Arc;

use weft_core::sync::{Atomic, Notify};
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::info;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct LostWakeup;

crate::variants! {
    /// The variants of [`LostWakeup`].
    pub enum LostWakeupVariant {
        Buggy {
            name: "buggy",
            summary: "check the queue, count idle, then create the Notified and wait",
            expect: Expect::Fail(FailureKind::Deadlock, None),
        },
        Fixed {
            name: "fixed",
            summary: "create the Notified first, then check the queue and wait",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for LostWakeup {
    type Variant = LostWakeupVariant;

    const INFO: Info = info(
        "sct/lost-wakeup",
        "notify_waiters between a worker's queue check and its wait: the worker sleeps forever",
        "lost-wakeup pattern (no SCTBench counterpart)",
        <Self::Variant as VariantId>::DESCRIPTIONS,
        &[],
        3,
    );

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        Box::pin(async move {
            let jobs = Arc::new(Atomic::new(&rt, 0u32));
            let idle = Arc::new(Atomic::new(&rt, 0u32));
            let wake = Arc::new(Notify::new(&rt));
            let (j, i, w) = (jobs.clone(), idle.clone(), wake.clone());
            let worker = rt.spawn("worker", async move {
                let early = match variant {
                    LostWakeupVariant::Buggy => None,
                    LostWakeupVariant::Fixed => Some(w.notified()),
                };
                if j.load().await == 0 {
                    i.fetch_update(|n| n + 1).await;
                    match early {
                        Some(notified) => notified.await,
                        None => w.notified().await,
                    }
                }
                j.fetch_update(|n| n - 1).await;
            });
            let (j, w) = (jobs.clone(), wake.clone());
            let producer = rt.spawn("producer", async move {
                j.fetch_update(|n| n + 1).await;
                w.notify_waiters();
            });
            producer.join().await;
            worker.join().await;
        })
    }
}
