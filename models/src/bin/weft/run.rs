//! Runs one scenario × variant on one backend and reports what happened.

#![allow(clippy::disallowed_methods)] // wall time of a run is reported on purpose

use std::time::{Duration, Instant};

use serde::Serialize;
use weft_core::backend::{loom as wloom, shuttle as wshuttle, tokio::TokioRuntime};
use weft_core::{FailureKind, Fault, Runtime};
use weft_models::registry;
use weft_models::scenario::{Expect, Scale, Scenario, Variant, Visitor};
use weft_sim::{Config, Schedule, Sim, SimError, StrategyKind};

use crate::backend::Backend;

/// What to run.
#[derive(Clone, Debug)]
pub struct Job {
    pub scenario: &'static str,
    pub variant: &'static Variant,
    pub backend: Backend,
    pub strategy: StrategyKind,
    pub seed: u64,
    pub iterations: u64,
    pub preemption_bound: Option<u32>,
    pub scale: Scale,
    /// Replay this schedule (sim only).
    pub schedule: Option<Schedule>,
    /// sim: print weft-sim's progress lines on stderr during a long run (a single check;
    /// `check --all` shows its own progress bar instead).
    pub progress: bool,
}

/// A failure, as JSON shows it.
#[derive(Clone, Debug, Serialize)]
pub struct FailureOut {
    pub kind: String,
    pub oracle: Option<String>,
    pub message: String,
    pub seed: Option<u64>,
    pub schedule: Option<String>,
    pub execution: u64,
    pub task: Option<String>,
    pub replay: Option<String>,
    pub trace: Option<String>,
    /// The sim's one-screen report (text output prints it).
    #[serde(skip)]
    pub report: Option<String>,
}

/// Checker findings of one kind that a scenario tolerates, over the run.
#[derive(Clone, Debug, Serialize)]
pub struct ToleratedOut {
    pub kind: String,
    pub findings: u64,
    pub executions: u64,
    pub first: String,
}

fn tolerated_out(tolerated: &[weft_sim::Tolerated]) -> Vec<ToleratedOut> {
    tolerated
        .iter()
        .map(|t| ToleratedOut {
            kind: t.kind.to_string(),
            findings: t.findings,
            executions: t.executions,
            first: t.first.clone(),
        })
        .collect()
}

/// The result of one job.
#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    pub scenario: String,
    pub variant: String,
    pub backend: Backend,
    pub strategy: String,
    pub scale: Scale,
    pub executions: u64,
    pub exhausted: Option<bool>,
    pub failure: Option<FailureOut>,
    /// tokio only: how many of the runs failed.
    pub failed_runs: Option<u64>,
    /// sim only: checker findings the scenario counts instead of failing on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tolerated: Vec<ToleratedOut>,
    pub expected: String,
    pub as_expected: bool,
    /// Wall time; absent from replays, whose output is identical on every run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wall_ms: Option<u64>,
}

/// Runs `job`. `Err` is bad input (a one-line message).
pub fn run(job: &Job) -> Result<Outcome, String> {
    let info = registry::find(job.scenario)?;
    job.backend.supports(info)?;
    if job.schedule.is_some() && job.backend != Backend::Sim {
        return Err("--schedule replays weft-sim schedules: use --backend sim".into());
    }
    let start = Instant::now();
    let mut out = registry::visit(job.scenario, Runner(job))??;
    if job.schedule.is_none() {
        out.wall_ms = Some(start.elapsed().as_millis() as u64);
    }
    let expect = job.variant.expect;
    out.expected = expect.describe();
    out.as_expected = match (&out.failure, expect) {
        // A stress run is not expected to find a bug: that is the point of the table.
        (None, _) if job.backend == Backend::Tokio => true,
        // tokio has no checkers: it sees a bug's consequence (an oracle, a hang), not the
        // checker finding the spec names (a WaitGroup misuse shows up as overlapping tasks).
        (Some(_), e) if job.backend == Backend::Tokio => e != Expect::Pass,
        (None, Expect::Pass) => true,
        (Some(f), e) => FailureKind::parse(&f.kind).is_some_and(|k| {
            e.matches(
                k,
                info.oracles
                    .iter()
                    .copied()
                    .find(|o| f.oracle.as_deref() == Some(o.name())),
            )
        }),
        (None, _) => false,
    };
    Ok(out)
}

struct Runner<'a>(&'a Job);

impl Visitor for Runner<'_> {
    type Output = Result<Outcome, String>;
    fn visit<S: Scenario>(self) -> Self::Output {
        let job = self.0;
        match job.backend {
            Backend::Sim => sim::<S>(job),
            Backend::Shuttle => Ok(shuttle::<S>(job)),
            Backend::Loom => Ok(loom::<S>(job)),
            Backend::Tokio => Ok(tokio::<S>(job)),
        }
    }
}

