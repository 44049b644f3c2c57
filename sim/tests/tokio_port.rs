//! The tokio primitives users port (Notify as tokio documents it, Semaphore, RwLock, Barrier),
//! run under weft-sim: random and PCT for the full bodies, exhaustive DFS for the small ones
//! (the same bodies run on tokio, loom and shuttle in weft-core's tests).

#[path = "../../core/tests/support/notify_port.rs"]
mod notify_port;

use weft_sim::{Config, Report, Sim, StrategyKind};

fn dfs() -> Sim {
    Sim::new(
        Config::default()
            .strategy(StrategyKind::Dfs)
            .iterations(u64::MAX),
    )
}

fn exhausted(report: Report) -> u64 {
    assert_eq!(report.exhausted, Some(true), "{report:?}");
    report.executions
}

#[test]
fn notify_flag_then_await_passes_exhaustive_dfs() {
    let plain = exhausted(dfs().check(notify_port::flag_then_await_plain));
    let enabled = exhausted(dfs().check(notify_port::flag_then_await_enabled));
    eprintln!("DFS explored {plain} (plain) and {enabled} (enabled) executions");
    assert!(plain > 1 && enabled > 1);
}

#[test]
fn notify_behaves_as_tokio_documents() {
    for strategy in [StrategyKind::Random, StrategyKind::Pct { depth: 3 }] {
        Sim::new(Config::default().strategy(strategy).iterations(200)).check(notify_port::all);
    }
    exhausted(dfs().check(notify_port::notify_waiters_reaches_unpolled));
}
