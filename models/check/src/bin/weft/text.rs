//! What the CLI prints as text: the scenario list, one result, and the `check --all` table
//! (whose rows, in JSON, are `json.rs`'s).

#![allow(clippy::disallowed_methods)] // the table's wall time is reported on purpose

use std::io::IsTerminal;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use weft_check::{
    Backend, BackendPlan, Finding, Flavour, Outcome, Plan, Reproduce, Search, Verdict,
};
use weft_models::registry;
use weft_sim::Tolerated;

use crate::json;

pub fn list(json: bool) {
    for info in registry::all() {
        let variants: Vec<&str> = info.variants.iter().map(|v| v.name).collect();
        let oracles: Vec<&str> = info.oracles.iter().map(|o| o.name()).collect();
        let backends: Vec<&str> = Backend::ALL
            .iter()
            .filter(|b| b.fits(info).is_ok())
            .map(|b| b.name())
            .collect();
        let faults: serde_json::Map<String, serde_json::Value> = weft_core::faults::FaultKind::ALL
            .iter()
            .filter(|k| info.faults.budget.get(**k) > 0)
            .map(|k| (k.to_string(), info.faults.budget.get(*k).into()))
            .collect();
        if json {
            let v = serde_json::json!({
                "nodes": info.faults.nodes,
                "faults": faults,
                "name": info.name,
                "system": info.system,
                "variants": variants,
                "oracles": oracles,
                "backends": backends,
                "summary": info.summary,
                "spec": info.spec,
            });
            println!("{v}");
        } else {
            let declared = if info.faults.any() {
                format!("[{}] ", info.faults)
            } else {
                String::new()
            };
            println!(
                "{:<34} {:<32} variants={:<24} backends={:<22} {declared}{}",
                info.name,
                info.system,
                variants.join(","),
                backends.join(","),
                info.summary
            );
        }
    }
}

/// How the plan explores, as the table's strategy column says it: `pct:3`, `dfs`, `replay`,
/// `dpor, preemption bound 1`, `multi-thread x100`.
pub fn strategy(plan: &Plan) -> String {
    match plan.backend() {
        BackendPlan::Sim { search, .. } | BackendPlan::Shuttle { search, .. } => {
            search.kind().to_string()
        }
        BackendPlan::Replay { .. } => "replay".to_string(),
        BackendPlan::Loom {
            preemption_bound: Some(b),
        } => format!("dpor, preemption bound {b}"),
        BackendPlan::Loom {
            preemption_bound: None,
        } => "dpor".to_string(),
        BackendPlan::Tokio { runs, flavour } => {
            let kind = match flavour {
                Flavour::MultiThread => "multi-thread",
                Flavour::PausedClock => "paused clock",
            };
            format!("{kind} x{runs}")
        }
    }
}

/// The command that reproduces a finding, if one does: `weft replay ...` for sim, the same
/// seeded `weft check ...` up to the failing execution for shuttle.
pub fn reproduce(out: &Outcome, f: &Finding) -> Option<String> {
    match &f.reproduce {
        Reproduce::Sim { command, .. } => Some(command.clone()),
        Reproduce::Shuttle { search, executions } => {
            let strategy = match search {
                Search::Pct { depth, .. } => format!("pct --depth {depth}"),
                Search::Random { .. }
                | Search::Dfs { .. }
                | Search::Dpor
                | Search::Icb { .. }
                | Search::Hunt { .. }
                | Search::Portfolio { .. } => search.choice().name().to_string(),
            };
            Some(format!(
                "weft check {} --variant {} --backend shuttle --strategy {strategy} --seed {} \
                 --iterations {executions}",
                out.plan.scenario().name,
                out.plan.variant().name,
                search.seed().unwrap_or(weft_check::defaults::SEED),
            ))
        }
        Reproduce::Rerun => None,
    }
}

/// The verdict: `pass`, `pass (exhausted)`, `pass (not exhausted)`, or `FAIL kind (oracle)`.
fn verdict(out: &Outcome) -> String {
    verdict_of(
        out.finding.as_ref(),
        out.failed_runs,
        out.executions,
        out.exhausted,
    )
}

fn verdict_of(
    finding: Option<&Finding>,
    failed_runs: Option<u64>,
    executions: u64,
    exhausted: Option<bool>,
) -> String {
    match (finding, failed_runs) {
        (Some(f), Some(n)) => format!("FAIL {} in {n}/{executions} runs", f.kind),
        (Some(f), None) => match &f.oracle {
            Some(o) => format!("FAIL {} ({o})", f.kind),
            None => format!("FAIL {}", f.kind),
        },
        (None, _) => match exhausted {
            Some(true) => "pass (exhausted)".into(),
            Some(false) => "pass (not exhausted)".into(),
            None => "pass".into(),
        },
    }
}

