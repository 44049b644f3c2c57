//! The watchdog ends a process whose step spins without any weft operation, naming the task,
//! its last operation and site, the seed and the schedule so far; the schedule replays to the
//! same hang (the watchdog does not change scheduling).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use weft_core::Runtime;
use weft_sim::{Sim, SimRuntime, WATCHDOG_EXIT_STATUS};

mod support;

/// The spinning task waits on a std flag nobody sets: no weft operation, so only the watchdog
/// can see it.
async fn pure_spin(rt: SimRuntime) {
    let flag = Arc::new(AtomicBool::new(false));
    let f = flag.clone();
    let rt2 = rt;
    let h = rt.spawn("spinner", async move {
        rt2.yield_now().await; // LAST OP
        while !f.load(Ordering::Relaxed) {
            std::hint::spin_loop();
        }
    });
    rt.yield_now().await;
    h.join().await;
    flag.store(true, Ordering::Relaxed);
}

/// Child: a check configured from the env (so `WEFT_WATCHDOG` and `WEFT_SCHEDULE` apply).
#[test]
fn child_pure_spin() {
    if support::is_child() {
        Sim::from_env().unwrap().check(pure_spin);
    }
}

fn last_op_line() -> u32 {
    let src = include_str!("watchdog.rs");
    1 + src
        .lines()
        .position(|l| l.ends_with(concat!("// LAST", " OP")))
        .unwrap() as u32
}

fn line_after<'a>(text: &'a str, prefix: &str) -> &'a str {
    text.lines()
        .find_map(|l| l.trim_start().strip_prefix(prefix))
        .unwrap_or_else(|| panic!("no line {prefix:?} in:\n{text}"))
}

#[test]
fn a_pure_spin_ends_the_process_naming_task_op_site_seed_and_schedule() {
    let env = [("WEFT_WATCHDOG", "1"), ("WEFT_SEED", "7")];
    let child = support::run("child_pure_spin", &env, Duration::from_secs(60));
    let err = &child.stderr;
    assert_eq!(child.code, Some(WATCHDOG_EXIT_STATUS), "{child:?}");
    assert!(err.contains("weft-sim watchdog: task 'spinner'"), "{err}");
    let site = format!("watchdog.rs:{}", last_op_line());
    assert!(
        err.contains(&format!(
            "its last weft operation: yield_now at sim/tests/{site}"
        )),
        "{err}"
    );
    assert!(err.contains(", seed "), "{err}");
    let schedule = line_after(err, "schedule so far: ");
    assert!(schedule.starts_with("weft2-"), "{err}");
    assert!(
        line_after(err, "replay:   ").contains("--exact child_pure_spin"),
        "{err}"
    );
    // The watchdog took about a second, not the default minute (generous bound).
    assert!(child.took < Duration::from_secs(30), "{:?}", child.took);

    // The printed schedule replays to the same hang, at the same step.
    let env = [("WEFT_WATCHDOG", "1"), ("WEFT_SCHEDULE", schedule)];
    let again = support::run("child_pure_spin", &env, Duration::from_secs(60));
    assert_eq!(again.code, Some(WATCHDOG_EXIT_STATUS), "{again:?}");
    assert_eq!(
        line_after(&again.stderr, "step "),
        line_after(err, "step "),
        "{again:?}"
    );
}

#[test]
fn a_bad_watchdog_value_is_a_one_line_error() {
    let err = weft_sim::Config::default();
    assert_eq!(err.watchdog, Some(Duration::from_secs(60)));
    // Parsing is per-process env: checked in a child.
    let child = support::run(
        "child_config_from_env",
        &[("WEFT_WATCHDOG", "soon")],
        Duration::from_secs(60),
    );
    assert!(
        child.stdout.contains(
            "config error: WEFT_WATCHDOG=\"soon\": expected a positive number of seconds or `off`"
        ),
        "{child:?}"
    );
    let child = support::run(
        "child_config_from_env",
        &[("WEFT_WATCHDOG", "off"), ("WEFT_PROGRESS", "0.5")],
        Duration::from_secs(60),
    );
    assert!(
        child.stdout.contains("watchdog None, progress Some(500ms)"),
        "{child:?}"
    );
}

#[test]
fn child_config_from_env() {
    if support::is_child() {
        match weft_sim::Config::from_env() {
            Ok(c) => println!("watchdog {:?}, progress {:?}", c.watchdog, c.progress),
            Err(e) => println!("config error: {e}"),
        }
    }
}
