//! The Stop-before-Run scenario under shuttle: buggy is reported by PCT and random as a
//! WaitGroup contract violation; fixed passes DFS exhaustively and PCT.

mod support;

use support::catch::{found, panic_of};
use support::stop_before_run::{scenario, Variant};
use weft_core::backend::shuttle::{
    check_dfs, check_pct, check_random, try_check_pct, try_check_random,
};
use weft_core::FailureKind;

fn assert_contract_violation(failure: Option<(FailureKind, String)>) {
    let (kind, msg) = failure.expect("shuttle must report the buggy variant");
    assert_eq!(kind, FailureKind::ContractViolation, "{msg}");
}

#[test]
fn buggy_is_reported_by_pct() {
    assert_contract_violation(found(try_check_pct(
        |rt| scenario(rt, Variant::Buggy, 1),
        1,
        100,
        2,
    )));
}

#[test]
fn buggy_is_reported_by_random() {
    assert_contract_violation(found(try_check_random(
        |rt| scenario(rt, Variant::Buggy, 1),
        1,
        100,
    )));
}

#[test]
fn fixed_passes_dfs_and_pct() {
    // shuttle's DFS has no partial-order reduction: every internal-lock operation is a
    // branch, and the unbounded search of this model had not finished after 60 s. DFS runs the
    // first 20,000 schedules in order; exhaustive verification is loom's and weft-sim's job.
    check_dfs(|rt| scenario(rt, Variant::Fixed, 0), Some(20_000));
    check_pct(|rt| scenario(rt, Variant::Fixed, 2), 1, 1000, 3);
}

#[test]
fn leaked_handle_is_a_clear_error() {
    use std::sync::{Arc, Mutex};
    use weft_core::backend::shuttle::ShuttleRuntime;
    use weft_core::Runtime;
    let leaked: Arc<Mutex<Option<ShuttleRuntime>>> = Arc::default();
    let slot = leaked.clone();
    check_random(
        move |rt| {
            *slot.lock().unwrap() = Some(rt);
            async {}
        },
        1,
        1,
    );
    let rt = leaked.lock().unwrap().take().unwrap();
    let msg = panic_of(|| drop(rt.spawn("late", async {}))).expect("must panic");
    assert!(
        msg.contains("outside a weft_core::backend::shuttle entry point"),
        "{msg}"
    );
}

#[test]
fn primitives_behave_under_shuttle() {
    check_random(support::primitives::all, 1, 200);
    check_pct(support::primitives::all, 1, 200, 3);
}
