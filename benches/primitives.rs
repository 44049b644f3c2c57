//! weft-core on the tokio backend against the same workload written directly on tokio:
//! 1,000 mutex + channel round trips on the multi-thread runtime. The goal is a ratio ≤ 1.05.

use criterion::{criterion_group, criterion_main, Criterion};
use weft_benches::workloads::{tokio_mutex_channel_round_trips, weft_mutex_channel_round_trips};
use weft_core::backend::tokio::TokioRuntime;

const ROUNDS: u32 = 1000;

fn round_trips(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let rt = runtime.block_on(async { TokioRuntime::new() });
    let mut g = c.benchmark_group("mutex_channel_1000_round_trips");
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
