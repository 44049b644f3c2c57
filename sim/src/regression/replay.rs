//! Steps 1 to 4 of the [protocol](super): replaying this test's entries.

use std::fmt;
use std::path::{Path, PathBuf};

use weft_core::BoxFuture;

use super::file::load;
use crate::mismatch::ScheduleMismatch;
use crate::runner::{Exploration, Sim, SimError};

/// A regression entry whose schedule no longer fits the program; its [`Display`] is the one
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
pub(crate) struct Replayed {
    /// Entries replayed.
    pub(crate) executions: u64,
    /// Entries that no longer fit, in file order.
    pub(crate) stale: Vec<Stale>,
}

impl Sim {
    /// Replays every entry of `path` keyed `key`: a failing one is the run's failure; stale
    /// ones are printed (one line each) and returned.
    pub(crate) fn replay_regressions(
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
