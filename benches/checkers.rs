//! weft-sim, shuttle and loom side by side on the same workloads.
//!
//! - `mutex_3x2_exhaustive`: 3 tasks × 2 mutex increments, explored to exhaustion (weft-sim
//!   DPOR and DFS, shuttle DFS, loom). The counts and one timed run per tool are printed;
//!   criterion samples weft-sim DPOR, DFS and loom (shuttle's DFS takes ~30 s per
//!   exploration). 90 Mazurkiewicz trace classes: optimal DPOR runs 90 executions.
//! - `exhaust_cortex_stop_before_run_fixed`, `exhaust_consul_clone_race_fixed`: a registered
//!   scenario's fixed variant, minimal model, explored to exhaustion by weft-sim DPOR, weft-sim
//!   DFS (both unbounded) and loom (its DPOR; unbounded for stop-before-run, at preemption
//!   bound 2, the CLI's loom default, for clone-race: unbounded it did not finish in 2 minutes).
//!   Executions and exhaustion are printed once, criterion times each. (`consul/alias-overlap`
//!   is not here: neither DPOR nor unbounded DFS exhausts it within a minute.)
//! - `icb_bounds_mutex_3x2`, `icb_bounds_cortex_stop_before_run_fixed`: iterative context
//!   bounding with partial-order reduction (`Icb::new`, `por_b*`) against plain ICB
//!   (`Icb::plain`, `plain_b*`), each run through bound 0, 1 or 2: executions printed once,
//!   criterion times each.
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
use weft_check::Plan;
use weft_models::registry;
use weft_models::scenario::{Scale, Scenario, Visitor};
use weft_sim::strategy::Icb;
use weft_sim::{Config, Report, Sim, SimRuntime, StrategyKind};

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
    let dpor = Sim::new(
        Config::default()
            .strategy(StrategyKind::Dpor)
            .iterations(u64::MAX),
    )
    .check(|rt| weft_mutex_counter(rt, 3, 2));
    let dpor_time = start.elapsed();
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
        "  weft-sim dpor {:>9} executions, exhausted {:?}, {dpor_time:.2?}",
        dpor.executions, dpor.exhausted
    );
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
    g.bench_function("weft_sim_dpor", |b| {
        let sim = Sim::new(
            Config::default()
                .strategy(StrategyKind::Dpor)
                .iterations(u64::MAX),
        );
        b.iter(|| sim.check(|rt| weft_mutex_counter(rt, 3, 2)))
    });
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

/// What one exhaustive exploration of a scenario did.
struct Explored {
    executions: u64,
    exhausted: Option<bool>,
    wall: Duration,
}

/// How weft-sim explores: a configured strategy, or iterative context bounding up to a bound
/// (with partial-order reduction, or plain), which the configuration cannot ask for.
#[derive(Clone, Copy)]
enum How {
    Kind(StrategyKind),
    Icb { bound: u32, plain: bool },
}

impl How {
    fn icb(self) -> Option<Icb> {
        match self {
            How::Kind(_) => None,
            How::Icb { bound, plain: true } => Some(Icb::plain(Some(bound))),
            How::Icb {
                bound,
                plain: false,
            } => Some(Icb::new(Some(bound))),
        }
    }
}

/// Explores `body` as `how` says (no execution cap) under `config`.
fn sim_explore<Fut>(config: Config, how: How, body: impl Fn(SimRuntime) -> Fut) -> Report
where
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    match (how, how.icb()) {
        (How::Kind(kind), _) => Sim::new(config.strategy(kind)).check(body),
        (_, Some(icb)) => Sim::new(config)
            .explore_with(Box::new(icb), body, |_| {})
            .expect("a valid configuration"),
        (_, None) => unreachable!("only ICB has no strategy kind"),
    }
}

/// A scenario's fixed variant, minimal model, on weft-sim explored as `how` says (no
/// execution cap), configured as the check layer's sim adapter configures it (its tasks
/// that may outlive the root, the findings it tolerates).
#[derive(Clone, Copy)]
struct SimExhaust(How);

impl Visitor for SimExhaust {
    type Output = Explored;

    fn visit<S: Scenario>(self) -> Explored {
        let fixed = S::INFO.variant("fixed").expect("a fixed variant");
        let mut config = Config::default().iterations(u64::MAX).progress(None);
        for prefix in S::INFO.may_outlive {
            config = config.allow_outlive(*prefix);
        }
        for kind in S::INFO.tolerates {
            config = config.tolerate(*kind);
        }
        let start = Instant::now();
        let report = sim_explore(config, self.0, move |rt| {
            S::run_variant(rt, fixed, Scale::Minimal)
        });
        Explored {
            executions: report.executions,
            exhausted: report.exhausted,
            wall: start.elapsed(),
        }
    }
}

