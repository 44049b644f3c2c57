//! The backends the CLI can run a scenario on, and which scenarios each can take.

use std::fmt;

use weft_models::scenario::Info;

/// loom's thread table has this many slots per execution (loom 0.7 `MAX_THREADS`), and a
/// finished thread does not give its slot back.
pub const LOOM_MAX_THREADS: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// weft-sim: seeded, virtual time, replayable.
    Sim,
    /// shuttle (random, PCT or DFS).
    Shuttle,
    /// loom (exhaustive DFS with DPOR; preemption bound optional).
    Loom,
    /// tokio, run N times as a stress test: the multi-thread runtime, or the current-thread
    /// runtime with tokio's paused clock for scenarios whose verdict needs a clock.
    Tokio,
}

impl Backend {
    pub const ALL: [Backend; 4] = [
        Backend::Sim,
        Backend::Shuttle,
        Backend::Loom,
        Backend::Tokio,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sim => "sim",
            Backend::Shuttle => "shuttle",
            Backend::Loom => "loom",
            Backend::Tokio => "tokio",
        }
    }

    /// `Err(why)` when this backend cannot run `info`.
    pub fn supports(self, info: &Info) -> Result<(), String> {
        match self {
            Backend::Loom if info.max_tasks > LOOM_MAX_THREADS => Err(format!(
                "backend loom does not support scenario {}: it runs up to {} tasks per \
                 execution and loom at most {LOOM_MAX_THREADS} threads",
                info.name, info.max_tasks
            )),
            Backend::Loom if info.needs_quiescence => Err(format!(
                "backend loom does not support scenario {}: its bug is a task blocked forever \
                 after the root returns, and loom 0.7 aborts the process (a panic inside its \
                 block_on teardown) instead of reporting that deadlock",
                info.name
            )),
            Backend::Loom | Backend::Shuttle if info.needs_clock => Err(format!(
                "backend {self} does not support scenario {}: its verdict needs timers that fire \
                 at their deadlines when the system is idle, and {self}'s logical time lets a \
                 timer fire at any later point (use sim, or tokio's paused clock)",
                info.name
            )),
            Backend::Loom | Backend::Shuttle if !info.tolerates.is_empty() => Err(format!(
                "backend {self} does not support scenario {}: it counts {} findings and goes on, \
                 and {self} stops at the first",
                info.name,
                info.tolerates
                    .iter()
                    .map(|k| k.to_string())
                    .collect::<Vec<_>>()
                    .join(" and ")
            )),
            _ => Ok(()),
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
