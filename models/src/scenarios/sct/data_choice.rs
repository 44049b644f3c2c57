//! `sct/data-choice`: two tasks each cache a value under a key they draw (`choose(4)`) with an
//! insert-if-absent that checks under the lock, releases it, and inserts under a second lock.
//! Only when both draw the same key can both see it absent and both believe they inserted.
//!
//! Bug: a check-then-act that needs a data choice (the two keys equal, probability 1/4) and
//! 1 preemption (a task stopped between its check and its insert while the other checks).
//! Tasks: 3 (root, two tasks). Ancestor: SCTBench's input-dependent bugs (its programs fix
//! the input; here the input is a choice the strategy makes). Fix: check and insert under one
//! lock. Oracle (`insert-once`): at most one task inserts each key.

use std::collections::BTreeMap;
use std::sync::Arc;

use weft_core::sync::Mutex;
use weft_core::{BoxFuture, FailureKind, OracleId, Runtime};

use super::info;
use crate::oracle;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// At most one task inserts each key.
pub const INSERT_ONCE: OracleId = OracleId::new("insert-once");

/// The keys a task draws from.
const KEYS: usize = 4;

/// See the module documentation.
#[derive(Debug)]
pub struct DataChoice;

crate::variants! {
    /// The variants of [`DataChoice`].
    pub enum DataChoiceVariant {
        Buggy {
            name: "buggy",
            summary: "insert-if-absent: check under one lock, insert under another",
            expect: Expect::Fail(FailureKind::Assertion, Some(INSERT_ONCE)),
        },
        Fixed {
            name: "fixed",
            summary: "insert-if-absent under one lock",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for DataChoice {
    type Variant = DataChoiceVariant;

    const INFO: Info = info(
        "sct/data-choice",
        "insert-if-absent split across two locks: both tasks insert when they draw the same key",
        "SCTBench input-dependent bugs (the input as a choice)",
        <Self::Variant as VariantId>::DESCRIPTIONS,
        &[INSERT_ONCE],
        3,
    );

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        Box::pin(async move {
            let cache = Arc::new(Mutex::new(&rt, BTreeMap::<usize, usize>::new()));
            let tasks: Vec<_> = (0..2)
                .map(|t| {
                    let (cache, rt2) = (cache.clone(), rt.clone());
                    rt.spawn(&format!("cacher-{t}"), async move {
                        let key = rt2.choose(KEYS);
                        let inserted = match variant {
                            DataChoiceVariant::Buggy => {
                                let absent = !cache.lock().await.contains_key(&key);
                                if absent {
                                    cache.lock().await.insert(key, t);
                                }
                                absent
                            }
                            DataChoiceVariant::Fixed => {
                                let mut c = cache.lock().await;
                                let absent = !c.contains_key(&key);
                                if absent {
                                    c.insert(key, t);
                                }
                                absent
                            }
                        };
                        (key, inserted)
                    })
                })
                .collect();
            let mut inserted = Vec::new();
            for t in tasks {
                let (key, done) = t.join().await;
                if done {
                    inserted.push(key);
                }
            }
            inserted.sort_unstable();
            if inserted.windows(2).any(|w| w[0] == w[1]) {
                oracle::violated(
                    &rt,
                    INSERT_ONCE,
                    format!("key {} inserted by both tasks", inserted[0]),
                );
            }
        })
    }
}
