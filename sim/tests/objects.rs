//! Objects and accesses on every operation (issue 11 part 3), per primitive, under weft-sim.
//!
//! Each test runs a small program once under the simulator through [`Rec`], a runtime that
//! forwards every funnel to the simulator's and records each operation the primitives pass to
//! `point` and `note`. It then checks the recorded list (which operation touched which object,
//! and how) and what the dependency relation ([`Op::conflicts`]) says about pairs of them: two
//! locks of one mutex conflict, locks of two mutexes do not, two reads of a shared cell do
//! not, a read and a write do, and so on. The last test checks that ids are stable per
//! execution (`trace_objects.rs` checks that the simulator's trace shows them).

use std::future::Future;
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use weft_core::causality::Contract;
use weft_core::sync::{
    mpsc, oneshot, select2, watch, Atomic, Barrier, CancellationToken, Mutex, Notify, RwLock,
    Semaphore, SharedCell, WaitGroup,
};
use weft_core::task::JoinSet;
use weft_core::{BoxFuture, Fault, Instant, ObjectId, Op, Runtime};
use weft_sim::{Config, Sim, SimRuntime};

/// The simulator's runtime, recording the operations the primitives report.
#[derive(Clone)]
struct Rec {
    sim: SimRuntime,
    ops: Arc<StdMutex<Vec<Op>>>,
}

impl Rec {
    fn log(&self, op: Op) {
        self.ops.lock().unwrap().push(op);
    }
}

impl Runtime for Rec {
    type Lock<T: Send + 'static> = <SimRuntime as Runtime>::Lock<T>;
    type Clock = <SimRuntime as Runtime>::Clock;
    type History<C: Contract> = <SimRuntime as Runtime>::History<C>;
    type Sleep = <SimRuntime as Runtime>::Sleep;

    fn backend_name(&self) -> &'static str {
        "sim+record"
    }
    fn spawn_boxed(&self, name: &str, task: BoxFuture) {
        self.sim.spawn_boxed(name, task)
    }
    #[track_caller]
    fn yield_now(&self) -> impl Future<Output = ()> + Send + 'static {
        self.sim.yield_now()
    }
    #[track_caller]
    fn sleep(&self, duration: Duration) -> Self::Sleep {
        self.sim.sleep(duration)
    }
    fn now(&self) -> Instant {
        self.sim.now()
    }
    fn choose(&self, n: usize) -> usize {
        self.sim.choose(n)
    }
    fn rand_u64(&self) -> u64 {
        self.sim.rand_u64()
    }
    fn object(&self) -> ObjectId {
        self.sim.object()
    }
    fn point(&self, op: Op) -> impl Future<Output = ()> + Send + 'static {
        self.log(op);
        self.sim.point(op)
    }
    fn note(&self, op: Op) {
        self.log(op);
        self.sim.note(op)
    }
    fn release(&self, clock: &mut Self::Clock) {
        self.sim.release(clock)
    }
    fn acquire(&self, clock: &Self::Clock) {
        self.sim.acquire(clock)
    }
    fn check<C: Contract>(
        &self,
        history: &mut Self::History<C>,
        event: C::Event,
        op: Op,
    ) -> Result<(), Fault> {
        self.sim.check::<C>(history, event, op)
    }

    fn fail(&self, fault: Fault) -> ! {
        self.sim.fail(fault)
    }
}

/// Runs `program` once under the simulator; returns the operations it reported, in order.
fn record<F, Fut>(program: F) -> Ops
where
    F: Fn(Rec) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let ops = Arc::new(StdMutex::new(Vec::new()));
    let log = ops.clone();
    let program = Arc::new(program);
    Sim::new(Config::default().iterations(1)).check(move |sim| {
        log.lock().unwrap().clear();
        program(Rec {
            sim,
            ops: log.clone(),
        })
    });
    let ops = ops.lock().unwrap().clone();
    Ops(ops)
}

/// The operations of one execution.
struct Ops(Vec<Op>);

