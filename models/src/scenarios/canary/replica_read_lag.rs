//! `canary/replica-read-lag`: a replicated register that serves reads from a replica, which the
//! primary updates after it has acknowledged the write: a read that starts after a write
//! returned can still see the old value, so the register is not linearizable.
//!
//! Protocol. The root creates an RPC network (`weft_core::net::rpc`) whose requests are the
//! register's operations ([`RegisterOp`]) and whose responses are their returns
//! ([`RegisterRet`]), and starts two nodes bound to their addresses: the primary `primary` and
//! its replica `replica`, each holding the register's value (initially 0) in its own memory.
//! Two clients, tasks of no node, call them with [`PATIENCE`]: the writer (client 0) sends its
//! writes to the primary, the reader (client 1) its reads to the replica.
//!
//! 1. The replica serves its inbox in arrival order: a `Read` returns its value; a `Write(v)`
//!    (only the primary sends one) sets it to `v` and returns `Ok`.
//! 2. The primary serves its inbox in arrival order. On a client's `Write(v)` it sets its own
//!    value to `v`, then:
//!    - **buggy**: acknowledges the client, then replicates: calls the replica with `Write(v)`
//!      and waits for its `Ok`;
//!    - **fixed**: replicates first, and acknowledges the client once the replica has applied
//!      `v` (if the replica never answers, it never acknowledges: the client's write stays
//!      pending).
//! 3. Every message (request, response, replication and its acknowledgement) is its own
//!    delivery on the network, which the scheduler orders against everything else
//!    (`weft_core::net`, rule 3). In the buggy variant the writer's acknowledgement can arrive,
//!    and the reader's read reach the replica, before the replication does: the read returns
//!    0 after `Write(1)` returned `Ok`.
//!
//! The fix keeps reads on the replica and moves the acknowledgement after the replication
//! (synchronous replication), rather than sending reads to the primary: the two variants then
//! differ in one thing, the order of acknowledge and replicate (as `wal-ack-before-durable`'s
//! differ in acknowledge and flush), and the fixed run still exercises the replica and a second
//! round trip on the network. It is linearizable because a write takes effect for readers at
//! the instant the replica applies it, which now lies between the write's invocation and its
//! response; a read takes effect when the replica serves it. (With one writer that waits for
//! each acknowledgement, no two replications are in flight at once.)
//!
//! Oracle ([`LINEARIZABLE`], `weft_core::linearizability`): the history the clients record with
//! a [`Recorder`] (invocation just before each call, response just after it returns; a call
//! that fails leaves its operation pending and ends its client) is linearizable for a
//! [`Register`] initially 0. The root checks it once both clients are done; a failure is the
//! checker's [`Verdict::fault`], whose message is its one-screen table (client 0 the writer,
//! client 1 the reader).
//!
//! Budget: none ([`Budget::NONE`]). The bug needs no fault, only a delivery order the scheduler
//! already explores: with zero latency each message arrives in the step that delivers it, and
//! an acknowledgement can overtake the replication. A
//! [`Delay`](weft_core::faults::FaultKind::Delay) adds no verdict: a delayed message arrives
//! 10 s late, after its caller's [`PATIENCE`] ran out, and a call that times out leaves its
//! operation pending, which the checker may place anywhere after its invocation. In the fixed
//! register a write whose replication (or its acknowledgement) is delayed is never
//! acknowledged, so it stays pending; a delayed client request or response only makes one
//! more operation pending. So a delay never makes the fixed register's history
//! non-linearizable, and the buggy one fails without it (both measured in
//! `models/check/tests/canary_replica.rs`). It would only add fault placements to explore,
//! for no verdict.
//!
//! Workload: the writer writes 1 and the reader reads twice at [`Scale::Minimal`]; the writer
//! writes 1 then 2 and the reader reads three times at [`Scale::Full`]. One read would do for
//! the bug, but it must then start after the write's acknowledgement, a schedule DFS reaches
//! late; a second read is one more chance, after the first read's round trip. Tasks at
//! [`Scale::Minimal`], 13: the root, the two clients, the two nodes' tasks (which wait on
//! their inboxes when the root returns: a node's tasks may outlive the root), and one courier
//! task (`net FROM->TO`, no node, which ends once it has delivered) per message: the write's
//! request, replication, replication acknowledgement and response, and each read's request
//! and response.
//!
//! Spec: issue 13 §5(b).

use std::sync::Arc;
use std::time::Duration;

use weft_core::faults::Budget;
use weft_core::linearizability::{
    ClientId, Recorder, Register, RegisterOp, RegisterRet, Verdict, LINEARIZABLE,
};
use weft_core::net::rpc::{Request, RpcNetwork};
use weft_core::net::{Addr, Endpoint, Network};
use weft_core::node::NodeSpec;
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::SYSTEM;
use crate::scenario::{Expect, Faults, Info, Scale, Scenario, VariantId};

/// How long a caller (a client, or the primary replicating) waits for a response. Without a
/// fault every response arrives at once; the patience only bounds what a lost one would cost.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// The primary's address and node name.
const PRIMARY: &str = "primary";
/// The replica's address and node name.
const REPLICA: &str = "replica";
/// The nodes, in start order.
const NODES: [&str; 2] = [PRIMARY, REPLICA];

/// The writer's client id in the history.
const WRITER: ClientId = 0;
/// The reader's client id in the history.
const READER: ClientId = 1;

/// The register's value before any write.
const INITIAL: u64 = 0;

/// The network: requests are register operations, responses their returns.
type Net<R> = RpcNetwork<R, RegisterOp<u64>, RegisterRet<u64>>;
/// One node's end of it.
type Port<R> = Endpoint<R, Request<R, RegisterOp<u64>, RegisterRet<u64>>>;

