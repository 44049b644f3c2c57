//! [`run`]: one plan on its backend, through the adapter of that backend (`sim.rs`,
//! `shuttle.rs`, `loom.rs`, `tokio.rs`), timed.

#![allow(clippy::disallowed_methods)] // the wall time of a run is reported on purpose

use std::time::Instant;

use weft_models::registry;
use weft_models::scenario::{Scenario, Visitor};

use crate::error::PlanError;
use crate::outcome::Outcome;
use crate::plan::{BackendPlan, Plan};
use crate::{loom, shuttle, sim, tokio};

/// Runs `plan`. `Err` is bad input (a schedule that does not fit, a sim configuration refused).
pub fn run(plan: &Plan) -> Result<Outcome, PlanError> {
    let start = Instant::now();
    let mut out =
        registry::visit(plan.scenario().name, Adapter(plan)).map_err(PlanError::Lookup)??;
    out.wall = start.elapsed();
    Ok(out)
}

/// The scenario's type, handed to the backend's adapter.
struct Adapter<'a>(&'a Plan);

impl Visitor for Adapter<'_> {
    type Output = Result<Outcome, PlanError>;
    fn visit<S: Scenario>(self) -> Self::Output {
        let plan = self.0;
        match plan.backend() {
            BackendPlan::Sim { .. } | BackendPlan::Replay { .. } => sim::run::<S>(plan),
            BackendPlan::Shuttle { search, iterations } => {
                Ok(shuttle::run::<S>(plan, search, *iterations))
            }
            BackendPlan::Loom { preemption_bound } => Ok(loom::run::<S>(plan, *preemption_bound)),
            BackendPlan::Tokio { runs, flavour } => Ok(tokio::run::<S>(plan, *runs, *flavour)),
        }
    }
}
