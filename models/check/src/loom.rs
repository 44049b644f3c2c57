//! The loom adapter: loom's DPOR over the minimal model, bounded in preemptions; its failure,
//! which weft-core returns as a value, as a [`Finding`].

use weft_core::backend::loom as wloom;
use weft_models::scenario::Scenario;

use crate::defaults;
use crate::finding::{self, Reproduce};
use crate::outcome::Outcome;
use crate::panic::silenced;
use crate::plan::Plan;

/// Runs a loom plan with `preemption_bound`.
pub(crate) fn run<S: Scenario>(plan: &Plan, preemption_bound: Option<u32>) -> Outcome {
    let (variant, scale) = (plan.variant(), plan.scale());
    let mut builder = ::loom::model::Builder::new();
    builder.preemption_bound = preemption_bound.map(|b| b as usize);
    builder.max_branches = defaults::LOOM_MAX_BRANCHES;
    let verdict =
        silenced(|| wloom::try_model_with(builder, move |rt| S::run_variant(rt, variant, scale)));
    let mut out = Outcome::of(plan);
    match verdict {
        Ok(checked) => {
            out.executions = checked.executions;
            out.exhausted = Some(true);
        }
        // loom's DPOR is deterministic: the same plan finds it again.
        Err(found) => {
            out.executions = found.execution;
            out.finding = Some(finding::of_found(&found, found.execution, Reproduce::Rerun));
        }
    }
    out
}
