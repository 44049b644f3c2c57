//! Steps 1 to 4 of the [protocol](super): replaying this test's entries.

use std::fmt;
use std::path::{Path, PathBuf};

use weft_core::BoxFuture;

use super::current_key;
use super::file::{append, load, Entry};
use crate::config::{Config, ConfigError};
use crate::exploration::Exploration;
use crate::failure::Failure;
use crate::mismatch::ScheduleMismatch;
use crate::runner::{Report, Sim, SimError};

/// A regression entry whose schedule no longer fits the program; its `Display` is the one
/// line printed to stderr.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stale {
    /// The regression file.
    pub file: PathBuf,
    /// The entry's 1-based line.
    pub line: usize,
    /// The entry's test key.
    pub key: String,
    /// Where the schedule stopped fitting.
    pub mismatch: ScheduleMismatch,
    /// The exploration re-run in its place (the entry's seed and strategy).
    pub rerun: Exploration,
}

impl fmt::Display for Stale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "weft-sim: regression entry {}:{} for {} no longer fits the program ({}); \
             re-running from its seed {} ({})",
            self.file.display(),
            self.line,
            self.key,
            self.mismatch,
            self.rerun.seed,
            self.rerun
        )
    }
}

/// What replaying the entries found, when none failed.
struct Replayed {
    /// Entries replayed.
    executions: u64,
    /// Entries that no longer fit, in file order.
    stale: Vec<Stale>,
}

/// Step 5: appends the failure `plan` found under this test's key, if `config` has a file.
pub(crate) fn save_failure(
    config: &Config,
    plan: &Exploration,
    f: &Failure,
) -> Result<(), ConfigError> {
    let Some(path) = &config.regressions else {
        return Ok(());
    };
    let entry = Entry {
        line: 0,
        key: current_key(config)?,
        seed: plan.seed,
        strategy: plan.strategy,
        preemption_bound: plan.preemption_bound,
        schedule: f.schedule.clone(),
    };
    let message = f.fault().to_string();
    let first_line = message.lines().next().unwrap_or("");
    append(path, &entry, &format!("{}: {first_line}", f.kind))
}

impl Sim {
    /// The whole protocol: this test's entries, each stale entry's exploration (once), then
    /// `main`. The report is `main`'s, with every execution counted and the stale entries.
    pub(crate) fn run_with_regressions(
        &self,
        root: &dyn Fn(u64) -> BoxFuture,
        path: &Path,
        main: &Exploration,
    ) -> Result<Report, SimError> {
        let key = current_key(self.config()).map_err(SimError::Config)?;
        let replayed = self.replay_regressions(root, path, &key)?;
        let mut plans: Vec<&Exploration> = Vec::new();
        for plan in replayed.stale.iter().map(|s| &s.rerun) {
            if !plans.contains(&plan) && plan != main {
                plans.push(plan);
            }
        }
        let mut executions = replayed.executions;
        for plan in plans {
            executions += self.explore(root, plan)?.executions;
        }
        let mut report = self.explore(root, main)?;
        report.executions += executions;
        report.stale = replayed.stale;
        Ok(report)
    }

    /// Replays every entry of `path` keyed `key`: a failing one is the run's failure; stale
    /// ones are printed (one line each) and returned.
    fn replay_regressions(
        &self,
        root: &dyn Fn(u64) -> BoxFuture,
        path: &Path,
        key: &str,
    ) -> Result<Replayed, SimError> {
        let entries = load(path).map_err(SimError::Config)?;
        let mut done = Replayed {
            executions: 0,
            stale: Vec::new(),
        };
        for entry in entries.into_iter().filter(|e| e.key == key) {
            done.executions += 1;
            match self.replay_fitting(root, &entry.schedule) {
                Ok(out) if out.failure.is_some() => {
                    let f = self.failure(out, done.executions, "replay of a regression entry");
                    return Err(SimError::Failure(Box::new(f)));
                }
                Ok(_) => {}
                Err(mismatch) => {
                    let stale = Stale {
                        file: path.to_path_buf(),
                        line: entry.line,
                        key: entry.key,
                        mismatch,
                        rerun: Exploration {
                            seed: entry.seed,
                            strategy: entry.strategy,
                            preemption_bound: entry.preemption_bound,
                        },
                    };
                    eprintln!("{stale}");
                    done.stale.push(stale);
                }
            }
        }
        Ok(done)
    }
}
