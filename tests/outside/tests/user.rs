//! What a user meets, checked from outside the weft workspace through the public API only:
//! a spin inside one step, a spin no weft operation can see, a livelock's report, a regression
//! file across a fix, a zero-iteration run and a schedule from another program.
//!
//! The cases that end a process or read `WEFT_*` variables run this same test binary again as
//! a child, with `OUTSIDE_CHILD` naming the case (env vars are process-wide, and the watchdog
//! ends its process on purpose).

#![allow(clippy::disallowed_methods)]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use weft_core::FailureKind;
use weft_outside::{counter, polite_livelock, spin_on_std_flag, spin_on_token};
use weft_sim::{Config, Sim, SimError};

/// Runs this test binary's `child` test with `OUTSIDE_CHILD=case` and the given env, killing it
/// after `limit`. Returns (exit code, stdout + stderr, wall time).
fn run_child(case: &str, env: &[(&str, &str)], limit: Duration) -> (Option<i32>, String, Duration) {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", "child", "--nocapture", "--test-threads=1"])
        .env("OUTSIDE_CHILD", case)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, _) in std::env::vars() {
        if k.starts_with("WEFT_") {
            cmd.env_remove(k);
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let mut proc = cmd.spawn().unwrap();
    loop {
        if proc.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = proc.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let elapsed = start.elapsed();
    let out = proc.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text, elapsed)
}

/// The child side: does nothing unless run by [`run_child`].
#[test]
fn child() {
    let Ok(case) = std::env::var("OUTSIDE_CHILD") else {
        return;
    };
    match case.as_str() {
        "std-spin" => {
            Sim::from_env().unwrap().check(spin_on_std_flag);
        }
        "from-env" => {
            Sim::from_env().unwrap().check(|rt| counter(rt, true));
        }
        other => panic!("unknown child case {other}"),
    }
}

#[test]
fn a_spin_on_a_primitive_is_a_step_bound_naming_the_task_and_site() {
    let err = Sim::new(Config::default().iterations(1))
        .run(spin_on_token)
        .unwrap_err();
    let f = err.failure().expect("a failure, not a config error");
    assert_eq!(f.kind, FailureKind::StepBound, "{f}");
    assert_eq!(f.task, "worker", "{f}");
    assert!(f.message.contains("cancel.is_cancelled"), "{}", f.message);
    assert!(f.message.contains("src/lib.rs:"), "{}", f.message);
}

#[test]
fn a_spin_no_weft_operation_sees_is_ended_by_the_watchdog() {
    let (code, text, took) = run_child(
        "std-spin",
        &[("WEFT_WATCHDOG", "2")],
        Duration::from_secs(60),
    );
    assert!(
        took < Duration::from_secs(30),
        "the watchdog did not end the spin in time ({took:?}):\n{text}"
    );
    assert!(code.is_some_and(|c| c != 0), "exit {code:?}:\n{text}");
    assert!(text.contains("watchdog"), "{text}");
    assert!(text.contains("'worker'"), "the task is named:\n{text}");
    assert!(text.contains("src/lib.rs:"), "its last site is named:\n{text}");
    assert!(text.contains("seed"), "{text}");
    assert!(text.contains("weft2-"), "the schedule so far:\n{text}");
}

#[test]
fn a_livelock_report_is_bounded() {
    let err = Sim::new(Config::default().iterations(1).max_steps(1_000_000))
        .run(polite_livelock)
        .unwrap_err();
    let f = err.failure().expect("a failure");
    assert_eq!(f.kind, FailureKind::StepBound);
    let report = f.to_string();
    assert!(
        report.len() < 64 * 1024,
        "{} bytes, {} lines",
        report.len(),
        report.lines().count()
    );
}

fn regression_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("weft-outside-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

#[test]
fn a_fixed_bug_with_a_saved_regression_entry_passes() {
    let path = regression_file("weft-regressions.txt");
    let config = || Config::default().regressions(&path);
    let found = Sim::new(config()).run(|rt| counter(rt, false)).unwrap_err();
    assert_eq!(found.failure().expect("the race").kind, FailureKind::DataRace);
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.contains("a_fixed_bug_with_a_saved_regression_entry_passes"), "{saved}");
    // The bug comes back: the saved entry finds it again first.
    let again = Sim::new(config()).run(|rt| counter(rt, false)).unwrap_err();
    assert_eq!(again.failure().unwrap().execution, 1);
    // The fix: the entry is replayed (or reported stale and re-run from its seed) and passes.
    let report = Sim::new(config()).check(|rt| counter(rt, true));
    assert!(report.executions >= 1);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), saved, "nothing lost");
}

#[test]
fn zero_iterations_is_an_error_not_a_pass() {
    let (code, text, _) = run_child(
        "from-env",
        &[("WEFT_ITERATIONS", "0")],
        Duration::from_secs(60),
    );
    assert_ne!(code, Some(0), "WEFT_ITERATIONS=0 passed:\n{text}");
    assert!(text.contains("WEFT_ITERATIONS"), "{text}");
    let err = Sim::new(Config::default().iterations(0))
        .run(|rt| counter(rt, true))
        .unwrap_err();
    assert!(matches!(err, SimError::Config(_)), "{err}");
}

#[test]
fn a_schedule_from_another_program_is_bad_input() {
    let err = Sim::new(Config::default())
        .run(|rt| counter(rt, false))
        .unwrap_err();
    let schedule = err.failure().unwrap().schedule.clone();
    let foreign = Sim::new(Config::default().schedule(schedule))
        .run(polite_livelock)
        .unwrap_err();
    assert!(matches!(foreign, SimError::ScheduleMismatch(_)), "{foreign}");
    let line = foreign.to_string();
    assert!(line.contains("decision"), "{line}");
    assert!(!line.contains('\n'), "one line: {line}");
}
