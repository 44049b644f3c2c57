//! The tokio primitives users port (Notify as tokio documents it, Semaphore, RwLock, Barrier),
//! run under weft-sim: random and PCT for the full bodies, exhaustive DFS for the small ones
//! (the same bodies run on tokio, loom and shuttle in weft-core's tests).

#[path = "../../core/tests/support/barrier_port.rs"]
mod barrier_port;
#[path = "../../core/tests/support/notify_port.rs"]
mod notify_port;
#[path = "../../core/tests/support/rwlock_port.rs"]
mod rwlock_port;
#[path = "../../core/tests/support/semaphore_port.rs"]
mod semaphore_port;

use std::future::Future;

use weft_sim::{Config, Report, Sim, SimRuntime, StrategyKind};

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
    sampled(notify_port::all);
    exhausted(dfs().check(notify_port::notify_waiters_reaches_unpolled));
}

/// Random and PCT, 200 executions each.
fn sampled<Fut>(body: fn(SimRuntime) -> Fut)
where
    Fut: Future<Output = ()> + Send + 'static,
{
    for strategy in [StrategyKind::Random, StrategyKind::Pct { depth: 3 }] {
        Sim::new(Config::default().strategy(strategy).iterations(200)).check(body);
    }
}

#[test]
fn semaphore_behaves_as_tokio_documents() {
    sampled(semaphore_port::all);
    exhausted(dfs().check(semaphore_port::acquire_many_fifo_body));
    exhausted(dfs().check(semaphore_port::close_and_try));
    exhausted(dfs().check(semaphore_port::permits_order_holders));
}

#[test]
fn rwlock_behaves_as_tokio_documents() {
    sampled(rwlock_port::all);
    exhausted(dfs().check(rwlock_port::writer_preferred_body));
    exhausted(dfs().check(rwlock_port::readers_and_limit));
    exhausted(dfs().check(rwlock_port::unlock_orders_lock));
    exhausted(dfs().check(rwlock_port::one_writer_one_reader));
}

#[test]
fn barrier_behaves_as_tokio_documents() {
    sampled(barrier_port::all);
    exhausted(dfs().check(barrier_port::trivial_barriers));
    exhausted(dfs().check(barrier_port::two_parties));
}

/// RwLock's documented choice: a read unlock does not happen-before a later read lock, so a
/// write made under a read lock (a misuse) races with the next reader's read, and the checker
/// reports it. (Observing the first reader's end with `peek` creates no edge.)
#[test]
fn rwlock_write_under_a_read_lock_is_a_data_race() {
    use std::sync::Arc;
    use weft_core::sync::{Atomic, RwLock, SharedCell};
    use weft_core::{FailureKind, Runtime};

    async fn misuse(rt: SimRuntime) {
        let lock = Arc::new(RwLock::new(&rt, ()));
        let cell = Arc::new(SharedCell::new(&rt, 0u32));
        let left = Arc::new(Atomic::new(&rt, false));
        let (l, c, d) = (lock.clone(), cell.clone(), left.clone());
        let h = rt.spawn("bad-reader", async move {
            {
                let _r = l.read().await;
                c.set(1); // a write under a read lock
            }
            d.store(true).await;
        });
        while !left.peek() {
            rt.yield_now().await;
        }
        {
            let _r = lock.read().await;
            let _ = cell.get();
        }
        h.join().await;
    }

    let sim = Sim::new(Config::default().iterations(20));
    let err = sim
        .run(misuse)
        .expect_err("the write under a read lock must be reported");
    let failure = err.failure().expect("a failure, not a config error");
    assert_eq!(failure.kind, FailureKind::DataRace, "{failure}");
}
