//! The `weft` binary's searches: PCT's depth range, DFS's budget, DPOR's exhaustion and replay.

use crate::common::{json_line, stderr, stdout, weft};

/// `WEFT_STRATEGY` goes through the same parse, hence the same range and message (read here
/// through the library, as setting the variable would leak into the other tests' processes).
#[test]
fn weft_strategy_pct_depth_is_range_checked() {
    let e = weft_sim::StrategyKind::parse("pct:99999999999")
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("PCT depth 99999999999 is out of range: expected 1..=64"),
        "{e}"
    );
    assert_eq!(e.lines().count(), 1, "{e}");
}

/// A DFS that runs out of budget says so: a bare `pass` would read as "no bug anywhere".
/// (`weft_check::defaults`'s test `every_default_budget_is_finite` checks the default itself: 100,000
/// executions of this model take about 30 s in a debug build.)
#[test]
fn dfs_says_not_exhausted_when_the_budget_ran_out() {
    let o = weft(&[
        "check",
        "cortex/tenant-lifecycle",
        "--variant",
        "fixed",
        "--strategy",
        "dfs",
        "--iterations",
        "200",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("pass (not exhausted) after 200 execution(s)"),
        "{text}"
    );
    let exhausted = weft(&[
        "check",
        "cortex/stop-before-run",
        "--variant",
        "fixed",
        "--strategy",
        "dfs",
    ]);
    assert!(
        stdout(&exhausted).contains("pass (exhausted)"),
        "{}",
        stdout(&exhausted)
    );
}

/// `--strategy dpor` explores one execution per trace class: a fixed variant exhausts, a buggy
/// one fails, and the failure's printed schedule replays to the same failure.
#[test]
fn dpor_exhausts_a_fixed_variant_and_its_failures_replay() {
    const S: &str = "cortex/group-limit";
    let fixed = weft(&["check", S, "--variant", "fixed", "--strategy", "dpor"]);
    assert_eq!(fixed.status.code(), Some(0), "{}", stderr(&fixed));
    assert!(
        stdout(&fixed).contains("on sim (dpor, Minimal scale): pass (exhausted) after 16"),
        "{}",
        stdout(&fixed)
    );
    let args = [
        "check",
        S,
        "--variant",
        "buggy",
        "--strategy",
        "dpor",
        "--format",
        "json",
    ];
    let buggy = weft(&args);
    assert_eq!(buggy.status.code(), Some(1), "{}", stdout(&buggy));
    let found = json_line(&buggy);
    assert_eq!(found["failure"]["kind"], "assertion");
    let schedule = found["failure"]["schedule"].as_str().unwrap();
    let replay = [
        "replay",
        S,
        "--variant",
        "buggy",
        "--scale",
        "minimal",
        "--schedule",
        schedule,
        "--format",
        "json",
    ];
    let replayed = weft(&replay);
    assert_eq!(replayed.status.code(), Some(1), "{}", stderr(&replayed));
    let replayed = json_line(&replayed);
    for field in ["kind", "oracle", "message", "schedule", "trace"] {
        assert_eq!(
            replayed["failure"][field], found["failure"][field],
            "{field}"
        );
    }
}
