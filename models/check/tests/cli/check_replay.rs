//! `weft check` and `weft replay`: exit 1 on a failure and 0 on a pass, the JSON fields, the
//! replay round trip through JSON for every failing variant, shuttle's seeded reproduction, and
//! the `check --all` summary.

use crate::common::{json_line, stderr, stdout, weft};

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
