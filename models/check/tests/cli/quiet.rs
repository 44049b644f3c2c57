//! `weft check` on shuttle and loom writes nothing of the checkers' own to stderr: a failure
//! is weft's report on stdout, with the seed to reproduce it.

use crate::common::{self, weft};

/// Text only shuttle writes (its schedule, its panic hook, its failure notes).
const SHUTTLE_TEXT: [&str; 7] = [
    "failing seed",
    "failing schedule",
    "test panicked in task",
    "Task failed",
    "Test deadlocked",
    "ExecutionState",
    "shuttle::replay",
];

fn assert_quiet_failure(args: &[&str]) {
    let o = weft(args);
    let stdout = common::stdout(&o);
    let stderr = common::stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a failure found: {stdout}\n{stderr}"
    );
    for text in SHUTTLE_TEXT {
        assert!(!stderr.contains(text), "shuttle wrote {text:?}:\n{stderr}");
    }
    assert!(stderr.trim().is_empty(), "stderr is empty:\n{stderr}");
    assert!(stdout.contains("FAIL contract_violation"), "{stdout}");
    assert!(stdout.contains("--seed 1"), "{stdout}");
}

#[test]
fn a_shuttle_failure_writes_nothing_to_stderr() {
    assert_quiet_failure(&[
        "check",
        "cortex/stop-before-run",
        "--variant",
        "buggy",
        "--backend",
        "shuttle",
        "--seed",
        "1",
    ]);
}

#[test]
fn a_shuttle_random_failure_writes_nothing_to_stderr() {
    assert_quiet_failure(&[
        "check",
        "cortex/stop-before-run",
        "--variant",
        "buggy",
        "--backend",
        "shuttle",
        "--strategy",
        "random",
        "--seed",
        "1",
    ]);
}
