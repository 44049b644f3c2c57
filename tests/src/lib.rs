//! Cross-backend integration tests of weft: see the files beside this crate root.
//!
//! This library is their shared harness: one visitor per backend, each running every variant
//! of a scenario and asserting its expected verdict, so that the per-system test files
//! (`cortex.rs`, `consul.rs`) say only which scenarios and budgets.

#![allow(clippy::disallowed_methods)] // the tokio stress loop waits on wall time

use std::time::{Duration, Instant};

use weft_core::backend::verdict::{Checked, Found};
use weft_core::backend::{loom as wloom, shuttle as wshuttle, tokio::TokioRuntime};
use weft_core::{FailureKind, OracleId, Runtime};
use weft_models::registry;
use weft_models::scenario::{Expect, Info, Scale, Scenario, Variant, Visitor};
use weft_sim::{Config, SimError, StrategyKind};

/// A loom or shuttle check's failure, if it failed: its kind (a value) and rendered report.
pub fn failure_of(verdict: Result<Checked, Box<Found>>) -> Option<(FailureKind, String)> {
    verdict.err().map(|f| (f.fault.kind, f.to_string()))
}

/// The oracle of `info` that a failure `message` reports (`oracle NAME: ...`), if any.
// bridge until weft_sim::Failure carries the oracle (issue 11 merge)
fn oracle_in(message: &str, info: &Info) -> Option<OracleId> {
    info.oracles
        .iter()
        .filter_map(|o| Some((message.find(&format!("oracle {o}: "))?, *o)))
        .min()
        .map(|(_, o)| o)
}

/// Asserts that `got` is what variant `v` of scenario `info` expects.
pub fn assert_verdict(what: &str, info: &Info, v: &Variant, got: Option<(FailureKind, String)>) {
    match (v.expect, got) {
        (Expect::Pass, None) => {}
        (Expect::Pass, Some((k, m))) => {
            panic!("{what} [{}]: expected a pass, got {k}: {m}", v.name)
        }
        (e, Some((k, m))) => assert!(
            e.matches(k, oracle_in(&m, info)),
            "{what} [{}]: expected {}, got {k}: {m}",
            v.name,
            e.describe()
        ),
        (e, None) => panic!("{what} [{}]: expected {}, got a pass", v.name, e.describe()),
    }
}

/// A sim run's failure (kind, message), executions, and exhaustion.
pub fn sim_failure(
    r: Result<weft_sim::Report, SimError>,
) -> (Option<(FailureKind, String)>, u64, Option<bool>) {
    match r {
        Ok(rep) => (None, rep.executions, rep.exhausted),
        Err(SimError::Failure(f)) => (Some((f.kind, f.fault().to_string())), f.execution, None),
        Err(e) => panic!("configuration error: {e}"),
    }
}

/// The sim configuration a scenario asks for (outliving tasks, tolerated findings).
pub fn sim_config<S: Scenario>() -> Config {
    let mut config = Config::default();
    for prefix in S::INFO.may_outlive {
        config = config.allow_outlive(*prefix);
    }
    for kind in S::INFO.tolerates {
        config = config.tolerate(*kind);
    }
    config
}

