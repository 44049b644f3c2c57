//! Optimal DPOR (`StrategyKind::Dpor`): one execution per trace class on programs whose class
//! counts are known, and the bugs DFS finds are still found.

use std::sync::Arc;

use weft_core::sync::Mutex;
use weft_core::Runtime;
use weft_sim::{Config, Report, Sim, SimRuntime, StrategyKind};

fn dpor() -> Sim {
    Sim::new(
        Config::default()
            .strategy(StrategyKind::Dpor)
            .iterations(1_000_000)
            .summary(false),
    )
}

fn explore<F, Fut>(body: F) -> Report
where
    F: Fn(SimRuntime) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let report = dpor().run(body).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.exhausted, Some(true), "{report:?}");
    report
}

/// `tasks` tasks each lock one mutex `increments` times; the root joins them all (the
/// benches' `weft_mutex_counter`, inlined).
async fn mutex_counter(rt: SimRuntime, tasks: usize, increments: usize) {
    let m = Arc::new(Mutex::new(&rt, 0usize));
    let mut hs = Vec::with_capacity(tasks);
    for i in 0..tasks {
        let m = m.clone();
        hs.push(rt.spawn(&format!("t{i}"), async move {
            for _ in 0..increments {
                *m.lock().await += 1;
            }
        }));
    }
    for h in hs {
        h.join().await;
    }
    assert_eq!(*m.lock().await, tasks * increments);
}

/// 3 tasks x 2 increments: the six critical sections in any order that keeps each task's two
/// in program order, 6!/(2!2!2!) = 90 classes (plain DFS needs 92,330 executions).
#[test]
fn mutex_counter_3x2_has_90_classes() {
    assert_eq!(explore(|rt| mutex_counter(rt, 3, 2)).executions, 90);
}

#[test]
fn mutex_counter_small_counts() {
    assert_eq!(explore(|rt| mutex_counter(rt, 1, 3)).executions, 1);
    assert_eq!(explore(|rt| mutex_counter(rt, 2, 1)).executions, 2);
    assert_eq!(explore(|rt| mutex_counter(rt, 2, 2)).executions, 6);
    assert_eq!(explore(|rt| mutex_counter(rt, 3, 1)).executions, 6);
}
