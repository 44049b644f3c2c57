//! `sct/pool-overflow`: four clients take connections from a pool of three. A client checks
//! the count of connections in use and, if it is below the limit, increments it in a second
//! atomic step; two clients that both check at two in use take the fourth connection.
//!
//! Bug: a check-then-act on a limit that needs 4 tasks besides the root to exceed (three
//! clients can never exceed three connections). Needs 1 preemption (the third client stopped
//! between its check and its increment while the fourth takes the last connection). Tasks: 5
//! (root, four clients). Ancestor: SCTBench's bugs that need many threads
//! (`CS.reorder_*_bad`). Fix: check and increment in one atomic step. Oracle (`pool-limit`):
//! no more than three connections are ever in use.

use std::sync::Arc;

use weft_core::sync::Atomic;
use weft_core::{BoxFuture, FailureKind, OracleId, Runtime};

use super::info;
use crate::oracle;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// No more than [`LIMIT`] connections are ever in use.
pub const POOL_LIMIT: OracleId = OracleId::new("pool-limit");

/// The pool's connections.
pub const LIMIT: u32 = 3;
/// Clients, each taking one connection and keeping it.
const CLIENTS: usize = 4;

/// See the module documentation.
#[derive(Debug)]
pub struct PoolOverflow;

crate::variants! {
    /// The variants of [`PoolOverflow`].
    pub enum PoolOverflowVariant {
        Buggy {
            name: "buggy",
            summary: "load the count, compare with the limit, then increment",
            expect: Expect::Fail(FailureKind::Assertion, Some(POOL_LIMIT)),
        },
        Fixed {
            name: "fixed",
            summary: "increment only if below the limit, in one fetch_update",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for PoolOverflow {
    type Variant = PoolOverflowVariant;

    const INFO: Info = info(
        "sct/pool-overflow",
        "four clients, three connections, check-then-increment: a fourth connection is taken",
        "SCTBench CS.reorder_*_bad (bugs needing many threads)",
        <Self::Variant as VariantId>::DESCRIPTIONS,
        &[POOL_LIMIT],
        1 + CLIENTS,
    );

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        Box::pin(async move {
            let in_use = Arc::new(Atomic::new(&rt, 0u32));
            let clients: Vec<_> = (0..CLIENTS)
                .map(|c| {
                    let (in_use, rt2) = (in_use.clone(), rt.clone());
                    rt.spawn(&format!("client-{c}"), async move {
                        let now = match variant {
                            PoolOverflowVariant::Buggy => {
                                if in_use.load().await >= LIMIT {
                                    return; // pool exhausted: the client gives up
                                }
                                in_use.fetch_update(|n| n + 1).await + 1
                            }
                            PoolOverflowVariant::Fixed => {
                                let before = in_use
                                    .fetch_update(|n| if n < LIMIT { n + 1 } else { n })
                                    .await;
                                if before >= LIMIT {
                                    return;
                                }
                                before + 1
                            }
                        };
                        if now > LIMIT {
                            oracle::violated(
                                &rt2,
                                POOL_LIMIT,
                                format!("client-{c} took connection {now} of {LIMIT}"),
                            );
                        }
                    })
                })
                .collect();
            for c in clients {
                c.join().await;
            }
        })
    }
}
