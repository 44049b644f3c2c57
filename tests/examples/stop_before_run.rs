//! The main job until the `weft` CLI exists: the Stop-before-Run scenario (written once, in
//! weft-core's tests) on every backend and variant, one line each.
//!
//! ```text
//! cargo run --release -p weft-tests --example stop_before_run
//! ```

#![allow(clippy::disallowed_methods)] // reports wall time on purpose

#[path = "../../core/tests/support/stop_before_run.rs"]
mod stop_before_run;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use stop_before_run::{scenario, Variant};
use weft_core::backend::verdict::{Checked, Found};
use weft_core::backend::{loom as wloom, shuttle as wshuttle, tokio::TokioRuntime};
use weft_core::error::panic_message;
use weft_core::Runtime;
use weft_sim::{Config, Sim, StrategyKind};

struct Row {
    backend: &'static str,
    how: String,
    result: String,
    executions: u64,
}

fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let r = catch_unwind(AssertUnwindSafe(f)).map_err(|p| panic_message(&*p));
    std::panic::set_hook(hook);
    r
}

/// The row's result and executions from a checker's typed verdict.
fn verdict(r: Result<Checked, Box<Found>>) -> (String, u64) {
    match r {
        Ok(c) => ("pass".to_string(), c.executions),
        Err(f) => (format!("FAIL {}", f.fault.kind), f.execution),
    }
}

fn tokio_row(variant: Variant) -> Row {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let runs = 1000;
    let failed = quietly(|| {
        runtime.block_on(async {
            let rt = TokioRuntime::new();
            for _ in 0..runs {
                rt.spawn("owner", scenario(rt.clone(), variant, 1))
                    .join_or_panic()
                    .await;
            }
            rt.panics().len()
        })
    })
    .unwrap_or(runs);
    Row {
        backend: "tokio",
        how: "multi-thread x1000".into(),
        result: if failed == 0 {
            "pass".into()
        } else {
            format!("FAIL in {failed}/{runs} runs")
        },
        executions: runs as u64,
    }
}

/// Awaits a task, turning its panic (already recorded by the tokio backend) into a return.
trait JoinOrPanic {
    async fn join_or_panic(self);
}

impl<T: Send + 'static> JoinOrPanic for weft_core::JoinHandle<TokioRuntime, T> {
    async fn join_or_panic(self) {
        while !self.is_finished() {
            tokio::task::yield_now().await;
        }
    }
}

fn loom_row(variant: Variant) -> Row {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(2);
    let (result, executions) = verdict(wloom::try_model_with(builder, move |rt| {
        scenario(rt, variant, 1)
    }));
    Row {
        backend: "loom",
        how: "preemption bound 2".into(),
        result,
        executions,
    }
}

fn shuttle_row(variant: Variant) -> Row {
    let (result, executions) = verdict(wshuttle::try_check_pct(
        move |rt| scenario(rt, variant, 1),
        1,
        1000,
        3,
    ));
    Row {
        backend: "shuttle",
        how: "pct d=3 x1000".into(),
        result,
        executions,
    }
}

fn sim_row(variant: Variant, strategy: StrategyKind) -> Row {
    let sim = Sim::new(Config::default().strategy(strategy).iterations(
        if strategy == StrategyKind::Dfs {
            u64::MAX
        } else {
            1000
        },
    ));
    match sim.run(move |rt| scenario(rt, variant, 1)) {
        Ok(report) => Row {
            backend: "weft-sim",
            how: strategy.to_string(),
            result: match report.exhausted {
                Some(true) => "pass (space exhausted)".into(),
                _ => "pass".into(),
            },
            executions: report.executions,
        },
        Err(e) => {
            let (result, executions) = match e.failure() {
                Some(f) => (
                    format!("FAIL {} (schedule {})", f.kind, f.schedule.encode()),
                    f.execution,
                ),
                None => (format!("error: {e}"), 0),
            };
            Row {
                backend: "weft-sim",
                how: strategy.to_string(),
                result,
                executions,
            }
        }
    }
}

fn main() {
    println!("Stop-before-Run (shared/specs/alertmanager.md §4 B1): one source, every backend");
    println!(
        "{:<8} {:<9} {:<20} {:>10} {:>9}  result",
        "variant", "backend", "how", "executions", "wall"
    );
    for (name, variant) in [("buggy", Variant::Buggy), ("fixed", Variant::Fixed)] {
        let runs: Vec<Box<dyn Fn() -> Row>> = vec![
            Box::new(move || tokio_row(variant)),
            Box::new(move || loom_row(variant)),
            Box::new(move || shuttle_row(variant)),
            Box::new(move || sim_row(variant, StrategyKind::Pct { depth: 3 })),
            Box::new(move || sim_row(variant, StrategyKind::Dfs)),
        ];
        for run in runs {
            let start = Instant::now();
            let row = run();
            println!(
                "{:<8} {:<9} {:<20} {:>10} {:>8.2?}  {}",
                name,
                row.backend,
                row.how,
                row.executions,
                start.elapsed(),
                row.result
            );
        }
    }
}
