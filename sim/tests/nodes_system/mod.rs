//! A server node that acknowledges a write, shared by the node search and replay tests.
//!
//! The client leaves request 7 in the server's durable inbox and waits up to 3 s for the
//! acknowledgement; the server (restarting 1 s after a crash) processes the inbox. The buggy
//! server consumes the request into memory, acknowledges, then writes it: a crash at its
//! crash point `acked` (and only there) loses an acknowledged write. The fixed server writes
//! first, then consumes and acknowledges. The oracle: an acknowledged write is on disk 5 s
//! later.

#![allow(dead_code)] // each test binary uses part of it

use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use weft_core::faults::{Budget, FaultKind};
use weft_core::node::NodeSpec;
use weft_core::sync::mpsc;
use weft_core::time::timeout;
use weft_core::{BoxFuture, FailureKind, Fault, Runtime};
use weft_sim::SimRuntime;

/// What survives a crash.
#[derive(Debug, Default)]
struct Disk {
    inbox: Option<u32>,
    data: Vec<u32>,
}

/// One crash per execution.
pub const ONE_CRASH: Budget = Budget::NONE.with(FaultKind::Crash, 1);

async fn server(
    rt: SimRuntime,
    disk: Arc<StdMutex<Disk>>,
    ack: mpsc::UnboundedSender<SimRuntime, u32>,
    buggy: bool,
) {
    rt.crash_point("start").await;
    let Some(v) = disk.lock().unwrap().inbox else {
        return;
    };
    if buggy {
        disk.lock().unwrap().inbox = None;
        rt.crash_point("consumed").await;
        let _ = ack.send(v);
        rt.crash_point("acked").await;
        disk.lock().unwrap().data.push(v);
    } else {
        disk.lock().unwrap().data.push(v);
        rt.crash_point("written").await;
        disk.lock().unwrap().inbox = None;
        let _ = ack.send(v);
        rt.crash_point("acked").await;
    }
}

/// The system: the client is the root task, the server node `s1`.
pub fn system(rt: SimRuntime, buggy: bool) -> BoxFuture {
    Box::pin(async move {
        let disk = Arc::new(StdMutex::new(Disk {
            inbox: Some(7),
            data: Vec::new(),
        }));
        let (ack_tx, mut ack_rx) = mpsc::unbounded(&rt);
        let spec = {
            let disk = disk.clone();
            NodeSpec::new("s1", move || {
                Box::pin(server(rt, disk.clone(), ack_tx.clone(), buggy))
            })
            .restart_after(Duration::from_secs(1))
        };
        rt.start_node(spec);
        let acked = timeout(&rt, Duration::from_secs(3), ack_rx.recv()).await;
        rt.sleep(Duration::from_secs(5)).await;
        if let Ok(Some(v)) = acked {
            if !disk.lock().unwrap().data.contains(&v) {
                rt.fail(Fault::new(
                    FailureKind::Assertion,
                    format!("acknowledged write {v} lost"),
                ));
            }
        }
    })
}
