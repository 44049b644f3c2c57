//! `sct/bounded-retry`: two writers each apply two updates to a shared version with an
//! optimistic compare-and-swap loop that gives up after two attempts, on the belief that with
//! two writers a retry always succeeds. It fails only if the other writer's updates land in
//! both of one update's windows (between its load and its CAS, twice).
//!
//! Bug: a retry bound too small. Needs 3 preemptions: writer 0 loads, is preempted; writer 1
//! completes an update and is preempted at its next one; writer 0's CAS fails, it loads again
//! and is preempted; writer 1 completes its last update and finishes (free switch); writer 0's
//! second CAS fails. Fewer switches cannot put two of writer 1's updates inside writer 0's
//! two windows. Tasks: 3 (root, two writers). Ancestor: SCTBench's deep bugs (its study
//! reports bugs needing up to 5 preemptions); this one is built to need exactly 3. Fix: retry
//! until the CAS succeeds (lock-free: a failed CAS means another writer progressed). Oracle
//! (`retries-exhausted`): no update is rejected.

use std::sync::Arc;

use weft_core::sync::Atomic;
use weft_core::{BoxFuture, FailureKind, OracleId, Runtime};

use super::info;
use crate::oracle;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// No update is rejected for contention.
pub const RETRIES_EXHAUSTED: OracleId = OracleId::new("retries-exhausted");

/// Attempts of the buggy update before it gives up.
const ATTEMPTS: usize = 2;
/// Updates per writer.
const UPDATES: usize = 2;

/// See the module documentation.
#[derive(Debug)]
pub struct BoundedRetry;

crate::variants! {
    /// The variants of [`BoundedRetry`].
    pub enum BoundedRetryVariant {
        Buggy {
            name: "buggy",
            summary: "a CAS update gives up after two attempts",
            expect: Expect::Fail(FailureKind::Assertion, Some(RETRIES_EXHAUSTED)),
        },
        Fixed {
            name: "fixed",
            summary: "a CAS update retries until it succeeds",
            expect: Expect::Pass,
        },
    }
}

/// Increments `version` with load + CAS, at most `attempts` times; whether it succeeded.
async fn update<R: Runtime>(version: &Atomic<R, u32>, attempts: Option<usize>) -> bool {
    let mut tried = 0;
    while attempts.is_none_or(|a| tried < a) {
        tried += 1;
        let v = version.load().await;
        if version.compare_exchange(v, v + 1).await.is_ok() {
            return true;
        }
    }
    false
}

impl Scenario for BoundedRetry {
    type Variant = BoundedRetryVariant;

    const INFO: Info = info(
        "sct/bounded-retry",
        "CAS update gives up after two attempts: the other writer lands in both windows",
        "built to need 3 preemptions (SCTBench's deepest bugs need up to 5)",
        <Self::Variant as VariantId>::DESCRIPTIONS,
        &[RETRIES_EXHAUSTED],
        3,
    );

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        let attempts = match variant {
            BoundedRetryVariant::Buggy => Some(ATTEMPTS),
            BoundedRetryVariant::Fixed => None,
        };
        Box::pin(async move {
            let version = Arc::new(Atomic::new(&rt, 0u32));
            let writers: Vec<_> = (0..2)
                .map(|w| {
                    let (version, rt2) = (version.clone(), rt.clone());
                    rt.spawn(&format!("writer-{w}"), async move {
                        for u in 0..UPDATES {
                            if !update(&version, attempts).await {
                                oracle::violated(
                                    &rt2,
                                    RETRIES_EXHAUSTED,
                                    format!(
                                        "writer-{w}'s update {u} gave up after {ATTEMPTS} attempts"
                                    ),
                                );
                            }
                        }
                    })
                })
                .collect();
            for w in writers {
                w.join().await;
            }
        })
    }
}