/// See the module documentation.
#[derive(Debug)]
pub struct ReplicaReadLag;

crate::variants! {
    /// The variants of [`ReplicaReadLag`].
    pub enum ReplicaReadLagVariant {
        Buggy {
            name: "buggy",
            summary: "the primary acknowledges a write, then replicates it to the replica that \
                      serves reads",
            expect: Expect::Fail(FailureKind::Assertion, Some(LINEARIZABLE)),
        },
        Fixed {
            name: "fixed",
            summary: "the primary acknowledges a write once the replica has applied it",
            expect: Expect::Pass,
        },
    }
}

/// What a node does with a write, once it has applied it to its own value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Acknowledges it (step 1).
    Replica,
    /// Replicates and acknowledges it, in the variant's order (step 2).
    Primary(ReplicaReadLagVariant),
}

/// One node: serves its inbox in arrival order (steps 1 and 2).
async fn server<R: Runtime>(mut port: Port<R>, role: Role) {
    let mut value = INITIAL;
    while let Some(envelope) = port.recv().await {
        let request = envelope.msg;
        let v = match request.body {
            RegisterOp::Read => {
                request.respond(RegisterRet::Value(value));
                continue;
            }
            RegisterOp::Write(v) => v,
        };
        value = v;
        match role {
            Role::Replica => request.respond(RegisterRet::Ok),
            Role::Primary(ReplicaReadLagVariant::Buggy) => {
                request.respond(RegisterRet::Ok);
                // Whatever the replica answers, the client already has its acknowledgement.
                let _ = port.call(REPLICA, RegisterOp::Write(v), PATIENCE).await;
            }
            Role::Primary(ReplicaReadLagVariant::Fixed) => {
                if port
                    .call(REPLICA, RegisterOp::Write(v), PATIENCE)
                    .await
                    .is_ok()
                {
                    request.respond(RegisterRet::Ok);
                }
            }
        }
    }
}

/// Starts node `name`, bound to the address `name` before its first task runs (so no request
/// can find the address unbound), serving as `role`.
fn start<R: Runtime>(rt: &R, net: &Net<R>, name: &'static str, role: Role) {
    let net = net.clone();
    rt.start_node(NodeSpec::new(name, move || {
        let port = net.bind(name);
        Box::pin(server(port, role))
    }));
}

/// One client: calls `server` with each of `ops` in turn, recording each as `client`. A call
/// that fails leaves its operation pending and ends the client: an operation whose outcome is
/// unknown stays open for good, and a client id has at most one open operation (the
/// recorder's rule).
async fn client<R: Runtime>(
    port: Port<R>,
    server: Addr,
    client: ClientId,
    ops: Vec<RegisterOp<u64>>,
    rec: Arc<Recorder<R, Register<u64>>>,
) {
    for op in ops {
        let ticket = rec.invoke(client, op.clone());
        match port.call(server.clone(), op, PATIENCE).await {
            Ok(ret) => rec.respond(ticket, ret),
            Err(_) => {
                drop(ticket);
                return;
            }
        }
    }
}

impl Scenario for ReplicaReadLag {
    type Variant = ReplicaReadLagVariant;

    const INFO: Info = Info {
        name: "canary/replica-read-lag",
        system: SYSTEM,
        summary: "reads served by a replica the primary updates after acknowledging the write: \
                  a stale read after the write returned (not linearizable)",
        spec: "issue 13 §5(b)",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[LINEARIZABLE],
        // The root, two clients, two nodes, eight couriers (module documentation).
        max_tasks: 13,
        needs_quiescence: false,
        // The calls' timeouts never fire without a fault, and one that fired early would only
        // leave an operation pending: the verdict does not depend on timers.
        needs_clock: false,
        tolerates: &[],
        may_outlive: &[],
        faults: Faults {
            nodes: &NODES,
            budget: Budget::NONE,
            crash_points: &[],
        },
    };

    fn run<R: Runtime>(rt: R, variant: Self::Variant, scale: Scale) -> BoxFuture {
        Box::pin(async move {
            let (writes, reads): (&[u64], usize) = match scale {
                Scale::Minimal => (&[1], 2),
                Scale::Full => (&[1, 2], 3),
            };
            let net: Net<R> = Network::new(&rt);
            start(&rt, &net, PRIMARY, Role::Primary(variant));
            start(&rt, &net, REPLICA, Role::Replica);
            let rec = Arc::new(Recorder::<R, Register<u64>>::new(&rt));
            let writer = rt.spawn(
                "writer",
                client(
                    net.bind("writer"),
                    Addr::new(PRIMARY),
                    WRITER,
                    writes.iter().map(|v| RegisterOp::Write(*v)).collect(),
                    rec.clone(),
                ),
            );
            let reader = rt.spawn(
                "reader",
                client(
                    net.bind("reader"),
                    Addr::new(REPLICA),
                    READER,
                    vec![RegisterOp::Read; reads],
                    rec.clone(),
                ),
            );
            writer.join().await;
            reader.join().await;
            let verdict = rec
                .check(&Register::new(INITIAL))
                .expect("each client id is used by one sequential task");
            if let Some(fault) = verdict.fault(LINEARIZABLE) {
                rt.fail(fault);
            }
            // A few operations are decided far within the checker's default step budget; an
            // inconclusive verdict would be a finding of its own, never a pass.
            assert!(
                matches!(verdict, Verdict::Linearizable),
                "the linearizability check did not decide: {verdict}"
            );
        })
    }
}
