//! Runs a [`Program`] to exhaustion under one strategy and collects what the oracles compare:
//! the set of [`Outcome`]s, the number of executions, and (when the strategy is wrapped in a
//! [`Recorder`]) each execution's trace-class form.
//!
//! Every execution counts, failing ones included ([`Sim::explore_with`]). Data races on
//! shared cells are tolerated ([`Config::tolerate`]) so that a racy execution runs to its end
//! like any other, and whether it raced is part of its outcome.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex as StdMutex};

use weft_core::FailureKind;
use weft_sim::strategy::Strategy;
use weft_sim::{Config, Sim};

use super::classes::Forms;
use super::interp::{body, Record, Sink};
use super::program::Program;

/// What one execution ended with: the final values and observations, how it failed (the kind;
/// for a panic, also its message), and whether a data race was found.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Outcome {
    /// Objects and observations.
    pub record: Record,
    /// `None` if it passed; else the failure kind, with the message for a panic.
    pub failure: Option<String>,
    /// Whether a data race was found (and tolerated).
    pub raced: bool,
}

/// One exploration of one program.
#[derive(Debug)]
pub struct Explored {
    /// Each execution's outcome, in order.
    pub each: Vec<Outcome>,
    /// Executions run.
    pub executions: u64,
    /// Whether the strategy said it explored everything.
    pub exhausted: bool,
}

/// The configuration every exploration uses: at most `budget` executions.
pub fn config(budget: u64) -> Config {
    Config::default()
        .iterations(budget)
        .tolerate(FailureKind::DataRace)
        .progress(None)
        .summary(false)
}

/// Explores `program` with `strategy`, at most `budget` executions.
pub fn explore(program: &Program, strategy: Box<dyn Strategy>, budget: u64) -> Explored {
    let program = Arc::new(program.clone());
    let sink: Sink = Arc::new(StdMutex::new(Record::empty(&program)));
    let mut each = Vec::new();
    let sim = Sim::new(config(budget).faults(program.faults.budget()));
    let report = sim
        .explore_with(
            strategy,
            |rt| body(rt, program.clone(), sink.clone()),
            |ended| {
                let failure = ended.fault.as_ref().map(|f| match f.kind {
                    FailureKind::Panic => format!("{:?}: {}", f.kind, f.message),
                    kind => format!("{kind:?}"),
                });
                each.push(Outcome {
                    record: sink.lock().unwrap().clone(),
                    failure,
                    raced: ended.tolerated.contains(&FailureKind::DataRace),
                });
            },
        )
        .expect("the configuration is valid");
    Explored {
        each,
        executions: report.executions,
        exhausted: report.exhausted == Some(true),
    }
}

impl Explored {
    /// The distinct outcomes reached.
    pub fn outcomes(&self) -> BTreeSet<&Outcome> {
        self.each.iter().collect()
    }
}

/// A place for a [`Recorder`](super::classes::Recorder) to put its forms.
pub fn forms() -> Arc<StdMutex<Vec<Forms>>> {
    Arc::new(StdMutex::new(Vec::new()))
}
