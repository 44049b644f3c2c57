//! Tasks and ids: a task is an object its spawn, join and abort touch (a join set another), a
//! select may touch anything, and object ids are stable per execution.

use std::sync::Arc;

use weft_core::sync::{select2, CancellationToken, Mutex, Notify};
use weft_core::task::JoinSet;
use weft_core::Runtime;

use crate::record::{record, record_all, Rec};

#[test]
fn a_task_is_an_object_its_spawn_join_and_abort_touch_and_a_join_set_is_another() {
    let ops = record(|rt| async move {
        let a = rt.spawn("a", async { 1 });
        let b = rt.spawn("b", std::future::pending::<()>());
        b.abort();
        assert_eq!(a.join().await, 1);
        assert!(b.try_join().await.unwrap_err().is_cancelled());
        let mut set = JoinSet::new(&rt);
        set.spawn("c", async { 2 });
        assert_eq!(set.join_next().await.unwrap().unwrap(), 2);
        assert!(set.try_join_next().is_none());
    });
    assert_eq!(
        ops.lines(),
        [
            "task.spawn #1 Spawn",
            "task.spawn #2 Spawn",
            "task.abort #2 Abort",
            "task.join #1 Join",
            "task.exit #1 Exit",
            "task.exit #2 Exit",
            "task.join #2 Join",
            "task.spawn #4 Spawn",
            "join_set.join_next #3 Join",
            "task.exit #4 Exit",
            "join_set.exit #3 Exit",
            "join_set.try_join_next #3 Join",
        ]
    );
    // A task's exit is what its join waits for; another task's exit is independent of it.
    assert!(ops.conflict(("task.exit", 0), ("task.join", 0)));
    assert!(!ops.conflict(("task.exit", 1), ("task.join", 0)));
    assert!(ops.conflict(("join_set.exit", 0), ("join_set.join_next", 0)));
    assert!(!ops.conflict(("task.exit", 2), ("join_set.join_next", 0)));
    assert!(ops.conflict(("task.spawn", 0), ("task.join", 0)));
    assert!(ops.conflict(("task.abort", 0), ("task.join", 1)));
    assert!(!ops.conflict(("task.join", 0), ("task.join", 1)));
    assert!(!ops.conflict(("task.spawn", 2), ("join_set.join_next", 0)));
}

#[test]
fn a_select_may_touch_anything() {
    let ops = record(|rt| async move {
        let m = Mutex::new(&rt, 0);
        let n = Notify::new(&rt);
        let c = CancellationToken::new(&rt);
        n.notify_one();
        let _ = select2(&rt, n.notified_arm(), c.cancelled_arm()).await;
        drop(m.try_lock());
    });
    assert_eq!(
        ops.lines(),
        [
            "notify.notify_one #2 Notify",
            "notify.notified #2 Wait",
            "select2 Unknown",
            "mutex.try_lock #1 Acquire",
            "mutex.unlock #1 Release",
        ]
    );
    assert!(ops.conflict(("select2", 0), ("mutex.try_lock", 0)));
    assert!(ops.conflict(("select2", 0), ("select2", 0)));
}

/// Two tasks that each create a mutex and lock it and a shared one: which task creates its
/// mutex first depends on the schedule, but the same seed (the same schedules) gives the same
/// ids, and every execution numbers from 1 again.
#[test]
fn ids_are_stable_per_execution() {
    let program = |rt: Rec| async move {
        let shared = Arc::new(Mutex::new(&rt, 0));
        let mut tasks = Vec::new();
        for name in ["a", "b"] {
            let (rt2, shared) = (rt.clone(), shared.clone());
            tasks.push(rt.spawn(name, async move {
                rt2.yield_now().await;
                let own = Mutex::new(&rt2, 0);
                *own.lock().await += 1;
                *shared.lock().await += 1;
            }));
        }
        for t in tasks {
            t.join().await;
        }
    };
    let first = record_all(7, 40, program);
    let again = record_all(7, 40, program);
    assert_eq!(first, again);
    for ops in &first {
        assert_eq!(ops[0], "task.spawn #2 Spawn", "{ops:?}");
    }
    // The numbering starts afresh in each execution: the last object is always #5.
    for ops in &first {
        assert!(ops.iter().all(|l| !l.contains("#6")), "{ops:?}");
    }
}
