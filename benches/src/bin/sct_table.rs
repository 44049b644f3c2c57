//! Prints the `sct/*` suite's bug-finding table as Markdown: for each program (with its
//! preemption minimum and task count), executions to the first failure of its buggy variant,
//! `min / median / max` over seeds 1 to 10, per strategy; `—` when no seed finds it within
//! 10,000 executions.
//!
//! ```text
//! cargo run --release -p weft-benches --bin sct_table [-- COLUMN,COLUMN,...]
//! ```
//!
//! Columns (default: every weft-sim sampler, the portfolio, shuttle PCT d=3 and random):
//! `random`, `pct:D`, `portfolio`, any other `WEFT_STRATEGY` name (`dpor`, `icb` once they
//! exist), `shuttle:random`, `shuttle:pct:D`.

use std::process::ExitCode;

use weft_benches::sct::{cell, first_failure, Column};
use weft_models::scenarios::sct;

const DEFAULT_COLUMNS: &str = "random,pct:2,pct:3,pct:5,portfolio,shuttle:pct:3,shuttle:random";

fn main() -> ExitCode {
    let arg = std::env::args().nth(1);
    let spec = arg.as_deref().unwrap_or(DEFAULT_COLUMNS);
    let columns: Vec<Column> = match spec.split(',').map(Column::parse).collect() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("sct_table: {e}");
            return ExitCode::from(2);
        }
    };
    let mut header = String::from("| program | preemptions | tasks |");
    let mut rule = String::from("|---|---|---|");
    for c in &columns {
        header.push_str(&format!(" {c} |"));
        rule.push_str("---|");
    }
    println!("{header}\n{rule}");
    for program in sct::SUITE {
        let mut row = format!(
            "| `{}` | {} | {} |",
            program.info.name, program.preemptions, program.info.max_tasks
        );
        for &c in &columns {
            let found: Vec<_> = sct::SEEDS
                .map(|seed| first_failure(program.info, c, seed))
                .collect();
            row.push_str(&format!(" {} |", cell(&found)));
        }
        println!("{row}");
    }
    println!(
        "\nExecutions to the first failure of each buggy variant, min / median / max over seeds \
         {}..={}, budget {} executions; (k/n): only k of n seeds found it; —: none did.",
        sct::SEEDS.start(),
        sct::SEEDS.end(),
        sct::BUDGET
    );
    ExitCode::SUCCESS
}
