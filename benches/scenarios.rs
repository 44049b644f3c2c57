//! The same model on two checkers: a registered scenario through weft-sim and through shuttle,
//! both with PCT (depth 3), at the scenario's full scale, in executions per second.
//!
//! - `consul_alias_overlap_fixed`: Consul's alias re-registration with PR 5876 + PR 8346 (5
//!   tasks: upstream, registrar, two alias tasks, the root; mutexes, a capacity-1 channel,
//!   selects, a WaitGroup, the 60 s timer arm).
//! - `cortex_stop_before_run_fixed`: Cortex's 30-generation dispatcher start/stop.
//!
//! Both run passing variants, so every execution runs to its end. Seeds are fixed. shuttle's
//! cases run first in each group (see `checkers.rs` on panic hooks).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use weft_core::backend::shuttle as wshuttle;
use weft_models::registry;
use weft_models::scenario::{Scale, Scenario, Visitor};
use weft_sim::{Config, Sim, StrategyKind};

const BATCH: u64 = 100;
const SEED: u64 = 1;

struct Bench<'a>(&'a mut Criterion, &'static str);

impl Visitor for Bench<'_> {
    type Output = ();
    fn visit<S: Scenario>(self) {
        let Bench(c, group) = self;
        let fixed = S::INFO.variant("fixed").expect("a fixed variant");
        let mut g = c.benchmark_group(group);
        g.throughput(Throughput::Elements(BATCH));
        g.bench_function("shuttle_pct", |b| {
            b.iter(|| {
                wshuttle::check_pct(
                    move |rt| S::run_variant(rt, fixed, Scale::Full),
                    SEED,
                    BATCH as usize,
                    3,
                )
            })
        });
        g.bench_function("weft_sim_pct", |b| {
            let sim = Sim::new(
                Config::default()
                    .strategy(StrategyKind::Pct { depth: 3 })
                    .iterations(BATCH),
            );
            b.iter(|| sim.check(|rt| S::run_variant(rt, fixed, Scale::Full)))
        });
        g.finish();
    }
}

fn scenarios(c: &mut Criterion) {
    registry::visit(
        "consul/alias-overlap",
        Bench(c, "consul_alias_overlap_fixed"),
    )
    .unwrap();
    registry::visit(
        "cortex/stop-before-run",
        Bench(c, "cortex_stop_before_run_fixed"),
    )
    .unwrap();
}

criterion_group!(benches, scenarios);
criterion_main!(benches);
