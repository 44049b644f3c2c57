//! `sct/rwlock-upgrade`: a withdrawal checks the balance under the read lock, releases it,
//! and debits under the write lock: two withdrawals can both pass the check.
//!
//! Bug: reader-writer lock misuse (a check under a read lock acted on under a later write
//! lock, the "upgrade" race). Needs 1 preemption (a withdrawal stopped between its read and
//! its write lock while the other withdraws). Tasks: 3 (root, two withdrawals). Ancestor: the
//! check-then-act pattern of SCTBench's `CS.account_bad`, on a reader-writer lock (SCTBench
//! has no reader-writer program). Fix: check and debit under one write lock. Oracle
//! (`overdrawn`): the balance never goes below zero.

use std::sync::Arc;

use weft_core::sync::RwLock;
use weft_core::{BoxFuture, FailureKind, OracleId, Runtime};

use super::info;
use crate::oracle;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// The balance never goes below zero.
pub const OVERDRAWN: OracleId = OracleId::new("overdrawn");

/// See the module documentation.
#[derive(Debug)]
pub struct RwLockUpgrade;

crate::variants! {
    /// The variants of [`RwLockUpgrade`].
    pub enum RwLockUpgradeVariant {
        Buggy {
            name: "buggy",
            summary: "check the balance under read(), debit under a later write()",
            expect: Expect::Fail(FailureKind::Assertion, Some(OVERDRAWN)),
        },
        Fixed {
            name: "fixed",
            summary: "check and debit under one write()",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for RwLockUpgrade {
    type Variant = RwLockUpgradeVariant;

    const INFO: Info = info(
        "sct/rwlock-upgrade",
        "balance checked under the read lock, debited under a later write lock: overdrawn",
        "SCTBench CS.account_bad (pattern, on a reader-writer lock)",
        <Self::Variant as VariantId>::DESCRIPTIONS,
        &[OVERDRAWN],
        3,
    );

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        Box::pin(async move {
            let balance = Arc::new(RwLock::new(&rt, 100i64));
            let amount = 60;
            let withdrawals: Vec<_> = (0..2)
                .map(|w| {
                    let (balance, rt2) = (balance.clone(), rt.clone());
                    rt.spawn(&format!("withdraw-{w}"), async move {
                        let after = match variant {
                            RwLockUpgradeVariant::Buggy => {
                                let enough = *balance.read().await >= amount;
                                if !enough {
                                    return;
                                }
                                let mut b = balance.write().await;
                                *b -= amount;
                                *b
                            }
                            RwLockUpgradeVariant::Fixed => {
                                let mut b = balance.write().await;
                                if *b < amount {
                                    return;
                                }
                                *b -= amount;
                                *b
                            }
                        };
                        if after < 0 {
                            oracle::violated(&rt2, OVERDRAWN, format!("balance {after}"));
                        }
                    })
                })
                .collect();
            for w in withdrawals {
                w.join().await;
            }
        })
    }
}
