//! weft-core on the tokio backend against the same workload written directly on tokio:
//! 1,000 mutex + channel round trips. The goal is a ratio ≤ 1.05.
//!
//! Two runtimes: `current_thread` isolates the primitives' own cost (stable); the 2-worker
//! `multi_thread` runtime is production-like but its cross-thread wake-ups make single runs
//! bimodal on a shared 2-core machine, so compare its ratio over several runs.

use criterion::{criterion_group, criterion_main, Criterion};
use weft_benches::workloads::{tokio_mutex_channel_round_trips, weft_mutex_channel_round_trips};
use weft_core::backend::tokio::TokioRuntime;

const ROUNDS: u32 = 1000;

fn round_trips(c: &mut Criterion) {
    let current = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let multi = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    for (name, runtime) in [("current_thread", current), ("multi_thread", multi)] {
        bench_on(c, name, &runtime);
    }
}

fn bench_on(c: &mut Criterion, flavor: &str, runtime: &tokio::runtime::Runtime) {
    let rt = runtime.block_on(async { TokioRuntime::new() });
    let mut g = c.benchmark_group(format!("mutex_channel_1000_round_trips/{flavor}"));
    g.bench_function("tokio_direct", |b| {
        b.iter(|| runtime.block_on(tokio_mutex_channel_round_trips(ROUNDS)))
    });
    g.bench_function("weft_on_tokio", |b| {
        b.iter(|| runtime.block_on(weft_mutex_channel_round_trips(rt.clone(), ROUNDS)))
    });
    g.finish();
}

criterion_group!(benches, round_trips);
criterion_main!(benches);
