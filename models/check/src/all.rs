//! The rows of `weft check --all`: every scenario × variant on sim with its default sampling
//! strategy and with an exhaustive search ([`defaults::exhaustive_all`]: DPOR for a variant
//! expected to pass (DFS under a fault budget), iterative context bounding for one expected to
//! fail), and on every other
//! backend that can run it (shuttle with PCT, loom, tokio), each with [`Purpose::All`]'s
//! defaults.
//!
//! The `sct/*` suite's programs have sim and tokio rows only: they measure search strategies,
//! and shuttle's and loom's results on them (executions to the first failure over ten seeds,
//! misses included) are the suite's table (`cargo run --release -p weft-benches --bin
//! sct_table`), not verdicts: loom at the table's bound 1 cannot reach the programs that need
//! two or three preemptions, which is what they are for.

use weft_models::registry;
use weft_models::scenarios::sct;

use crate::defaults::{self, Purpose};
use crate::error::PlanError;
use crate::fit::Backend;
use crate::plan::Plan;

/// The plans of the table, in order. A backend that cannot run a scenario has no row.
pub fn all_plans() -> Vec<Plan> {
    let mut plans = Vec::new();
    for info in registry::all() {
        for variant in info.variants {
            let sampling = defaults::SEARCH;
            let exhaustive = defaults::exhaustive_all(info, variant);
            let rows = [
                Plan::sim(
                    info,
                    variant,
                    sampling,
                    defaults::sim_iterations(Purpose::All, &sampling),
                ),
                Plan::sim(
                    info,
                    variant,
                    exhaustive,
                    defaults::sim_iterations(Purpose::All, &exhaustive),
                ),
                Plan::shuttle(
                    info,
                    variant,
                    defaults::SHUTTLE_SEARCH,
                    defaults::SHUTTLE_SAMPLES,
                ),
                Plan::loom(info, variant, Some(defaults::loom_bound(Purpose::All))),
                Plan::tokio(info, variant, defaults::tokio_runs(Purpose::All)),
            ];
            let suite = sct::contains(info.name);
            for row in rows {
                if suite
                    && row.as_ref().is_ok_and(|p| {
                        matches!(p.backend().backend(), Backend::Shuttle | Backend::Loom)
                    })
                {
                    continue;
                }
                match row {
                    Ok(plan) => plans.push(plan),
                    Err(PlanError::Unsupported(_)) => {}
                    Err(e) => panic!("the table's defaults make a valid plan: {e}"),
                }
            }
        }
    }
    plans
}

#[cfg(test)]
mod tests {
    use weft_models::scenario::Expect;

    use super::*;
    use crate::plan::{BackendPlan, Search};

    #[test]
    fn all_runs_every_supported_backend_once_per_variant() {
        let plans = all_plans();
        let variants: usize = registry::all().iter().map(|i| i.variants.len()).sum();
        // sim twice and tokio once for every variant, shuttle and loom where supported
        // except for the sct suite.
        assert!(plans.len() >= 3 * variants, "{} rows", plans.len());
        for backend in Backend::ALL {
            let rows = plans
                .iter()
                .filter(|p| p.backend().backend() == backend)
                .count();
            let fitting: usize = registry::all()
                .iter()
                .filter(|i| backend.fits(i).is_ok())
                .filter(|i| {
                    !(sct::contains(i.name) && matches!(backend, Backend::Shuttle | Backend::Loom))
                })
                .map(|i| i.variants.len())
                .sum();
            let per_variant = if backend == Backend::Sim { 2 } else { 1 };
            assert_eq!(rows, per_variant * fitting, "{backend}");
        }
        // The exhaustive sim row proves a variant expected to pass and hunts the shallowest
        // failure of one expected to fail.
        let exhaustive: Vec<(Search, Expect, bool)> = plans
            .iter()
            .filter_map(|p| match p.backend() {
                BackendPlan::Sim { search, .. } if *search != defaults::SEARCH => Some((
                    *search,
                    p.variant().expect,
                    weft_sim::strategy::dpor_explores(&p.scenario().budget(p.variant())),
                )),
                _ => None,
            })
            .collect();
        assert_eq!(exhaustive.len(), variants);
        for (search, expect, dpor_fits) in exhaustive {
            match expect {
                // weft-sim's DPOR explores every fault budget, crashes and pauses included.
                Expect::Pass => {
                    assert!(dpor_fits);
                    assert_eq!(search, Search::Dpor)
                }
                Expect::Fail(..) | Expect::FailAny => {
                    assert!(dpor_fits);
                    assert_eq!(search, Search::Hunt { max_bound: None })
                }
            }
        }
    }
}
