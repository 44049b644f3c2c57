//! The shuttle adapter: a plan's search through weft-core's shuttle entry points, counting
//! executions, and its failure as a [`Finding`] that reproduces from the seed and count.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use weft_core::backend::shuttle as wshuttle;
use weft_models::scenario::Scenario;

use crate::finding::{self, Finding, Reproduce};
use crate::outcome::Outcome;
use crate::panic::quietly;
use crate::plan::{Plan, Search};

/// Runs a shuttle plan exploring with `search` for at most `iterations` executions.
pub(crate) fn run<S: Scenario>(plan: &Plan, search: &Search, iterations: u64) -> Outcome {
    let count = Arc::new(AtomicU64::new(0));
    let n = count.clone();
    let (variant, scale) = (plan.variant(), plan.scale());
    let body = move |rt: wshuttle::ShuttleRuntime| {
        n.fetch_add(1, Ordering::Relaxed);
        S::run(rt, variant, scale)
    };
    let budget = iterations as usize;
    let failed = match *search {
        Search::Random { seed } => quietly(|| wshuttle::check_random(body, seed, budget)),
        Search::Pct { depth, seed } => quietly(|| wshuttle::check_pct(body, seed, budget, depth)),
        Search::Dfs { .. } => quietly(|| wshuttle::check_dfs(body, Some(budget))),
    };
    let mut out = Outcome::of(plan);
    out.executions = count.load(Ordering::Relaxed);
    if matches!(search, Search::Dfs { .. }) && failed.is_none() {
        out.exhausted = Some(out.executions < iterations);
    }
    out.finding = failed.map(|m| finding(m, search, out.executions));
    out
}

/// A shuttle failure as a finding: seeded searches end on the same failing execution from the
/// same seed and count.
fn finding(message: String, search: &Search, executions: u64) -> Finding {
    let reproduce = match search {
        Search::Dfs { .. } => Reproduce::Rerun,
        Search::Random { .. } | Search::Pct { .. } => Reproduce::Shuttle {
            search: *search,
            executions,
        },
    };
    finding::of_panic(message, executions, reproduce)
}