/// The checker findings the run tolerated, such as `2 contract_violation, 1 data_race`.
fn tolerated(tolerated: &[Tolerated]) -> Option<String> {
    let counts: Vec<String> = tolerated
        .iter()
        .map(|t| format!("{} {}", t.findings, t.kind))
        .collect();
    (!counts.is_empty()).then(|| counts.join(", "))
}

/// ICB's bound reached, and the failure's preemptions: `; bound reached 1, 2 preemption(s)`.
fn bounds(out: &Outcome) -> String {
    let mut s = String::new();
    if let Some(r) = out.bound_reached {
        s += &format!("; bound reached {r}");
    }
    if let (Some(_), Some(p)) = (
        out.bound_reached,
        out.finding.as_ref().and_then(|f| f.preemptions),
    ) {
        s += &format!(", failure with {p} preemption(s)");
    }
    s
}

/// Prints one result: for a sim failure, its one-screen report with the schedule, the replay
/// command and the per-task trace.
pub fn result(out: &Outcome) {
    let plan = &out.plan;
    println!(
        "{} [{}] on {} ({}, {:?} scale): {} after {} execution(s){}",
        plan.scenario().name,
        plan.variant().name,
        plan.backend().backend(),
        strategy(plan),
        plan.scale(),
        verdict(out)
            + &tolerated(&out.tolerated)
                .map(|t| format!("; tolerated {t}"))
                .unwrap_or_default()
            + &bounds(out),
        out.executions,
        match out.exhausted {
            Some(false) => ": the budget ran out before the space did (raise --iterations)",
            _ => "",
        }
    );
    // A sim failure's report lists them itself.
    let reported = out.finding.as_ref().is_some_and(|f| f.sim.is_some());
    for t in out.tolerated.iter().filter(|_| !reported) {
        println!(
            "  tolerated: {} {} finding(s) in {} execution(s); the first: {}",
            t.findings, t.kind, t.executions, t.first
        );
    }
    if let Some(f) = &out.finding {
        match &f.sim {
            Some(report) => print!("{report}"),
            None => {
                println!("  {}", f.message.replace('\n', "\n  "));
                if let Some(replay) = reproduce(out, f) {
                    println!("  reproduce: {replay}");
                }
            }
        }
    }
}

/// The `check --all` table's columns: header, width, right-aligned. The widths fit the
/// registry's longest scenario and variant names, loom's strategy (`dpor, preemption bound 1`)
/// and the longest verdict (`FAIL assertion (post-shutdown-registration)`), with room to spare;
/// the whole line fits a 160-column terminal (the test below). Tolerated findings, whose list
/// has no fixed length, go on a line of their own under their row.
const COLUMNS: [(&str, usize, bool); 8] = [
    ("scenario", 32, false),
    ("variant", 15, false),
    ("backend", 7, false),
    ("strategy", 24, false),
    ("result", 52, false),
    ("ok", 3, false),
    ("executions", 10, true),
    ("wall", 6, true),
];

/// One table line: the cells padded to their columns, one space apart (a cell longer than its
/// column pushes the rest right rather than losing text).
fn table_line(cells: [&str; 8]) -> String {
    let mut line = String::new();
    for (cell, (_, width, right)) in cells.iter().zip(COLUMNS) {
        if !line.is_empty() {
            line.push(' ');
        }
        if right {
            line.push_str(&format!("{cell:>width$}"));
        } else {
            line.push_str(&format!("{cell:<width$}"));
        }
    }
    line.trim_end().to_string()
}

/// The table row of one outcome, and under it the findings it tolerated, if any.
fn table_row(out: &Outcome) -> String {
    let ok = match out.verdict() {
        Verdict::Expected => "yes",
        Verdict::NotObserved => "-",
        Verdict::Unexpected => "NO",
    };
    let plan = &out.plan;
    let row = table_line([
        plan.scenario().name,
        plan.variant().name,
        plan.backend().backend().name(),
        &strategy(plan),
        &verdict(out),
        ok,
        &out.executions.to_string(),
        &format!("{:.1}s", out.wall.as_millis() as f64 / 1000.0),
    ]);
    with_tolerated(row, &out.tolerated)
}

