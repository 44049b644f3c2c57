//! The plan constructors: a plan that does not apply cannot be made, and the error is the
//! one line the CLI prints.

use weft_check::{
    defaults, Backend, BackendPlan, Flavour, Knob, Knobs, Plan, PlanError, Search, StrategyChoice,
};
use weft_models::registry;
use weft_models::scenario::{Info, Scale, Variant};

fn scenario(name: &str) -> (&'static Info, &'static Variant) {
    let info = registry::find(name).unwrap();
    (info, &info.variants[0])
}

#[test]
fn shuttle_dfs_takes_no_preemption_bound() {
    let (i, v) = scenario("cortex/stop-before-run");
    let bounded = Search::Dfs {
        preemption_bound: Some(2),
    };
    let e = Plan::shuttle(i, v, bounded, 10).unwrap_err();
    assert!(
        matches!(
            e,
            PlanError::DoesNotApply {
                knob: Knob::PreemptionBound,
                backend: Backend::Shuttle,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e
        .to_string()
        .starts_with("--preemption-bound does not apply to backend shuttle with strategy dfs"));
    let unbounded = Search::Dfs {
        preemption_bound: None,
    };
    assert!(Plan::shuttle(i, v, unbounded, 10).is_ok());
}

#[test]
fn budgets_and_depths_are_checked() {
    let (i, v) = scenario("cortex/stop-before-run");
    for plan in [
        Plan::sim(i, v, defaults::SEARCH, 0),
        Plan::shuttle(i, v, defaults::SHUTTLE_SEARCH, 0),
        Plan::tokio(i, v, 0),
    ] {
        let e = plan.unwrap_err();
        assert_eq!(e.to_string(), "--iterations must be at least 1");
    }
    let deep = Search::Pct { depth: 65, seed: 1 };
    let e = Plan::sim(i, v, deep, 1).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("--depth: PCT depth 65 is out of range"),
        "{e}"
    );
}

#[test]
fn a_backend_that_cannot_run_the_scenario_makes_no_plan() {
    let (i, v) = scenario("cortex/inhibit-order");
    let e = Plan::loom(i, v, Some(1)).unwrap_err();
    assert!(matches!(e, PlanError::Unsupported(_)), "{e:?}");
    assert!(e
        .to_string()
        .starts_with("backend loom does not support scenario cortex/inhibit-order"));
    let (i, v) = scenario("consul/alias-no-reconcile");
    assert!(Plan::shuttle(i, v, defaults::SHUTTLE_SEARCH, 10).is_err());
    // The portfolio is weft-sim's: shuttle refuses it whatever the scenario.
    let (i2, v2) = scenario("cortex/stop-before-run");
    assert!(matches!(
        Plan::shuttle(i2, v2, defaults::SEARCH, 10),
        Err(PlanError::DoesNotApply { .. })
    ));
    assert!(Plan::sim(i, v, defaults::SEARCH, 10).is_ok());
}

/// The scale follows the search, and tokio's runtime the scenario's clock.
#[test]
fn scale_and_flavour_follow_the_plan() {
    let (i, v) = scenario("cortex/stop-before-run");
    let dfs = Search::Dfs {
        preemption_bound: None,
    };
    assert_eq!(Plan::sim(i, v, dfs, 1).unwrap().scale(), Scale::Minimal);
    assert_eq!(
        Plan::sim(i, v, defaults::SEARCH, 1).unwrap().scale(),
        Scale::Full
    );
    assert_eq!(Plan::loom(i, v, None).unwrap().scale(), Scale::Minimal);
    let tokio = Plan::tokio(i, v, 1).unwrap();
    assert!(matches!(
        tokio.backend(),
        BackendPlan::Tokio {
            flavour: Flavour::MultiThread,
            ..
        }
    ));
    let (i, v) = scenario("consul/alias-no-reconcile");
    let tokio = Plan::tokio(i, v, 1).unwrap();
    assert!(matches!(
        tokio.backend(),
        BackendPlan::Tokio {
            flavour: Flavour::PausedClock,
            ..
        }
    ));
}

/// The CLI's flags become the plan the defaults table says, and a flag that does not apply
/// is refused before the backend's fit is asked.
#[test]
fn knobs_fill_in_the_defaults() {
    let (i, v) = scenario("cortex/stop-before-run");
    let plan = Knobs::default().plan(i, v).unwrap();
    assert_eq!(
        plan.backend(),
        &BackendPlan::Sim {
            search: defaults::SEARCH,
            iterations: defaults::SIM_SAMPLES,
        }
    );
    let loom = Knobs {
        backend: Some(Backend::Loom),
        ..Knobs::default()
    };
    assert_eq!(
        loom.plan(i, v).unwrap().backend(),
        &BackendPlan::Loom {
            preemption_bound: Some(defaults::SPEC_BOUND)
        }
    );
    let (i, v) = scenario("cortex/inhibit-order");
    let seeded_loom = Knobs {
        backend: Some(Backend::Loom),
        seed: Some(3),
        ..Knobs::default()
    };
    let e = seeded_loom.plan(i, v).unwrap_err();
    assert!(
        matches!(
            e,
            PlanError::DoesNotApply {
                knob: Knob::Seed,
                ..
            }
        ),
        "{e:?}"
    );
    let dfs = Knobs {
        strategy: Some(StrategyChoice::Dfs),
        seed: Some(3),
        ..Knobs::default()
    };
    assert_eq!(
        dfs.plan(i, v).unwrap_err().to_string(),
        "--seed does not apply to backend sim with strategy dfs: DFS is deterministic and \
         draws nothing from a seed"
    );
}
