//! Every change a step makes to a primitive is among the step's operations, including the
//! ones destructors make (`weft_core::object`, "Operations destructors perform"): a strategy
//! that wants steps sees the unlock in the step that drops the guard, the close in the step
//! that drops a channel half, the hand-off in the step that drops a queued acquire.
//!
//! A unit test of the crate (not in `tests/`): it runs a custom strategy through the run loop,
//! which has no public entry point.

use std::future::Future;
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use weft_core::sync::{
    future_arm, mpsc, oneshot, select2, watch, Mutex, Notify, RwLock, Select2, Semaphore,
};
use weft_core::task::JoinSet;
use weft_core::{AccessKind, BoxFuture, Op, Runtime};

use crate::backend::SimRuntime;
use crate::run_loop::{run, Limits};
use crate::strategy::{Candidate, DecisionPoint, Step, Strategy};
use crate::trace::{Recording, Trace};

/// One executed step: who ran it and what it performed.
type Performed = (Candidate, Vec<Op>);

/// Runs the first candidate at every decision, answers every choice with 0, and records
/// each step.
struct Record(Arc<StdMutex<Vec<Performed>>>);

impl Strategy for Record {
    fn describe(&self) -> String {
        "record".to_string()
    }
    fn begin(&mut self, _: u64, _: u64) -> bool {
        true
    }
    fn pick(&mut self, _: &DecisionPoint<'_>) -> Result<usize, String> {
        Ok(0)
    }
    fn choose(&mut self, _: usize) -> Result<usize, String> {
        Ok(0)
    }
    fn random(&mut self) -> Result<u64, String> {
        Ok(0)
    }
    fn end(&mut self, _: u64) {}
    fn wants_steps(&self) -> bool {
        true
    }
    fn stepped(&mut self, step: &Step<'_>) {
        self.0
            .lock()
            .unwrap()
            .push((step.actor, step.accesses.to_vec()));
    }
}

/// The steps of one execution of `body` (which must pass).
fn steps<F, Fut>(body: F) -> Vec<Performed>
where
    F: FnOnce(SimRuntime) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let record = Arc::new(StdMutex::new(Vec::new()));
    let limits = Limits {
        max_steps: 10_000,
        max_step_ops: 10_000,
        allow_outlive: Vec::new(),
        tolerate: Vec::new(),
        pulse: None,
        budget: weft_core::faults::Budget::NONE,
    };
    let root = move |id: u64| -> BoxFuture { Box::pin(body(SimRuntime { exec_id: id })) };
    let out = run(
        u64::from(u32::MAX) - 16,
        0,
        Box::new(Record(record.clone())),
        Trace::new(Recording::Off),
        &limits,
        root,
    );
    assert!(
        out.failure.is_none(),
        "{:?}",
        out.failure.map(|f| f.fault.message)
    );
    let steps = record.lock().unwrap().clone();
    steps
}

/// The first operation named `name` in any step.
fn first(steps: &[Performed], name: &str) -> Op {
    steps
        .iter()
        .flat_map(|(_, ops)| ops.iter())
        .find(|op| op.name == name)
        .copied()
        .unwrap_or_else(|| panic!("no {name} in {}", render(steps)))
}

/// Asserts that a step of `task` performs `name` with `access` on the object `like`
/// touches, in that step after `after` (when given; the operation the step starts with).
fn assert_performs(
    steps: &[Performed],
    task: u32,
    after: Option<&str>,
    name: &str,
    access: AccessKind,
    like: Op,
) {
    let found = steps.iter().any(|(actor, ops)| {
        *actor == Candidate::Task(task)
            && after.is_none_or(|a| ops.iter().any(|op| op.name == a))
            && ops.iter().any(|op| {
                op.name == name
                    && op.touch.access() == Some(access)
                    && op.touch.object() == like.touch.object()
            })
    });
    assert!(
        found,
        "no step of task {task}{} performs {name} ({access:?} on {:?}):\n{}",
        after.map(|a| format!(" with {a}")).unwrap_or_default(),
        like.touch.object(),
        render(steps)
    );
}

fn render(steps: &[Performed]) -> String {
    steps
        .iter()
        .map(|(actor, ops)| {
            let ops: Vec<String> = ops
                .iter()
                .map(|op| format!("{} {:?}", op.name, op.touch))
                .collect();
            format!("  {actor}: [{}]\n", ops.join(", "))
        })
        .collect()
}

/// A select arm that is ready at once.
fn ready() -> weft_core::sync::FutureArm<std::future::Ready<()>> {
    future_arm(std::future::ready(()))
}

