//! What the CLI prints: the scenario list, one result, and the `check --all` table.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};
use weft_models::registry;
use weft_models::scenario::Expect;
use weft_sim::StrategyKind;

use crate::backend::Backend;
use crate::run::{self, Job, Outcome};

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

fn verdict(out: &Outcome) -> String {
    let tolerated: Vec<String> = out
        .tolerated
        .iter()
        .map(|t| format!("{} {}", t.findings, t.kind))
        .collect();
    let tolerated = if tolerated.is_empty() {
        String::new()
    } else {
        format!("; tolerated {}", tolerated.join(", "))
    };
    let verdict = match (&out.failure, out.failed_runs) {
        (Some(f), Some(n)) => format!("FAIL {} in {n}/{} runs", f.kind, out.executions),
        (Some(f), None) => match &f.oracle {
            Some(o) => format!("FAIL {} ({o})", f.kind),
            None => format!("FAIL {}", f.kind),
        },
        (None, _) => match out.exhausted {
            Some(true) => "pass (exhausted)".into(),
            _ => "pass".into(),
        },
    };
    verdict + &tolerated
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
        verdict(out),
        out.executions,
        match out.exhausted {
            Some(true) => ", space exhausted",
            Some(false) => ", space not exhausted",
            None => "",
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

/// The budgets of `check --all` (chosen to finish in about two minutes on two cores).
fn all_jobs() -> Vec<Job> {
    let mut jobs = Vec::new();
    for info in registry::all() {
        for variant in info.variants {
            let job = |backend, strategy, iterations, preemption_bound| Job {
                scenario: info.name,
                variant,
                backend,
                strategy,
                seed: 1,
                iterations,
                preemption_bound,
                scale: run::scale_for(backend, strategy),
                schedule: None,
            };
            let pct = StrategyKind::Pct { depth: 3 };
            jobs.push(job(Backend::Sim, pct, 10_000, None));
            jobs.push(job(Backend::Sim, StrategyKind::Dfs, 1_000_000, Some(2)));
            if Backend::Shuttle.supports(info).is_ok() {
                jobs.push(job(Backend::Shuttle, pct, 1_000, None));
            }
            if Backend::Loom.supports(info).is_ok() {
                jobs.push(job(Backend::Loom, StrategyKind::Dfs, 0, Some(1)));
            }
            jobs.push(job(Backend::Tokio, pct, 100, None));
        }
    }
    jobs
}

/// Runs every scenario × variant × backend; prints one row each. Returns whether every
/// verdict was the expected one.
pub fn check_all(json: bool) -> bool {
    let jobs = all_jobs();
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
        println!(
            "{:<34} {:<16} {:<8} {:<34} {:<58} {:>3} {:>11} {:>9} {:>9}",
            "scenario",
            "variant",
            "backend",
            "strategy",
            "result",
            "ok",
            "executions",
            "exhausted",
            "wall"
        );
    }
    let mut all_ok = true;
    for job in &jobs {
        bar.set_message(format!(
            "{} [{}] on {}",
            job.scenario, job.variant.name, job.backend
        ));
        let out = match run::run(job) {
            Ok(out) => out,
            Err(e) => {
                bar.println(format!("weft: {e}"));
                all_ok = false;
                continue;
            }
        };
        all_ok &= out.as_expected;
        let line = if json {
            serde_json::to_string(&out).expect("outcomes serialize")
        } else {
            format!(
                "{:<34} {:<16} {:<8} {:<34} {:<58} {:>3} {:>11} {:>9} {:>8.1}s",
                out.scenario,
                out.variant,
                out.backend.name(),
                out.strategy,
                verdict(&out),
                match (out.as_expected, out.backend, out.failure.is_none()) {
                    (true, Backend::Tokio, true) if job.variant.expect != Expect::Pass => "-",
                    (true, ..) => "yes",
                    (false, ..) => "NO",
                },
                out.executions,
                match out.exhausted {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "-",
                },
                out.wall_ms.unwrap_or(0) as f64 / 1000.0
            )
        };
        bar.suspend(|| println!("{line}"));
        bar.inc(1);
    }
    bar.finish_and_clear();
    all_ok
}