impl Ops {
    /// Each operation as `name #object Access` (`name` alone when it touches no known object).
    fn lines(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|op| match (op.touch.object(), op.touch.access()) {
                (Some(o), Some(a)) => format!("{} {o} {a:?}", op.name),
                _ => format!("{} {:?}", op.name, op.touch),
            })
            .collect()
    }

    /// The `nth` (from 0) operation called `name`.
    fn get(&self, name: &str, nth: usize) -> Op {
        *self
            .0
            .iter()
            .filter(|op| op.name == name)
            .nth(nth)
            .unwrap_or_else(|| panic!("no {name} number {nth} in {:#?}", self.lines()))
    }

    /// Whether the `i`-th `a` and the `j`-th `b` conflict; asserts the relation is symmetric.
    fn conflict(&self, (a, i): (&str, usize), (b, j): (&str, usize)) -> bool {
        let (x, y) = (self.get(a, i), self.get(b, j));
        assert_eq!(x.conflicts(&y), y.conflicts(&x), "{a} / {b}: not symmetric");
        x.conflicts(&y)
    }
}

#[test]
fn mutex_locks_of_one_mutex_conflict_and_of_two_do_not() {
    let ops = record(|rt| async move {
        let (a, b) = (Mutex::new(&rt, 0), Mutex::new(&rt, 0));
        *a.lock().await += 1;
        *a.lock().await += 1;
        *b.lock().await += 1;
        drop(a.try_lock());
    });
    assert_eq!(
        ops.lines(),
        [
            "mutex.lock #1 Acquire",
            "mutex.unlock #1 Release",
            "mutex.lock #1 Acquire",
            "mutex.unlock #1 Release",
            "mutex.lock #2 Acquire",
            "mutex.unlock #2 Release",
            "mutex.try_lock #1 Acquire",
            "mutex.unlock #1 Release",
        ]
    );
    assert!(ops.conflict(("mutex.unlock", 0), ("mutex.lock", 1)));
    assert!(!ops.conflict(("mutex.unlock", 0), ("mutex.unlock", 1)));
    assert!(!ops.conflict(("mutex.unlock", 0), ("mutex.lock", 2)));
    assert!(ops.conflict(("mutex.lock", 0), ("mutex.lock", 1)));
    assert!(!ops.conflict(("mutex.lock", 0), ("mutex.lock", 2)));
    assert!(ops.conflict(("mutex.lock", 0), ("mutex.try_lock", 0)));
}

#[test]
fn rwlock_reads_commute_writes_do_not_and_a_small_reader_limit_makes_readers_compete() {
    let ops = record(|rt| async move {
        let l = RwLock::new(&rt, 0);
        let one = RwLock::with_max_readers(&rt, 0, 1);
        drop(l.read().await);
        drop(l.try_read());
        *l.write().await += 1;
        drop(one.read().await);
        drop(one.read().await);
    });
    assert_eq!(
        ops.lines(),
        [
            "rwlock.read #1 AcquireShared",
            "rwlock.unlock #1 ReleaseShared",
            "rwlock.try_read #1 AcquireShared",
            "rwlock.unlock #1 ReleaseShared",
            "rwlock.write #1 Acquire",
            "rwlock.unlock #1 Release",
            "rwlock.read #2 Acquire",
            "rwlock.unlock #2 Release",
            "rwlock.read #2 Acquire",
            "rwlock.unlock #2 Release",
        ]
    );
    assert!(!ops.conflict(("rwlock.unlock", 0), ("rwlock.try_read", 0)));
    assert!(ops.conflict(("rwlock.unlock", 0), ("rwlock.write", 0)));
    assert!(!ops.conflict(("rwlock.unlock", 2), ("rwlock.read", 1)));
    assert!(ops.conflict(("rwlock.unlock", 3), ("rwlock.read", 2)));
    assert!(!ops.conflict(("rwlock.read", 0), ("rwlock.try_read", 0)));
    assert!(ops.conflict(("rwlock.read", 0), ("rwlock.write", 0)));
    assert!(ops.conflict(("rwlock.read", 1), ("rwlock.read", 2)));
    assert!(!ops.conflict(("rwlock.write", 0), ("rwlock.read", 1)));
}