/// A table row, and under it the findings it tolerated, if any.
fn with_tolerated(row: String, found: &[Tolerated]) -> String {
    match tolerated(found) {
        Some(t) => format!("{row}\n  tolerated: {t}"),
        None => row,
    }
}

/// How a `check --all` run went, over all its rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub rows: usize,
    pub as_expected: usize,
    /// Rows whose verdict is not the expected one, or that could not run.
    pub unexpected: usize,
    pub wall_ms: u64,
}

impl Summary {
    /// The table's last line.
    pub fn line(&self) -> String {
        format!(
            "{} rows: {} as expected, {} unexpected, wall {:.1}s",
            self.rows,
            self.as_expected,
            self.unexpected,
            self.wall_ms as f64 / 1000.0
        )
    }
}

/// Runs every plan of [`weft_check::all_plans`]; prints one row each (a progress bar on
/// stderr when it is a terminal), then the [`Summary`] line (or, for JSON, a
/// `{"summary": ...}` object). Returns whether every verdict was the expected one.
pub fn check_all(json: bool) -> bool {
    let start = Instant::now();
    let plans = weft_check::all_plans();
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(plans.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
                .expect("a valid progress template"),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    if !json {
        println!("{}", table_line(COLUMNS.map(|(header, ..)| header)));
    }
    let mut summary = Summary {
        rows: plans.len(),
        ..Summary::default()
    };
    for plan in &plans {
        let what = format!(
            "{} [{}] on {}",
            plan.scenario().name,
            plan.variant().name,
            plan.backend().backend()
        );
        bar.set_message(what.clone());
        let (line, ok) = match weft_check::run(plan) {
            Ok(out) if json => (json::outcome(&out), out.verdict().is_ok()),
            Ok(out) => (table_row(&out), out.verdict().is_ok()),
            Err(e) => (format!("weft: {what}: {e}"), false),
        };
        bar.suspend(|| println!("{line}"));
        bar.inc(1);
        if ok {
            summary.as_expected += 1;
        } else {
            summary.unexpected += 1;
        }
    }
    bar.finish_and_clear();
    summary.wall_ms = start.elapsed().as_millis() as u64;
    if json {
        println!("{}", serde_json::json!({ "summary": summary }));
    } else {
        println!("{}", summary.line());
    }
    summary.unexpected == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use weft_check::Reproduce;
    use weft_core::{FailureKind, OracleId};

    /// The terminal width the `check --all` table fits.
    const TABLE_WIDTH: usize = 160;

    fn widest(names: impl Iterator<Item = &'static str>) -> &'static str {
        names.max_by_key(|n| n.len()).unwrap()
    }

    /// The widest row the registry and the verdicts can make fits a 160-column terminal.
    #[test]
    fn the_widest_row_fits_the_table_width() {
        let all = registry::all();
        let finding = Finding {
            oracle: Some(OracleId::new("post-shutdown-registration")),
            ..Finding::new(FailureKind::Assertion, String::new(), 1, Reproduce::Rerun)
        };
        let verdict = verdict_of(Some(&finding), None, 1_000_000, Some(false));
        assert_eq!(verdict, "FAIL assertion (post-shutdown-registration)");
        let found = [FailureKind::ContractViolation, FailureKind::DataRace].map(|kind| Tolerated {
            kind,
            findings: 99_999,
            executions: 1,
            first: String::new(),
        });
        let row = table_line([
            widest(all.iter().map(|i| i.name)),
            widest(all.iter().flat_map(|i| i.variants.iter().map(|v| v.name))),
            Backend::Shuttle.name(),
            "dpor, preemption bound 1",
            &verdict,
            "NO",
            "1000000",
            "999.9s",
        ]);
        let text = with_tolerated(row, &found);
        let (row, tolerated) = text.split_once('\n').expect("two lines");
        assert_eq!(
            tolerated,
            "  tolerated: 99999 contract_violation, 99999 data_race"
        );
        assert!(row.len() <= TABLE_WIDTH, "{} columns: {row}", row.len());
        let header = table_line(COLUMNS.map(|(h, ..)| h));
        assert!(header.len() <= TABLE_WIDTH, "{header}");
        // Every column lines up under its header.
        assert_eq!(row.find(" NO "), header.find(" ok "));
    }

    #[test]
    fn the_summary_is_one_line() {
        let s = Summary {
            rows: 130,
            as_expected: 129,
            unexpected: 1,
            wall_ms: 44_210,
        };
        assert_eq!(
            s.line(),
            "130 rows: 129 as expected, 1 unexpected, wall 44.2s"
        );
    }
}
