//! A failure under shuttle must not hang. Code that runs while a task unwinds (its exit guard,
//! the destructors of shuttle's teardown) reaches weft's locks without the model lock (see
//! `CheckedLock::with`). A task parked at a model-lock release while still holding the data's
//! std mutex blocked it forever, on the one OS thread all tasks share: shuttle PCT hung CI on
//! `consul/clone-race`.

mod support;

use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use support::catch::found;
use weft_core::backend::shuttle::{try_check_random, ShuttleRuntime};
use weft_core::sync::Mutex;
use weft_core::{FailureKind, Runtime};

/// A task panics while its joiner polls the join handle, over 2,000 seeded random schedules:
/// some switch to the task while the joiner is parked inside the handle's lock release (the
/// `consul/clone-race` hang: the root joining `task-1`), and the panicking task's exit, run
/// while it unwinds, takes the same lock. A watchdog thread turns a regression into a failure
/// instead of a hung suite.
#[test]
fn a_task_that_panics_while_joined_is_reported_not_hung() {
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reported = Vec::new();
        for seed in 0..2_000 {
            reported.push(found(try_check_random(join_a_panicking_task, seed, 1)));
        }
        let _ = done.send(reported);
    });
    let reported = finished
        .recv_timeout(Duration::from_secs(120))
        .expect("a panicking task's exit hung (a std lock held across a shuttle yield)");
    for got in reported {
        let (kind, msg) = got.expect("every schedule panics");
        assert_eq!(kind, FailureKind::Panic, "{msg}");
        assert!(msg.contains("the failure under test"), "{msg}");
    }
}

async fn join_a_panicking_task(rt: ShuttleRuntime) {
    let m = Arc::new(Mutex::new(&rt, 0u32));
    let workers: Vec<_> = ["w1", "w2"]
        .into_iter()
        .map(|name| {
            let m = m.clone();
            rt.spawn(name, async move {
                for _ in 0..3 {
                    *m.lock().await += 1;
                }
                panic!("the failure under test");
            })
        })
        .collect();
    for w in workers {
        w.join().await;
    }
}
