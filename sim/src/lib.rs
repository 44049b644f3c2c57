//! # weft-sim: the deterministic simulator backend
//!
//! (Crate tutorial: see `README.md`.)

#![warn(missing_docs)]

#[cfg(test)]
mod accesses_tests;
mod backend;
pub mod codec;
mod config;
mod context;
mod every_execution;
mod execution;
mod exploration;
mod failure;
mod log_layer;
mod mismatch;
mod node_steps;
mod nodes;
mod panic_hook;
mod progress;
pub mod regression;
mod replaying;
pub mod rng;
mod run_loop;
mod runner;
pub mod schedule;
mod step_log;
pub mod strategy;
mod summary;
mod task;
mod time;
pub mod trace;
mod validate;
mod watchdog;

pub use backend::SimRuntime;
pub use config::{
    Config, ConfigError, ENV_CHECK_DETERMINISM, ENV_ITERATIONS, ENV_MAX_STEPS,
    ENV_PREEMPTION_BOUND, ENV_REGRESSIONS, ENV_SCHEDULE, ENV_SEED, ENV_STRATEGY,
};
pub use config::{ENV_MAX_STEP_OPS, ENV_PROGRESS, ENV_SUMMARY, ENV_TRACE_FILE, ENV_WATCHDOG};
pub use every_execution::Ended;
pub use exploration::Exploration;
pub use failure::Failure;
pub use log_layer::TraceLayer;
pub use mismatch::{Mismatch, Need, ScheduleMismatch};
pub use runner::{Report, Sim, SimError, Tolerated};
pub use schedule::{Decision, Schedule};
pub use strategy::StrategyKind;
pub use time::SimSleep;
pub use watchdog::EXIT_STATUS as WATCHDOG_EXIT_STATUS;
