//! No vacuous runs, no ignored knobs: [`Config::validate`] (run by `Sim::run` before anything
//! executes) and the env-only rules of `Config::from_env`, tested through `Config::from_vars`
//! so that no test touches the process environment.

use std::cell::Cell;

use weft_sim::{Config, ConfigError, Sim, SimError, SimRuntime, StrategyKind};

/// `Sim::run`'s config error, checking that the body never ran.
fn run_error(config: Config) -> String {
    let ran = Cell::new(false);
    let err = Sim::new(config)
        .run(|_rt: SimRuntime| {
            ran.set(true);
            async {}
        })
        .unwrap_err();
    assert!(!ran.get(), "nothing runs before validation");
    let SimError::Config(e) = err else {
        panic!("expected a config error, got {err}")
    };
    let text = e.to_string();
    assert!(!text.contains('\n'), "{text}");
    text
}

#[test]
fn zero_iterations_is_an_error_not_a_green_run() {
    let text = run_error(Config::default().iterations(0));
    assert!(
        text.starts_with("iterations is 0 (Config::iterations / WEFT_ITERATIONS)"),
        "{text}"
    );
    // Also next to a schedule, and with a regression file.
    run_error(Config::default().iterations(0).schedule(Default::default()));
    run_error(
        Config::default()
            .iterations(0)
            .regressions("/nonexistent/r.txt"),
    );
}

#[test]
fn zero_max_steps_is_an_error() {
    let text = run_error(Config::default().max_steps(0));
    assert!(
        text.contains("Config::max_steps / WEFT_MAX_STEPS"),
        "{text}"
    );
}

#[test]
fn a_preemption_bound_needs_dfs() {
    for strategy in [StrategyKind::Random, StrategyKind::Pct { depth: 2 }] {
        let text = run_error(
            Config::default()
                .strategy(strategy)
                .preemption_bound(Some(2)),
        );
        assert_eq!(
            text,
            format!(
                "a preemption bound (2, Config::preemption_bound / WEFT_PREEMPTION_BOUND) \
                 applies only to the dfs, icb and hunt strategies, but the strategy is {strategy}"
            )
        );
    }
    let dfs = Config::default()
        .strategy(StrategyKind::Dfs)
        .preemption_bound(Some(2));
    assert_eq!(dfs.validate(), Ok(()));
}

fn vars(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_vars(move |name| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    })
}

fn vars_error(pairs: &[(&str, &str)]) -> String {
    let text = vars(pairs).unwrap_err().to_string();
    assert!(!text.contains('\n'), "{text}");
    text
}

/// A schedule string that decodes (the empty schedule of seed 0).
fn schedule() -> String {
    weft_sim::Schedule::new(0).encode()
}

#[test]
fn env_zero_iterations_is_an_error() {
    let text = vars_error(&[("WEFT_ITERATIONS", "0")]);
    assert!(text.contains("WEFT_ITERATIONS"), "{text}");
    assert!(vars_error(&[("WEFT_MAX_STEPS", "0")]).contains("WEFT_MAX_STEPS"));
    assert_eq!(vars(&[("WEFT_ITERATIONS", "3")]).unwrap().iterations, 3);
}

#[test]
fn env_preemption_bound_with_another_strategy_is_an_error() {
    let text = vars_error(&[("WEFT_PREEMPTION_BOUND", "2"), ("WEFT_STRATEGY", "pct")]);
    assert!(text
        .contains("applies only to the dfs, icb and hunt strategies, but the strategy is pct:3"));
    // The default strategy is pct, so the bound alone is ignored too.
    vars_error(&[("WEFT_PREEMPTION_BOUND", "2")]);
    let c = vars(&[("WEFT_PREEMPTION_BOUND", "2"), ("WEFT_STRATEGY", "dfs")]).unwrap();
    assert_eq!(
        (c.strategy, c.preemption_bound),
        (StrategyKind::Dfs, Some(2))
    );
}

#[test]
fn env_knobs_a_replay_would_ignore_are_errors() {
    let s = schedule();
    for (name, value) in [
        ("WEFT_SEED", "4"),
        ("WEFT_ITERATIONS", "10"),
        ("WEFT_STRATEGY", "random"),
        ("WEFT_PREEMPTION_BOUND", "1"),
        ("WEFT_CHECK_DETERMINISM", "1"),
        ("WEFT_REGRESSIONS", "/tmp/r.txt"),
    ] {
        let text = vars_error(&[("WEFT_SCHEDULE", &s), (name, value)]);
        assert!(
            text.starts_with(&format!("{name} does not apply with WEFT_SCHEDULE:")),
            "{text}"
        );
        assert!(text.ends_with(&format!("unset {name}")), "{text}");
    }
    // What does apply to a replay may be combined with it.
    let c = vars(&[
        ("WEFT_SCHEDULE", &s),
        ("WEFT_MAX_STEPS", "50"),
        ("WEFT_CHECK_DETERMINISM", "0"),
    ])
    .unwrap();
    assert_eq!((c.max_steps, c.schedule.is_some()), (50, true));
}

#[test]
fn env_regressions_names_a_file() {
    let c = vars(&[
        ("WEFT_REGRESSIONS", "1"),
        ("CARGO_MANIFEST_DIR", "/src/crate"),
    ])
    .unwrap();
    assert_eq!(
        c.regressions.as_deref(),
        Some(std::path::Path::new("/src/crate/weft-regressions.txt"))
    );
    let c = vars(&[("WEFT_REGRESSIONS", "out/r.txt")]).unwrap();
    assert_eq!(
        c.regressions.as_deref(),
        Some(std::path::Path::new("out/r.txt"))
    );
    let text = vars_error(&[("WEFT_REGRESSIONS", "1")]);
    assert!(text.contains("CARGO_MANIFEST_DIR is not set"), "{text}");
    assert!(vars_error(&[("WEFT_REGRESSIONS", "0")]).contains("unset the variable"));
}

#[test]
fn a_pct_depth_out_of_range_built_directly_is_an_error_not_a_hang() {
    let text = run_error(Config::default().strategy(StrategyKind::Pct {
        depth: 99_999_999_999,
    }));
    assert!(
        text.starts_with("Config::strategy / WEFT_STRATEGY: PCT depth 99999999999 is out of range"),
        "{text}"
    );
    run_error(Config::default().strategy(StrategyKind::Pct { depth: 0 }));
}

#[test]
fn zero_step_ops_is_an_error() {
    let text = run_error(Config::default().max_step_ops(0));
    assert!(text.contains("WEFT_MAX_STEP_OPS"), "{text}");
}