fn sim_exhaust(scenario: &str, how: How) -> Explored {
    registry::visit(scenario, SimExhaust(how)).expect("a registered scenario")
}

/// The scenario's fixed variant on loom (minimal model), through the check layer.
fn loom_exhaust(scenario: &str, preemption_bound: Option<u32>) -> Explored {
    let info = registry::find(scenario).expect("a registered scenario");
    let fixed = info.variant("fixed").expect("a fixed variant");
    let plan = Plan::loom(info, fixed, preemption_bound).expect("loom runs it");
    let out = silenced(|| weft_check::run(&plan)).expect("it runs");
    assert!(out.finding.is_none(), "the fixed variant passes on loom");
    Explored {
        executions: out.executions,
        exhausted: out.exhausted,
        wall: out.wall,
    }
}

/// One tool's exhaustive exploration of a scenario.
type Explore<'a> = Box<dyn Fn() -> Explored + 'a>;

/// Counts (printed once) and criterion timings of DPOR, DFS and loom exhausting `scenario`.
fn scenario_exhaustive(c: &mut Criterion, scenario: &str, group: &str, loom_bound: Option<u32>) {
    let tools: [(&str, Explore<'_>); 3] = [
        (
            "weft_sim_dpor",
            Box::new(move || sim_exhaust(scenario, How::Kind(StrategyKind::Dpor))),
        ),
        (
            "weft_sim_dfs",
            Box::new(move || sim_exhaust(scenario, How::Kind(StrategyKind::Dfs))),
        ),
        ("loom", Box::new(move || loom_exhaust(scenario, loom_bound))),
    ];
    if std::env::var_os("WEFT_BENCH_SKIP_COUNTS").is_none() {
        let bound = loom_bound.map_or("unbounded".to_string(), |b| format!("pb{b}"));
        eprintln!("{group}, executions to finish (one run each; loom {bound}):");
        for (name, explore) in &tools {
            let e = explore();
            eprintln!(
                "  {name:<14}{:>9} executions, exhausted {:?}, {:.2?}",
                e.executions, e.exhausted, e.wall
            );
        }
    }
    let mut g = c.benchmark_group(group);
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    for (name, explore) in &tools {
        g.bench_function(*name, |b| b.iter(explore));
    }
    g.finish();
}

fn stop_before_run_exhaustive(c: &mut Criterion) {
    scenario_exhaustive(
        c,
        "cortex/stop-before-run",
        "exhaust_cortex_stop_before_run_fixed",
        None,
    );
}

fn clone_race_exhaustive(c: &mut Criterion) {
    scenario_exhaustive(
        c,
        "consul/clone-race",
        "exhaust_consul_clone_race_fixed",
        Some(2),
    );
}

/// ICB with partial-order reduction against plain ICB, at bounds 0, 1 and 2 (each search
/// runs bounds 0 to `b`): executions and wall time printed once, criterion times each.
fn icb_bounds(c: &mut Criterion, group: &str, explore: impl Fn(How) -> Explored) {
    let runs: Vec<(String, How)> = (0..=2)
        .flat_map(|bound| {
            [("por", false), ("plain", true)]
                .map(|(name, plain)| (format!("{name}_b{bound}"), How::Icb { bound, plain }))
        })
        .collect();
    if std::env::var_os("WEFT_BENCH_SKIP_COUNTS").is_none() {
        eprintln!("{group}, executions to finish each bound (one run each):");
        for (name, how) in &runs {
            let e = explore(*how);
            eprintln!(
                "  {name:<9}{:>9} executions, exhausted {:?}, {:.2?}",
                e.executions, e.exhausted, e.wall
            );
        }
    }
    let mut g = c.benchmark_group(group);
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    for (name, how) in &runs {
        g.bench_function(name.as_str(), |b| b.iter(|| explore(*how)));
    }
    g.finish();
}

fn icb_bounds_mutex_3x2(c: &mut Criterion) {
    icb_bounds(c, "icb_bounds_mutex_3x2", |how| {
        let start = Instant::now();
        let config = Config::default().iterations(u64::MAX).progress(None);
        let report = sim_explore(config, how, |rt| weft_mutex_counter(rt, 3, 2));
        Explored {
            executions: report.executions,
            exhausted: report.exhausted,
            wall: start.elapsed(),
        }
    });
}

fn icb_bounds_stop_before_run(c: &mut Criterion) {
    icb_bounds(c, "icb_bounds_cortex_stop_before_run_fixed", |how| {
        sim_exhaust("cortex/stop-before-run", how)
    });
}

criterion_group!(
    benches,
    icb_bounds_mutex_3x2,
    icb_bounds_stop_before_run,
    mutex_3x2_exhaustive,
    stop_before_run_exhaustive,
    clone_race_exhaustive,
    mutex_8x10_random,
    ping_pong_3_random
);
criterion_main!(benches);
