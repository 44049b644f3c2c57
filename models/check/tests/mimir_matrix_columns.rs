//! `config-concurrency.md` §7.5 cell by cell: each row of `mimir/protocol-matrix` run once per
//! oracle column (O1 to O4, [`matrix_columns::plan`]), with the row's fault budget, and the
//! verdict compared with §7.5's ([`matrix_columns::expected`], except where the model
//! differs for a reason [`matrix_columns::deviation`] gives: [`matrix_columns::measured`]). A cell expected to fail is
//! hunted (ICB and DPOR in alternation; plain ICB where DPOR does not take the row's budget)
//! and must fail with an oracle of its column; a cell expected to pass is searched with DPOR
//! (DFS where DPOR does not take the budget) and must not fail within the cap.
//!
//! CI runs every cell with small caps ([`every_cell_within_small_caps`]): the failing cells
//! whose counterexample is cheap, and every passing cell for a bounded number of executions.
//! `cargo test --release -p weft-check --test mimir_matrix_columns -- --ignored --nocapture`
//! runs every cell with `check --all`'s caps and prints the table the README shows.

use weft_core::OracleId;
use weft_models::mimir::model::oracles;
use weft_models::scenario::{Scenario, VariantId};
use weft_models::scenarios::mimir::matrix_columns::{self, Cell, Column};
use weft_models::scenarios::mimir::{plan, MatrixRow, ProtocolMatrix};
use weft_sim::{Config, Sim, SimError, StrategyKind};

/// What one cell's run gave.
#[derive(Debug)]
enum Got {
    /// No plan: n/a, or O4 without a recovery write.
    NoPlan,
    /// No failure in `executions` (`exhausted`: the whole space).
    Passed { executions: u64, exhausted: bool },
    /// Failed with `oracle` at execution `at`, saying `message`.
    Failed {
        oracle: Option<OracleId>,
        at: u64,
        message: String,
    },
}

fn column_oracles(column: Column) -> &'static [OracleId] {
    match column {
        Column::O1 => &[oracles::NO_LOST_UPDATE, oracles::O1C],
        Column::O2 => &[oracles::LOCK_EXCLUSION],
        Column::O3 => &[oracles::NO_LEAKED_LOCK],
        Column::O4 => &[oracles::BOUNDED_RECOVERY],
    }
}

/// Runs cell (`row`, `column`) searching as the module says, with at most `cap` executions.
fn run_cell(row: MatrixRow, column: Column, cap: u64) -> Got {
    let Some(plan) = matrix_columns::plan(row, column) else {
        return Got::NoPlan;
    };
    let index = MatrixRow::ALL.iter().position(|r| *r == row).unwrap();
    let budget = ProtocolMatrix::INFO.budget(&MatrixRow::DESCRIPTIONS[index]);
    let dpor = weft_sim::strategy::dpor_explores(&budget);
    let expected =
        matrix_columns::expected(row)[Column::ALL.iter().position(|c| *c == column).unwrap()];
    let strategy = match (expected, dpor) {
        (Cell::Fail, true) => StrategyKind::Hunt,
        (Cell::Fail, false) => StrategyKind::Icb,
        (_, true) => StrategyKind::Dpor,
        (_, false) => StrategyKind::Dfs,
    };
    let config = Config::default()
        .strategy(strategy)
        .iterations(cap)
        .faults(budget)
        .summary(false)
        .progress(None);
    match Sim::new(config).run(move |rt| plan::run(rt, plan.clone())) {
        Ok(report) => Got::Passed {
            executions: report.executions,
            exhausted: report.exhausted == Some(true),
        },
        Err(SimError::Failure(f)) => Got::Failed {
            oracle: f.oracle,
            at: f.execution,
            message: f.message.clone(),
        },
        Err(other) => panic!("{row:?} {column:?}: {other}"),
    }
}

/// Whether `got` is what §7.5 expects of the cell; `Err` says why not.
fn judge(row: MatrixRow, column: Column, expected: Cell, got: &Got) -> Result<(), String> {
    match (expected, got) {
        (Cell::NotApplicable, Got::NoPlan) | (Cell::MayFail, _) => Ok(()),
        (Cell::Pass | Cell::Fail, Got::NoPlan) if column == Column::O4 => Ok(()),
        (Cell::Pass, Got::Passed { .. }) => Ok(()),
        (Cell::Fail, Got::Failed { oracle, .. })
            if oracle.is_some_and(|o| column_oracles(column).contains(&o)) =>
        {
            Ok(())
        }
        _ => {
            let said = match got {
                Got::Failed { message, .. } => message.as_str(),
                _ => "",
            };
            Err(format!(
                "{row:?} {column:?}: expected {expected:?}, got {got:?} {said}"
            ))
        }
    }
}

fn text(got: &Got, expected: Cell) -> String {
    match got {
        Got::NoPlan if expected == Cell::NotApplicable => "n/a".to_string(),
        Got::NoPlan => "not checked".to_string(),
        Got::Passed {
            executions,
            exhausted: true,
        } => format!("pass (exhausted, {executions})"),
        Got::Passed { executions, .. } => format!("pass ({executions}, not exhausted)"),
        Got::Failed { at, .. } => format!("**fail** at {at}"),
    }
}

/// Runs every cell, `cap(row, expected)` executions each (`None`: not run), and returns the
/// mismatches and the table.
fn every_cell(cap: impl Fn(MatrixRow, Cell) -> Option<u64>) -> (Vec<String>, String) {
    let mut wrong = Vec::new();
    let mut table = String::from("| row | O1 | O2 | O3 | O4 |\n|---|---|---|---|---|\n");
    for (i, &row) in MatrixRow::ALL.iter().enumerate() {
        let name = MatrixRow::DESCRIPTIONS[i].name;
        let mut cells = Vec::new();
        for (c, &column) in Column::ALL.iter().enumerate() {
            let expected = matrix_columns::measured(row)[c];
            let Some(cap) = cap(row, expected) else {
                cells.push("not run".to_string());
                continue;
            };
            let got = run_cell(row, column, cap);
            if let Err(e) = judge(row, column, expected, &got) {
                wrong.push(e);
            }
            cells.push(text(&got, expected));
        }
        table.push_str(&format!("| `{name}` | {} |\n", cells.join(" | ")));
    }
    (wrong, table)
}

/// Every cell with small caps: the failing cells whose counterexample takes at most 2,000
/// executions, the others (the double steals and the clock-skew rule, at 1,389 to 10,863 DPOR
/// executions) in the ignored test and in `mimir_lock.rs`; passing cells 100 executions.
#[test]
fn every_cell_within_small_caps() {
    let slow = [
        MatrixRow::BDoubleSteal,
        MatrixRow::BPrimeMinioLike,
        MatrixRow::BClockSkew,
    ];
    let (wrong, table) = every_cell(|row, expected| match expected {
        Cell::Fail if slow.contains(&row) => None,
        Cell::Fail => Some(2_000),
        _ => Some(100),
    });
    assert!(wrong.is_empty(), "{wrong:#?}\n{table}");
}

/// Every cell with `check --all`'s caps (20,000 DPOR executions for a passing cell, 40,000 for
/// a hunted one); prints the table.
#[test]
#[ignore = "minutes in release: cargo test --release --test mimir_matrix_columns -- --ignored"]
fn every_cell_as_in_check_all() {
    let (wrong, table) = every_cell(|_, expected| match expected {
        Cell::Fail => Some(40_000),
        _ => Some(20_000),
    });
    println!("{table}");
    assert!(wrong.is_empty(), "{wrong:#?}\n{table}");
}
