//! [`Sim`]: runs executions until one fails, the budget ends, or the space is exhausted.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use weft_core::{BoxFuture, FailureKind, Fault};

use crate::backend::SimRuntime;
use crate::config::{Config, ConfigError};
use crate::exploration::Exploration;
use crate::failure::Failure;
use crate::mismatch::ScheduleMismatch;
use crate::progress::Progress;
use crate::regression::{self, Stale};
use crate::rng::execution_seed;
use crate::run_loop::{self, Limits, Outcome};
use crate::schedule::Schedule;
use crate::strategy::{
    Dfs, Dpor, Hunt, Icb, Pct, Portfolio, RandomWalk, Replay, Strategy, StrategyKind,
};
use crate::trace::{render, Recording, Trace};
use crate::watchdog::{Pulse, Watchdog};

/// Execution ids: unique in the process (until they wrap), never printed (they only tell
/// executions apart; a waker packs one into 32 bits).
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

pub(crate) fn next_id() -> u64 {
    1 + NEXT_ID.fetch_add(1, Ordering::Relaxed) % (u32::MAX as u64)
}

/// What a run that found no failure did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// Executions run (with a regression file: its replays and re-explorations included).
    pub executions: u64,
    /// For DFS: whether the whole space was explored.
    pub exhausted: Option<bool>,
    /// For ICB: the largest preemption bound fully explored
    /// ([`Strategy::bound_reached`](crate::strategy::Strategy::bound_reached)).
    pub bound_reached: Option<u32>,
    /// The strategy, as described in reports.
    pub strategy: String,
    /// Checker findings counted instead of failing ([`Config::tolerate`]), per kind.
    pub tolerated: Vec<Tolerated>,
    /// Regression entries of this test that no longer fit the program (each re-explored
    /// from its seed; [`crate::regression`]).
    pub stale: Vec<Stale>,
}

/// Tolerated checker findings of one kind, over a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tolerated {
    /// Their kind.
    pub kind: FailureKind,
    /// How many findings.
    pub findings: u64,
    /// In how many executions.
    pub executions: u64,
    /// The first one's message.
    pub first: String,
}

fn tally(into: &mut Vec<Tolerated>, execution: &[(FailureKind, u64, String)]) {
    for (kind, n, first) in execution {
        match into.iter_mut().find(|t| t.kind == *kind) {
            Some(t) => {
                t.findings += n;
                t.executions += 1;
            }
            None => into.push(Tolerated {
                kind: *kind,
                findings: *n,
                executions: 1,
                first: first.clone(),
            }),
        }
    }
}

/// Why a run stopped without a clean report.
#[derive(Debug)]
pub enum SimError {
    /// An execution failed.
    Failure(Box<Failure>),
    /// The configuration, a schedule string, or the regression file is malformed.
    Config(ConfigError),
    /// The schedule given to replay ([`Config::schedule`]) does not fit this program: it was
    /// recorded on another program, scenario, variant or scale. Bad input, like `Config`.
    ScheduleMismatch(ScheduleMismatch),
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimError::Failure(x) => x.fmt(f),
            SimError::Config(e) => e.fmt(f),
            SimError::ScheduleMismatch(m) => write!(f, "schedule does not fit this program: {m}"),
        }
    }
}

impl std::error::Error for SimError {}

impl SimError {
    /// The failure, if this is one.
    pub fn failure(&self) -> Option<&Failure> {
        match self {
            SimError::Failure(f) => Some(f),
            SimError::Config(_) | SimError::ScheduleMismatch(_) => None,
        }
    }
}

/// The simulator. See the crate documentation for a tour.
#[derive(Clone, Debug)]
pub struct Sim {
    config: Config,
    /// Inside [`Sim::run`], the run's watchdog pulse (the run works on a copy of the `Sim`
    /// that carries it, so no thread-local is needed to find it).
    pulse: Option<Arc<Pulse>>,
}

impl Sim {
    /// A simulator with this configuration.
    pub fn new(config: Config) -> Sim {
        Sim {
            config,
            pulse: None,
        }
    }

    /// A simulator configured from the `WEFT_*` env vars ([`Config::from_env`]).
    pub fn from_env() -> Result<Sim, ConfigError> {
        Config::from_env().map(Sim::new)
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// This simulator, run under a watchdog's `pulse`.
    pub(crate) fn with_pulse(&self, pulse: Option<Arc<Pulse>>) -> Sim {
        Sim {
            config: self.config.clone(),
            pulse,
        }
    }

    /// Runs `body` (called once per execution with a fresh runtime) and panics with the
    /// one-screen report if any execution fails; the panic's location is the caller's line.
    /// For `#[test]` functions. A pass prints the report's one-line summary on stdout (see
    /// [`Config::summary`]).
    #[track_caller]
    pub fn check<F, Fut>(&self, body: F) -> Report
    where
        F: Fn(SimRuntime) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        match self.run(body) {
            Ok(r) => {
                if crate::summary::wanted(self.config.summary) {
                    println!("{r}");
                }
                r
            }
            Err(e) => panic!("{e}"),
        }
    }

