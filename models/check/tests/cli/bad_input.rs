//! Bad input exits 2 with one line and runs nothing: an unknown scenario, variant, backend or
//! schedule string, a schedule recorded elsewhere, a flag a run would ignore, a knob out of
//! range.

use crate::common::{json_line, stderr, stdout, weft};

#[test]
fn bad_input_exits_2_with_one_line() {
    let cases: [(&[&str], &str); 9] = [
        (
            &["check", "cortex/nope"],
            "unknown scenario \"cortex/nope\"",
        ),
        (
            &["check", "cortex/stop-before-run", "--variant", "nope"],
            "unknown variant \"nope\"",
        ),
        (
            &[
                "replay",
                "cortex/stop-before-run",
                "--variant",
                "buggy",
                "--schedule",
                "weft1-zz",
            ],
            "bad schedule string",
        ),
        (
            &["check", "cortex/inhibit-order", "--backend", "loom"],
            "backend loom does not support",
        ),
        (
            &["check", "cortex/stop-before-run", "--backend", "nope"],
            "invalid value 'nope'",
        ),
        (
            &["check", "cortex/stop-before-run", "--iterations", "0"],
            "--iterations must be",
        ),
        (&["check"], "check needs a scenario name or --all"),
        (
            &["check", "consul/alias-no-reconcile", "--backend", "shuttle"],
            "backend shuttle does not support scenario consul/alias-no-reconcile: its verdict needs timers",
        ),
        (
            &["check", "consul/fix-combinations", "--backend", "loom"],
            "backend loom does not support scenario consul/fix-combinations",
        ),
    ];
    for (args, expected) in cases {
        let o = weft(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{args:?}: one line, got {err:?}");
        assert!(
            err.contains(expected),
            "{args:?}: {err:?} should name {expected:?}"
        );
        assert!(stdout(&o).is_empty(), "{args:?}");
    }
}

/// A schedule recorded on one scenario (or variant, or scale) does not fit another: bad input
/// (exit 2, one line naming the decision), not a failure found (exit 1).
#[test]
fn replay_of_a_schedule_from_elsewhere_is_bad_input() {
    // PCT's schedule of the full workload (30 generations) is longer than anything the
    // minimal model decides; the default sampler's first failure can be a random walk's
    // short schedule, which may fit it.
    let found = weft(&[
        "check",
        "cortex/stop-before-run",
        "--variant",
        "buggy",
        "--strategy",
        "pct",
        "--format",
        "json",
    ]);
    assert_eq!(found.status.code(), Some(1), "{}", stderr(&found));
    let failure = &json_line(&found)["failure"];
    let schedule = failure["schedule"].as_str().expect("a schedule");
    for elsewhere in [
        &["cortex/inhibit-order", "--variant", "fixed"][..],
        &["cortex/stop-before-run", "--variant", "fixed"],
        &[
            "cortex/stop-before-run",
            "--variant",
            "buggy",
            "--scale",
            "minimal",
        ],
    ] {
        let args = [&["replay"], elsewhere, &["--schedule", schedule]].concat();
        let o = weft(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}{}", stdout(&o));
        assert_eq!(err.lines().count(), 1, "{args:?}: one line, got {err:?}");
        assert!(
            err.starts_with("weft: schedule does not fit this program: at decision "),
            "{args:?}: {err:?}"
        );
        assert!(stdout(&o).is_empty(), "{args:?}");
    }
}

/// Every flag a run would ignore, and every knob out of range, is refused with exit 2 and one
/// line that names the flag and why, before anything runs.
#[test]
fn flags_that_do_not_apply_exit_2_naming_why() {
    const S: &str = "cortex/stop-before-run";
    let cases: &[(&[&str], &str)] = &[
        (
            &["check", S, "--strategy", "pct", "--preemption-bound", "2"],
            "--preemption-bound does not apply to backend sim with strategy pct: only DFS",
        ),
        (
            &[
                "check",
                S,
                "--strategy",
                "random",
                "--preemption-bound",
                "2",
            ],
            "--preemption-bound does not apply to backend sim with strategy random",
        ),
        (
            &["check", S, "--preemption-bound", "2"],
            "--preemption-bound does not apply to backend sim with its default strategy portfolio",
        ),
        (
            &[
                "check",
                S,
                "--backend",
                "shuttle",
                "--preemption-bound",
                "2",
            ],
            "--preemption-bound does not apply to backend shuttle",
        ),
        (
            &[
                "check",
                S,
                "--backend",
                "shuttle",
                "--strategy",
                "dfs",
                "--preemption-bound",
                "2",
            ],
            "--preemption-bound does not apply to backend shuttle with strategy dfs",
        ),
        (
            &["check", S, "--backend", "tokio", "--strategy", "pct"],
            "--strategy does not apply to backend tokio",
        ),
        (
            &["check", S, "--backend", "tokio", "--seed", "3"],
            "--seed does not apply to backend tokio",
        ),
        (
            &["check", S, "--backend", "loom", "--strategy", "dfs"],
            "--strategy does not apply to backend loom",
        ),
        (
            &["check", S, "--backend", "loom", "--seed", "3"],
            "--seed does not apply to backend loom",
        ),
        (
            &["check", S, "--backend", "loom", "--iterations", "3"],
            "--iterations does not apply to backend loom",
        ),
        (
            &["check", S, "--strategy", "dfs", "--seed", "3"],
            "--seed does not apply to backend sim with strategy dfs: DFS is deterministic",
        ),
        (
            &["check", S, "--strategy", "random", "--depth", "2"],
            "--depth does not apply to backend sim with strategy random: it is PCT's bug depth",
        ),
        (
            &[
                "check",
                "--all",
                "--depth",
                "0",
                "--seed",
                "99",
                "--preemption-bound",
                "7",
            ],
            "--all runs every variant on every backend with its own budgets and takes only \
             --format: drop --depth, --seed, --preemption-bound",
        ),
        (
            &["check", "--all", "--iterations", "5"],
            "drop --iterations",
        ),
        (
            &["check", S, "--strategy", "pct", "--depth", "99999999999"],
            "--depth: PCT depth 99999999999 is out of range: expected 1..=64",
        ),
        (
            &["check", S, "--depth", "3"],
            "--depth does not apply to backend sim with its default strategy portfolio",
        ),
        (
            &[
                "check",
                S,
                "--backend",
                "shuttle",
                "--strategy",
                "portfolio",
            ],
            "--strategy does not apply to backend shuttle with strategy portfolio: the \
             portfolio is weft-sim's",
        ),
        (
            &["check", S, "--backend", "shuttle", "--depth", "65"],
            "--depth: PCT depth 65 is out of range: expected 1..=64",
        ),
        (
            &["check", S, "--strategy", "pct", "--depth", "0"],
            "--depth: PCT depth 0 is out of range",
        ),
        (
            &["check", S, "--strategy", "dpor", "--seed", "3"],
            "--seed does not apply to backend sim with strategy dpor: DPOR is deterministic",
        ),
        (
            &["check", S, "--strategy", "dpor", "--preemption-bound", "2"],
            "--preemption-bound does not apply to backend sim with strategy dpor: DPOR explores \
             every trace class",
        ),
        (
            &["check", S, "--strategy", "dpor", "--depth", "2"],
            "--depth does not apply to backend sim with strategy dpor: it is PCT's bug depth",
        ),
        (
            &["check", S, "--backend", "shuttle", "--strategy", "dpor"],
            "--strategy does not apply to backend shuttle with strategy dpor: shuttle has no DPOR",
        ),
        (
            &[
                "replay",
                S,
                "--variant",
                "buggy",
                "--schedule",
                "weft1-0",
                "--seed",
                "3",
            ],
            "unexpected argument '--seed'",
        ),
    ];
    for (args, expected) in cases {
        let o = weft(args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: one line, got {err:?}");
        assert!(
            err.contains(expected),
            "{args:?}: {err:?} should contain {expected:?}"
        );
        assert!(stdout(&o).is_empty(), "{args:?} ran: {}", stdout(&o));
    }
}
