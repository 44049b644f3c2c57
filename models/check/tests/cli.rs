//! The `weft` binary: exit codes, one-line errors, and the replay round trip through JSON.

use serde_json::Value;

mod common;

use common::{json_line, stderr, stdout, weft};

const SCENARIOS: [&str; 47] = [
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
    "sct/atomicity",
    "sct/order-violation",
    "sct/lost-wakeup",
    "sct/abba-deadlock",
    "sct/dining-philosophers",
    "sct/bounded-buffer",
    "sct/rwlock-upgrade",
    "sct/double-checked-locking",
    "sct/aba-stack",
    "sct/work-stealing",
    "sct/seqlock-torn-read",
    "sct/bounded-retry",
    "sct/pool-overflow",
    "sct/data-choice",
    "sct/timeout-race",
    "sct/wait-group-misuse",
    "canary/wal-ack-before-durable",
    "canary/lease-lock-no-fencing",
    "canary/replica-read-lag",
    "canary/retry-duplicate-apply",
    "mimir/r1-blind-overwrite",
    "mimir/r2-check-then-put",
    "mimir/r3-bypass",
    "mimir/r4-lock-leak",
    "mimir/r5-holder-crash",
    "mimir/r6-double-steal",
    "mimir/r7-slow-holder",
    "mimir/r8-clock-skew",
    "mimir/r9-ambiguous-acquire",
    "mimir/r10-stale-read",
    "mimir/r11-blind-retry",
    "mimir/r12-lost-response",
    "mimir/r13-divergent-etag",
    "mimir/r14-ignored-condition",
    "mimir/protocol-matrix",
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

/// `weft list --format json` shows each scenario's declared oracles, by name.
#[test]
fn list_json_shows_each_scenarios_oracles() {
    let o = weft(&["list", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for line in stdout(&o).lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let info = weft_models::registry::find(v["name"].as_str().unwrap()).unwrap();
        let declared: Vec<&str> = info.oracles.iter().map(|o| o.name()).collect();
        assert_eq!(v["oracles"], serde_json::json!(declared), "{line}");
    }
    let group_limit = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| v["name"] == "cortex/group-limit")
        .unwrap();
    assert_eq!(group_limit["oracles"], serde_json::json!(["group-limit"]));
}

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

/// (scenario, variant) for every variant expected to fail, except the `sct/*` suite's: its
/// programs are built to need up to 3 preemptions (beyond PCT d=3 and DFS pb2) and up to
/// thousands of shuttle executions; `tests/sct.rs` checks their failures and replays with the
/// budgets they need.
fn failing_variants() -> impl Iterator<Item = (&'static str, &'static str)> {
    let suite = weft_models::scenarios::sct::SUITE.map(|p| p.info.name);
    // The lock family of `mimir/*` and the matrix built from it replay in `mimir_lock.rs`,
    // R3 and R11-R14 in `mimir_races.rs`, each with the search that finds it: DFS with bound 2
    // does not reach the double steal (R6) or the clock-skew race (R8) within 100,000
    // executions.
    let lock_family = |name: &str| {
        name.starts_with("mimir/")
            && !name.starts_with("mimir/r1-")
            && !name.starts_with("mimir/r2-")
    };
    let outside =
        move |i: &&weft_models::scenario::Info| !suite.contains(&i.name) && !lock_family(i.name);
    weft_models::registry::all()
        .into_iter()
        .filter(outside)
        .flat_map(|i| {
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

// ---------------------------------------------------------------------------------------------
// Flags that do not apply, knobs out of range, finite budgets, the `check --all` summary.
// ---------------------------------------------------------------------------------------------

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

/// The whole table: its last line is the summary and no line passes 160 columns. About a
/// minute in release, ten in debug: `cargo test --release -p weft-check --test cli --
/// --ignored` (the row layout itself is checked in the binary's unit tests, which run always).
#[test]
#[ignore = "runs check --all: about a minute in release"]
fn check_all_ends_with_a_summary_and_fits_160_columns() {
    let o = weft(&["check", "--all"]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", stderr(&o));
    let lines: Vec<&str> = text.lines().collect();
    // The header, the rows, a `  tolerated: ...` line under some rows, the summary.
    let rows = lines[1..lines.len() - 1]
        .iter()
        .filter(|l| !l.starts_with(' '))
        .count();
    let last = lines.last().unwrap();
    assert!(
        last.starts_with(&format!(
            "{rows} rows: {rows} as expected, 0 unexpected, wall "
        )),
        "{last}"
    );
    for line in &lines {
        assert!(
            line.chars().count() <= 160,
            "{} columns: {line}",
            line.len()
        );
    }
}