#[test]
fn semaphore_acquires_conflict_releases_commute_close_conflicts_with_all() {
    let ops = record(|rt| async move {
        let s = Semaphore::new(&rt, 1);
        drop(s.acquire().await.unwrap());
        drop(s.try_acquire());
        s.add_permits(1);
        s.add_permits(1);
        s.close();
    });
    assert_eq!(
        ops.lines(),
        [
            "semaphore.acquire #1 Acquire",
            "semaphore.release #1 Release",
            "semaphore.try_acquire #1 Acquire",
            "semaphore.release #1 Release",
            "semaphore.add_permits #1 Release",
            "semaphore.add_permits #1 Release",
            "semaphore.close #1 Close",
        ]
    );
    assert!(ops.conflict(("semaphore.acquire", 0), ("semaphore.try_acquire", 0)));
    assert!(!ops.conflict(("semaphore.add_permits", 0), ("semaphore.add_permits", 1)));
    assert!(ops.conflict(("semaphore.add_permits", 0), ("semaphore.acquire", 0)));
    assert!(ops.conflict(("semaphore.close", 0), ("semaphore.add_permits", 0)));
    assert!(ops.conflict(("semaphore.release", 0), ("semaphore.try_acquire", 0)));
    assert!(!ops.conflict(("semaphore.release", 0), ("semaphore.add_permits", 0)));
}

#[test]
fn notify_signals_and_waits_on_one_notify_conflict() {
    let ops = record(|rt| async move {
        let (n, m) = (Notify::new(&rt), Notify::new(&rt));
        n.notify_one();
        n.notified().await;
        n.notify_waiters();
        m.notify_one();
    });
    assert_eq!(
        ops.lines(),
        [
            "notify.notify_one #1 Notify",
            "notify.notified #1 Wait",
            "notify.notified #1 Wait",
            "notify.notify_waiters #1 Notify",
            "notify.notify_one #2 Notify",
        ]
    );
    assert!(ops.conflict(("notify.notify_one", 0), ("notify.notified", 0)));
    assert!(ops.conflict(("notify.notify_one", 0), ("notify.notify_waiters", 0)));
    assert!(!ops.conflict(("notify.notify_one", 0), ("notify.notify_one", 1)));
}

#[test]
fn mpsc_sends_and_receives_on_one_channel_conflict_and_on_two_do_not() {
    let ops = record(|rt| async move {
        let (tx, mut rx) = mpsc::channel(&rt, 2);
        let (utx, mut urx) = mpsc::unbounded(&rt);
        tx.send(1).await.unwrap();
        tx.try_send(2).unwrap();
        utx.send(3).unwrap();
        assert_eq!(rx.recv().await, Some(1));
        assert_eq!(urx.try_recv(), Ok(3));
        rx.close();
    });
    assert_eq!(
        ops.lines(),
        [
            "mpsc.send #1 Send",
            "mpsc.try_send #1 Send",
            "mpsc.send #2 Send",
            "mpsc.recv #1 Receive",
            "mpsc.try_recv #2 Receive",
            "mpsc.close #1 Close",
            // Dropped in reverse order of declaration: urx, utx, rx, tx.
            "mpsc.receiver_drop #2 Close",
            "mpsc.sender_drop #2 Close",
            "mpsc.receiver_drop #1 Close",
            "mpsc.sender_drop #1 Close",
        ]
    );
    assert!(ops.conflict(("mpsc.sender_drop", 0), ("mpsc.try_recv", 0)));
    assert!(!ops.conflict(("mpsc.sender_drop", 0), ("mpsc.recv", 0)));
    assert!(ops.conflict(("mpsc.send", 0), ("mpsc.try_send", 0)));
    assert!(!ops.conflict(("mpsc.send", 0), ("mpsc.send", 1)));
    assert!(ops.conflict(("mpsc.send", 0), ("mpsc.recv", 0)));
    assert!(!ops.conflict(("mpsc.recv", 0), ("mpsc.try_recv", 0)));
    assert!(ops.conflict(("mpsc.send", 1), ("mpsc.try_recv", 0)));
    assert!(ops.conflict(("mpsc.close", 0), ("mpsc.send", 0)));
}

