//! The same model on two checkers: a registered scenario through weft-sim and through shuttle,
//! both with the check layer's default search (PCT at its default depth and seed), at the
//! scenario's full scale, in executions per second.
//!
//! - `consul_alias_overlap_fixed`: Consul's alias re-registration with PR 5876 + PR 8346 (5
//!   tasks: upstream, registrar, two alias tasks, the root; mutexes, a capacity-1 channel,
//!   selects, a WaitGroup, the 60 s timer arm).
//! - `cortex_stop_before_run_fixed`: Cortex's 30-generation dispatcher start/stop.
//!
//! Both run passing variants, so every execution runs to its end; each batch is one
//! [`weft_check::run`] of a [`Plan`], as the CLI runs it. shuttle's cases run first in each
//! group (see `checkers.rs` on panic hooks).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use weft_check::{defaults, Plan};
use weft_models::registry;

const BATCH: u64 = 100;

fn bench(c: &mut Criterion, scenario: &str, group: &str) {
    let info = registry::find(scenario).expect("a registered scenario");
    let fixed = info.variant("fixed").expect("a fixed variant");
    let plans = [
        (
            "shuttle_pct",
            Plan::shuttle(info, fixed, defaults::SHUTTLE_SEARCH, BATCH),
        ),
        (
            "weft_sim_pct",
            Plan::sim(info, fixed, defaults::SEARCH, BATCH),
        ),
    ];
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Elements(BATCH));
    for (name, plan) in plans {
        let plan = plan.expect("a valid plan");
        g.bench_function(name, |b| {
            b.iter(|| {
                let out = weft_check::run(&plan).expect("it runs");
                assert!(out.finding.is_none(), "the fixed variant passes");
            })
        });
    }
    g.finish();
}

fn scenarios(c: &mut Criterion) {
    bench(c, "consul/alias-overlap", "consul_alias_overlap_fixed");
    bench(c, "cortex/stop-before-run", "cortex_stop_before_run_fixed");
}

criterion_group!(benches, scenarios);
criterion_main!(benches);