fn outcome(job: &Job, strategy: String) -> Outcome {
    Outcome {
        scenario: job.scenario.to_string(),
        variant: job.variant.name.to_string(),
        backend: job.backend,
        strategy,
        scale: job.scale,
        executions: 0,
        exhausted: None,
        failure: None,
        failed_runs: None,
        tolerated: Vec::new(),
        expected: String::new(),
        as_expected: false,
        wall_ms: None,
    }
}

/// The exact `weft replay` command for a sim schedule.
pub fn replay_command(scenario: &str, variant: &str, scale: Scale) -> String {
    let scale = match scale {
        Scale::Minimal => " --scale minimal",
        Scale::Full => "",
    };
    format!("weft replay {scenario} --variant {variant}{scale} --schedule {{schedule}}")
}

/// The scale a strategy explores: the minimal model for exhaustive search, the full workload
/// for sampling.
pub fn scale_for(backend: Backend, strategy: StrategyKind) -> Scale {
    match (backend, strategy) {
        (Backend::Loom, _) | (_, StrategyKind::Dfs) => Scale::Minimal,
        _ => Scale::Full,
    }
}

fn sim<S: Scenario>(job: &Job) -> Result<Outcome, String> {
    let mut config = Config::default()
        .seed(job.seed)
        .iterations(job.iterations)
        .strategy(job.strategy)
        .preemption_bound(job.preemption_bound)
        .replay_command(replay_command(job.scenario, job.variant.name, job.scale));
    for prefix in S::INFO.may_outlive {
        config = config.allow_outlive(*prefix);
    }
    for kind in S::INFO.tolerates {
        config = config.tolerate(*kind);
    }
    if !job.progress {
        config = config.progress(None);
    }
    let replaying = job.schedule.is_some();
    if let Some(s) = &job.schedule {
        config = config.schedule(s.clone());
    }
    let (variant, scale) = (job.variant, job.scale);
    let strategy = if replaying {
        "replay".to_string()
    } else {
        job.strategy.to_string()
    };
    let mut out = outcome(job, strategy);
    match Sim::new(config).run(move |rt| S::run_variant(rt, variant, scale)) {
        Ok(report) => {
            out.executions = report.executions;
            out.exhausted = report.exhausted;
            out.tolerated = tolerated_out(&report.tolerated);
        }
        Err(e @ (SimError::Config(_) | SimError::ScheduleMismatch(_))) => return Err(e.to_string()),
        Err(SimError::Failure(f)) => {
            out.executions = f.execution;
            out.tolerated = tolerated_out(&f.tolerated);
            let message = f.fault().to_string();
            out.failure = Some(FailureOut {
                kind: f.kind.to_string(),
                oracle: f.oracle.map(|o| o.name().to_string()),
                message,
                seed: Some(f.seed),
                schedule: Some(f.schedule.encode()),
                execution: f.execution,
                task: Some(f.task.clone()),
                replay: Some(f.replay_command.clone()),
                trace: Some(f.trace_report()),
                report: Some(f.to_string()),
            });
        }
    }
    Ok(out)
}

/// Runs `f` with the panic hook silenced (unless `WEFT_SHOW_PANICS` is set): the checkers and
/// the tokio runs report panics themselves.
fn silenced<T>(f: impl FnOnce() -> T) -> T {
    let hook = std::panic::take_hook();
    if std::env::var_os("WEFT_SHOW_PANICS").is_none() {
        std::panic::set_hook(Box::new(|_| {}));
    }
    let r = f();
    std::panic::set_hook(hook);
    r
}

/// The report of a checker's failure (`kind` is the fault's, a value; `message` its text).
fn panic_failure(fault: &Fault, message: String, execution: u64) -> FailureOut {
    FailureOut {
        kind: fault.kind.to_string(),
        oracle: fault.oracle.map(|o| o.name().to_string()),
        message,
        seed: None,
        schedule: None,
        execution,
        task: None,
        replay: None,
        trace: None,
        report: None,
    }
}