/// Every variant of `S` through `check`.
pub fn each_variant<S: Scenario>(check: impl Fn(&'static Variant)) {
    for v in S::INFO.variants {
        check(v);
    }
}

/// sim, PCT, full scale, with this many iterations.
#[derive(Debug)]
pub struct SimPct(pub u64);
impl Visitor for SimPct {
    type Output = ();
    fn visit<S: Scenario>(self) {
        each_variant::<S>(|v| {
            let sim = weft_sim::Sim::new(sim_config::<S>().iterations(self.0));
            let (got, _, _) = sim_failure(sim.run(|rt| S::run_variant(rt, v, Scale::Full)));
            assert_verdict(&format!("{} sim pct", S::INFO.name), &S::INFO, v, got);
        });
    }
}

/// sim, DFS with preemption bound 2, minimal scale, with `budget` executions.
#[derive(Debug)]
pub struct SimDfs {
    /// Executions at most.
    pub budget: u64,
    /// A passing variant must have exhausted its space.
    pub must_exhaust: bool,
}
impl Visitor for SimDfs {
    type Output = ();
    fn visit<S: Scenario>(self) {
        each_variant::<S>(|v| {
            let sim = weft_sim::Sim::new(
                sim_config::<S>()
                    .strategy(StrategyKind::Dfs)
                    .preemption_bound(Some(2))
                    .iterations(self.budget),
            );
            let (got, executions, exhausted) =
                sim_failure(sim.run(|rt| S::run_variant(rt, v, Scale::Minimal)));
            if got.is_none() && self.must_exhaust {
                assert_eq!(
                    exhausted,
                    Some(true),
                    "{} [{}]: DFS pb2 not exhausted after {executions} executions",
                    S::INFO.name,
                    v.name
                );
            }
            assert_verdict(&format!("{} sim dfs pb2", S::INFO.name), &S::INFO, v, got);
        });
    }
}

/// DFS pb2 must exhaust (and agree with the expected verdicts) for each scenario named.
pub fn exhaust(names: &[&str]) {
    for name in names {
        let dfs = SimDfs {
            budget: u64::MAX,
            must_exhaust: true,
        };
        registry::visit(name, dfs).unwrap();
    }
}

/// Whether shuttle can run the scenario: logical time only, and it stops at every finding.
pub fn fits_shuttle(info: &Info) -> bool {
    !info.needs_clock && info.tolerates.is_empty()
}

/// shuttle, PCT depth 3, full scale, 1,000 iterations.
#[derive(Debug)]
pub struct ShuttlePct;
impl Visitor for ShuttlePct {
    type Output = ();
    fn visit<S: Scenario>(self) {
        each_variant::<S>(|v| {
            let got = failure_of(wshuttle::try_check_pct(
                move |rt| S::run_variant(rt, v, Scale::Full),
                1,
                1_000,
                3,
            ));
            assert_verdict(&format!("{} shuttle pct", S::INFO.name), &S::INFO, v, got);
        });
    }
}

/// loom's thread table, its abort on a blocked `block_on` at teardown, and shuttle's limits
/// (see the CLI's `Backend::supports`).
pub fn fits_loom(info: &Info) -> bool {
    info.max_tasks <= 5 && !info.needs_quiescence && fits_shuttle(info)
}

/// loom with this preemption bound, minimal scale.
#[derive(Debug)]
pub struct Loom(pub usize);
impl Visitor for Loom {
    type Output = ();
    fn visit<S: Scenario>(self) {
        each_variant::<S>(|v| {
            let mut builder = loom::model::Builder::new();
            builder.preemption_bound = Some(self.0);
            let got = failure_of(wloom::try_model_with(builder, move |rt| {
                S::run_variant(rt, v, Scale::Minimal)
            }));
            assert_verdict(
                &format!("{} loom pb{}", S::INFO.name, self.0),
                &S::INFO,
                v,
                got,
            );
        });
    }
}

/// tokio: every variant expected to pass, passes this many runs at full scale. On the
/// multi-thread runtime, or on the current-thread runtime with tokio's paused clock when the
/// scenario's verdict needs a clock.
#[derive(Debug)]
pub struct TokioPassing(pub u64);
impl Visitor for TokioPassing {
    type Output = ();
    fn visit<S: Scenario>(self) {
        let passing: Vec<&'static Variant> = S::INFO
            .variants
            .iter()
            .filter(|v| v.expect == Expect::Pass)
            .collect();
        assert!(!passing.is_empty(), "{}: no passing variant", S::INFO.name);
        let runtime = if S::INFO.needs_clock {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .start_paused(true)
                .build()
        } else {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
        }
        .unwrap();
        let poll = if S::INFO.needs_clock {
            Duration::from_secs(1)
        } else {
            Duration::from_micros(200)
        };
        let runs = self.0;
        runtime.block_on(async move {
            for v in passing {
                for i in 0..runs {
                    let rt = TokioRuntime::new();
                    let root = rt.spawn("root", S::run_variant(rt.clone(), v, Scale::Full));
                    let start = Instant::now();
                    while !root.is_finished() && rt.faults().is_empty() {
                        assert!(
                            start.elapsed() < Duration::from_secs(20),
                            "{} [{}]: tokio run {i} hung",
                            S::INFO.name,
                            v.name
                        );
                        tokio::time::sleep(poll).await;
                    }
                    tokio::time::sleep(Duration::from_millis(1)).await;
                    assert_eq!(
                        rt.faults(),
                        Vec::new(),
                        "{} [{}]: tokio run {i}",
                        S::INFO.name,
                        v.name
                    );
                }
            }
        });
        runtime.shutdown_background();
    }
}

/// The registered scenarios of one system (name prefix, such as `"consul/"`).
pub fn scenarios_of(prefix: &str) -> Vec<&'static Info> {
    registry::all()
        .into_iter()
        .filter(|i| i.name.starts_with(prefix))
        .collect()
}

/// The names of the scenarios of one system that a backend can run (`fits`: [`fits_loom`],
/// [`fits_shuttle`]).
pub fn fitting(prefix: &str, fits: fn(&Info) -> bool) -> Vec<&'static str> {
    scenarios_of(prefix)
        .into_iter()
        .filter(|i| fits(i))
        .map(|i| i.name)
        .collect()
}
