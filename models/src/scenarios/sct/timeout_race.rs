//! `sct/timeout-race`: a client waits for a server's reply with a timeout; the server replies
//! after a delay equal to the timeout, so the reply and the timer are due at the same instant.
//! Whichever side completes the request marks it; the buggy server checks that the request is
//! still pending and marks it done in two steps, and the buggy client marks it timed out
//! without checking, so both can complete the one request.
//!
//! Bug: a timer-versus-task race (check-then-act against a timeout). Needs 1 preemption (the
//! server stopped between its check and its mark while the client's timer fires). Tasks: 3
//! (root, client, server). Ancestor: the timeout races of RADBench-style server code
//! (SCTBench has no timers). Fix: both sides complete with a CAS from pending. Oracle
//! (`completed-once`): exactly one side completes the request.

use std::sync::Arc;
use std::time::Duration;

use weft_core::sync::{oneshot, Atomic};
use weft_core::time::timeout;
use weft_core::{BoxFuture, FailureKind, OracleId, Runtime};

use super::info;
use crate::oracle;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// Exactly one side (the server's reply, the client's timeout) completes the request.
pub const COMPLETED_ONCE: OracleId = OracleId::new("completed-once");

const PENDING: u8 = 0;
const DONE: u8 = 1;
const TIMED_OUT: u8 = 2;

/// The client's timeout, and the server's delay.
const DEADLINE: Duration = Duration::from_millis(10);

/// See the module documentation.
#[derive(Debug)]
pub struct TimeoutRace;

crate::variants! {
    /// The variants of [`TimeoutRace`].
    pub enum TimeoutRaceVariant {
        Buggy {
            name: "buggy",
            summary: "server: load pending, then store done; client: store timed-out",
            expect: Expect::Fail(FailureKind::Assertion, Some(COMPLETED_ONCE)),
        },
        Fixed {
            name: "fixed",
            summary: "both sides complete with a CAS from pending",
            expect: Expect::Pass,
        },
    }
}

/// Marks the request `to` if it is pending; whether this side completed it.
async fn complete<R: Runtime>(state: &Atomic<R, u8>, to: u8, cas: bool, check: bool) -> bool {
    if cas {
        state.compare_exchange(PENDING, to).await.is_ok()
    } else if !check || state.load().await == PENDING {
        state.store(to).await;
        true
    } else {
        false
    }
}

impl Scenario for TimeoutRace {
    type Variant = TimeoutRaceVariant;

    const INFO: Info = info(
        "sct/timeout-race",
        "reply and timeout due together; check-then-mark on both sides completes twice",
        "timeout race (no SCTBench counterpart: SCTBench has no timers)",
        <Self::Variant as VariantId>::DESCRIPTIONS,
        &[COMPLETED_ONCE],
        3,
    );

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        let cas = variant == TimeoutRaceVariant::Fixed;
        Box::pin(async move {
            let state = Arc::new(Atomic::new(&rt, PENDING));
            let (reply, response) = oneshot::channel::<R, u32>(&rt);
            let (s, rt2) = (state.clone(), rt.clone());
            let server = rt.spawn("server", async move {
                rt2.sleep(DEADLINE).await;
                let done = complete(&s, DONE, cas, true).await;
                if done {
                    let _ = reply.send(200);
                }
                done
            });
            let (s, rt2) = (state.clone(), rt.clone());
            let client = rt.spawn("client", async move {
                match timeout(&rt2, DEADLINE, response.recv()).await {
                    Ok(_) => false, // replied, or the server gave up on it
                    Err(_) => complete(&s, TIMED_OUT, cas, false).await,
                }
            });
            let completions = usize::from(server.join().await) + usize::from(client.join().await);
            if completions != 1 {
                oracle::violated(
                    &rt,
                    COMPLETED_ONCE,
                    format!("{completions} sides completed the request"),
                );
            }
        })
    }
}
