//! The loom adapter: loom's DPOR over the minimal model, bounded in preemptions, counting
//! executions; its failure as a [`Finding`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use weft_core::backend::loom as wloom;
use weft_models::scenario::Scenario;

use crate::defaults;
use crate::finding::{self, Finding, Reproduce};
use crate::outcome::Outcome;
use crate::panic::quietly;
use crate::plan::Plan;

/// Runs a loom plan with `preemption_bound`.
pub(crate) fn run<S: Scenario>(plan: &Plan, preemption_bound: Option<u32>) -> Outcome {
    let count = Arc::new(AtomicU64::new(0));
    let n = count.clone();
    let (variant, scale) = (plan.variant(), plan.scale());
    let mut builder = ::loom::model::Builder::new();
    builder.preemption_bound = preemption_bound.map(|b| b as usize);
    builder.max_branches = defaults::LOOM_MAX_BRANCHES;
    let failed = quietly(|| {
        wloom::model_with(builder, move |rt| {
            n.fetch_add(1, Ordering::Relaxed);
            S::run(rt, variant, scale)
        })
    });
    let mut out = Outcome::of(plan);
    out.executions = count.load(Ordering::Relaxed);
    if failed.is_none() {
        out.exhausted = Some(true);
    }
    out.finding = failed.map(|m| finding(m, out.executions));
    out
}

/// A loom failure as a finding (loom's DPOR is deterministic: the same plan finds it again).
fn finding(message: String, executions: u64) -> Finding {
    finding::of_panic(message, executions, Reproduce::Rerun)
}
