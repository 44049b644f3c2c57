//! [`Config`]: what a simulation run does. Defaults come from documented env vars.
//!
//! | env var | field | default |
//! |---|---|---|
//! | `WEFT_SEED` | [`Config::seed`] | `1` |
//! | `WEFT_ITERATIONS` | [`Config::iterations`] | `1000` |
//! | `WEFT_STRATEGY` | [`Config::strategy`]: `random`, `pct`, `pct:D`, `dfs`, `icb` | `pct:3` |
//! | `WEFT_SCHEDULE` | [`Config::schedule`]: replay this schedule string instead of exploring | none |
//! | `WEFT_MAX_STEPS` | [`Config::max_steps`]: scheduling points per execution (livelock) | `100000` |
//! | `WEFT_MAX_STEP_OPS` | [`Config::max_step_ops`]: weft operations in one step without a scheduling point (spin loop) | `1000000` |
//! | `WEFT_WATCHDOG` | [`Config::watchdog`]: seconds one step may run in wall time before the process is ended with status 101 (a spin that calls no weft operation), or `off` | `60` |
//! | `WEFT_TRACE_FILE` | [`Config::trace_file`]: write a failure's full trace to this file (the report shows both ends) | none |
//! | `WEFT_PROGRESS` | [`Config::progress`]: seconds between progress lines on stderr (the first after one interval), or `off` | `5` |
//! | `WEFT_SUMMARY` | [`Config::summary`]: `1` print a passing [`Sim::check`](crate::Sim::check)'s one-line summary on stdout, `0` never | when run by `cargo test` |
//! | `WEFT_PREEMPTION_BOUND` | [`Config::preemption_bound`] (DFS; ICB's largest bound) | none (exhaustive) |
//! | `WEFT_CHECK_DETERMINISM` | [`Config::check_determinism`]: `1`/`true` | off |
//! | `WEFT_REGRESSIONS` | [`Config::regressions`]: a file path, or `1` for `$CARGO_MANIFEST_DIR/weft-regressions.txt` | none (off) |
//! | (no env var) | [`Config::regression_key`]: which test's entries to use | test binary and libtest test name |
//!
//! A malformed value is a [`ConfigError`] naming the variable and the problem. So is a setting
//! that would do nothing ([`Config::validate`], run by [`Sim::run`](crate::Sim::run) before
//! anything executes, and by [`Config::from_env`]):
//!
//! - `iterations` 0 or `max_steps` 0 (a run that checks nothing must not pass green);
//! - a preemption bound with a strategy other than `dfs` or `icb` (its largest bound);
//! - from the environment, `WEFT_SCHEDULE` together with `WEFT_SEED`, `WEFT_ITERATIONS`,
//!   `WEFT_STRATEGY`, `WEFT_PREEMPTION_BOUND`, `WEFT_CHECK_DETERMINISM=1` or
//!   `WEFT_REGRESSIONS`: a replay runs exactly the one recorded execution, with the seed
//!   recorded in the schedule, and neither reads nor writes the regression file, so those
//!   knobs would be ignored. `WEFT_MAX_STEPS` does apply to a replay and may be combined.
//!
//! A knob set in code next to a schedule (a test that configures `dfs`, a budget and a
//! regression file, replayed with [`Config::schedule`]) is not an error: the author's
//! exploration settings are simply not used for that one replay.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use weft_core::faults::Budget;
use weft_core::FailureKind;

use crate::codec::DecodeError;
use crate::schedule::Schedule;
use crate::strategy::StrategyKind;

