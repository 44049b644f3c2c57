//! Replay round trip and byte-for-byte determinism.

use std::sync::Arc;

use weft_core::sync::{Mutex, SharedCell};
use weft_core::{FailureKind, Fault, Runtime};
use weft_sim::{
    Config, Mismatch, Need, Schedule, ScheduleMismatch, Sim, SimError, SimRuntime, StrategyKind,
};

/// Two tasks read-then-write a counter under separate lock acquisitions: a lost update.
async fn lost_update(rt: SimRuntime) {
    let m = Arc::new(Mutex::new(&rt, 0u32));
    let mut hs = Vec::new();
    for i in 0..2 {
        let m = m.clone();
        hs.push(rt.spawn(&format!("inc-{i}"), async move {
            let v = *m.lock().await;
            *m.lock().await = v + 1;
        }));
    }
    for h in hs {
        h.join().await;
    }
    let total = *m.lock().await;
    if total != 2 {
        rt.fail(Fault::new(
            FailureKind::Assertion,
            format!("lost update: {total}"),
        ));
    }
}

#[test]
fn printed_schedule_replays_to_an_identical_report() {
    for strategy in [
        StrategyKind::Random,
        StrategyKind::Pct { depth: 2 },
        StrategyKind::Dfs,
        StrategyKind::Dpor,
    ] {
        let found = Sim::new(Config::default().strategy(strategy).seed(3))
            .run(lost_update)
            .expect_err("the lost update is found");
        let found = found.failure().unwrap();
        assert_eq!(found.kind, FailureKind::Assertion, "{found}");
        let schedule =
            Schedule::decode(&found.schedule.encode()).expect("the printed string decodes");
        let replayed = Sim::new(Config::default().schedule(schedule))
            .run(lost_update)
            .unwrap_err();
        let replayed = replayed.failure().unwrap();
        assert_eq!(replayed.kind, found.kind);
        assert_eq!(replayed.message, found.message);
        assert_eq!(replayed.schedule, found.schedule);
        assert_eq!(
            replayed.trace_report(),
            found.trace_report(),
            "identical trace, byte for byte"
        );
    }
}

#[test]
fn same_seed_gives_byte_identical_reports() {
    let run = || {
        Sim::new(Config::default().strategy(StrategyKind::Random).seed(99))
            .run(lost_update)
            .unwrap_err()
            .to_string()
    };
    let first = run();
    assert_eq!(first, run());
    // ... also after other executions ran on this thread in between.
    let _ = Sim::new(Config::default().seed(5)).run(lost_update);
    assert_eq!(first, run());
}

/// The one-line error of replaying `schedule` on `body`, and its typed mismatch.
fn mismatch<F, Fut>(schedule: Schedule, body: F) -> (String, ScheduleMismatch)
where
    F: Fn(SimRuntime) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let err = Sim::new(Config::default().schedule(schedule))
        .run(body)
        .unwrap_err();
    let text = err.to_string();
    let SimError::ScheduleMismatch(m) = err else {
        panic!("expected a schedule mismatch (bad input), got {text}")
    };
    assert!(
        text.starts_with("schedule does not fit this program: at decision "),
        "{text}"
    );
    assert!(!text.contains('\n') && !text.contains("  "), "{text:?}");
    (text, m)
}

#[test]
fn a_foreign_schedule_is_bad_input_naming_the_decision() {
    let found = Sim::new(Config::default().strategy(StrategyKind::Random).seed(3))
        .run(lost_update)
        .unwrap_err();
    let schedule = found.failure().unwrap().schedule.clone();
    let len = schedule.decisions.len();
    // Replay it against a different program: one with a single task.
    let (text, m) = mismatch(schedule, |rt: SimRuntime| async move {
        let c = SharedCell::new(&rt, 0);
        c.set(1);
        rt.yield_now().await;
    });
    assert_eq!(
        m,
        ScheduleMismatch {
            decision: 0,
            what: Mismatch::LeftOver { unused: len }
        }
    );
    assert_eq!(
        text,
        format!(
            "schedule does not fit this program: at decision 0, the program ended, but the \
             schedule has {len} more decision(s)"
        )
    );
}

#[test]
fn each_kind_of_mismatch_names_what_did_not_fit() {
    use weft_sim::Decision::{Choice, Random, Task};
    // A task that does not exist.
    let (text, m) = mismatch(
        Schedule {
            seed: 0,
            decisions: vec![Task(7)],
        },
        lost_update,
    );
    assert_eq!(m.decision, 0);
    assert!(
        text.ends_with("at decision 0, the schedule runs task 7, but the candidates are [task 0, task 1, task 2]"),
        "{text}"
    );
    // The schedule ends early.
    let (text, m) = mismatch(Schedule::new(0), lost_update);
    assert_eq!(
        m.what,
        Mismatch::Missing {
            len: 0,
            need: Need::Pick
        }
    );
    assert!(
        text.ends_with(
            "the schedule has ended (0 decisions), but the program still chooses which task runs"
        ),
        "{text}"
    );
    // Another kind of decision, and a choice out of range.
    let chooser = |rt: SimRuntime| async move {
        let _ = rt.choose(2);
    };
    let (text, _) = mismatch(
        Schedule {
            seed: 0,
            decisions: vec![Random(5)],
        },
        chooser,
    );
    assert!(
        text.ends_with(
            "at decision 0, the schedule says random 0x5, but the program makes a choice among 2"
        ),
        "{text}"
    );
    let (_, m) = mismatch(
        Schedule {
            seed: 0,
            decisions: vec![Choice(3)],
        },
        chooser,
    );
    assert_eq!(
        m.what,
        Mismatch::Wrong {
            recorded: Choice(3),
            need: Need::Choice(2)
        }
    );
}

#[test]
fn model_logs_appear_in_the_trace_with_task_and_step() {
    let err = Sim::new(Config::default())
        .run(|rt: SimRuntime| async move {
            let h = rt.spawn("worker", async {
                tracing::info!(answer = 42, "worker computed");
            });
            h.join().await;
            panic!("[weft:assertion] stop here");
        })
        .unwrap_err();
    let f = err.failure().unwrap();
    let trace = f.trace_report();
    let line = trace
        .lines()
        .find(|l| l.contains("worker computed"))
        .unwrap_or_else(|| panic!("{f}"));
    assert!(
        line.contains("worker") && line.contains("INFO") && line.contains("answer=42"),
        "{line}"
    );
}

#[test]
fn a_handle_used_outside_its_execution_is_a_clear_error() {
    let leaked = std::sync::Mutex::new(None);
    Sim::new(Config::default().iterations(1)).check(|rt: SimRuntime| {
        *leaked.lock().unwrap() = Some(rt);
        async {}
    });
    let rt = leaked.lock().unwrap().take().unwrap();
    let err = std::panic::catch_unwind(|| rt.now()).unwrap_err();
    let msg = weft_core::error::panic_message(&*err);
    assert!(
        msg.contains("used outside the execution it belongs to"),
        "{msg}"
    );
}
