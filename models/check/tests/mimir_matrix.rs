//! `mimir/protocol-matrix` (`config-concurrency.md` §7.5) through the check layer: each row
//! runs with its own fault budget (a variant's [`Variant::budget`], which the check layer
//! passes to the simulator), the failing rows fail with the oracle §7.5 marks, and the rows
//! that must pass pass a bounded DPOR search here (their exhausted figures, from release
//! `weft check` runs, are in the README).
//!
//! [`Variant::budget`]: weft_models::scenario::Variant::budget

use weft_check::{Backend, Search, Unfit};
use weft_core::faults::{Budget, FaultKind};
use weft_models::scenario::Expect;
use weft_models::scenarios::mimir::protocol_matrix::ANY_NETWORK;

mod canary;

const MATRIX: &str = "mimir/protocol-matrix";

fn row(name: &str) -> usize {
    canary::info(MATRIX)
        .variants
        .iter()
        .position(|v| v.name == name)
        .unwrap_or_else(|| panic!("no row {name}"))
}

#[test]
fn every_row_carries_the_budget_its_faults_column_names() {
    let info = canary::info(MATRIX);
    assert_eq!(info.faults.budget, Budget::NONE, "the rows carry their own");
    let budget = |name: &str| info.budget(&info.variants[row(name)]);
    assert_eq!(budget("a-cas-full"), ANY_NETWORK);
    assert_eq!(budget("a-broken"), Budget::NONE);
    assert_eq!(budget("b-holder-crash").get(FaultKind::Crash), 1);
    assert_eq!(budget("bp-late").get(FaultKind::Delay), 1);
    assert_eq!(info.any_budget(), Some(ANY_NETWORK));
    // A row's budget is a fault budget like any other: backends without fault injection
    // refuse the scenario with one line.
    canary::assert_refusals(
        MATRIX,
        &[(Backend::Tokio, info, Unfit::FaultBudget(ANY_NETWORK))],
    );
}

#[test]
fn the_failing_rows_fail_with_the_oracle_of_their_row() {
    // (row, executions DPOR needs in release, measured): the fast ones; the double steal
    // (1,389) and the clock-skew rule run in `mimir_lock.rs` as R6 and R8.
    for (name, within) in [
        ("a-broken", 1),
        ("b-412-leak", 1),
        // Only reachable with the row's own budget (one long delay): under the scenario's
        // budget, none, this row would pass.
        ("bp-late", 13),
    ] {
        let out = canary::sim(MATRIX, row(name), Search::Dpor, within);
        let info = canary::info(MATRIX);
        assert!(
            matches!(info.variants[row(name)].expect, Expect::Fail(..)),
            "{name}"
        );
        out.assert_expected();
        assert!(out.finding.is_some(), "{name}: no failure in {within}");
    }
}

#[test]
fn the_passing_rows_pass_a_bounded_dpor_search() {
    for name in ["a-cas-full", "bp-bounded"] {
        let out = canary::sim(MATRIX, row(name), Search::Dpor, 300);
        out.assert_expected();
        assert!(out.finding.is_none(), "{name}: {:?}", out.finding);
    }
}
