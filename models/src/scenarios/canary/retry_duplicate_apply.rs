//! `canary/retry-duplicate-apply`: a client that retries a timed-out request as a new request,
//! so that a request whose response was lost (or that arrived late) is applied twice.
//!
//! Protocol. A counter server, node `counter`, listens on the network
//! ([`weft_core::net`]) at address `counter`. The root is the client, at address `client`.
//! Per operation of its workload (add 1 to the counter), the client:
//!
//! 1. calls `counter` with the request (its key, the amount), waiting at most [`PATIENCE`];
//! 2. on a response, goes on to its next operation; on no response (the call timed out, or
//!    its outcome was ambiguous: the request may have been applied or not), retries from 1, at
//!    most [`ATTEMPTS`] times in all:
//!    - **buggy**: each attempt is a new request, with a fresh key;
//!    - **fixed**: every attempt of one operation carries the operation's key (an idempotency
//!      key).
//!
//! The server applies a request whose key it has not seen (adds the amount, records the key
//! with the resulting total) and answers it with the total; a request whose key it has seen is
//! not applied again: it is answered with the recorded total. The server's code is the same in
//! both variants; the bug is the client's.
//!
//! A lost response, or a request delayed past the client's patience, makes the client retry an
//! operation the server already applied (or will apply when the late request lands): with a
//! fresh key, the server applies it a second time.
//!
//! Oracle (`applied-once`): after [`SETTLE`] (longer than any message's long delay), every
//! operation was applied exactly once if the client got a response for it, at most once if it
//! gave up. Budget: one loss and one long delay (`NetConfig::long_delay`, 10 s, past the
//! client's 1 s patience); no crash. Workload: one operation at [`Scale::Minimal`], two at
//! [`Scale::Full`]. Tasks: the client (root), the server, and one task per message on the wire
//! (two per attempt).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use weft_core::faults::{Budget, FaultKind};
use weft_core::net::rpc::RpcNetwork;
use weft_core::net::Network;
use weft_core::node::NodeSpec;
use weft_core::{BoxFuture, FailureKind, OracleId, Runtime};

use super::SYSTEM;
use crate::oracle;
use crate::scenario::{Expect, Faults, Info, Scale, Scenario, VariantId};

/// Every operation is applied once if acknowledged, at most once if not.
pub const APPLIED_ONCE: OracleId = OracleId::new("applied-once");

/// How long the client waits for each response, on its clock.
pub const PATIENCE: Duration = Duration::from_secs(1);
/// How many times the client sends one operation, the first included.
pub const ATTEMPTS: u32 = 3;
/// How long the root waits after its operations before it checks the counter: longer than a
/// long delay, so that every late request has landed.
const SETTLE: Duration = Duration::from_secs(30);

/// A request: add `amount` under the idempotency key `key`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Add {
    key: u64,
    amount: u64,
}

/// What the counter applied: per key, the operation it belonged to (for the oracle: the
/// server itself only sees keys).
#[derive(Debug, Default)]
struct Ledger {
    total: u64,
    /// Per key seen, the total it was answered with.
    answered: BTreeMap<u64, u64>,
    /// The keys applied, in order.
    applied: Vec<u64>,
}

/// See the module documentation.
#[derive(Debug)]
pub struct RetryDuplicateApply;

crate::variants! {
    /// The variants of [`RetryDuplicateApply`].
    pub enum RetryDuplicateApplyVariant {
        Buggy {
            name: "buggy",
            summary: "retry a timed-out request as a new request",
            expect: Expect::Fail(FailureKind::Assertion, Some(APPLIED_ONCE)),
        },
        Fixed {
            name: "fixed",
            summary: "retry under the operation's idempotency key",
            expect: Expect::Pass,
        },
    }
}

type Net<R> = RpcNetwork<R, Add, u64>;

/// The counter server: one incarnation, serving its inbox.
fn server<R: Runtime>(net: Net<R>, ledger: Arc<StdMutex<Ledger>>) -> BoxFuture {
    let mut inbox = net.bind("counter");
    Box::pin(async move {
        while let Some(envelope) = inbox.recv().await {
            let request = envelope.msg;
            let Add { key, amount } = request.body;
            let total = {
                let mut l = ledger.lock().unwrap();
                match l.answered.get(&key) {
                    Some(total) => *total,
                    None => {
                        l.total += amount;
                        let total = l.total;
                        l.answered.insert(key, total);
                        l.applied.push(key);
                        total
                    }
                }
            };
            request.respond(total);
        }
    })
}

impl Scenario for RetryDuplicateApply {
    type Variant = RetryDuplicateApplyVariant;

    const INFO: Info = Info {
        name: "canary/retry-duplicate-apply",
        system: SYSTEM,
        summary: "a client retries a timed-out request as a new one: it is applied twice",
        spec: "issue 13 §5(d)",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[APPLIED_ONCE],
        // The root, the server, and two messages per attempt of one operation.
        max_tasks: 2 + 2 * ATTEMPTS as usize,
        needs_quiescence: false,
        needs_clock: true,
        tolerates: &[],
        may_outlive: &[],
        faults: Faults {
            nodes: &["counter"],
            budget: Budget::NONE
                .with(FaultKind::Loss, 1)
                .with(FaultKind::Delay, 1),
            crash_points: &[],
        },
    };

    fn run<R: Runtime>(rt: R, variant: Self::Variant, scale: Scale) -> BoxFuture {
        Box::pin(async move {
            let operations: u64 = match scale {
                Scale::Minimal => 1,
                Scale::Full => 2,
            };
            let net: Net<R> = Network::new(&rt);
            let ledger = Arc::new(StdMutex::new(Ledger::default()));
            {
                let (net, ledger) = (net.clone(), ledger.clone());
                rt.start_node(NodeSpec::new("counter", move || {
                    server(net.clone(), ledger.clone())
                }));
            }
            let client = net.bind("client");
            // Per operation, the keys it was sent under, and whether it was acknowledged.
            let mut sent: Vec<(Vec<u64>, bool)> = Vec::new();
            let mut next_key = 1;
            for _ in 0..operations {
                let key = next_key;
                next_key += 1;
                let mut keys = vec![key];
                let mut acknowledged = false;
                for attempt in 1..=ATTEMPTS {
                    if attempt > 1 && matches!(variant, RetryDuplicateApplyVariant::Buggy) {
                        keys.push(next_key);
                        next_key += 1;
                    }
                    let add = Add {
                        key: *keys.last().expect("one key at least"),
                        amount: 1,
                    };
                    if client.call("counter", add, PATIENCE).await.is_ok() {
                        acknowledged = true;
                        break;
                    }
                }
                sent.push((keys, acknowledged));
            }
            rt.sleep(SETTLE).await;
            let violation = {
                let ledger = ledger.lock().unwrap();
                sent.iter()
                    .enumerate()
                    .find_map(|(op, (keys, acknowledged))| {
                        let applied = ledger.applied.iter().filter(|k| keys.contains(k)).count();
                        let once = if *acknowledged {
                            applied == 1
                        } else {
                            applied <= 1
                        };
                        let seen = if *acknowledged {
                            "acknowledged"
                        } else {
                            "given up"
                        };
                        (!once).then(|| {
                            format!(
                            "operation {} ({seen}, sent under keys {keys:?}) was applied {applied} \
                             times: the counter is {}",
                            op + 1,
                            ledger.total
                        )
                        })
                    })
            };
            if let Some(message) = violation {
                oracle::violated(&rt, APPLIED_ONCE, message);
            }
        })
    }
}
