//! `--strategy hunt` through the check layer: sim only, deterministic, the exhaustive search
//! `check --all` gives every variant expected to fail (where DPOR takes its fault budget),
//! and it finds what the faster of its two members finds, with that member's failure kind.

use weft_check::defaults::{self, Purpose};
use weft_check::{run, Knobs, Plan, Search, StrategyChoice};
use weft_models::registry;

#[test]
fn shuttle_and_seeds_are_refused_with_one_line() {
    let info = registry::find("cortex/stop-before-run").unwrap();
    let on_shuttle = Knobs {
        strategy: Some(StrategyChoice::Hunt),
        backend: Some(weft_check::Backend::Shuttle),
        ..Knobs::default()
    };
    assert_eq!(
        on_shuttle
            .plan(info, &info.variants[0])
            .unwrap_err()
            .to_string(),
        "--strategy does not apply to backend shuttle with strategy hunt: shuttle has no \
         iterative context bounding and no DPOR (use --backend sim)"
    );
    let seeded = Knobs {
        strategy: Some(StrategyChoice::Hunt),
        seed: Some(3),
        ..Knobs::default()
    };
    assert_eq!(
        seeded
            .plan(info, &info.variants[0])
            .unwrap_err()
            .to_string(),
        "--seed does not apply to backend sim with strategy hunt: the hunt (ICB and DPOR) is \
         deterministic and draws nothing from a seed"
    );
}

/// `consul/fix-combinations` `none`: depth-first DPOR does not reach its one-preemption bug
/// within 20,000 executions, ICB does at about 1,400; the hunt finds it within twice that,
/// with ICB's failure kind and preemptions, and `--all` hunts it.
#[test]
fn the_hunt_finds_what_icb_finds_where_dpor_is_slow() {
    let info = registry::find("consul/fix-combinations").unwrap();
    let none = info.variants.iter().find(|v| v.name == "none").unwrap();
    assert_eq!(
        defaults::exhaustive_all(info, none),
        Search::Hunt { max_bound: None }
    );
    let outcome = |search: Search, iterations: u64| {
        let plan = Plan::sim(info, none, search, iterations)
            .unwrap()
            .with_progress(false);
        run(&plan).unwrap()
    };
    let icb = outcome(Search::Icb { max_bound: None }, 20_000);
    let icb_at = icb.finding.as_ref().expect("ICB finds it").execution;
    let dpor = outcome(Search::Dpor, icb_at);
    assert!(dpor.finding.is_none(), "DPOR found it within ICB's count");
    let hunt = outcome(
        Search::Hunt { max_bound: None },
        defaults::sim_iterations(Purpose::All, &Search::Hunt { max_bound: None }),
    );
    hunt.assert_expected();
    let found = hunt.finding.as_ref().expect("the hunt finds it");
    assert!(
        found.execution <= 2 * icb_at,
        "hunt {}, icb {icb_at}",
        found.execution
    );
    assert_eq!(found.kind, icb.finding.as_ref().unwrap().kind);
    assert_eq!(found.preemptions, icb.finding.as_ref().unwrap().preemptions);
}
