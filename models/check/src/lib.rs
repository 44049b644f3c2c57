//! # weft-check: one typed check layer for the CLI, the tests and the benches
//!
//! A check runs one variant of one of weft-models' scenarios on one backend (weft-sim,
//! shuttle, loom, tokio). This crate is the one place that knows how:
//!
//! 1. a [`Plan`] says what to run. Its constructors ([`Plan::sim`], [`Plan::replay`],
//!    [`Plan::shuttle`], [`Plan::loom`], [`Plan::tokio`], or [`Knobs::plan`] from the CLI's
//!    flags) check it: the backend can run the scenario ([`Backend::fits`]), every setting
//!    applies to the backend, budgets and depths are in range. A plan that does not apply
//!    cannot be made; the error is a [`PlanError`] whose `Display` is one line.
//! 2. [`run`] runs it through the backend's adapter (`sim.rs`, `shuttle.rs`, `loom.rs`,
//!    `tokio.rs`: the only places that configure a backend, catch a checker's panic or build
//!    a tokio runtime) and returns an [`Outcome`]: executions, exhaustion, wall time,
//!    tolerated findings, and the first [`Finding`] as values.
//! 3. [`Outcome::verdict`] compares it with the variant's expectation;
//!    [`Outcome::assert_expected`] is what tests call.
//!
//! Every default (budgets, PCT depth, seed, preemption bounds, tokio's runs and hang limit)
//! is in [`defaults`]; the rows of `weft check --all` in [`all_plans`]. Rendering (text, JSON)
//! is the `weft` binary's, at the edge.
//!
//! It lives in `models/check/` because the workspace's top level is fixed (`core/`, `sim/`,
//! `models/`, `tests/`, `benches/`), and it is the consumer of the models: it runs them on
//! every backend, so that `weft-models` itself stays backend-free (no loom, shuttle or
//! weft-sim among its dependencies).

pub mod defaults;

mod all;
mod error;
mod finding;
mod fit;
mod knobs;
mod loom;
mod outcome;
mod panic;
mod plan;
mod run;
mod shuttle;
mod sim;
mod tokio;

pub use all::all_plans;
pub use error::PlanError;
pub use finding::{Finding, Reproduce};
pub use fit::{Backend, Unfit, Unsupported, LOOM_MAX_THREADS};
pub use knobs::{Knob, Knobs, StrategyChoice};
pub use outcome::{Outcome, Verdict};
pub use plan::{BackendPlan, Flavour, Plan, Search};
pub use run::run;
pub use sim::replay_command;
