//! The rows of `weft check --all`: every scenario × variant on sim with PCT and with DPOR
//! ([`defaults::EXHAUSTIVE_ALL`]), and
//! on every other backend that can run it (shuttle with PCT, loom, tokio), each with
//! [`Purpose::All`]'s defaults.

use weft_models::registry;

use crate::defaults::{self, Purpose};
use crate::error::PlanError;
use crate::plan::Plan;

/// The plans of the table, in order. A backend that cannot run a scenario has no row.
pub fn all_plans() -> Vec<Plan> {
    let mut plans = Vec::new();
    for info in registry::all() {
        for variant in info.variants {
            let pct = defaults::SEARCH;
            let exhaustive = defaults::EXHAUSTIVE_ALL;
            let rows = [
                Plan::sim(
                    info,
                    variant,
                    pct,
                    defaults::sim_iterations(Purpose::All, &pct),
                ),
                Plan::sim(
                    info,
                    variant,
                    exhaustive,
                    defaults::sim_iterations(Purpose::All, &exhaustive),
                ),
                Plan::shuttle(info, variant, pct, defaults::SHUTTLE_SAMPLES),
                Plan::loom(info, variant, Some(defaults::loom_bound(Purpose::All))),
                Plan::tokio(info, variant, defaults::tokio_runs(Purpose::All)),
            ];
            for row in rows {
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
    use super::*;
    use crate::fit::Backend;

    #[test]
    fn all_runs_every_supported_backend_once_per_variant() {
        let plans = all_plans();
        let variants: usize = registry::all().iter().map(|i| i.variants.len()).sum();
        // sim twice and tokio once for every variant, shuttle and loom where supported.
        assert!(plans.len() >= 3 * variants, "{} rows", plans.len());
        for backend in Backend::ALL {
            let rows = plans
                .iter()
                .filter(|p| p.backend().backend() == backend)
                .count();
            let fitting: usize = registry::all()
                .iter()
                .filter(|i| backend.fits(i).is_ok())
                .map(|i| i.variants.len())
                .sum();
            let per_variant = if backend == Backend::Sim { 2 } else { 1 };
            assert_eq!(rows, per_variant * fitting, "{backend}");
        }
    }
}
