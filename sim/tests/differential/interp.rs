//! The interpreter: runs a [`Program`] on any [`Runtime`], and what one execution leaves
//! behind ([`Record`]).
//!
//! One async function, generic over `R: Runtime`, so the same program runs under every
//! strategy of weft-sim (and could run on any backend). Protocol:
//!
//! - The root (task 0) creates every object, in the order of the program's lists (so object
//!   ids are the same in every execution), then runs its instructions.
//! - Each task keeps the guards of the mutexes it holds across awaits; at its end it drops them,
//!   then joins the children it has not joined, then marks itself done.
//! - Instructions whose precondition does not hold at run time because a [`Instr::Choose`]
//!   skipped something are no-ops: `Unlock`/`MutexAdd` without the lock, `Lock` of a held
//!   mutex, `Join` of a child never spawned.
//! - Every observation (a value read or received, a timeout, a choice) and every change to an
//!   object's value is written to the execution's [`Record`] in the same step as the operation
//!   (no scheduling point in between), so the record of a deadlocked execution is as complete
//!   as that of a finished one.
//! - A failed [`Instr::Check`] is recorded and ends its task (after the end-of-task cleanup).
//!   The root panics after it has joined everything if any check failed. Deferring the panic
//!   to the end is deliberate: a panic in the middle of an execution stops the other tasks
//!   wherever the interleaving happens to have them, which differs between executions of one
//!   trace class, and two independent failing checks in one class would each be reached first
//!   by some interleaving; at the end, the outcome is a function of the trace class, which is
//!   what DPOR promises to cover.
//! - A program with nodes ([`super::nodes`]) never panics: its failed checks are only
//!   recorded (a node's tasks may outlive the root, and a panic would cut them off wherever
//!   the interleaving has them). Its failures are deadlocks and (tolerated) data races.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use weft_core::node::{NodeId, NodeSpec};
use weft_core::sync::mpsc::{self, Receiver, Sender, UnboundedSender};
use weft_core::sync::{Atomic, Mutex, MutexGuard, Notify, SharedCell};
use weft_core::task::JoinHandle;
use weft_core::time::timeout;
use weft_core::Runtime;

use super::program::{Instr, Program};

/// One observation of a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Obs {
    /// A value read, received, or held before an update.
    Val(i64),
    /// A send found the receiver gone.
    Closed,
    /// A timeout elapsed.
    Elapsed,
    /// A `notified()` under a timeout completed.
    Notified,
    /// A compare-exchange failed and saw this value.
    CasFailed(i64),
    /// `choose` returned this value.
    Chose(usize),
    /// A [`Instr::Check`] failed.
    CheckFailed,
}

impl Obs {
    /// The number a [`Instr::Check`] compares, if the observation has one.
    fn number(self) -> Option<i64> {
        match self {
            Obs::Val(v) | Obs::CasFailed(v) => Some(v),
            Obs::Chose(c) => Some(c as i64),
            _ => None,
        }
    }
}

/// What one execution left behind: each task's observations and whether it finished, and the
/// value of every object.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Record {
    /// Per task, what it observed, in order.
    pub observed: Vec<Vec<Obs>>,
    /// Per task, whether it ran to its end.
    pub done: Vec<bool>,
    /// Each mutex's value.
    pub mutexes: Vec<i64>,
    /// Each channel's messages sent and not received.
    pub queued: Vec<i64>,
    /// Each atomic's value.
    pub atomics: Vec<i64>,
    /// Each shared cell's value.
    pub cells: Vec<i64>,
}

impl Record {
    /// The record of an execution of `p` that has not started.
    pub fn empty(p: &Program) -> Record {
        Record {
            observed: vec![Vec::new(); p.tasks.len()],
            done: vec![false; p.tasks.len()],
            mutexes: vec![0; p.mutexes],
            queued: vec![0; p.channels.len()],
            atomics: vec![0; p.atomics],
            cells: vec![0; p.cells],
        }
    }
}

/// Where an execution writes its [`Record`]; reset by [`body`] when an execution starts.
pub type Sink = Arc<StdMutex<Record>>;

enum Tx<R: Runtime> {
    Bounded(Sender<R, i64>),
    Unbounded(UnboundedSender<R, i64>),
}

/// The objects of one execution.
struct World<R: Runtime> {
    rt: R,
    program: Arc<Program>,
    sink: Sink,
    mutexes: Vec<Mutex<R, i64>>,
    senders: Vec<Tx<R>>,
    receivers: Vec<StdMutex<Option<Receiver<R, i64>>>>,
    atomics: Vec<Atomic<R, i64>>,
    cells: Vec<SharedCell<R, i64>>,
    notifies: Vec<Notify<R>>,
}

