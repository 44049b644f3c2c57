//! weft-core's Stop-before-Run scenario under weft-sim: the buggy variant is a WaitGroup
//! contract violation in the first execution for every seed 1..=1000; the fixed variant passes
//! exhaustive DFS, which reports completion and its count.

#[path = "../../core/tests/support/stop_before_run.rs"]
mod stop_before_run;

use stop_before_run::{scenario, Variant};
use weft_core::FailureKind;
use weft_sim::{Config, Sim, StrategyKind};

#[test]
fn buggy_is_a_contract_violation_in_the_first_execution_for_seeds_1_to_1000() {
    for strategy in [StrategyKind::Pct { depth: 3 }, StrategyKind::Random] {
        for seed in 1..=1000 {
            let sim = Sim::new(
                Config::default()
                    .seed(seed)
                    .iterations(1)
                    .strategy(strategy),
            );
            let err = sim
                .run(|rt| scenario(rt, Variant::Buggy, 1))
                .expect_err("must fail");
            let f = err.failure().expect("a failure, not a config error");
            assert_eq!(f.kind, FailureKind::ContractViolation, "seed {seed}: {f}");
            assert_eq!(f.execution, 1);
            assert_eq!(f.seed, seed);
        }
    }
}

#[test]
fn fixed_passes_exhaustive_dfs() {
    for workers in [0, 1, 2] {
        let sim = Sim::new(
            Config::default()
                .strategy(StrategyKind::Dfs)
                .iterations(u64::MAX),
        );
        let report = sim.check(move |rt| scenario(rt, Variant::Fixed, workers));
        assert_eq!(report.exhausted, Some(true), "{report:?}");
        eprintln!(
            "fixed, {workers} workers: DFS complete after {} executions",
            report.executions
        );
        assert!(report.executions > 1);
    }
}

#[test]
fn fixed_passes_pct_and_random() {
    for strategy in [StrategyKind::Pct { depth: 3 }, StrategyKind::Random] {
        Sim::new(Config::default().strategy(strategy).iterations(2000))
            .check(|rt| scenario(rt, Variant::Fixed, 2));
    }
}