    /// Runs `body`; see [`Sim::check`]. Returns the report, or the first failure.
    ///
    /// With [`Config::capture_logs`] on (the default), the model's `tracing` events are
    /// recorded in the trace of a failing execution, tagged with task, step and virtual time
    /// (a thread-default subscriber with [`TraceLayer`](crate::TraceLayer) is installed for
    /// the duration of the run).
    pub fn run<F, Fut>(&self, body: F) -> Result<Report, SimError>
    where
        F: Fn(SimRuntime) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.config.validate().map_err(SimError::Config)?;
        // Stopped (and joined) when the run returns or unwinds.
        let watchdog = Watchdog::start(self.config.watchdog);
        let run = Sim {
            config: self.config.clone(),
            pulse: watchdog.as_ref().map(Watchdog::pulse),
        };
        if run.config.capture_logs {
            use tracing_subscriber::layer::SubscriberExt;
            let subscriber = tracing_subscriber::registry().with(crate::TraceLayer);
            tracing::subscriber::with_default(subscriber, || run.run_inner(&body))
        } else {
            run.run_inner(&body)
        }
    }

    fn run_inner<F, Fut>(&self, body: &F) -> Result<Report, SimError>
    where
        F: Fn(SimRuntime) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let root = |id: u64| -> BoxFuture { Box::pin(body(SimRuntime { exec_id: id })) };
        if let Some(schedule) = &self.config.schedule {
            return self.replay_given(&root, schedule);
        }
        let main = Exploration::of(&self.config);
        match &self.config.regressions {
            Some(path) => self.run_with_regressions(&root, path, &main),
            None => self.explore(&root, &main),
        }
    }

    /// The ICB search this run uses, up to `max_bound` preemptions. Bounded POR's dependency
    /// relation does not yet see fault decisions (a crash or a pause is not a write to the
    /// node), so under a fault budget ICB runs plain: its DFS treats every fault decision as a
    /// branch, which is sound (`sim/tests/nodes_search.rs`).
    fn icb(&self, max_bound: Option<u32>) -> Icb {
        if self.config.budget.is_zero() {
            Icb::new(max_bound)
        } else {
            Icb::plain(max_bound)
        }
    }

    /// Explores `plan` for up to [`Config::iterations`] executions; the first failure is
    /// saved to the regression file (if any) and returned.
    pub(crate) fn explore(
        &self,
        root: &dyn Fn(u64) -> BoxFuture,
        plan: &Exploration,
    ) -> Result<Report, SimError> {
        let mut strategy: Box<dyn Strategy> = match plan.strategy {
            StrategyKind::Random => Box::new(RandomWalk::default()),
            StrategyKind::Pct { depth } => Box::new(Pct::new(depth)),
            StrategyKind::Dfs => Box::new(Dfs::new(plan.preemption_bound)),
            StrategyKind::Portfolio => Box::new(Portfolio::default()),
            StrategyKind::Dpor => Box::new(Dpor::new()),
            StrategyKind::Icb => Box::new(self.icb(plan.preemption_bound)),
            StrategyKind::Hunt => Box::new(Hunt::new(self.icb(plan.preemption_bound))),
        };
        let description = strategy.describe();
        let mut executions = 0;
        let mut tolerated = Vec::new();
        let mut progress = Progress::stderr(self.config.progress);
        while executions < self.config.iterations {
            let seed = execution_seed(plan.seed, executions);
            if !strategy.begin(executions, seed) {
                break;
            }
            let out = run_loop::run(
                next_id(),
                seed,
                strategy,
                Trace::new(Recording::Off),
                &self.limits(),
                root,
            );
            strategy = out.strategy;
            // Read before `end`, which may finish the bound this execution belongs to: a
            // failure's bound reached is the largest bound explored before it.
            let bound_before = strategy.bound_reached();
            strategy.end(out.decisions);
            tally(&mut tolerated, &out.tolerated);
            executions += 1;
            if let Some(p) = &mut progress {
                p.tick(executions, &*strategy);
            }
            if let Some(rec) = out.failure {
                let _ = rec;
                let mut f = self.explain(root, &out.schedule, executions, &description);
                f.tolerated = tolerated;
                f.bound_reached = bound_before;
                return Err(self.saved(f, plan));
            }
            if self.config.check_determinism {
                if let Some(f) = self.determinism(root, &out.schedule, executions, &description) {
                    return Err(self.saved(f, plan));
                }
            }
        }
        Ok(Report {
            executions,
            exhausted: strategy.exhausted(),
            bound_reached: strategy.bound_reached(),
            strategy: strategy.describe(),
            tolerated,
            stale: Vec::new(),
        })
    }

    pub(crate) fn limits(&self) -> Limits {
        Limits {
            max_steps: self.config.max_steps,
            max_step_ops: self.config.max_step_ops,
            allow_outlive: self.config.allow_outlive.clone(),
            tolerate: self.config.tolerate.clone(),
            pulse: self.pulse.clone(),
            budget: self.config.budget,
        }
    }

    /// Appends the failure found by `plan` to the regression file, if there is one.
    fn saved(&self, f: Failure, plan: &Exploration) -> SimError {
        match regression::save_failure(&self.config, plan, &f) {
            Ok(()) => SimError::Failure(Box::new(f)),
            Err(e) => SimError::Config(e),
        }
    }

    /// How a replay for a report records its trace: in full only for a trace file.
    pub(crate) fn recording(&self) -> Recording {
        match self.config.trace_file {
            Some(_) => Recording::Full,
            None => Recording::Bounded,
        }
    }

    /// Replays one schedule with the trace on.
    fn replay_outcome(
        &self,
        root: &dyn Fn(u64) -> BoxFuture,
        schedule: &Schedule,
        recording: Recording,
    ) -> Outcome {
        self.replay_with(
            root,
            schedule.seed,
            Replay::new(schedule.clone()),
            recording,
        )
    }

    /// Runs one execution under `replay` (the one place a replay is run).
    pub(crate) fn replay_with(
        &self,
        root: &dyn Fn(u64) -> BoxFuture,
        seed: u64,
        replay: Replay,
        recording: Recording,
    ) -> Outcome {
        run_loop::run(
            next_id(),
            seed,
            Box::new(replay),
            Trace::new(recording),
            &self.limits(),
            root,
        )
    }

    /// Re-runs a failing schedule with the trace on, for the report. A replay that does not fail
    /// the same way is itself reported, as nondeterminism.
    fn explain(
        &self,
        root: &dyn Fn(u64) -> BoxFuture,
        schedule: &Schedule,
        execution: u64,
        strategy: &str,
    ) -> Failure {
        let out = self.replay_outcome(root, schedule, self.recording());
        if out.failure.is_none() {
            let mut f = self.failure(out, execution, strategy);
            f.kind = FailureKind::Nondeterminism;
            f.oracle = None;
            f.site = None;
            f.message = "an execution failed, but replaying its schedule passed: the code under \
                         test has nondeterminism the simulator does not control (wall clock, \
                         OS randomness, threads, HashMap iteration?)"
                .to_string();
            return f;
        }
        self.failure(out, execution, strategy)
    }

    fn determinism(
        &self,
        root: &dyn Fn(u64) -> BoxFuture,
        schedule: &Schedule,
        execution: u64,
        strategy: &str,
    ) -> Option<Failure> {
        // Compared event by event: both in full.
        let a = self.replay_outcome(root, schedule, Recording::Full);
        let b = self.replay_outcome(root, schedule, Recording::Full);
        let (ea, eb) = (a.trace.events(), b.trace.events());
        if ea == eb && a.failure.is_none() == b.failure.is_none() {
            return None;
        }
        let at = ea
            .iter()
            .zip(eb)
            .position(|(x, y)| x != y)
            .unwrap_or(ea.len().min(eb.len()));
        let step = ea.get(at).map_or(0, |e| e.step);
        let shown =
            |e: Option<&crate::trace::Event>| e.map_or("<end>".to_string(), Trace::fingerprint);
        let (first, second) = (shown(ea.get(at)), shown(eb.get(at)));
        let mut f = self.failure(a, execution, strategy);
        f.kind = FailureKind::Nondeterminism;
        f.oracle = None;
        f.site = None;
        f.step = step;
        f.message = format!(
            "the same schedule ran differently twice: first divergence at trace event {at} \
             (step {step}):\n  first run:  {first}\n  second run: {second}"
        );
        Some(f)
    }

    pub(crate) fn failure(&self, out: Outcome, execution: u64, strategy: &str) -> Failure {
        let rec = out.failure.clone();
        let schedule = out.schedule.encode();
        let replay_command = match &self.config.replay_command {
            Some(t) => t.replace("{schedule}", &schedule),
            None => {
                let test = std::thread::current().name().unwrap_or("main").to_string();
                if test == "main" {
                    format!("WEFT_SCHEDULE={schedule} <rerun this program>")
                } else {
                    format!("WEFT_SCHEDULE={schedule} cargo test -- --exact {test}")
                }
            }
        };
        let (fault, task, step, time) = match rec {
            Some(r) => (
                r.fault,
                r.task.map_or_else(String::new, |t| {
                    out.names.get(t as usize).cloned().unwrap_or_default()
                }),
                r.step,
                r.time,
            ),
            None => (
                Fault::new(FailureKind::Nondeterminism, String::new()),
                String::new(),
                0,
                weft_core::Instant::ZERO,
            ),
        };
        let trace_file = render::write(
            &out.trace,
            &out.names,
            &schedule,
            self.config.trace_file.as_deref(),
        );
        Failure {
            kind: fault.kind,
            oracle: fault.oracle,
            message: fault.message,
            site: fault.site,
            task,
            seed: out.schedule.seed,
            execution,
            strategy: strategy.to_string(),
            schedule: out.schedule,
            preemptions: out.preemptions,
            bound_reached: None,
            step,
            time,
            trace: out.trace,
            tasks: out.names,
            trace_file,
            replay_command,
            tolerated: {
                let mut t = Vec::new();
                tally(&mut t, &out.tolerated);
                t
            },
        }
    }
}
