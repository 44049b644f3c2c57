//! [`PlanError`]: why a check cannot run, typed until printed; its `Display` is the one line
//! the CLI prints (exit 2).

use std::fmt;

use weft_sim::codec::DecodeError;
use weft_sim::strategy::StrategyError;
use weft_sim::{ConfigError, ScheduleMismatch};

use crate::defaults;
use crate::fit::{Backend, Unsupported};
use crate::knobs::{Knob, StrategyChoice};

/// Why a plan cannot be made or run: bad input, never a failure found.
#[derive(Debug)]
pub enum PlanError {
    /// No such scenario or variant (the registry's one-line message, naming the choices).
    Lookup(String),
    /// The backend cannot run the scenario.
    Unsupported(Unsupported),
    /// A setting that the run would ignore on `backend` (with `strategy` as given, or its
    /// default when `None`).
    DoesNotApply {
        /// The setting.
        knob: Knob,
        /// The backend.
        backend: Backend,
        /// The strategy named, if any.
        strategy: Option<StrategyChoice>,
    },
    /// `check --all` takes none of these settings.
    AllTakesNoKnobs(Vec<Knob>),
    /// A PCT depth out of range.
    Depth(StrategyError),
    /// A budget of zero executions or runs.
    ZeroIterations,
    /// A schedule string that does not decode.
    BadSchedule(DecodeError),
    /// weft-sim refused its configuration.
    Config(ConfigError),
    /// The schedule to replay does not fit this scenario, variant or scale.
    Mismatch(ScheduleMismatch),
}

impl From<Unsupported> for PlanError {
    fn from(u: Unsupported) -> Self {
        PlanError::Unsupported(u)
    }
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::Lookup(m) => f.write_str(m),
            PlanError::Unsupported(u) => u.fmt(f),
            PlanError::DoesNotApply {
                knob,
                backend,
                strategy,
            } => {
                let why = knob
                    .applies(
                        *backend,
                        strategy.unwrap_or(defaults::search(*backend).choice()),
                    )
                    .err()
                    .unwrap_or("it does nothing here");
                write!(f, "{} does not apply to backend {backend}", knob.flag())?;
                match (backend, strategy) {
                    (Backend::Sim | Backend::Shuttle, None) => write!(
                        f,
                        " with its default strategy {}",
                        defaults::search(*backend).kind()
                    )?,
                    (Backend::Sim | Backend::Shuttle, Some(s)) => {
                        write!(f, " with strategy {}", s.name())?
                    }
                    (Backend::Loom | Backend::Tokio, _) => {}
                }
                write!(f, ": {why}")
            }
            PlanError::AllTakesNoKnobs(knobs) => {
                write!(
                f,
                "--all runs every variant on every backend with its own budgets and takes only \
                 --format: drop {} (or check one scenario)",
                knobs.iter().map(|k| k.flag()).collect::<Vec<_>>().join(", ")
            )
            }
            PlanError::Depth(e) => write!(f, "--depth: {e}"),
            PlanError::ZeroIterations => f.write_str("--iterations must be at least 1"),
            PlanError::BadSchedule(e) => write!(f, "bad schedule string: {e}"),
            PlanError::Config(e) => e.fmt(f),
            PlanError::Mismatch(m) => write!(f, "schedule does not fit this program: {m}"),
        }
    }
}

impl std::error::Error for PlanError {}