/// The case the missing unlock got wrong: a lock held across an await and released by the
/// guard's drop in a later step. That step must conflict with the next lock of the mutex,
/// or a reduction would treat "a unlocks, then b locks" as independent of its reverse.
#[test]
fn an_unlock_in_a_later_step_conflicts_with_the_next_lock() {
    let steps = steps(|rt| async move {
        let m = Arc::new(Mutex::new(&rt, ()));
        let (ma, mb) = (m.clone(), m.clone());
        let a = rt.spawn("a", async move {
            let g = ma.lock().await;
            rt.yield_now().await;
            drop(g);
        });
        let b = rt.spawn("b", async move {
            let _g = mb.lock().await;
        });
        a.join().await;
        b.join().await;
    });
    let lock = first(&steps, "mutex.lock");
    let release = steps
        .iter()
        .find(|(actor, ops)| {
            *actor == Candidate::Task(1) && ops.first().map(|op| op.name) == Some("yield_now")
        })
        .unwrap_or_else(|| panic!("no step of a resumes at its yield:\n{}", render(&steps)));
    assert!(
        release.1.iter().any(|op| op.conflicts(&lock)),
        "the step that drops the guard does not conflict with a lock:\n{}",
        render(&steps)
    );
    assert_performs(
        &steps,
        1,
        Some("yield_now"),
        "mutex.unlock",
        AccessKind::Release,
        lock,
    );
}

#[test]
fn a_mutex_guard_unlocks_and_a_timed_out_lock_gives_up() {
    let steps = steps(|rt| async move {
        let m = Mutex::new(&rt, ());
        let g = m.lock().await;
        let waited = weft_core::time::timeout(&rt, Duration::from_secs(1), m.lock()).await;
        assert!(waited.is_err(), "the lock is held");
        drop(g);
        assert!(m.try_lock().is_some());
    });
    let lock = first(&steps, "mutex.lock");
    assert_performs(&steps, 0, None, "mutex.give_up", AccessKind::Release, lock);
    assert_performs(
        &steps,
        0,
        Some("mutex.give_up"),
        "mutex.unlock",
        AccessKind::Release,
        lock,
    );
    assert_performs(
        &steps,
        0,
        Some("mutex.try_lock"),
        "mutex.unlock",
        AccessKind::Release,
        lock,
    );
}

#[test]
fn rwlock_guards_unlock_with_the_kind_of_their_lock() {
    let steps = steps(|rt| async move {
        let l = RwLock::new(&rt, 0);
        drop(l.read().await);
        *l.write().await += 1;
        let few = RwLock::with_max_readers(&rt, 0, 2);
        drop(few.try_read().unwrap());
        let w = few.write().await;
        let lost = select2(&rt, ready(), few.read_arm()).await;
        assert!(matches!(lost, Select2::First(())));
        drop(w);
    });
    let read = first(&steps, "rwlock.read");
    assert_performs(
        &steps,
        0,
        Some("rwlock.read"),
        "rwlock.unlock",
        AccessKind::ReleaseShared,
        read,
    );
    assert_performs(
        &steps,
        0,
        Some("rwlock.write"),
        "rwlock.unlock",
        AccessKind::Release,
        read,
    );
    let few = first(&steps, "rwlock.try_read");
    assert_performs(
        &steps,
        0,
        Some("rwlock.try_read"),
        "rwlock.unlock",
        AccessKind::Release,
        few,
    );
    assert_performs(
        &steps,
        0,
        Some("select2"),
        "rwlock.give_up",
        AccessKind::Release,
        few,
    );
}

#[test]
fn permits_are_released_by_their_drop_and_by_an_acquire_that_gives_up() {
    let steps = steps(|rt| async move {
        let s = Semaphore::new(&rt, 1);
        drop(s.acquire().await.unwrap());
        let lost = select2(&rt, ready(), s.acquire_many_arm(2)).await;
        assert!(matches!(lost, Select2::First(())));
        s.try_acquire().unwrap().forget();
        assert_eq!(s.available_permits(), 0);
    });
    let acquire = first(&steps, "semaphore.acquire");
    assert_performs(
        &steps,
        0,
        Some("semaphore.acquire"),
        "semaphore.release",
        AccessKind::Release,
        acquire,
    );
    assert_performs(
        &steps,
        0,
        Some("select2"),
        "semaphore.give_up",
        AccessKind::Release,
        acquire,
    );
    assert_performs(
        &steps,
        0,
        None,
        "semaphore.available_permits",
        AccessKind::Read,
        acquire,
    );
    let forgotten = steps
        .iter()
        .flat_map(|(_, ops)| ops)
        .filter(|op| op.name == "semaphore.release")
        .count();
    assert_eq!(forgotten, 1, "a forgotten permit returns nothing");
}

