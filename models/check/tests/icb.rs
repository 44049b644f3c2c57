//! `--strategy icb` through the check layer: sim only (shuttle has no ICB), and its finding
//! carries the preemptions of the failing schedule and the outcome the bound reached, as
//! values ([`Finding::preemptions`], [`Outcome::bound_reached`]).

use weft_check::{run, Backend, Knob, Knobs, Plan, PlanError, Search, StrategyChoice};
use weft_models::registry;

const SCENARIO: &str = "cortex/stop-before-run";

#[test]
fn shuttle_has_no_icb() {
    let info = registry::find(SCENARIO).unwrap();
    let e =
        Plan::shuttle(info, &info.variants[0], Search::Icb { max_bound: None }, 10).unwrap_err();
    assert!(
        matches!(
            e,
            PlanError::DoesNotApply {
                knob: Knob::Strategy,
                backend: Backend::Shuttle,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "--strategy does not apply to backend shuttle with strategy icb: shuttle has no \
         iterative context bounding (use --backend sim)"
    );
    let seeded = Knobs {
        strategy: Some(StrategyChoice::Icb),
        seed: Some(3),
        ..Knobs::default()
    };
    assert_eq!(
        seeded
            .plan(info, &info.variants[0])
            .unwrap_err()
            .to_string(),
        "--seed does not apply to backend sim with strategy icb: ICB is deterministic and \
         draws nothing from a seed"
    );
}

/// The buggy variant under ICB: the finding's preemptions are the fewest any failing schedule
/// needs (every bound below was explored without a failure: the bound reached is one less),
/// and no more than the preemptions of DFS's first failure.
#[test]
fn icb_reports_the_fewest_preemptions_and_the_bound_reached() {
    let info = registry::find(SCENARIO).unwrap();
    let buggy = &info.variants[0];
    let knobs = Knobs {
        strategy: Some(StrategyChoice::Icb),
        preemption_bound: Some(3),
        ..Knobs::default()
    };
    let plan = knobs.plan(info, buggy).unwrap().with_progress(false);
    assert_eq!(
        plan.backend(),
        &weft_check::BackendPlan::Sim {
            search: Search::Icb { max_bound: Some(3) },
            iterations: weft_check::defaults::SIM_DFS_CHECK,
        }
    );
    let icb = run(&plan).unwrap();
    icb.assert_expected();
    let found = icb.finding.as_ref().expect("the bug is found");
    let p = found.preemptions.expect("sim counts preemptions");
    assert_eq!(icb.bound_reached, p.checked_sub(1), "{icb:?}");

    let dfs = Plan::sim(
        info,
        buggy,
        Search::Dfs {
            preemption_bound: None,
        },
        100_000,
    )
    .unwrap()
    .with_progress(false);
    let dfs = run(&dfs).unwrap();
    assert_eq!(dfs.bound_reached, None);
    let dfs_p = dfs.finding.as_ref().unwrap().preemptions.unwrap();
    assert!(p <= dfs_p, "icb {p}, dfs {dfs_p}");
}