/// Env var: root seed.
pub const ENV_SEED: &str = "WEFT_SEED";
/// Env var: number of executions.
pub const ENV_ITERATIONS: &str = "WEFT_ITERATIONS";
/// Env var: strategy.
pub const ENV_STRATEGY: &str = "WEFT_STRATEGY";
/// Env var: schedule string to replay.
pub const ENV_SCHEDULE: &str = "WEFT_SCHEDULE";
/// Env var: step bound.
pub const ENV_MAX_STEPS: &str = "WEFT_MAX_STEPS";
/// Env var: DFS preemption bound.
pub const ENV_PREEMPTION_BOUND: &str = "WEFT_PREEMPTION_BOUND";
/// Env var: run each execution twice and compare.
pub const ENV_CHECK_DETERMINISM: &str = "WEFT_CHECK_DETERMINISM";
/// Env var: regression file (a path, or `1` for the default file of the crate under test).
pub const ENV_REGRESSIONS: &str = "WEFT_REGRESSIONS";
/// Env var: per-step operation bound (spin detection inside a step).
pub const ENV_MAX_STEP_OPS: &str = "WEFT_MAX_STEP_OPS";
/// Env var: watchdog limit in seconds, or `off`.
pub const ENV_WATCHDOG: &str = "WEFT_WATCHDOG";
/// Env var: file for the full trace of a failure.
pub const ENV_TRACE_FILE: &str = "WEFT_TRACE_FILE";
/// Env var: progress interval in seconds, or `off`.
pub const ENV_PROGRESS: &str = "WEFT_PROGRESS";
/// Env var: one-line summary of a passing check, `1` or `0`.
pub const ENV_SUMMARY: &str = "WEFT_SUMMARY";

/// A bad configuration value, with the variable (or setting) it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl From<DecodeError> for ConfigError {
    fn from(e: DecodeError) -> Self {
        ConfigError(e.to_string())
    }
}

/// Settings of a simulation run; build with the setters, or start from [`Config::from_env`].
#[derive(Clone, Debug)]
pub struct Config {
    /// Root seed; execution `i` uses [`execution_seed`](crate::rng::execution_seed)`(seed, i)`.
    pub seed: u64,
    /// Maximum number of executions (DFS may stop earlier, exhausted).
    pub iterations: u64,
    /// Exploration strategy.
    pub strategy: StrategyKind,
    /// Replay this schedule (one execution) instead of exploring.
    pub schedule: Option<Schedule>,
    /// Steps one execution may take before it fails with a step-bound failure.
    pub max_steps: u64,
    /// DFS preemption bound (`None`: unbounded).
    pub preemption_bound: Option<u32>,
    /// Run every execution twice and report the first divergence.
    pub check_determinism: bool,
    /// Regression file: this test's entries are replayed first; new failures are appended
    /// ([`crate::regression`]).
    pub regressions: Option<PathBuf>,
    /// The key of this test's entries in the regression file (`None`: the libtest test name).
    pub regression_key: Option<String>,
    /// Name prefixes of tasks allowed to outlive the root task (not reported as leaks).
    pub allow_outlive: Vec<String>,
    /// How to replay, shown in reports; `{schedule}` is replaced by the schedule string.
    pub replay_command: Option<String>,
    /// Record the model's `tracing` events in the trace.
    pub capture_logs: bool,
    /// Checker findings of these kinds (data races, WaitGroup contract violations) are
    /// counted in the [`Report`](crate::Report) and the execution goes on, as Go's race
    /// detector reports and continues; the verdict is then the model's own oracles.
    pub tolerate: Vec<FailureKind>,
    /// Weft operations one step may make without reaching a scheduling point before the
    /// execution fails as a step-bound failure naming the task and the operation (a spin loop
    /// that polls a primitive without `.await`).
    pub max_step_ops: u64,
    /// Wall time one step may run before the watchdog prints the task, its last operation,
    /// the seed and the schedule so far to stderr and ends the process with status
    /// [`WATCHDOG_EXIT_STATUS`](crate::WATCHDOG_EXIT_STATUS) (a spin that calls no weft
    /// operation at all). `None`: off. The watchdog never influences scheduling.
    pub watchdog: Option<Duration>,
    /// Write the full trace of a failing execution to this file; the report shows both ends
    /// of it and names the file.
    pub trace_file: Option<PathBuf>,
    /// Interval of the progress lines on stderr (executions, rate, strategy state, elapsed);
    /// the first appears after one interval. `None`: off.
    pub progress: Option<Duration>,
    /// Whether a passing [`Sim::check`](crate::Sim::check) prints its one-line summary on
    /// stdout; `None`: when running in a `cargo test` test thread (where the output is
    /// captured unless `--nocapture`).
    pub summary: Option<bool>,
    /// The fault budget of each execution ([`weft_core::faults`]): the faults the strategy
    /// may inject at crash points and fault opportunities. Not with `dpor`, which refuses it.
    pub budget: Budget,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 1,
            iterations: 1000,
            strategy: crate::strategy::DEFAULT_SAMPLING,
            schedule: None,
            max_steps: 100_000,
            preemption_bound: None,
            check_determinism: false,
            regressions: None,
            regression_key: None,
            allow_outlive: Vec::new(),
            replay_command: None,
            capture_logs: true,
            tolerate: Vec::new(),
            max_step_ops: 1_000_000,
            watchdog: Some(Duration::from_secs(60)),
            trace_file: None,
            progress: Some(Duration::from_secs(5)),
            summary: None,
            budget: Budget::NONE,
        }
    }
}

