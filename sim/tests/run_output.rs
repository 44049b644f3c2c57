//! What a run prints about itself: progress lines on stderr during a long run, the one-line
//! summary of a passing check, and a failing check's panic located at the caller's line.

use std::time::Duration;

use weft_core::Runtime;
use weft_sim::{Sim, SimRuntime};

mod support;

/// Three tasks yielding four times each: far more interleavings than a run explores.
async fn interleavings(rt: SimRuntime) {
    let mut hs = Vec::new();
    for i in 0..3 {
        hs.push(rt.spawn(&format!("t{i}"), async move {
            for _ in 0..4 {
                rt.yield_now().await;
            }
        }));
    }
    for h in hs {
        h.join().await;
    }
}

#[test]
fn child_long_dfs() {
    if support::is_child() {
        Sim::from_env().unwrap().check(interleavings);
    }
}

const LIMIT: Duration = Duration::from_secs(120);

#[test]
fn a_long_run_prints_progress_lines_then_a_summary() {
    let env = [
        ("WEFT_STRATEGY", "dfs"),
        ("WEFT_ITERATIONS", "3000"),
        ("WEFT_PROGRESS", "0.02"),
    ];
    let child = support::run("child_long_dfs", &env, LIMIT);
    assert_eq!(child.code, Some(0), "{child:?}");
    let progress: Vec<&str> = child
        .stderr
        .lines()
        .filter(|l| l.starts_with("weft-sim [child_long_dfs]: ") && l.contains(" executions, "))
        .collect();
    assert!(!progress.is_empty(), "{child:?}");
    for l in &progress {
        assert!(
            l.contains("/s, dfs depth ")
                && l.contains(" branches open, ")
                && l.ends_with("s elapsed"),
            "{l}"
        );
    }
    assert!(
        child
            .stdout
            .contains("weft-sim: passed 3000 executions, not exhausted, strategy dfs"),
        "{child:?}"
    );
}

#[test]
fn a_short_run_prints_no_progress_and_the_summary_can_be_turned_off() {
    let env = [
        ("WEFT_STRATEGY", "dfs"),
        ("WEFT_ITERATIONS", "20"),
        ("WEFT_SUMMARY", "0"),
    ];
    let child = support::run("child_long_dfs", &env, LIMIT);
    assert_eq!(child.code, Some(0), "{child:?}");
    assert!(!child.stderr.contains("weft-sim"), "{child:?}");
    assert!(!child.stdout.contains("weft-sim"), "{child:?}");
}

#[test]
fn child_failing_check() {
    if support::is_child() {
        let sim = Sim::from_env().unwrap();
        let body = |rt: SimRuntime| async move {
            let h = rt.spawn("boom", async { panic!("kaboom") });
            h.join().await;
        };
        sim.check(body); // CHECK CALL
    }
}

#[test]
fn a_failing_check_panics_at_the_callers_line() {
    let line = 1 + include_str!("run_output.rs")
        .lines()
        .position(|l| l.ends_with(concat!("// CHECK", " CALL")))
        .unwrap();
    let child = support::run("child_failing_check", &[], LIMIT);
    assert_eq!(child.code, Some(101), "{child:?}");
    let at = format!("panicked at sim/tests/run_output.rs:{line}:");
    assert!(child.stderr.contains(&at), "want {at:?} in {child:?}");
    assert!(child.stderr.contains("kaboom"), "{child:?}");
}
