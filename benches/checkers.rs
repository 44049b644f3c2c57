//! weft-sim, shuttle and loom side by side on the same workloads.
//!
//! - `mutex_3x2_exhaustive`: 3 tasks × 2 mutex increments, explored to exhaustion (weft-sim
//!   DFS, shuttle DFS, loom). The counts and one timed run per tool are printed; criterion
//!   samples weft-sim and loom (shuttle's DFS takes ~30 s per exploration).
//! - `mutex_8x10_random`: 8 tasks × 10 increments, 100 random executions per iteration (loom
//!   cannot run 8 threads: its limit is 5, so it is absent).
//! - `ping_pong_3_random`: 2 tasks exchanging 3 ping/pong round trips, 100 random executions
//!   per iteration (loom: the first executions of its exhaustive search, as many as
//!   `max_permutations = 100` allows, counted).
//!
//! Throughput is reported in executions per second. Seeds are fixed.
//!
//! The tools share one process, and shuttle runs measurably slower once other panic hooks are
//! installed (weft-sim's, or the one silencing loom): shuttle's cases therefore run first in
//! each group. For absolute figures run one tool at a time, e.g. `-- shuttle_random`.

#![allow(clippy::disallowed_methods)] // reports wall time on purpose

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use weft_benches::workloads::*;
use weft_sim::{Config, Sim, StrategyKind};

const SEED: u64 = 0x1234_5678;
const BATCH: u64 = 100;

fn counted<F: Fn() + Send + Sync + 'static>(
    f: F,
) -> (Arc<AtomicU64>, impl Fn() + Send + Sync + 'static) {
    let n = Arc::new(AtomicU64::new(0));
    let m = n.clone();
    (n, move || {
        m.fetch_add(1, Ordering::Relaxed);
        f()
    })
}

/// One complete exploration per tool, timed once: the execution counts are the result here,
/// and shuttle's DFS (millions of schedules, no reduction) is too slow for criterion sampling.
fn exhaustive_counts() {
    let start = Instant::now();
    let sim = Sim::new(
        Config::default()
            .strategy(StrategyKind::Dfs)
            .iterations(u64::MAX),
    );
    let r = sim.check(|rt| weft_mutex_counter(rt, 3, 2));
    let sim_time = start.elapsed();
    let start = Instant::now();
    let (n, f) = counted(|| loom_mutex_counter(3, 2));
    loom::model::Builder::new().check(f);
    let (loom_n, loom_time) = (n.load(Ordering::Relaxed), start.elapsed());
    let start = Instant::now();
    let (n, f) = counted(|| shuttle_mutex_counter(3, 2));
    shuttle::check_dfs(f, None);
    let (shuttle_n, shuttle_time) = (n.load(Ordering::Relaxed), start.elapsed());
    eprintln!("mutex_3x2_exhaustive, executions to finish (one run each):");
    eprintln!(
        "  weft-sim dfs  {:>9} executions, exhausted {:?}, {sim_time:.2?}",
        r.executions, r.exhausted
    );
    eprintln!("  loom          {loom_n:>9} executions, {loom_time:.2?}");
    eprintln!("  shuttle dfs   {shuttle_n:>9} executions, {shuttle_time:.2?}");
}

/// Runs `f` with panic output silenced, then restores the previous hook.
///
/// shuttle installs a process-wide panic hook that prints a schedule for *every* panic,
/// including the ones loom's generator-based threads use internally; that printing would be
/// measured as loom's time. Only loom runs under this: replacing shuttle's hook while shuttle
/// runs slows shuttle down (measured: about 2x), which would be unfair to it.
fn silenced<T>(f: impl FnOnce() -> T) -> T {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let out = f();
    std::panic::set_hook(previous);
    out
}

fn mutex_3x2_exhaustive(c: &mut Criterion) {
    if std::env::var_os("WEFT_BENCH_SKIP_COUNTS").is_none() {
        exhaustive_counts();
    }
    let mut g = c.benchmark_group("mutex_3x2_exhaustive");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("weft_sim_dfs", |b| {
        let sim = Sim::new(
            Config::default()
                .strategy(StrategyKind::Dfs)
                .iterations(u64::MAX),
        );
        b.iter(|| sim.check(|rt| weft_mutex_counter(rt, 3, 2)))
    });
    g.bench_function("loom", |b| {
        silenced(|| b.iter(|| loom::model::Builder::new().check(|| loom_mutex_counter(3, 2))))
    });
    g.finish();
}

fn mutex_8x10_random(c: &mut Criterion) {
    let mut g = c.benchmark_group("mutex_8x10_random");
    g.throughput(Throughput::Elements(BATCH));
    g.bench_function("shuttle_random", |b| {
        b.iter(|| {
            shuttle::check_random_with_seed(|| shuttle_mutex_counter(8, 10), SEED, BATCH as usize)
        })
    });
    g.bench_function("weft_sim_random", |b| {
        let sim = Sim::new(
            Config::default()
                .strategy(StrategyKind::Random)
                .seed(SEED)
                .iterations(BATCH),
        );
        b.iter(|| sim.check(|rt| weft_mutex_counter(rt, 8, 10)))
    });
    g.finish();
}

fn ping_pong_3_random(c: &mut Criterion) {
    let mut g = c.benchmark_group("ping_pong_3_random");
    g.throughput(Throughput::Elements(BATCH));
    g.bench_function("shuttle_random", |b| {
        b.iter(|| shuttle::check_random_with_seed(|| shuttle_ping_pong(3), SEED, BATCH as usize))
    });
    g.bench_function("weft_sim_random", |b| {
        let sim = Sim::new(
            Config::default()
                .strategy(StrategyKind::Random)
                .seed(SEED)
                .iterations(BATCH),
        );
        b.iter(|| sim.check(|rt| weft_ping_pong(rt, 3)))
    });
    // loom has no "run N executions" knob: `max_permutations` bounds its branch count, and
    // one setting means a fixed (deterministic) number of executions, counted here first.
    let loom_bounded = || {
        let mut builder = loom::model::Builder::new();
        builder.max_permutations = Some(BATCH as usize);
        builder
    };
    let (n, f) = counted(|| loom_ping_pong(3));
    silenced(|| loom_bounded().check(f));
    g.throughput(Throughput::Elements(n.load(Ordering::Relaxed)));
    g.bench_function("loom_bounded", |b| {
        silenced(|| b.iter(|| loom_bounded().check(|| loom_ping_pong(3))))
    });
    g.finish();
}

criterion_group!(
    benches,
    mutex_3x2_exhaustive,
    mutex_8x10_random,
    ping_pong_3_random
);
criterion_main!(benches);