#[test]
fn mpsc_halves_close_when_dropped_and_lost_arms_hand_back() {
    let steps = steps(|rt| async move {
        let (tx, mut rx) = mpsc::channel::<_, u32>(&rt, 1);
        tx.try_send(1).unwrap();
        // Full: the send arm waits for a slot, and gives up when the other arm wins.
        let lost = select2(&rt, ready(), tx.send_arm(2)).await;
        assert!(matches!(lost, Select2::First(())));
        // A message is queued: both arms are ready, the strategy's 0 picks the first.
        let lost = select2(&rt, ready(), rx.recv_arm()).await;
        assert!(matches!(lost, Select2::First(())));
        let tx2 = tx.clone();
        let sender = rt.spawn("sender", async move { drop(tx2) });
        sender.join().await;
        drop(tx);
        assert_eq!(rx.recv().await, Some(1));
        assert_eq!(rx.recv().await, None);
        drop(rx);
    });
    let send = first(&steps, "mpsc.try_send");
    for (task, name, access) in [
        (0, "mpsc.send_cancel", AccessKind::Release),
        (0, "mpsc.recv_cancel", AccessKind::Receive),
        (1, "mpsc.sender_drop", AccessKind::Close),
        (0, "mpsc.sender_drop", AccessKind::Close),
        (0, "mpsc.receiver_drop", AccessKind::Close),
    ] {
        assert_performs(&steps, task, None, name, access, send);
    }
}

#[test]
fn oneshot_and_watch_halves_close_when_dropped() {
    let steps = steps(|rt| async move {
        let (tx, rx) = oneshot::channel::<_, u32>(&rt);
        let receiver = rt.spawn("receiver", async move { drop(rx) });
        receiver.join().await;
        assert!(tx.is_closed());
        drop(tx);
        let (tx, rx) = oneshot::channel::<_, u32>(&rt);
        drop(tx);
        assert!(rx.recv().await.is_err());
        let (wtx, wrx) = watch::channel(&rt, 0);
        wtx.send(1).unwrap();
        let watcher = rt.spawn("watcher", async move { drop(wrx) });
        watcher.join().await;
        drop(wtx);
    });
    let oneshot_close = first(&steps, "oneshot.is_closed");
    assert_performs(
        &steps,
        1,
        None,
        "oneshot.receiver_drop",
        AccessKind::Close,
        oneshot_close,
    );
    let second = steps
        .iter()
        .flat_map(|(_, ops)| ops)
        .filter(|op| op.name == "oneshot.recv")
        .copied()
        .next()
        .expect("a oneshot receive");
    assert_performs(
        &steps,
        0,
        None,
        "oneshot.sender_drop",
        AccessKind::Close,
        second,
    );
    let watch_send = first(&steps, "watch.send");
    assert_performs(
        &steps,
        2,
        None,
        "watch.receiver_drop",
        AccessKind::Close,
        watch_send,
    );
    assert_performs(
        &steps,
        0,
        None,
        "watch.sender_drop",
        AccessKind::Close,
        watch_send,
    );
}

#[test]
fn a_notified_that_gives_up_is_a_notify() {
    let steps = steps(|rt| async move {
        let n = Notify::new(&rt);
        let lost = select2(&rt, ready(), n.notified_arm()).await;
        assert!(matches!(lost, Select2::First(())));
    });
    let notified = first(&steps, "notify.notified");
    assert_performs(
        &steps,
        0,
        Some("select2"),
        "notify.give_up",
        AccessKind::Notify,
        notified,
    );
}

#[test]
fn a_join_set_task_exits_into_its_set_and_the_drop_aborts_every_task() {
    let steps = steps(|rt| async move {
        let set = {
            let mut set = JoinSet::new(&rt); // object #1, the first of the execution
            set.spawn("quick", async {});
            set.spawn("parked", std::future::pending::<()>());
            set
        };
        let lone = rt.spawn("lone", async {});
        let _ = lone.is_finished();
        lone.join().await; // by now "quick" has exited, and is not joined
        drop(set);
    });
    let set = weft_core::ObjectId::new(1).unwrap();
    let exit = first(&steps, "join_set.exit");
    assert_eq!(exit.touch.object(), Some(set), "{}", render(&steps));
    assert_performs(
        &steps,
        1,
        Some("task.exit"),
        "join_set.exit",
        AccessKind::Exit,
        exit,
    );
    let join = first(&steps, "task.join");
    assert_performs(&steps, 0, None, "task.is_finished", AccessKind::Read, join);
    let aborts = steps
        .iter()
        .filter(|(actor, _)| *actor == Candidate::Task(0))
        .flat_map(|(_, ops)| ops)
        .filter(|op| op.name == "task.abort")
        .count();
    assert_eq!(
        aborts,
        2,
        "the set's drop aborts both its tasks, the exited one too (the abort is ordered with \
         its exit):\n{}",
        render(&steps)
    );
}
