//! The `weft` binary: exit codes, one-line errors, and the replay round trip through JSON.

use std::process::{Command, Output};

use serde_json::Value;

fn weft(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(args)
        .output()
        .expect("the weft binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const SCENARIOS: [&str; 12] = [
    "cortex/stop-before-run",
    "cortex/inhibitor-stop-ignored",
    "cortex/inhibit-order",
    "cortex/shutdown-vs-lazy-create",
    "cortex/group-limit",
    "cortex/groupfunc-dispatcher-read",
    "cortex/tenant-lifecycle",
    "consul/clone-race",
    "consul/alias-overlap",
    "consul/alias-no-reconcile",
    "consul/agent-restart",
    "consul/fix-combinations",
];

#[test]
fn list_names_every_scenario_once() {
    let o = weft(&["list", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let names: Vec<String> = stdout(&o)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["name"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(names, SCENARIOS);
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let cases: [(&[&str], &str); 10] = [
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
            &["check", "cortex/stop-before-run", "--strategy", "pct", "--preemption-bound", "2"],
            "applies only to the dfs strategy, but the strategy is pct:3",
        ),
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

#[test]
fn check_exits_1_on_a_failure_and_0_on_a_pass() {
    let buggy = weft(&["check", "cortex/stop-before-run", "--variant", "buggy"]);
    assert_eq!(buggy.status.code(), Some(1));
    let text = stdout(&buggy);
    for part in [
        "contract_violation",
        "schedule: weft2-",
        "replay:   weft replay",
        "trace of the failing execution",
    ] {
        assert!(text.contains(part), "missing {part:?} in:\n{text}");
    }
    let fixed = weft(&[
        "check",
        "cortex/stop-before-run",
        "--variant",
        "fixed",
        "--iterations",
        "200",
    ]);
    assert_eq!(fixed.status.code(), Some(0), "{}", stdout(&fixed));
}

/// A schedule recorded on one scenario (or variant, or scale) does not fit another: bad input
/// (exit 2, one line naming the decision), not a failure found (exit 1).
#[test]
fn replay_of_a_schedule_from_elsewhere_is_bad_input() {
    let found = weft(&[
        "check",
        "cortex/stop-before-run",
        "--variant",
        "buggy",
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

fn json_line(o: &Output) -> Value {
    serde_json::from_str(stdout(o).trim()).expect("one JSON object")
}

/// (scenario, variant) for every variant expected to fail.
fn failing_variants() -> impl Iterator<Item = (&'static str, &'static str)> {
    weft_models::registry::all().into_iter().flat_map(|i| {
        i.variants
            .iter()
            .filter(|v| v.expect != weft_models::scenario::Expect::Pass)
            .map(move |v| (i.name, v.name))
    })
}

/// Every failing check's schedule replays to the same failure, byte for byte, every time.
#[test]
fn replay_round_trip_through_json_for_every_failing_variant() {
    for (scenario, variant) in failing_variants() {
        for strategy in ["pct", "dfs"] {
            let mut args = vec![
                "check",
                scenario,
                "--variant",
                variant,
                "--format",
                "json",
                "--strategy",
                strategy,
            ];
            if strategy == "dfs" {
                args.extend(["--preemption-bound", "2", "--iterations", "100000"]);
            }
            let check = weft(&args);
            assert_eq!(
                check.status.code(),
                Some(1),
                "{scenario} [{variant}] {strategy}: {}",
                stdout(&check)
            );
            let found = json_line(&check);
            let failure = &found["failure"];
            let schedule = failure["schedule"].as_str().unwrap();
            let scale = found["scale"].as_str().unwrap();
            let text = [
                "replay",
                scenario,
                "--variant",
                variant,
                "--scale",
                scale,
                "--schedule",
                schedule,
            ];
            let replay_args = [&text[..], &["--format", "json"]].concat();
            let first = weft(&replay_args);
            let second = weft(&replay_args);
            assert_eq!(
                first.status.code(),
                Some(1),
                "{scenario}: {}",
                stderr(&first)
            );
            assert_eq!(
                first.stdout, second.stdout,
                "{scenario}: replay output differs between runs"
            );
            let replayed = json_line(&first);
            for field in [
                "kind", "oracle", "message", "schedule", "seed", "task", "trace",
            ] {
                assert_eq!(
                    replayed["failure"][field], failure[field],
                    "{scenario} {strategy}: {field}"
                );
            }
            assert_eq!(
                weft(&text).stdout,
                weft(&text).stdout,
                "{scenario}: text replay differs"
            );
            let printed = failure["replay"].as_str().unwrap();
            assert!(
                printed.starts_with(&format!("weft replay {scenario} --variant {variant}")),
                "{printed}"
            );
        }
    }
}

/// shuttle runs are seeded: a failing check's printed command ends on the same failure at the
/// same execution, for every failing variant shuttle can run (PCT and random).
#[test]
fn shuttle_failures_reproduce_from_their_seed() {
    let mut checked = 0;
    for (scenario, variant) in failing_variants() {
        for strategy in ["pct", "random"] {
            let args = [
                "check",
                scenario,
                "--variant",
                variant,
                "--backend",
                "shuttle",
                "--strategy",
                strategy,
                "--seed",
                "5",
                "--format",
                "json",
            ];
            let check = weft(&args);
            if check.status.code() == Some(2) {
                // Refused with a reason (a clock, tolerated findings): not shuttle's to run.
                assert!(stderr(&check).contains("shuttle"), "{}", stderr(&check));
                continue;
            }
            assert_eq!(
                check.status.code(),
                Some(1),
                "{scenario} [{variant}] {strategy}"
            );
            let found = json_line(&check);
            let failure = &found["failure"];
            let command = failure["replay"].as_str().expect("a reproduce command");
            let words: Vec<&str> = command.split_whitespace().collect();
            assert_eq!(words[0], "weft", "{command}");
            let again = weft(&[&words[1..], &["--format", "json"]].concat());
            assert_eq!(again.status.code(), Some(1), "{command}");
            let again = json_line(&again);
            for field in ["kind", "message", "execution", "seed"] {
                assert_eq!(
                    again["failure"][field], failure[field],
                    "{scenario} [{variant}] {strategy}: {field}"
                );
            }
            assert_eq!(again["executions"], found["executions"], "{command}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} shuttle failures checked");
}

#[test]
fn json_has_the_documented_fields() {
    let o = weft(&[
        "check",
        "cortex/group-limit",
        "--variant",
        "buggy",
        "--format",
        "json",
    ]);
    let v = json_line(&o);
    for field in [
        "scenario",
        "variant",
        "backend",
        "strategy",
        "executions",
        "exhausted",
        "failure",
    ] {
        assert!(v.get(field).is_some(), "missing {field}: {v}");
    }
    for field in ["kind", "message", "seed", "schedule", "execution"] {
        assert!(
            v["failure"].get(field).is_some(),
            "missing failure.{field}: {v}"
        );
    }
    assert_eq!(v["failure"]["kind"], "assertion");
    assert_eq!(v["failure"]["oracle"], "group-limit");
}