/// `off`, or a positive number of seconds (fractions allowed).
fn parse_seconds(name: &str, value: &str) -> Result<Option<Duration>, ConfigError> {
    let v = value.trim();
    if v.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    match v.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 && s < 1e9 => Ok(Some(Duration::from_secs_f64(s))),
        _ => Err(ConfigError(format!(
            "{name}={value:?}: expected a positive number of seconds or `off`"
        ))),
    }
}

fn parse_bool(name: &str, value: &str) -> Result<bool, ConfigError> {
    match value.trim() {
        "1" | "true" | "yes" => Ok(true),
        "0" | "false" | "no" => Ok(false),
        other => Err(ConfigError(format!(
            "{name}={other:?}: expected 1/true or 0/false"
        ))),
    }
}

fn parse_num<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, ConfigError> {
    value
        .trim()
        .parse()
        .map_err(|_| ConfigError(format!("{name}={value:?} is not a valid number")))
}

impl Config {
    /// The defaults, overridden by every `WEFT_*` variable that is set; validated (see the
    /// module documentation).
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_vars(|name| std::env::var(name).ok())
    }

    /// [`Config::from_env`] with the variables looked up by `lookup` instead of in the process
    /// environment (for tests and for embedding callers).
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let env = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let mut c = Config::default();
        if let Some(v) = env(ENV_SEED) {
            c.seed = parse_num(ENV_SEED, &v)?;
        }
        if let Some(v) = env(ENV_ITERATIONS) {
            c.iterations = parse_num(ENV_ITERATIONS, &v)?;
        }
        if let Some(v) = env(ENV_STRATEGY) {
            c.strategy =
                StrategyKind::parse(&v).map_err(|e| ConfigError(format!("{ENV_STRATEGY}: {e}")))?;
        }
        if let Some(v) = env(ENV_SCHEDULE) {
            c.schedule = Some(
                Schedule::decode(v.trim())
                    .map_err(|e| ConfigError(format!("{ENV_SCHEDULE}: {e}")))?,
            );
        }
        if let Some(v) = env(ENV_MAX_STEPS) {
            c.max_steps = parse_num(ENV_MAX_STEPS, &v)?;
        }
        if let Some(v) = env(ENV_PREEMPTION_BOUND) {
            c.preemption_bound = Some(parse_num(ENV_PREEMPTION_BOUND, &v)?);
        }
        if let Some(v) = env(ENV_CHECK_DETERMINISM) {
            c.check_determinism = parse_bool(ENV_CHECK_DETERMINISM, &v)?;
        }
        if let Some(v) = env(ENV_MAX_STEP_OPS) {
            c.max_step_ops = parse_num(ENV_MAX_STEP_OPS, &v)?;
        }
        if let Some(v) = env(ENV_WATCHDOG) {
            c.watchdog = parse_seconds(ENV_WATCHDOG, &v)?;
        }
        if let Some(v) = env(ENV_TRACE_FILE) {
            c.trace_file = Some(PathBuf::from(v));
        }
        if let Some(v) = env(ENV_PROGRESS) {
            c.progress = parse_seconds(ENV_PROGRESS, &v)?;
        }
        if let Some(v) = env(ENV_SUMMARY) {
            c.summary = Some(parse_bool(ENV_SUMMARY, &v)?);
        }
        if let Some(v) = env(ENV_REGRESSIONS) {
            c.regressions = Some(crate::regression::path_from_env(&v, &lookup)?);
        }
        crate::validate::env_combination(&c, |name| env(name).is_some())?;
        c.validate()?;
        Ok(c)
    }

    /// Sets the root seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Sets the number of executions.
    pub fn iterations(mut self, n: u64) -> Self {
        self.iterations = n;
        self
    }
    /// Sets the strategy.
    pub fn strategy(mut self, s: StrategyKind) -> Self {
        self.strategy = s;
        self
    }
    /// Replays `schedule` instead of exploring.
    pub fn schedule(mut self, schedule: Schedule) -> Self {
        self.schedule = Some(schedule);
        self
    }
    /// Sets the step bound.
    pub fn max_steps(mut self, n: u64) -> Self {
        self.max_steps = n;
        self
    }
    /// Sets the DFS preemption bound.
    pub fn preemption_bound(mut self, k: Option<u32>) -> Self {
        self.preemption_bound = k;
        self
    }
    /// Turns the determinism self-check on or off.
    pub fn check_determinism(mut self, on: bool) -> Self {
        self.check_determinism = on;
        self
    }
    /// Uses a regression file ([`crate::regression`]).
    pub fn regressions(mut self, path: impl Into<PathBuf>) -> Self {
        self.regressions = Some(path.into());
        self
    }
    /// Keys this test's regression entries by `key` instead of the libtest test name (for
    /// callers outside libtest; no whitespace or `#`).
    pub fn regression_key(mut self, key: impl Into<String>) -> Self {
        self.regression_key = Some(key.into());
        self
    }
    /// Counts checker findings of `kind` instead of failing on them ([`Config::tolerate`]
    /// field). Only data races and WaitGroup contract violations come from checkers.
    pub fn tolerate(mut self, kind: FailureKind) -> Self {
        if !self.tolerate.contains(&kind) {
            self.tolerate.push(kind);
        }
        self
    }

    /// Lets tasks whose name starts with `prefix` outlive the root task.
    pub fn allow_outlive(mut self, prefix: impl Into<String>) -> Self {
        self.allow_outlive.push(prefix.into());
        self
    }
    /// Sets the replay command shown in reports (`{schedule}` is substituted).
    pub fn replay_command(mut self, template: impl Into<String>) -> Self {
        self.replay_command = Some(template.into());
        self
    }
    /// Sets the per-step operation bound ([`Config::max_step_ops`] field).
    pub fn max_step_ops(mut self, n: u64) -> Self {
        self.max_step_ops = n;
        self
    }
    /// Sets the watchdog's wall-time limit per step; `None` turns it off.
    pub fn watchdog(mut self, limit: Option<Duration>) -> Self {
        self.watchdog = limit;
        self
    }
    /// Writes the full trace of a failing execution to `path`.
    pub fn trace_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.trace_file = Some(path.into());
        self
    }
    /// Sets the interval of the progress lines; `None` turns them off.
    pub fn progress(mut self, interval: Option<Duration>) -> Self {
        self.progress = interval;
        self
    }
    /// Sets the fault budget of each execution; see [`Config::budget`].
    pub fn faults(mut self, budget: Budget) -> Self {
        self.budget = budget;
        self
    }
    /// Prints (or never prints) a passing check's summary line; see [`Config::summary`].
    pub fn summary(mut self, on: bool) -> Self {
        self.summary = Some(on);
        self
    }
}
