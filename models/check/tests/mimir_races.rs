//! The remaining races of `mimir/*` (`config-concurrency.md` §5 R3, R11-R14) through the
//! check layer: each buggy variant fails with its oracle under DPOR (at the measured
//! execution) and under PCT (seeds 1-5) and the default strategy within 10,000 executions,
//! and its failure replays byte for byte; each fixed variant passes DPOR, exhaustively where
//! the space is small (R14's probed variants are bounded: the two servers' startup probes
//! interleave at the store); loom and shuttle refuse them with one line.

use weft_check::Search;
use weft_core::OracleId;
use weft_models::mimir::model::oracles::{
    CLIENT_INTENT, LOCK_EXCLUSION, NO_LOST_UPDATE, REPORTED_OUTCOME, TAG_DETERMINISM,
};

mod canary;

/// One buggy variant: scenario, variant index, oracle, DPOR's execution, what the trace names.
struct Bug {
    scenario: &'static str,
    variant: usize,
    oracle: OracleId,
    dpor: u64,
    trace: &'static str,
}

const BUGS: [Bug; 6] = [
    Bug {
        scenario: "mimir/r3-bypass",
        variant: 0,
        oracle: NO_LOST_UPDATE,
        dpor: 4,
        trace: "fallback upload (Unconditional)",
    },
    Bug {
        scenario: "mimir/r11-blind-retry",
        variant: 0,
        oracle: CLIENT_INTENT,
        dpor: 1,
        trace: "POST If-Match",
    },
    Bug {
        scenario: "mimir/r12-lost-response",
        variant: 0,
        oracle: REPORTED_OUTCOME,
        dpor: 2,
        trace: "fault: loss",
    },
    Bug {
        scenario: "mimir/r13-divergent-etag",
        variant: 0,
        oracle: TAG_DETERMINISM,
        dpor: 1,
        trace: "GET",
    },
    Bug {
        scenario: "mimir/r14-ignored-condition",
        variant: 0,
        oracle: NO_LOST_UPDATE,
        dpor: 1,
        trace: "wrote version",
    },
    // minio-buggy: DPOR finds it at 1,389 (R6's plan): the default strategy's run below.
    Bug {
        scenario: "mimir/r14-ignored-condition",
        variant: 2,
        oracle: LOCK_EXCLUSION,
        dpor: 1_389,
        trace: "delete",
    },
];

fn assert_found(bug: &Bug, search: Search, within: u64) -> u64 {
    let found = canary::finding(bug.scenario, bug.variant, search, within);
    let (name, variant, trace) = (bug.scenario, bug.variant, Some(bug.trace));
    canary::assert_sim_finding_replays(name, variant, bug.oracle, trace, &found);
    found.execution
}

#[test]
fn dpor_finds_each_bug_at_the_measured_execution_and_it_replays() {
    for bug in BUGS.iter().filter(|b| b.dpor <= 20) {
        let at = assert_found(bug, Search::Dpor, bug.dpor);
        assert_eq!(at, bug.dpor, "{}", bug.scenario);
    }
}

/// Measured: minio-buggy at DPOR execution 1,389 (R6's plan; a few seconds).
#[test]
fn dpor_finds_the_minio_steal() {
    assert_eq!(assert_found(&BUGS[5], Search::Dpor, 1_389), 1_389);
}

/// The default strategy (the portfolio, seed 1), within 10,000 executions. Measured: R3 24,
/// R11 1, R12 43, R13 1, R14 1, minio-buggy 5.
#[test]
fn the_default_strategy_finds_each_bug() {
    for (bug, at) in BUGS.iter().zip([24, 1, 43, 1, 1, 5]) {
        let found = assert_found(bug, weft_check::defaults::SEARCH, 10_000);
        assert_eq!(found, at, "{}", bug.scenario);
    }
}

/// Measured, PCT depth 3, seeds 1-5: R3 3,3,1,2,9; R11 2,1,1,2,1; R12 24,53,47,68,1;
/// R13 2,1,1,1,1; R14 2,1,1,2,1; minio-buggy 248,90,44,281,179.
#[test]
fn pct_finds_each_bug_within_10000_executions() {
    for bug in &BUGS {
        for seed in 1..=5 {
            let search = Search::Pct { depth: 3, seed };
            let found = canary::finding(bug.scenario, bug.variant, search, 10_000);
            assert_eq!(
                found.oracle,
                Some(bug.oracle),
                "{} seed {seed}",
                bug.scenario
            );
        }
    }
}

/// The fixed variants DPOR exhausts, with the measured execution counts.
#[test]
fn the_fixed_variants_exhaust_under_dpor() {
    for (scenario, variant, n) in [
        ("mimir/r3-bypass", 1, 46),
        ("mimir/r11-blind-retry", 1, 86),
        ("mimir/r12-lost-response", 1, 9),
        ("mimir/r13-divergent-etag", 1, 494),
    ] {
        let out = canary::sim(scenario, variant, Search::Dpor, 10_000);
        out.assert_expected();
        out.assert_exhausted();
        assert_eq!(out.executions, n, "{scenario} [{variant}]");
    }
}

/// R14's probed variants: both servers probe at startup, and the two probes interleave at
/// the store (DPOR passes 100,000 executions unexhausted, release); bounded here.
#[test]
fn the_probed_variants_pass_a_bounded_search() {
    for variant in [1, 3] {
        canary::sim("mimir/r14-ignored-condition", variant, Search::Dpor, 150).assert_expected();
    }
}

/// loom refuses them for their tasks, shuttle for its clock, then its nodes; tokio R12 for
/// its fault budget. One line each.
#[test]
fn other_backends_refuse_them_with_one_line() {
    let mut scenarios: Vec<&str> = BUGS.iter().map(|b| b.scenario).collect();
    scenarios.dedup();
    canary::assert_mimir_refusals(scenarios);
}