impl<R: Runtime> World<R> {
    fn new(rt: R, program: Arc<Program>, sink: Sink) -> World<R> {
        let p = &program;
        let mutexes = (0..p.mutexes).map(|_| Mutex::new(&rt, 0)).collect();
        let (senders, receivers) = p
            .channels
            .iter()
            .map(|c| match c.capacity {
                Some(cap) => {
                    let (tx, rx) = mpsc::channel(&rt, cap);
                    (Tx::Bounded(tx), StdMutex::new(Some(rx)))
                }
                None => {
                    let (tx, rx) = mpsc::unbounded(&rt);
                    (Tx::Unbounded(tx), StdMutex::new(Some(rx)))
                }
            })
            .unzip();
        let atomics = (0..p.atomics).map(|_| Atomic::new(&rt, 0)).collect();
        let cells = (0..p.cells).map(|_| SharedCell::new(&rt, 0)).collect();
        let notifies = (0..p.notifies).map(|_| Notify::new(&rt)).collect();
        World {
            rt,
            program: program.clone(),
            sink,
            mutexes,
            senders,
            receivers,
            atomics,
            cells,
            notifies,
        }
    }

    fn record(&self, f: impl FnOnce(&mut Record)) {
        f(&mut self.sink.lock().unwrap());
    }

    fn observe(&self, task: usize, obs: Obs) {
        self.record(|r| r.observed[task].push(obs));
    }
}

/// The body of one execution of `program`: resets `sink`, then runs the root task. Give it to
/// the simulator as `|rt| body(rt, program.clone(), sink.clone())`.
pub fn body<R: Runtime>(
    rt: R,
    program: Arc<Program>,
    sink: Sink,
) -> impl Future<Output = ()> + Send + 'static {
    *sink.lock().unwrap() = Record::empty(&program);
    async move {
        let world = Arc::new(World::new(rt, program, sink));
        task(world.clone(), 0).await;
        // With nodes, no panic: a node's tasks are not joined, so they may still run when the
        // root ends, and a failure there would cut them off wherever the interleaving has
        // them (not a function of the trace class). The failed checks stay in the record.
        if world
            .program
            .tasks
            .iter()
            .any(|t| t.instrs.iter().any(|i| matches!(i, Instr::StartNode(_))))
        {
            return;
        }
        let failed: Vec<usize> = {
            let r = world.sink.lock().unwrap();
            (0..r.observed.len())
                .filter(|t| r.observed[*t].contains(&Obs::CheckFailed))
                .collect()
        };
        assert!(failed.is_empty(), "check failed in tasks {failed:?}");
    }
}

type TaskFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// Task `t` of the world's program.
fn task<R: Runtime>(world: Arc<World<R>>, t: usize) -> TaskFuture {
    Box::pin(async move {
        let w = &*world;
        let instrs = &w.program.tasks[t].instrs;
        // The receivers of the channels this task receives from.
        let mut rx: Vec<Option<Receiver<R, i64>>> = w
            .program
            .channels
            .iter()
            .enumerate()
            .map(|(c, ch)| {
                (ch.receiver == t)
                    .then(|| w.receivers[c].lock().unwrap().take())
                    .flatten()
            })
            .collect();
        let mut guards: Vec<(usize, MutexGuard<'_, R, i64>)> = Vec::new();
        let mut children: Vec<(usize, JoinHandle<R, ()>)> = Vec::new();
        let mut nodes: Vec<(usize, NodeId)> = Vec::new();
        let mut last: Option<Obs> = None;
        let mut pc = 0;
        while pc < instrs.len() {
            let instr = instrs[pc];
            pc += 1;
            let obs = match instr {
                Instr::Lock(m) => {
                    if !guards.iter().any(|(h, _)| *h == m) {
                        guards.push((m, w.mutexes[m].lock().await));
                    }
                    None
                }
                Instr::Unlock(m) => {
                    guards.retain(|(h, _)| *h != m);
                    None
                }
                Instr::MutexAdd(m, k) => match guards.iter_mut().find(|(h, _)| *h == m) {
                    Some((_, g)) => {
                        let old = **g;
                        **g += k;
                        w.record(|r| r.mutexes[m] = old + k);
                        Some(Obs::Val(old))
                    }
                    None => None,
                },
                Instr::Send(c, v) => {
                    let sent = match &w.senders[c] {
                        Tx::Bounded(tx) => tx.send(v).await.is_ok(),
                        Tx::Unbounded(tx) => tx.send(v).is_ok(),
                    };
                    if sent {
                        w.record(|r| r.queued[c] += 1);
                        None
                    } else {
                        Some(Obs::Closed)
                    }
                }
                Instr::Recv(c) => match rx[c].as_mut() {
                    Some(rx) => Some(received(w, c, rx.recv().await)),
                    // A restarted incarnation: the crashed one dropped the receiver.
                    None => Some(Obs::Closed),
                },
                Instr::RecvTimeout(c, ms) => {
                    let Some(rx) = rx[c].as_mut() else {
                        w.observe(t, Obs::Closed);
                        last = Some(Obs::Closed);
                        continue;
                    };
                    match timeout(&w.rt, Duration::from_millis(ms), rx.recv()).await {
                        Ok(v) => Some(received(w, c, v)),
                        Err(_) => Some(Obs::Elapsed),
                    }
                }
                Instr::Load(a) => Some(Obs::Val(w.atomics[a].load().await)),
                Instr::Store(a, v) => {
                    w.atomics[a].store(v).await;
                    w.record(|r| r.atomics[a] = v);
                    None
                }
                Instr::FetchAdd(a, k) => {
                    let old = w.atomics[a].fetch_update(move |x| x + k).await;
                    w.record(|r| r.atomics[a] = old + k);
                    Some(Obs::Val(old))
                }
                Instr::Cas(a, x, y) => match w.atomics[a].compare_exchange(x, y).await {
                    Ok(old) => {
                        w.record(|r| r.atomics[a] = y);
                        Some(Obs::Val(old))
                    }
                    Err(seen) => Some(Obs::CasFailed(seen)),
                },
                Instr::CellRead(s) => Some(Obs::Val(w.cells[s].get())),
                Instr::CellWrite(s, v) => {
                    w.cells[s].set(v);
                    w.record(|r| r.cells[s] = v);
                    None
                }
                Instr::NotifyOne(n) => {
                    w.notifies[n].notify_one();
                    None
                }
                Instr::NotifyWaiters(n) => {
                    w.notifies[n].notify_waiters();
                    None
                }
                Instr::Notified(n) => {
                    w.notifies[n].notified().await;
                    None
                }
                Instr::NotifiedTimeout(n, ms) => {
                    let notified = w.notifies[n].notified();
                    match timeout(&w.rt, Duration::from_millis(ms), notified).await {
                        Ok(()) => Some(Obs::Notified),
                        Err(_) => Some(Obs::Elapsed),
                    }
                }
                Instr::Choose(n, skip) => {
                    let c = w.rt.choose(n);
                    if c != 0 {
                        pc += skip;
                    }
                    Some(Obs::Chose(c))
                }
                Instr::Sleep(ms) => {
                    w.rt.sleep(Duration::from_millis(ms)).await;
                    None
                }
                Instr::Yield => {
                    w.rt.yield_now().await;
                    None
                }
                Instr::Spawn(child) => {
                    let h =
                        w.rt.spawn(&format!("task{child}"), task(world.clone(), child));
                    children.push((child, h));
                    None
                }
                Instr::Join(child) => {
                    if let Some(k) = children.iter().position(|(c, _)| *c == child) {
                        children.remove(k).1.join().await;
                    }
                    None
                }
                Instr::StartNode(child) => {
                    let world = world.clone();
                    let start = move || task(world.clone(), child);
                    let mut spec = NodeSpec::new(&format!("n{child}"), start);
                    if let Some(ms) = w.program.faults.restart_ms {
                        spec = spec.restart_after(Duration::from_millis(ms));
                    }
                    nodes.push((child, w.rt.start_node(spec)));
                    None
                }
                Instr::CrashPoint => {
                    w.rt.crash_point("cp").await;
                    None
                }
                Instr::CrashNode(child) => {
                    if let Some((_, id)) = nodes.iter().find(|(c, _)| *c == child) {
                        w.rt.crash(*id);
                    }
                    None
                }
                Instr::PauseNode(child, ms) => {
                    if let Some((_, id)) = nodes.iter().find(|(c, _)| *c == child) {
                        w.rt.pause(*id, Duration::from_millis(ms));
                    }
                    None
                }
                Instr::Check(v) => {
                    if last.and_then(Obs::number) == Some(v) {
                        w.observe(t, Obs::CheckFailed);
                        break;
                    }
                    None
                }
            };
            if let Some(o) = obs {
                w.observe(t, o);
                last = Some(o);
            }
        }
        drop(guards);
        for (_, h) in children {
            h.join().await;
        }
        w.record(|r| r.done[t] = true);
    })
}

/// Records a received message (or the channel's end).
fn received<R: Runtime>(w: &World<R>, c: usize, v: Option<i64>) -> Obs {
    match v {
        Some(v) => {
            w.record(|r| r.queued[c] -= 1);
            Obs::Val(v)
        }
        None => Obs::Closed,
    }
}
