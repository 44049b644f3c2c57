//! Regression files, proptest-style: entries keyed by test, one file for many tests; a fixed
//! bug passes; an entry that no longer fits is stale (one line, re-run from its seed), not a
//! failure; a corrupt line is a one-line error naming file and line.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use weft_core::sync::Mutex;
use weft_core::{FailureKind, Fault, Runtime};
use weft_sim::regression::{self, Entry};
use weft_sim::{Config, Report, Sim, SimError, SimRuntime, StrategyKind};

/// One counter bumped by two tasks; the versions differ in how a task bumps it.
#[derive(Clone, Copy, Debug)]
enum Version {
    /// Read and write under separate acquisitions: a lost update.
    Buggy,
    /// The bug, reshaped: a yield between read and write (more decisions).
    BuggyReshaped,
    /// Fixed, same lock operations as `Buggy` (a recorded schedule still fits).
    FixedSameShape,
    /// Fixed with one acquisition per task (a recorded schedule no longer fits).
    FixedNewShape,
}

async fn bump(rt: SimRuntime, m: Arc<Mutex<SimRuntime, u32>>, v: Version) {
    match v {
        Version::Buggy => {
            let x = *m.lock().await;
            *m.lock().await = x + 1;
        }
        Version::BuggyReshaped => {
            let x = *m.lock().await;
            rt.yield_now().await;
            *m.lock().await = x + 1;
        }
        Version::FixedSameShape => {
            let _peek = *m.lock().await;
            *m.lock().await += 1;
        }
        Version::FixedNewShape => *m.lock().await += 1,
    }
}

async fn counter(rt: SimRuntime, v: Version) {
    let m = Arc::new(Mutex::new(&rt, 0u32));
    let h = rt.spawn("other", bump(rt, m.clone(), v));
    bump(rt, m.clone(), v).await;
    h.join().await;
    let total = *m.lock().await;
    if total != 2 {
        rt.fail(Fault::new(
            FailureKind::Assertion,
            format!("lost update: {total}"),
        ));
    }
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("weft-regress-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir.join("regressions.txt")
}

const ITERATIONS: u64 = 30;

fn sim(path: &Path) -> Sim {
    Sim::new(
        Config::default()
            .strategy(StrategyKind::Random)
            .seed(11)
            .iterations(ITERATIONS)
            .regressions(path),
    )
}

fn run(path: &Path, v: Version) -> Result<Report, SimError> {
    sim(path).run(move |rt| counter(rt, v))
}

fn entries(path: &Path) -> Vec<Entry> {
    regression::load(path).unwrap()
}

/// Runs the buggy version once: its failure is saved under this test's key.
fn save_buggy(path: &Path) -> String {
    let err = run(path, Version::Buggy).unwrap_err();
    let f = err.failure().unwrap_or_else(|| panic!("{err}"));
    assert_eq!(f.kind, FailureKind::Assertion, "{f}");
    let saved = entries(path);
    assert_eq!(saved.len(), 1, "{saved:?}");
    assert_eq!(saved[0].schedule, f.schedule);
    assert_eq!(
        (saved[0].seed, saved[0].strategy),
        (11, StrategyKind::Random)
    );
    f.schedule.encode()
}

#[test]
fn a_saved_failure_is_replayed_first_and_saved_once() {
    let path = temp("save");
    save_buggy(&path);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# weft-sim regression file"), "{text}");
    assert!(text.contains("Commit this file"), "{text}");
    assert!(
        text.contains("regression_file::a_saved_failure_is_replayed_first_and_saved_once seed=11 strategy=random schedule=weft2-"),
        "{text}"
    );
    // The next run fails on the saved entry, before exploring (with a seed that finds nothing).
    let again = Sim::new(Config::default().seed(12).iterations(1).regressions(&path))
        .run(|rt| counter(rt, Version::Buggy))
        .unwrap_err();
    let f = again.failure().unwrap();
    assert_eq!(f.strategy, "replay of a regression entry", "{f}");
    // Saving the same schedule again keeps one line, and never truncates what is there.
    let _ = run(&path, Version::Buggy);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn a_fixed_bug_whose_schedule_still_fits_passes() {
    let path = temp("fits");
    save_buggy(&path);
    let report = run(&path, Version::FixedSameShape).expect("the fix passes");
    assert!(report.stale.is_empty(), "{:?}", report.stale);
    assert_eq!(
        report.executions,
        1 + ITERATIONS,
        "the entry, then the budget"
    );
    assert_eq!(entries(&path).len(), 1);
}

#[test]
fn a_fixed_bug_whose_schedule_no_longer_fits_is_stale_and_passes() {
    let path = temp("stale");
    save_buggy(&path);
    let report = run(&path, Version::FixedNewShape).expect("a stale entry is not a failure");
    let [stale] = &report.stale[..] else {
        panic!("one stale entry: {:?}", report.stale)
    };
    let line = stale.to_string();
    let key = "regression_file::a_fixed_bug_whose_schedule_no_longer_fits_is_stale_and_passes";
    let head = format!(
        "weft-sim: regression entry {}:7 for {key} no longer fits the program (at decision ",
        path.display()
    );
    assert!(line.starts_with(&head), "{line}");
    assert!(
        line.ends_with("); re-running from its seed 11 (strategy random)"),
        "{line}"
    );
    assert!(!line.contains('\n') && !line.contains("  "), "{line:?}");
    // The entry's exploration is the configured one here: run once, after the replay.
    assert_eq!(report.executions, 1 + ITERATIONS);
    // Another configuration re-runs the entry's exploration, then its own.
    let other = Sim::new(Config::default().seed(5).iterations(7).regressions(&path))
        .run(|rt| counter(rt, Version::FixedNewShape))
        .unwrap();
    assert_eq!(other.stale.len(), 1);
    assert_eq!(other.executions, 1 + 7 + 7);
    assert_eq!(
        entries(&path).len(),
        1,
        "nothing new saved, nothing removed"
    );
}

#[test]
fn a_stale_entry_of_a_bug_still_there_finds_it_again_from_its_seed() {
    let path = temp("still");
    save_buggy(&path);
    let err = run(&path, Version::BuggyReshaped).unwrap_err();
    let f = err.failure().unwrap_or_else(|| panic!("{err}"));
    assert_eq!(f.kind, FailureKind::Assertion, "{f}");
    assert_eq!(
        f.strategy, "random",
        "found by exploring from the seed: {f}"
    );
    let saved = entries(&path);
    assert_eq!(saved.len(), 2, "the new shape is appended: {saved:?}");
    assert_eq!(saved[1].schedule, f.schedule);
}

/// Runs `f` on a thread named like a libtest test.
fn as_test<T: Send>(name: &str, f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name(name.to_string())
            .spawn_scoped(s, f)
            .unwrap()
            .join()
            .unwrap()
    })
}

