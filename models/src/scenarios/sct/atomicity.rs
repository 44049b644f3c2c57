//! `sct/atomicity`: two tasks each deposit into one balance with a load and a later store
//! (a read-modify-write split by a scheduling point), so one deposit can overwrite the other.
//!
//! Bug: an atomicity violation (lost update). Needs 1 preemption (a depositor stopped between
//! its load and its store while the other deposits). Tasks: 3 (root, two depositors).
//! Ancestor: SCTBench `CS.account_bad`. Fix: one atomic read-modify-write per deposit.
//! Oracle (`lost-update`): the final balance is the sum of the deposits.

use std::sync::Arc;

use weft_core::sync::Atomic;
use weft_core::{BoxFuture, FailureKind, OracleId, Runtime};

use super::info;
use crate::oracle;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// The final balance is the sum of the deposits.
pub const LOST_UPDATE: OracleId = OracleId::new("lost-update");

/// See the module documentation.
#[derive(Debug)]
pub struct Atomicity;

crate::variants! {
    /// The variants of [`Atomicity`].
    pub enum AtomicityVariant {
        Buggy {
            name: "buggy",
            summary: "deposit = load, then store(balance + amount)",
            expect: Expect::Fail(FailureKind::Assertion, Some(LOST_UPDATE)),
        },
        Fixed {
            name: "fixed",
            summary: "deposit = one fetch_update",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for Atomicity {
    type Variant = AtomicityVariant;

    const INFO: Info = info(
        "sct/atomicity",
        "two deposits as load-then-store: one overwrites the other (lost update)",
        "SCTBench CS.account_bad",
        <Self::Variant as VariantId>::DESCRIPTIONS,
        &[LOST_UPDATE],
        3,
    );

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        Box::pin(async move {
            let balance = Arc::new(Atomic::new(&rt, 0u32));
            let deposits = [10u32, 20];
            let tasks: Vec<_> = deposits
                .iter()
                .enumerate()
                .map(|(i, &amount)| {
                    let balance = balance.clone();
                    rt.spawn(&format!("deposit-{i}"), async move {
                        match variant {
                            AtomicityVariant::Buggy => {
                                let b = balance.load().await;
                                balance.store(b + amount).await;
                            }
                            AtomicityVariant::Fixed => {
                                balance.fetch_update(move |b| b + amount).await;
                            }
                        }
                    })
                })
                .collect();
            for t in tasks {
                t.join().await;
            }
            let total: u32 = deposits.iter().sum();
            let got = balance.load().await;
            if got != total {
                oracle::violated(
                    &rt,
                    LOST_UPDATE,
                    format!("balance {got} after deposits totalling {total}"),
                );
            }
        })
    }
}
