//! `canary/wal-ack-before-durable`: a write-ahead log server that acknowledges a client's
//! write before the record is durable, so a crash after the acknowledgement loses it.
//!
//! Protocol. The root task is the client; the server is node `wal`, restarting 1 s after a
//! crash. The client's requests wait in the server's inbox (they reach it whatever the server
//! does, as a network's buffers would). Each incarnation of the server first *recovers*: its
//! in-memory log is rebuilt from the disk, the only state that survives a crash (an `Arc`'d
//! [`Disk`] the root creates outside the node). Then, per request, it takes it from the inbox
//! and:
//!
//! - **buggy**: appends the record to its in-memory log, acknowledges, then writes the record
//!   to disk (the "flush");
//! - **fixed**: writes the record to disk, then appends it to memory and acknowledges.
//!
//! A crash at the buggy server's crash point `acked` (after the acknowledgement, before the
//! flush) drops the record with the incarnation's memory: the client holds an acknowledgement
//! for a write the restarted server does not have.
//!
//! Oracle (`acked-write-survives`): after the server has had time to crash, restart and
//! recover, every write the client saw acknowledged is in the log a recovery reads (the
//! disk). Budget: one crash, at any of the crash points `recovered`, `taken`, `acked`
//! (buggy), `durable` (fixed). Workload: one write at [`Scale::Minimal`], two at
//! [`Scale::Full`]. Tasks: the client, and the server's incarnations (at most two).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use weft_core::faults::{Budget, FaultKind};
use weft_core::node::NodeSpec;
use weft_core::sync::mpsc;
use weft_core::time::timeout;
use weft_core::{BoxFuture, FailureKind, OracleId, Runtime};

use super::SYSTEM;
use crate::oracle;
use crate::scenario::{Expect, Faults, Info, Scale, Scenario, VariantId};

/// Every acknowledged write survives a crash and restart of the server.
pub const ACKED_WRITE_SURVIVES: OracleId = OracleId::new("acked-write-survives");

/// How long the server stays down after a crash.
const RESTART_AFTER: Duration = Duration::from_secs(1);
/// How long the client waits for each acknowledgement.
const ACK_TIMEOUT: Duration = Duration::from_secs(3);
/// How long the client waits, after its writes, before it checks the log: longer than a
/// restart and a recovery.
const SETTLE: Duration = Duration::from_secs(5);

/// What survives a crash of the server: its inbox of requests and its log on disk.
#[derive(Debug, Default)]
struct Disk {
    inbox: VecDeque<u32>,
    log: Vec<u32>,
}

/// See the module documentation.
#[derive(Debug)]
pub struct WalAckBeforeDurable;

crate::variants! {
    /// The variants of [`WalAckBeforeDurable`].
    pub enum WalAckBeforeDurableVariant {
        Buggy {
            name: "buggy",
            summary: "append to memory, acknowledge, then write to disk",
            expect: Expect::Fail(FailureKind::Assertion, Some(ACKED_WRITE_SURVIVES)),
        },
        Fixed {
            name: "fixed",
            summary: "write to disk, then acknowledge",
            expect: Expect::Pass,
        },
    }
}

/// One incarnation of the server: recover, then serve the inbox.
async fn server<R: Runtime>(
    rt: R,
    disk: Arc<StdMutex<Disk>>,
    ack: mpsc::UnboundedSender<R, u32>,
    variant: WalAckBeforeDurableVariant,
) {
    // Volatile: gone with this incarnation.
    let mut memory: Vec<u32> = disk.lock().unwrap().log.clone();
    rt.crash_point("recovered").await;
    loop {
        let Some(record) = disk.lock().unwrap().inbox.pop_front() else {
            return;
        };
        rt.crash_point("taken").await;
        match variant {
            WalAckBeforeDurableVariant::Buggy => {
                memory.push(record);
                let _ = ack.send(record);
                rt.crash_point("acked").await;
                disk.lock().unwrap().log.push(record);
            }
            WalAckBeforeDurableVariant::Fixed => {
                disk.lock().unwrap().log.push(record);
                rt.crash_point("durable").await;
                memory.push(record);
                let _ = ack.send(record);
            }
        }
    }
}

impl Scenario for WalAckBeforeDurable {
    type Variant = WalAckBeforeDurableVariant;

    const INFO: Info = Info {
        name: "canary/wal-ack-before-durable",
        system: SYSTEM,
        summary: "a WAL acknowledges before the record is durable: a crash loses an acked write",
        spec: "issue 13 §5(a)",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[ACKED_WRITE_SURVIVES],
        max_tasks: 3,
        needs_quiescence: false,
        needs_clock: true,
        tolerates: &[],
        may_outlive: &[],
        faults: Faults {
            nodes: &["wal"],
            budget: Budget::NONE.with(FaultKind::Crash, 1),
            crash_points: &["recovered", "taken", "acked", "durable"],
        },
    };

    fn run<R: Runtime>(rt: R, variant: Self::Variant, scale: Scale) -> BoxFuture {
        Box::pin(async move {
            let writes: Vec<u32> = match scale {
                Scale::Minimal => vec![7],
                Scale::Full => vec![7, 8],
            };
            let disk = Arc::new(StdMutex::new(Disk {
                inbox: writes.iter().copied().collect(),
                log: Vec::new(),
            }));
            let (ack_tx, mut ack_rx) = mpsc::unbounded(&rt);
            let spec = {
                let (rt, disk) = (rt.clone(), disk.clone());
                NodeSpec::new("wal", move || {
                    Box::pin(server(rt.clone(), disk.clone(), ack_tx.clone(), variant))
                })
                .restart_after(RESTART_AFTER)
            };
            rt.start_node(spec);
            let mut acked = Vec::new();
            for _ in &writes {
                match timeout(&rt, ACK_TIMEOUT, ack_rx.recv()).await {
                    Ok(Some(record)) => acked.push(record),
                    Ok(None) | Err(_) => break,
                }
            }
            rt.sleep(SETTLE).await;
            let log = disk.lock().unwrap().log.clone();
            if let Some(lost) = acked.iter().find(|r| !log.contains(r)) {
                oracle::violated(
                    &rt,
                    ACKED_WRITE_SURVIVES,
                    format!("acknowledged write {lost} lost: the recovered log is {log:?}"),
                );
            }
        })
    }
}
