//! Primitive semantics on tokio (the same bodies run under loom, shuttle and weft-sim), and
//! the clear errors of bad use.

mod support;

use support::tokio_rt::multi_thread as block_on;

use support::catch::panic_of;
use support::primitives;
use weft_core::backend::tokio::TokioRuntime;
use weft_core::sync::{mpsc, WaitGroup};
use weft_core::FailureKind;

#[test]
fn every_primitive_behaves() {
    block_on(|rt| async move {
        primitives::all(rt.clone()).await;
        assert!(rt.panics().is_empty(), "{:?}", rt.panics());
    });
}

#[test]
fn negative_wait_group_counter_is_a_contract_violation() {
    let handle = std::sync::Arc::new(std::sync::Mutex::new(None));
    let keep = handle.clone();
    let msg = panic_of(|| {
        block_on(|rt| async move {
            *keep.lock().unwrap() = Some(rt.clone());
            let wg = WaitGroup::new(&rt);
            wg.done();
        })
    })
    .expect("must panic");
    let rt = handle.lock().unwrap().take().unwrap();
    let kind = rt.faults().first().map(|f| f.kind);
    assert_eq!(kind, Some(FailureKind::ContractViolation));
    assert!(msg.contains("negative WaitGroup counter"), "{msg}");
}

#[test]
fn zero_capacity_channel_is_a_clear_error() {
    let msg = panic_of(|| {
        block_on(|rt| async move {
            let _ = mpsc::channel::<_, u8>(&rt, 0);
        })
    })
    .expect("must panic");
    assert!(msg.contains("capacity must be at least 1"), "{msg}");
}

#[test]
fn handle_outside_tokio_is_a_clear_error() {
    let msg = panic_of(|| {
        TokioRuntime::new();
    })
    .expect("must panic");
    assert!(msg.contains("outside a tokio runtime"), "{msg}");
}

#[test]
fn task_panics_are_recorded() {
    block_on(|rt| async move {
        use weft_core::Runtime;
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        drop(rt.spawn("boom", async { panic!("boom") }));
        // The record is made when the task's poll returns, just after the task is marked
        // finished; wait for it (bounded).
        for _ in 0..10_000 {
            if !rt.panics().is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        std::panic::set_hook(prev);
        assert_eq!(rt.panics(), vec!["boom".to_string()]);
    });
}
