//! The dispatcher model: a small working system on tokio, and its lifecycle under weft-sim
//! (`shared/specs/alertmanager.md` §3.1, §4 B1).

use std::sync::Arc;
use std::time::Duration;

use weft_core::{FailureKind, Runtime};
use weft_models::alertmanager::{Alert, Dispatcher, DispatcherConfig, DispatcherState, Provider};
use weft_sim::{Config, Sim, StrategyKind};

fn alerts() -> Vec<Alert> {
    vec![
        Alert::new([("alertname", "HighLatency"), ("instance", "a")]),
        Alert::new([("alertname", "HighLatency"), ("instance", "b")]),
        Alert::new([("alertname", "DiskFull"), ("instance", "a")]),
    ]
}

/// Start, load, receive alerts, flush, stop: the pre-fix lifecycle (`wait_loaded == false`)
/// or PR 7618's barrier (`true`).
async fn lifecycle<R: Runtime>(rt: R, wait_loaded: bool, group_wait: Duration) -> (usize, u32) {
    let provider = Provider::start(&rt, 200, Some(Duration::from_secs(60)));
    provider.put(alerts()[..1].to_vec()).await;
    let config = DispatcherConfig {
        group_wait,
        ..DispatcherConfig::default()
    };
    let d = Dispatcher::new(&rt, provider.clone(), config);
    let run = rt.spawn("dispatcher-run", d.clone().run());
    if wait_loaded {
        d.wait_for_loading().await;
        provider.put(alerts()[1..].to_vec()).await;
        rt.sleep(group_wait * 3).await;
    }
    d.stop().await;
    assert_eq!(d.state(), DispatcherState::Stopped);
    run.join().await;
    provider.close();
    let stats = d.snapshot().await;
    (stats.groups, stats.flushes)
}

#[test]
fn works_as_a_small_system_on_tokio() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (groups, flushes) = runtime.block_on(async {
        let rt = weft_core::backend::tokio::TokioRuntime::new();
        lifecycle(rt, true, Duration::from_millis(20)).await
    });
    assert_eq!(groups, 2, "HighLatency and DiskFull");
    assert!(
        flushes >= 2,
        "each started group flushed after group_wait (got {flushes})"
    );
}

#[test]
fn flushes_run_on_virtual_time() {
    Sim::new(Config::default().iterations(50)).check(|rt| async move {
        let (groups, flushes) = lifecycle(rt, true, Duration::from_secs(30)).await;
        assert_eq!(groups, 2);
        assert!(flushes >= 2, "flushes {flushes}");
    });
}

#[test]
fn stop_before_run_is_a_contract_violation() {
    for strategy in [
        StrategyKind::Pct { depth: 3 },
        StrategyKind::Random,
        StrategyKind::Dfs,
    ] {
        let err = Sim::new(Config::default().strategy(strategy).iterations(10_000))
            .run(|rt| async move {
                lifecycle(rt, false, Duration::from_secs(30)).await;
            })
            .expect_err("the pre-fix lifecycle is reported");
        let f = err.failure().unwrap();
        assert_eq!(f.kind, FailureKind::ContractViolation, "{strategy}: {f}");
    }
}

/// Only the B1 lifecycle: spawn run, [wait for loading,] stop.
async fn start_stop<R: Runtime>(rt: R, wait_loaded: bool) {
    let provider = Provider::start(&rt, 200, Some(Duration::from_secs(60)));
    let d = Dispatcher::new(&rt, provider.clone(), DispatcherConfig::default());
    let run = rt.spawn("dispatcher-run", d.clone().run());
    if wait_loaded {
        d.wait_for_loading().await;
    }
    d.stop().await;
    run.join().await;
    provider.close();
}

fn barrier_dfs(bound: u32) -> u64 {
    let report = Sim::new(
        Config::default()
            .strategy(StrategyKind::Dfs)
            .preemption_bound(Some(bound))
            .iterations(u64::MAX),
    )
    .check(|rt| start_stop(rt, true));
    assert_eq!(report.exhausted, Some(true));
    eprintln!(
        "barrier start/stop: DFS (preemption bound {bound}) complete after {} executions",
        report.executions
    );
    report.executions
}

#[test]
fn the_barrier_passes_dfs_with_one_preemption_and_pct() {
    barrier_dfs(1);
    // The whole workload (alerts, flushes) under PCT.
    Sim::new(Config::default().iterations(2_000)).check(|rt| async move {
        lifecycle(rt, true, Duration::from_secs(30)).await;
    });
}

/// 5,910,566 executions (35 s in release): without partial-order reduction, switches at
/// blocking points multiply across the dispatcher's seven tasks. Run with
/// `cargo test --release -p weft-models -- --ignored`.
#[test]
#[ignore = "exhaustive: ~6M executions; run with --ignored in release"]
fn the_barrier_passes_dfs_with_two_preemptions() {
    barrier_dfs(2);
}

#[test]
fn start_stop_without_the_barrier_is_found_by_dfs() {
    let err = Sim::new(
        Config::default()
            .strategy(StrategyKind::Dfs)
            .iterations(u64::MAX),
    )
    .run(|rt| start_stop(rt, false))
    .unwrap_err();
    assert_eq!(err.failure().unwrap().kind, FailureKind::ContractViolation);
}

#[test]
fn shared_dispatcher_handles_are_cheap() {
    // Arc<Dispatcher> is what tasks share; make sure the type stays Send + Sync.
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Arc<Dispatcher<weft_sim::SimRuntime>>>();
}