#[test]
fn oneshot_send_and_receive_conflict() {
    let ops = record(|rt| async move {
        let (tx, rx) = oneshot::channel(&rt);
        let (other, _keep) = oneshot::channel::<_, u8>(&rt);
        tx.send(1).unwrap();
        assert_eq!(rx.recv().await, Ok(1));
        let _ = other.send(2);
    });
    assert_eq!(
        ops.lines(),
        [
            "oneshot.send #1 Send",
            "oneshot.recv #1 Receive",
            "oneshot.send #2 Send",
        ]
    );
    assert!(ops.conflict(("oneshot.send", 0), ("oneshot.recv", 0)));
    assert!(!ops.conflict(("oneshot.send", 1), ("oneshot.recv", 0)));
}

#[test]
fn watch_reads_commute_and_a_send_conflicts_with_them() {
    let ops = record(|rt| async move {
        let (tx, mut rx) = watch::channel(&rt, 0);
        let rx2 = tx.subscribe();
        tx.send(1).unwrap();
        rx.changed().await.unwrap();
        assert_eq!(*rx.borrow_and_update(), 1);
        assert_eq!(*rx2.borrow(), 1);
        tx.send_modify(|v| *v += 1);
    });
    assert_eq!(
        ops.lines(),
        [
            "watch.subscribe #1 Read",
            "watch.send #1 Send",
            "watch.changed #1 Read",
            "watch.borrow_and_update #1 Read",
            "watch.borrow #1 Read",
            "watch.send_modify #1 Send",
            "watch.receiver_drop #1 Close",
            "watch.receiver_drop #1 Close",
            "watch.sender_drop #1 Close",
        ]
    );
    assert!(ops.conflict(("watch.receiver_drop", 0), ("watch.receiver_drop", 1)));
    assert!(ops.conflict(("watch.sender_drop", 0), ("watch.changed", 0)));
    assert!(!ops.conflict(("watch.changed", 0), ("watch.borrow", 0)));
    assert!(!ops.conflict(("watch.subscribe", 0), ("watch.borrow", 0)));
    assert!(ops.conflict(("watch.send", 0), ("watch.borrow", 0)));
    assert!(ops.conflict(("watch.send", 0), ("watch.send_modify", 0)));
}

#[test]
fn wait_group_add_conflicts_with_wait_and_dones_commute() {
    let ops = record(|rt| async move {
        let wg = WaitGroup::new(&rt);
        wg.add(2);
        wg.done();
        wg.done();
        wg.wait().await;
    });
    assert_eq!(
        ops.lines(),
        [
            "wait_group.add #1 Add",
            "wait_group.done #1 Release",
            "wait_group.done #1 Release",
            "wait_group.wait #1 Wait",
        ]
    );
    assert!(ops.conflict(("wait_group.add", 0), ("wait_group.wait", 0)));
    assert!(ops.conflict(("wait_group.done", 0), ("wait_group.wait", 0)));
    assert!(ops.conflict(("wait_group.add", 0), ("wait_group.done", 0)));
    assert!(!ops.conflict(("wait_group.done", 0), ("wait_group.done", 1)));
}

#[test]
fn cancel_conflicts_with_observing_and_a_child_shares_its_roots_object() {
    let ops = record(|rt| async move {
        let (root, other) = (CancellationToken::new(&rt), CancellationToken::new(&rt));
        let child = root.child_token();
        assert!(!child.is_cancelled());
        root.cancel();
        child.cancelled().await;
        assert!(!other.is_cancelled());
    });
    assert_eq!(
        ops.lines(),
        [
            "cancel.child_token #1 Observe",
            "cancel.is_cancelled #1 Observe",
            "cancel.cancel #1 Cancel",
            "cancel.cancelled #1 Observe",
            "cancel.is_cancelled #2 Observe",
        ]
    );
    // Cancelling the root changes what observing the child sees.
    assert!(ops.conflict(("cancel.cancel", 0), ("cancel.is_cancelled", 0)));
    assert!(ops.conflict(("cancel.cancel", 0), ("cancel.cancelled", 0)));
    assert!(!ops.conflict(("cancel.is_cancelled", 0), ("cancel.cancelled", 0)));
    assert!(!ops.conflict(("cancel.cancel", 0), ("cancel.is_cancelled", 1)));
}

