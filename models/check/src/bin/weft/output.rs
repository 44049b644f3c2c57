//! What the CLI prints: the scenario list, one result, and the `check --all` table.

#![allow(clippy::disallowed_methods)] // the table's wall time is reported on purpose

use std::io::IsTerminal;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use weft_models::registry;
use weft_models::scenario::Expect;

use crate::backend::Backend;
use crate::budget;
use crate::run::{self, Outcome};

pub fn list(json: bool) {
    for info in registry::all() {
        let variants: Vec<&str> = info.variants.iter().map(|v| v.name).collect();
        let backends: Vec<&str> = Backend::ALL
            .iter()
            .filter(|b| b.supports(info).is_ok())
            .map(|b| b.name())
            .collect();
        if json {
            let v = serde_json::json!({
                "name": info.name,
                "system": info.system,
                "variants": variants,
                "backends": backends,
                "summary": info.summary,
                "spec": info.spec,
            });
            println!("{v}");
        } else {
            println!(
                "{:<34} {:<32} variants={:<24} backends={:<22} {}",
                info.name,
                info.system,
                variants.join(","),
                backends.join(","),
                info.summary
            );
        }
    }
}

/// The verdict: `pass`, `pass (exhausted)`, `pass (not exhausted)`, or `FAIL kind (oracle)`.
fn verdict(out: &Outcome) -> String {
    match (&out.failure, out.failed_runs) {
        (Some(f), Some(n)) => format!("FAIL {} in {n}/{} runs", f.kind, out.executions),
        (Some(f), None) => match &f.oracle {
            Some(o) => format!("FAIL {} ({o})", f.kind),
            None => format!("FAIL {}", f.kind),
        },
        (None, _) => match out.exhausted {
            Some(true) => "pass (exhausted)".into(),
            Some(false) => "pass (not exhausted)".into(),
            None => "pass".into(),
        },
    }
}

/// The checker findings the run tolerated, such as `2 contract_violation, 1 data_race`.
fn tolerated(out: &Outcome) -> Option<String> {
    let counts: Vec<String> = out
        .tolerated
        .iter()
        .map(|t| format!("{} {}", t.findings, t.kind))
        .collect();
    (!counts.is_empty()).then(|| counts.join(", "))
}

/// Prints one result: JSON (one object per line), or text (for a sim failure, its one-screen
/// report with the schedule, the replay command and the per-task trace).
pub fn result(out: &Outcome, json: bool) {
    if json {
        println!(
            "{}",
            serde_json::to_string(out).expect("outcomes serialize")
        );
        return;
    }
    println!(
        "{} [{}] on {} ({}, {:?} scale): {} after {} execution(s){}",
        out.scenario,
        out.variant,
        out.backend,
        out.strategy,
        out.scale,
        verdict(out)
            + &tolerated(out)
                .map(|t| format!("; tolerated {t}"))
                .unwrap_or_default(),
        out.executions,
        match out.exhausted {
            Some(false) => ": the budget ran out before the space did (raise --iterations)",
            _ => "",
        }
    );
    // A sim failure's report lists them itself.
    let reported = out.failure.as_ref().is_some_and(|f| f.report.is_some());
    for t in out.tolerated.iter().filter(|_| !reported) {
        println!(
            "  tolerated: {} {} finding(s) in {} execution(s); the first: {}",
            t.findings, t.kind, t.executions, t.first
        );
    }
    if let Some(f) = &out.failure {
        match &f.report {
            Some(report) => print!("{report}"),
            None => {
                println!("  {}", f.message.replace('\n', "\n  "));
                if let Some(replay) = &f.replay {
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
fn table_row(out: &Outcome, expect: Expect) -> String {
    let ok = match (out.as_expected, out.backend, out.failure.is_none()) {
        (true, Backend::Tokio, true) if expect != Expect::Pass => "-",
        (true, ..) => "yes",
        (false, ..) => "NO",
    };
    let row = table_line([
        &out.scenario,
        &out.variant,
        out.backend.name(),
        &out.strategy,
        &verdict(out),
        ok,
        &out.executions.to_string(),
        &format!("{:.1}s", out.wall_ms.unwrap_or(0) as f64 / 1000.0),
    ]);
    match tolerated(out) {
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

/// Runs every scenario × variant × backend of [`budget::all_jobs`]; prints one row each (a
/// progress bar on stderr when it is a terminal), then the [`Summary`] line (or, for JSON, a
/// `{"summary": ...}` object). Returns whether every verdict was the expected one.
pub fn check_all(json: bool) -> bool {
    let start = Instant::now();
    let jobs = budget::all_jobs();
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(jobs.len() as u64);
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
        rows: jobs.len(),
        ..Summary::default()
    };
    for job in &jobs {
        bar.set_message(format!(
            "{} [{}] on {}",
            job.scenario, job.variant.name, job.backend
        ));
        let (line, ok) = match run::run(job) {
            Ok(out) if json => (
                serde_json::to_string(&out).expect("outcomes serialize"),
                out.as_expected,
            ),
            Ok(out) => (table_row(&out, job.variant.expect), out.as_expected),
            Err(e) => (
                format!(
                    "weft: {} [{}] on {}: {e}",
                    job.scenario, job.variant.name, job.backend
                ),
                false,
            ),
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
    use crate::run::{FailureOut, ToleratedOut};
    use weft_models::scenario::Scale;

    /// The terminal width the `check --all` table fits.
    const TABLE_WIDTH: usize = 160;

    fn widest(names: impl Iterator<Item = &'static str>) -> &'static str {
        names.max_by_key(|n| n.len()).unwrap()
    }

    /// The widest row the registry and the verdicts can make fits a 160-column terminal.
    #[test]
    fn the_widest_row_fits_the_table_width() {
        let all = registry::all();
        let failure = FailureOut {
            kind: "assertion".to_string(),
            oracle: Some("post-shutdown-registration".to_string()),
            message: String::new(),
            seed: None,
            schedule: None,
            execution: 1,
            task: None,
            replay: None,
            trace: None,
            report: None,
        };
        let out = Outcome {
            scenario: widest(all.iter().map(|i| i.name)).to_string(),
            variant: widest(all.iter().flat_map(|i| i.variants.iter().map(|v| v.name))).to_string(),
            backend: Backend::Shuttle,
            strategy: "dpor, preemption bound 1".to_string(),
            scale: Scale::Minimal,
            executions: 1_000_000,
            exhausted: Some(false),
            failure: Some(failure),
            failed_runs: None,
            tolerated: ["contract_violation", "data_race"]
                .map(|kind| ToleratedOut {
                    kind: kind.to_string(),
                    findings: 99_999,
                    executions: 1,
                    first: String::new(),
                })
                .to_vec(),
            expected: String::new(),
            as_expected: false,
            wall_ms: Some(999_900),
        };
        let text = table_row(&out, Expect::Pass);
        assert_eq!(verdict(&out), "FAIL assertion (post-shutdown-registration)");
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
