//! Reports stay on one screen however long the failing execution ran; the full trace goes to
//! a file on request.

use weft_core::{FailureKind, Runtime};
use weft_sim::{Config, Failure, Sim, SimRuntime};

/// Two tasks yielding to each other forever: a livelock that runs into the step bound.
async fn yield_livelock(rt: SimRuntime) {
    let a = rt.spawn("a", async move {
        loop {
            rt.yield_now().await;
        }
    });
    let b = rt.spawn("b", async move {
        loop {
            rt.yield_now().await;
        }
    });
    a.join().await;
    b.join().await;
}

fn livelock(config: Config) -> Failure {
    let err = Sim::new(config.iterations(1))
        .run(yield_livelock)
        .unwrap_err();
    let f = err.failure().expect("a failure").clone();
    assert_eq!(f.kind, FailureKind::StepBound, "{f}");
    f
}

#[test]
fn a_yield_livelock_report_fits_a_screen() {
    let f = livelock(Config::default());
    let report = f.to_string();
    assert!(report.len() < 64 * 1024, "{} bytes", report.len());
    assert!(
        report.lines().count() < 200,
        "{} lines",
        report.lines().count()
    );
    assert!(
        report.contains("events elided (full trace: set WEFT_TRACE_FILE=path"),
        "{report}"
    );
    // Both ends of the execution are there: the spawns, and the last step before the bound.
    assert!(
        report.contains("spawns a") && report.contains("spawns b"),
        "{report}"
    );
    assert!(report.contains(&format!(" {} ", f.step - 1)), "{report}");
    // The schedule is shortened in the report but whole in the failure.
    assert!(f.schedule.encode().len() > 64 * 1024);
    assert!(report.contains("characters, shortened"), "{report}");
}

#[test]
fn the_trace_file_has_every_event_and_the_whole_schedule() {
    let path = std::env::temp_dir().join(format!("weft-trace-{}.txt", std::process::id()));
    let f = livelock(Config::default().max_steps(5000).trace_file(&path));
    let file = std::fs::read_to_string(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    let report = f.to_string();
    assert!(
        report.contains(&format!("full trace in {}", path.display())),
        "{report}"
    );
    assert_eq!(
        file.lines().next(),
        Some(format!("schedule: {}", f.schedule.encode()).as_str())
    );
    // One yield per step from step 3 (the root spawned both, then joined), up to the bound.
    let yields = file.lines().filter(|l| l.contains("yield_now at")).count();
    assert_eq!(yields as u64, f.step - 3, "{}", &file[..2000]);
    for step in [3, 2500, 5000] {
        assert!(
            file.lines()
                .any(|l| l.trim_start().starts_with(&format!("{step} "))),
            "step {step} missing"
        );
    }
    assert!(!file.contains("elided"), "the file is the whole trace");
}

#[test]
fn a_trace_file_that_cannot_be_written_is_named_in_the_report() {
    let path = std::env::temp_dir()
        .join("weft-no-such-dir")
        .join("trace.txt");
    let f = livelock(Config::default().max_steps(500).trace_file(&path));
    let report = f.to_string();
    assert!(
        report.contains(&format!(
            "the full trace could not be written to {}",
            path.display()
        )),
        "{report}"
    );
}

/// Many tasks: the per-task part lists a bounded number of them.
#[test]
fn many_tasks_are_listed_up_to_a_bound() {
    let err = Sim::new(Config::default().iterations(1))
        .run(|rt: SimRuntime| async move {
            for i in 0..100 {
                drop(rt.spawn(&format!("t{i}"), async {}));
            }
            panic!("after the spawns");
        })
        .unwrap_err();
    let report = err.to_string();
    assert!(report.contains("  ... 61 more tasks ("), "{report}");
    assert!(report.lines().count() < 200, "{report}");
}