#[test]
fn barrier_waits_conflict() {
    let ops = record(|rt| async move {
        let (b, c) = (Barrier::new(&rt, 1), Barrier::new(&rt, 1));
        assert!(b.wait().await.is_leader());
        assert!(b.wait().await.is_leader());
        assert!(c.wait().await.is_leader());
    });
    assert_eq!(
        ops.lines(),
        [
            "barrier.wait #1 Wait",
            "barrier.wait #1 Wait",
            "barrier.wait #2 Wait"
        ]
    );
    assert!(ops.conflict(("barrier.wait", 0), ("barrier.wait", 1)));
    assert!(!ops.conflict(("barrier.wait", 0), ("barrier.wait", 2)));
}

#[test]
fn shared_cell_reads_commute_and_a_read_and_a_write_conflict() {
    let ops = record(|rt| async move {
        let (x, y) = (SharedCell::new(&rt, 0), SharedCell::new(&rt, 0));
        let _ = x.get();
        let _ = x.with(|v| *v);
        x.set(1);
        y.update(|v| *v += 1);
    });
    assert_eq!(
        ops.lines(),
        [
            "shared_cell.read #1 Read",
            "shared_cell.read #1 Read",
            "shared_cell.write #1 Write",
            "shared_cell.write #2 Write",
        ]
    );
    assert!(!ops.conflict(("shared_cell.read", 0), ("shared_cell.read", 1)));
    assert!(ops.conflict(("shared_cell.read", 0), ("shared_cell.write", 0)));
    assert!(!ops.conflict(("shared_cell.write", 0), ("shared_cell.write", 1)));
}

#[test]
fn atomic_loads_commute_and_every_write_conflicts() {
    let ops = record(|rt| async move {
        let a = Atomic::new(&rt, 0u32);
        let _ = a.load().await;
        let _ = a.load().await;
        a.store(1).await;
        let _ = a.swap(2).await;
        let _ = a.fetch_update(|v| v + 1).await;
        let _ = a.compare_exchange(3, 4).await;
    });
    assert_eq!(
        ops.lines(),
        [
            "atomic.load #1 Read",
            "atomic.load #1 Read",
            "atomic.store #1 Write",
            "atomic.swap #1 Update",
            "atomic.fetch_update #1 Update",
            "atomic.compare_exchange #1 Update",
        ]
    );
    assert!(!ops.conflict(("atomic.load", 0), ("atomic.load", 1)));
    assert!(ops.conflict(("atomic.load", 0), ("atomic.store", 0)));
    assert!(ops.conflict(("atomic.load", 0), ("atomic.compare_exchange", 0)));
    assert!(ops.conflict(("atomic.swap", 0), ("atomic.fetch_update", 0)));
}

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

/// Every execution's operations, for `program` run `iterations` times from `seed`.
fn record_all<F, Fut>(seed: u64, iterations: u64, program: F) -> Vec<Vec<String>>
where
    F: Fn(Rec) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let all = Arc::new(StdMutex::new(Vec::new()));
    let log = all.clone();
    Sim::new(Config::default().seed(seed).iterations(iterations)).check(move |sim| {
        let ops = Arc::new(StdMutex::new(Vec::new()));
        log.lock().unwrap().push(ops.clone());
        program(Rec { sim, ops })
    });
    let all = all.lock().unwrap();
    all.iter()
        .map(|ops| Ops(ops.lock().unwrap().clone()).lines())
        .collect()
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
