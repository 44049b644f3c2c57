//! `sct/double-checked-locking`: a lazily created instance behind a flag; a getter that sees
//! the flag set uses the instance without taking the lock. The initializer sets the flag
//! before it publishes the instance, so a getter can see the flag and no instance.
//!
//! Bug: double-checked locking with the publication in the wrong order. Needs 1 preemption
//! (the initializer stopped between its two stores). Tasks: 3 (root, two getters). Ancestor:
//! the double-checked locking idiom (SCTBench has no counterpart). Fix: publish the instance,
//! then set the flag. Oracle (`uninitialized-read`): a getter never returns no instance.

use std::sync::Arc;

use weft_core::sync::{Atomic, Mutex};
use weft_core::{BoxFuture, FailureKind, OracleId, Runtime};

use super::info;
use crate::oracle;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// A getter never returns no instance.
pub const UNINITIALIZED_READ: OracleId = OracleId::new("uninitialized-read");

/// See the module documentation.
#[derive(Debug)]
pub struct DoubleCheckedLocking;

crate::variants! {
    /// The variants of [`DoubleCheckedLocking`].
    pub enum DoubleCheckedLockingVariant {
        Buggy {
            name: "buggy",
            summary: "the initializer sets the flag, then stores the instance",
            expect: Expect::Fail(FailureKind::Assertion, Some(UNINITIALIZED_READ)),
        },
        Fixed {
            name: "fixed",
            summary: "the initializer stores the instance, then sets the flag",
            expect: Expect::Pass,
        },
    }
}

struct Lazy<R: Runtime> {
    initialized: Atomic<R, bool>,
    instance: Atomic<R, Option<u32>>,
    lock: Mutex<R, ()>,
    publish_first: bool,
}

impl<R: Runtime> Lazy<R> {
    async fn get(&self) -> Option<u32> {
        if !self.initialized.load().await {
            let _guard = self.lock.lock().await;
            if !self.initialized.load().await {
                if self.publish_first {
                    self.instance.store(Some(42)).await;
                    self.initialized.store(true).await;
                } else {
                    self.initialized.store(true).await;
                    self.instance.store(Some(42)).await;
                }
            }
        }
        self.instance.load().await
    }
}

impl Scenario for DoubleCheckedLocking {
    type Variant = DoubleCheckedLockingVariant;

    const INFO: Info = info(
        "sct/double-checked-locking",
        "flag set before the instance is published: a getter sees the flag and no instance",
        "double-checked locking idiom (no SCTBench counterpart)",
        <Self::Variant as VariantId>::DESCRIPTIONS,
        &[UNINITIALIZED_READ],
        3,
    );

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        Box::pin(async move {
            let lazy = Arc::new(Lazy {
                initialized: Atomic::new(&rt, false),
                instance: Atomic::new(&rt, None),
                lock: Mutex::new(&rt, ()),
                publish_first: variant == DoubleCheckedLockingVariant::Fixed,
            });
            let getters: Vec<_> = (0..2)
                .map(|g| {
                    let (lazy, rt2) = (lazy.clone(), rt.clone());
                    rt.spawn(&format!("getter-{g}"), async move {
                        if lazy.get().await.is_none() {
                            oracle::violated(
                                &rt2,
                                UNINITIALIZED_READ,
                                format!("getter-{g} saw the flag set and no instance"),
                            );
                        }
                    })
                })
                .collect();
            for g in getters {
                g.join().await;
            }
        })
    }
}