fn shuttle<S: Scenario>(job: &Job) -> Outcome {
    let (variant, scale) = (job.variant, job.scale);
    let body = move |rt: wshuttle::ShuttleRuntime| S::run_variant(rt, variant, scale);
    let iterations = job.iterations as usize;
    let (strategy, verdict) = match job.strategy {
        StrategyKind::Random => (
            "random".to_string(),
            silenced(|| wshuttle::try_check_random(body, job.seed, iterations)),
        ),
        StrategyKind::Pct { depth } => (
            format!("pct:{depth}"),
            silenced(|| wshuttle::try_check_pct(body, job.seed, iterations, depth)),
        ),
        StrategyKind::Dfs => (
            "dfs".to_string(),
            silenced(|| wshuttle::try_check_dfs(body, Some(iterations))),
        ),
    };
    let mut out = outcome(job, strategy);
    let failed = match verdict {
        Ok(checked) => {
            out.executions = checked.executions;
            None
        }
        Err(found) => {
            out.executions = found.execution;
            Some(found)
        }
    };
    if job.strategy == StrategyKind::Dfs && failed.is_none() {
        out.exhausted = Some(out.executions < job.iterations);
    }
    out.failure = failed.map(|found| {
        let mut f = panic_failure(&found.fault, found.to_string(), out.executions);
        if job.strategy != StrategyKind::Dfs {
            // Seeded: the same seed and count end on the same failing execution.
            f.seed = Some(job.seed);
            f.replay = Some(format!(
                "weft check {} --variant {} --backend shuttle --strategy {} --seed {} \
                 --iterations {}",
                job.scenario,
                job.variant.name,
                match job.strategy {
                    StrategyKind::Pct { depth } => format!("pct --depth {depth}"),
                    _ => "random".to_string(),
                },
                job.seed,
                out.executions
            ));
        }
        f
    });
    out
}

fn loom<S: Scenario>(job: &Job) -> Outcome {
    let (variant, scale) = (job.variant, job.scale);
    let mut builder = ::loom::model::Builder::new();
    builder.preemption_bound = job.preemption_bound.map(|b| b as usize);
    builder.max_branches = 100_000;
    let verdict =
        silenced(|| wloom::try_model_with(builder, move |rt| S::run_variant(rt, variant, scale)));
    let strategy = match job.preemption_bound {
        Some(b) => format!("dpor, preemption bound {b}"),
        None => "dpor".to_string(),
    };
    let mut out = outcome(job, strategy);
    match verdict {
        Ok(checked) => {
            out.executions = checked.executions;
            out.exhausted = Some(true);
        }
        Err(found) => {
            out.executions = found.execution;
            out.failure = Some(panic_failure(
                &found.fault,
                found.to_string(),
                out.executions,
            ));
        }
    }
    out
}

/// How long one tokio run may take before it counts as hung.
const TOKIO_RUN_LIMIT: Duration = Duration::from_secs(10);

/// The tokio runtime a scenario runs on: the multi-thread runtime, or, when its verdict
/// needs a clock that advances only when the system is idle, the current-thread runtime with
/// tokio's paused clock (time jumps to the next timer when every task waits). The label it
/// returns is `multi-thread` or `paused clock` (tokio pauses its clock only on the
/// current-thread runtime), short enough for the `check --all` table.
pub fn tokio_runtime(needs_clock: bool) -> (::tokio::runtime::Runtime, &'static str) {
    let runtime = if needs_clock {
        ::tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
    } else {
        ::tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
    };
    let kind = if needs_clock {
        "paused clock"
    } else {
        "multi-thread"
    };
    (runtime.expect("a tokio runtime"), kind)
}

fn tokio<S: Scenario>(job: &Job) -> Outcome {
    let (runtime, kind) = tokio_runtime(S::INFO.needs_clock);
    // Under the paused clock a poll's sleep is where time may jump, so it is long enough not
    // to walk a 60 s timer in tiny steps; it costs no wall time.
    let poll = if S::INFO.needs_clock {
        Duration::from_secs(1)
    } else {
        Duration::from_micros(200)
    };
    let (variant, scale) = (job.variant, job.scale);
    let runs = job.iterations;
    let (failed_runs, first) = silenced(|| {
        runtime.block_on(async move {
            let mut failed = 0u64;
            let mut first: Option<FailureOut> = None;
            for i in 1..=runs {
                let rt = TokioRuntime::new();
                let root = rt.spawn("root", S::run_variant(rt.clone(), variant, scale));
                let started = Instant::now();
                // A panicking task ends the run: what waits for it may wait forever.
                while !root.is_finished()
                    && rt.faults().is_empty()
                    && started.elapsed() < TOKIO_RUN_LIMIT
                {
                    ::tokio::time::sleep(poll).await;
                }
                let fault = if let Some(fault) = rt.faults().into_iter().next() {
                    Some(fault)
                } else if !root.is_finished() {
                    Some(Fault::new(
                        FailureKind::Deadlock,
                        format!("run {i} did not finish within {TOKIO_RUN_LIMIT:?}"),
                    ))
                } else {
                    // A panic is recorded just after the handle sees the task finish.
                    ::tokio::time::sleep(Duration::from_millis(1)).await;
                    rt.faults().into_iter().next()
                };
                if let Some(f) = fault {
                    failed += 1;
                    first.get_or_insert_with(|| panic_failure(&f, f.to_string(), i));
                }
            }
            (failed, first)
        })
    });
    runtime.shutdown_background();
    let mut out = outcome(job, format!("{kind} x{runs}"));
    out.executions = runs;
    out.failed_runs = Some(failed_runs);
    out.failure = first;
    out
}
