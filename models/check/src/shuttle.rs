//! The shuttle adapter: a plan's search through weft-core's typed shuttle entry points, and
//! its failure as a [`Finding`] that reproduces from the seed and count.

use weft_core::backend::shuttle as wshuttle;
use weft_models::scenario::Scenario;

use crate::finding::{self, Reproduce};
use crate::outcome::Outcome;
use crate::panic::silenced;
use crate::plan::{Plan, Search};

/// Runs a shuttle plan exploring with `search` for at most `iterations` executions.
pub(crate) fn run<S: Scenario>(plan: &Plan, search: &Search, iterations: u64) -> Outcome {
    let (variant, scale) = (plan.variant(), plan.scale());
    let body = move |rt: wshuttle::ShuttleRuntime| S::run_variant(rt, variant, scale);
    let budget = iterations as usize;
    let verdict = silenced(|| match *search {
        Search::Random { seed } => wshuttle::try_check_random(body, seed, budget),
        Search::Pct { depth, seed } => wshuttle::try_check_pct(body, seed, budget, depth),
        Search::Dfs { .. } => wshuttle::try_check_dfs(body, Some(budget)),
        Search::Portfolio { .. } => unreachable!("Plan::shuttle rejects the portfolio"),
        Search::Dpor => unreachable!("a shuttle plan has no DPOR (Plan::shuttle refuses it)"),
        Search::Icb { .. } | Search::Hunt { .. } => {
            unreachable!("Plan::shuttle refuses ICB, which shuttle lacks")
        }
    });
    let mut out = Outcome::of(plan);
    match verdict {
        Ok(checked) => {
            out.executions = checked.executions;
            if matches!(search, Search::Dfs { .. }) {
                out.exhausted = Some(out.executions < iterations);
            }
        }
        Err(found) => {
            out.executions = found.execution;
            // Seeded searches end on the same failing execution from the same seed and count.
            let reproduce = match search {
                Search::Dfs { .. } | Search::Dpor | Search::Icb { .. } | Search::Hunt { .. } => {
                    Reproduce::Rerun
                }
                Search::Random { .. } | Search::Pct { .. } | Search::Portfolio { .. } => {
                    Reproduce::Shuttle {
                        search: *search,
                        executions: found.execution,
                    }
                }
            };
            out.finding = Some(finding::of_found(&found, found.execution, reproduce));
        }
    }
    out
}
