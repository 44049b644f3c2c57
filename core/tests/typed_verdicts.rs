//! Failures under loom, shuttle and tokio come back as values: the kind, oracle, site and task
//! are fields of the verdict, never recovered from a message, and the executions are counted
//! by the backend.

use std::panic::Location;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use weft_core::backend::loom::{try_model, LoomRuntime};
use weft_core::backend::shuttle::{try_check_dfs, try_check_random, ShuttleRuntime};
use weft_core::backend::tokio::TokioRuntime;
use weft_core::backend::verdict::Found;
use weft_core::sync::{Mutex, Notify};
use weft_core::{FailureKind, Fault, OracleId, Runtime};

const LIMIT: OracleId = OracleId::new("group-limit");

/// A task named `checker` breaks oracle [`LIMIT`] at `site`.
async fn breaks_the_oracle<R: Runtime>(rt: R, site: &'static Location<'static>) {
    let r = rt.clone();
    rt.spawn("checker", async move {
        r.fail(Fault::oracle(LIMIT, "3 members, limit 2").at(site));
    })
    .join()
    .await;
}

/// The root returns while `waiter` waits for a notification nobody sends.
async fn leaks_a_waiter<R: Runtime>(rt: R) {
    let n = Arc::new(Notify::new(&rt));
    drop(rt.spawn("waiter", async move { n.notified().await }));
}

/// A model's own panic whose text looks like one of weft's reports.
async fn panics_like_a_report<R: Runtime>(rt: R) {
    rt.spawn("liar", async { panic!("[weft:deadlock] not really") })
        .join()
        .await;
}

/// Two tasks increment a counter under a lock: passes, in more than one interleaving.
async fn two_increments<R: Runtime>(rt: R) {
    let m = Arc::new(Mutex::new(&rt, 0u32));
    let m2 = m.clone();
    let h = rt.spawn("other", async move { *m2.lock().await += 1 });
    *m.lock().await += 1;
    h.join().await;
    assert_eq!(*m.lock().await, 2);
}

/// `found` is [`breaks_the_oracle`]'s fault, raised by `checker` in the first execution.
fn assert_the_oracle_broke(found: &Found, site: &'static Location<'static>) {
    assert_eq!(
        found.fault,
        Fault::oracle(LIMIT, "3 members, limit 2").at(site)
    );
    assert_eq!(found.task.as_deref(), Some("checker"));
    assert_eq!(found.execution, 1);
}

fn quiet<T>(f: impl FnOnce() -> T) -> T {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let out = f();
    std::panic::set_hook(hook);
    out
}

#[test]
fn loom_an_oracle_fault_comes_back_with_its_oracle_site_and_task() {
    let site = Location::caller();
    let found = quiet(|| try_model(move |rt: LoomRuntime| breaks_the_oracle(rt, site)))
        .expect_err("the oracle breaks");
    assert_the_oracle_broke(&found, site);
    assert!(
        found
            .to_string()
            .starts_with("[weft:assertion] oracle group-limit: 3 members, limit 2"),
        "{found}"
    );
}

#[test]
fn loom_a_task_blocked_after_the_root_returned_is_a_typed_leak() {
    let found = quiet(|| try_model(leaks_a_waiter::<LoomRuntime>)).expect_err("leaks");
    assert_eq!(found.fault.kind, FailureKind::Leak, "{found}");
    assert_eq!(found.task.as_deref(), Some("waiter"));
}

#[test]
fn loom_a_panic_is_a_panic_whatever_its_text() {
    let found = quiet(|| try_model(panics_like_a_report::<LoomRuntime>)).expect_err("panics");
    assert_eq!(found.fault.kind, FailureKind::Panic, "{found}");
    assert!(found.fault.message.contains("not really"), "{found}");
}

#[test]
fn loom_a_livelock_is_a_typed_step_bound_before_loom_s_branch_limit() {
    let found = quiet(|| {
        try_model(|rt: LoomRuntime| async move {
            loop {
                rt.yield_now().await;
            }
        })
    })
    .expect_err("never ends");
    assert_eq!(found.fault.kind, FailureKind::StepBound, "{found}");
}

#[test]
fn loom_counts_the_executions_of_a_pass() {
    let bodies = Arc::new(AtomicU64::new(0));
    let b = bodies.clone();
    let checked = try_model(move |rt: LoomRuntime| {
        b.fetch_add(1, Ordering::Relaxed);
        two_increments(rt)
    })
    .expect("passes");
    assert!(checked.executions > 1, "{checked:?}");
    assert_eq!(checked.executions, bodies.load(Ordering::Relaxed));
}

#[test]
fn shuttle_an_oracle_fault_comes_back_with_its_oracle_site_and_task() {
    let site = Location::caller();
    let found = try_check_random(move |rt: ShuttleRuntime| breaks_the_oracle(rt, site), 5, 10)
        .expect_err("the oracle breaks");
    assert_the_oracle_broke(&found, site);
    assert!(
        found
            .to_string()
            .ends_with("(shuttle random, seed 5; failing execution 1)"),
        "{found}"
    );
}

#[test]
fn shuttle_a_leak_and_a_panic_come_back_typed() {
    let leak = try_check_random(leaks_a_waiter::<ShuttleRuntime>, 1, 5).expect_err("leaks");
    assert_eq!(leak.fault.kind, FailureKind::Leak, "{leak}");
    assert_eq!(leak.task.as_deref(), Some("waiter"));
    let panic = try_check_random(panics_like_a_report::<ShuttleRuntime>, 1, 5).expect_err("panics");
    assert_eq!(panic.fault.kind, FailureKind::Panic, "{panic}");
    assert_eq!(panic.task.as_deref(), Some("liar"));
}

#[test]
fn shuttle_a_livelock_is_a_typed_step_bound() {
    let found = try_check_random(
        |rt: ShuttleRuntime| async move {
            loop {
                rt.yield_now().await;
            }
        },
        1,
        1,
    )
    .expect_err("never ends");
    assert_eq!(found.fault.kind, FailureKind::StepBound, "{found}");
}

#[test]
fn shuttle_counts_the_executions_of_a_pass() {
    let checked = try_check_dfs(two_increments::<ShuttleRuntime>, Some(7)).expect("passes");
    assert_eq!(checked.executions, 7);
}

#[test]
fn tokio_faults_are_values() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let site = Location::caller();
    let faults = quiet(|| {
        runtime.block_on(async move {
            let rt = TokioRuntime::new();
            let a = rt.spawn("checker", breaks_the_oracle(rt.clone(), site));
            while !a.is_finished() {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            let b = rt.spawn("liar", panics_like_a_report(rt.clone()));
            while !b.is_finished() {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
            rt.faults()
        })
    });
    let kinds: Vec<_> = faults.iter().map(|f| (f.kind, f.oracle)).collect();
    assert_eq!(
        faults[0],
        Fault::oracle(LIMIT, "3 members, limit 2").at(site)
    );
    assert!(
        kinds.contains(&(FailureKind::Panic, None))
            && !kinds.contains(&(FailureKind::Deadlock, None)),
        "{faults:?}"
    );
}
