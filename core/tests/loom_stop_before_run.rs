//! The Stop-before-Run scenario under loom: buggy is reported (as a WaitGroup contract
//! violation, by weft's check on loom's interleavings); fixed passes loom's exhaustive search.

mod support;

use std::sync::{Arc, Mutex};

use support::catch::{found, panic_of};
use support::stop_before_run::{scenario, Variant};
use weft_core::backend::loom::{model, model_with, try_model, LoomRuntime};
use weft_core::FailureKind;

#[test]
fn buggy_is_a_contract_violation() {
    let failure = found(try_model(|rt| scenario(rt, Variant::Buggy, 1)));
    let (kind, msg) = failure.expect("loom must report the buggy variant");
    assert_eq!(kind, FailureKind::ContractViolation, "{msg}");
    assert!(msg.contains("WaitGroup contract violation"), "{msg}");
}

#[test]
fn fixed_passes_exhaustively() {
    let executions = Arc::new(Mutex::new(0usize));
    let counter = executions.clone();
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = None;
    model_with(builder, move |rt| {
        *counter.lock().unwrap() += 1;
        scenario(rt, Variant::Fixed, 0)
    });
    let n = *executions.lock().unwrap();
    eprintln!("loom explored {n} executions of the fixed variant");
    assert!(n > 1, "loom explored more than one interleaving");
}

#[test]
fn handle_outside_model_is_a_clear_error() {
    let failure = panic_of(|| {
        LoomRuntime::current();
    });
    let msg = failure.expect("must panic");
    assert!(
        msg.contains("outside weft_core::backend::loom::model"),
        "{msg}"
    );
}

#[test]
fn leaked_handle_is_a_clear_error() {
    let leaked: Arc<Mutex<Option<LoomRuntime>>> = Arc::default();
    let slot = leaked.clone();
    model(move |rt| {
        *slot.lock().unwrap() = Some(rt);
        async {}
    });
    let rt = leaked.lock().unwrap().take().unwrap();
    let failure = panic_of(|| {
        use weft_core::Runtime;
        drop(rt.spawn("late", async {}));
    });
    let msg = failure.expect("must panic");
    assert!(msg.contains("execution that has ended"), "{msg}");
}

fn bounded() -> loom::model::Builder {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(2);
    builder
}

#[test]
fn primitives_behave_under_loom() {
    // A few primitives at a time: loom allows a handful of threads per model.
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(2);
    model_with(builder, support::primitives::mutex_counts);
    model(support::primitives::oneshot_semantics);
    model(support::primitives::cancel_semantics);
    model(support::primitives::wait_group_semantics);
    model(support::primitives::select_loses_nothing);
    model(support::primitives::time_moves);
    model_with(bounded(), support::primitives::atomic_semantics);
    model(support::primitives::send_arm_semantics);
}

#[test]
fn fixed_with_a_worker_passes_with_preemption_bound_2() {
    // With the extra worker task the unbounded space exceeds CI's budget; two preemptions
    // cover every counterexample of this bug family (shared/specs/alertmanager.md §5).
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(2);
    model_with(builder, |rt| scenario(rt, Variant::Fixed, 1));
}