/// Fails when the root task draws an odd number (at the end, so that the fixed version makes
/// the same decisions): another test's bug, with other decisions.
async fn odd_draw(rt: SimRuntime, fixed: bool) {
    let h = rt.spawn("idle", async {});
    h.join().await;
    let draw = rt.rand_u64();
    if !(fixed || draw.is_multiple_of(2)) {
        rt.fail(Fault::new(FailureKind::Assertion, "odd draw"));
    }
}

#[test]
fn two_tests_share_one_file_and_replay_only_their_own_entries() {
    let path = temp("shared");
    let a = as_test("shared::a", || run(&path, Version::Buggy).unwrap_err());
    let b = as_test("shared::b", || {
        sim(&path).run(|rt| odd_draw(rt, false)).unwrap_err()
    });
    let saved = entries(&path);
    let keys: Vec<&str> = saved.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        ["regression_file::shared::a", "regression_file::shared::b"]
    );
    assert_eq!(saved[0].schedule, a.failure().unwrap().schedule);
    assert_eq!(saved[1].schedule, b.failure().unwrap().schedule);
    // Each replays its one entry (the other's would not fit: it would be reported stale).
    let a = as_test("shared::a", || run(&path, Version::FixedSameShape)).unwrap();
    assert_eq!((a.executions, a.stale.len()), (1 + ITERATIONS, 0));
    let b = as_test("shared::b", || {
        Sim::new(Config::default().iterations(1).regressions(&path)).run(|rt| odd_draw(rt, true))
    })
    .unwrap();
    assert_eq!((b.executions, b.stale.len()), (2, 0));
    // An explicit key: a test with no entries replays nothing.
    let c = Sim::new(
        Config::default()
            .iterations(1)
            .regressions(&path)
            .regression_key("elsewhere"),
    )
    .run(|rt| counter(rt, Version::FixedSameShape))
    .unwrap();
    assert_eq!(c.executions, 1);
}

fn config_error(path: &Path) -> String {
    let err = Sim::new(Config::default().regressions(path))
        .run(|rt| counter(rt, Version::FixedSameShape))
        .unwrap_err();
    let SimError::Config(e) = err else {
        panic!("expected a config error, got {err}")
    };
    let text = e.to_string();
    assert!(!text.contains('\n'), "{text}");
    text
}

#[test]
fn a_corrupt_entry_is_a_one_line_error_and_the_file_is_kept() {
    let path = temp("corrupt");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let cases = [
        (
            "# saved by weft\n\nt seed=1 strategy=random schedule=weft1-zzzz\n",
            ":3: schedule=\"weft1-zzzz\": bad schedule string",
        ),
        (
            "t seed=x strategy=random schedule=weft1-zzzz\n",
            ":1: seed=\"x\": not a number",
        ),
        (
            "t seed=1 strategy=bfs schedule=weft1-zzzz\n",
            ":1: strategy=\"bfs\": unknown strategy",
        ),
        ("t seed=1 strategy=random\n", ":1: missing schedule="),
        (
            "t seed=1 strategy=random colour=red\n",
            ":1: unknown field \"colour\"",
        ),
        (
            "\n\nweft1-0w2g81040g03wwg # old\n",
            ":3: a bare schedule string (the old format",
        ),
    ];
    for (text, expected) in cases {
        std::fs::write(&path, text).unwrap();
        let err = config_error(&path);
        assert!(err.contains(&format!("regressions.txt{expected}")), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }
}

#[test]
fn outside_libtest_the_key_must_be_given() {
    let path = temp("nokey");
    let err = as_test("main", || config_error(&path));
    assert!(err.contains("set Config::regression_key"), "{err}");
    let err = Sim::new(Config::default().regressions(&path).regression_key("a b"))
        .run(|rt| counter(rt, Version::FixedSameShape))
        .unwrap_err();
    assert!(err.to_string().contains("without whitespace"), "{err}");
}
