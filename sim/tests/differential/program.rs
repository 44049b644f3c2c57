//! Random programs over weft-core's primitives: what a program is, and how one is generated
//! from a seed.
//!
//! A [`Program`] declares a few shared objects (mutexes guarding an `i64`, mpsc channels of
//! `i64`, atomics, shared cells, notifies) and a tree of tasks. Task 0 is the root; every other
//! task has a parent, which starts it with [`Instr::Spawn`] and waits for it with
//! [`Instr::Join`] (or at its own end, if its list has no join). Each task runs a short list of
//! [`Instr`]s; the interpreter ([`super::interp`]) gives their meaning.
//!
//! Generation ([`Program::generate`]) is deterministic in the seed (ChaCha8), and only makes
//! well-formed programs: a task unlocks only mutexes it holds and never locks one it holds; only
//! a channel's receiving task receives from it; `MutexAdd` only while holding the mutex. What a
//! program may still do is deadlock (ABBA locks, a receive nobody sends to, a `notified` nobody
//! notifies, a bounded send nobody drains) or fail an assertion ([`Instr::Check`]); both are
//! outcomes the oracles compare.
//!
//! A program prints ([`fmt::Display`]) as the Rust-like listing the test reports with a
//! mismatch; the removals the minimizer tries are in [`super::minimize`].

use std::fmt;

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

/// One instruction of a task. Indices name objects of the [`Program`]'s lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Instr {
    /// Locks mutex `m` and keeps the guard (across later awaits) until [`Instr::Unlock`] or
    /// the task's end.
    Lock(usize),
    /// Drops the guard of mutex `m`.
    Unlock(usize),
    /// Adds to the value of mutex `m` (held); observes the old value.
    MutexAdd(usize, i64),
    /// Sends on channel `c` (awaits room on a bounded one).
    Send(usize, i64),
    /// Receives from channel `c`; observes the value.
    Recv(usize),
    /// Receives from channel `c` under a timeout of this many milliseconds; observes the value
    /// or the timeout.
    RecvTimeout(usize, u64),
    /// Loads atomic `a`; observes the value.
    Load(usize),
    /// Stores into atomic `a`.
    Store(usize, i64),
    /// Adds to atomic `a`; observes the old value.
    FetchAdd(usize, i64),
    /// Compare-exchanges atomic `a` from the first value to the second; observes the result.
    Cas(usize, i64, i64),
    /// Reads shared cell `s`; observes the value.
    CellRead(usize),
    /// Writes shared cell `s`.
    CellWrite(usize, i64),
    /// `notify_one` on notify `n`.
    NotifyOne(usize),
    /// `notify_waiters` on notify `n`.
    NotifyWaiters(usize),
    /// Awaits `notified()` on notify `n`.
    Notified(usize),
    /// Awaits `notified()` on notify `n` under a timeout of this many milliseconds; observes
    /// whether it timed out.
    NotifiedTimeout(usize, u64),
    /// `rt.choose(n)`; observes the value; a non-zero value skips the next `skip` instructions.
    Choose(usize, usize),
    /// Sleeps this many milliseconds of virtual time.
    Sleep(u64),
    /// `yield_now`.
    Yield,
    /// Starts task `t` (a child of this task).
    Spawn(usize),
    /// Waits for task `t` (a child of this task, spawned earlier).
    Join(usize),
    /// Asserts that the last value this task observed is not this one; a failed assertion ends
    /// the task and makes the root fail once everything is joined.
    Check(i64),
    /// Starts task `t` as the first task of a node of its own ([`super::nodes`]).
    StartNode(usize),
    /// `rt.crash_point(..).await`: the checker may crash or pause this task's node here.
    CrashPoint,
    /// `rt.crash(node)` of the node task `t` started (by the task that started it).
    CrashNode(usize),
    /// `rt.pause(node, ms)` of the node task `t` started (by the task that started it).
    PauseNode(usize, u64),
}

/// A channel: bounded with this capacity, or unbounded; received by one task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Channel {
    /// `Some(capacity)` for a bounded channel.
    pub capacity: Option<usize>,
    /// The task that receives from it.
    pub receiver: usize,
}

/// One task: its parent (none for the root) and its instructions.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Task {
    /// The task that spawns and joins it; `None` for the root (task 0).
    pub parent: Option<usize>,
    /// What it runs.
    pub instrs: Vec<Instr>,
}

/// A random program; see the module documentation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Program {
    /// The seed it was generated from (kept through minimization, for the report).
    pub seed: u64,
    /// Number of mutexes (each guards an `i64`, initially 0).
    pub mutexes: usize,
    /// The channels.
    pub channels: Vec<Channel>,
    /// Number of atomics (initially 0).
    pub atomics: usize,
    /// Number of shared cells (initially 0).
    pub cells: usize,
    /// Number of notifies.
    pub notifies: usize,
    /// The tasks; task 0 is the root.
    pub tasks: Vec<Task>,
    /// The fault budget and restart delay of programs with nodes ([`super::nodes`]).
    pub faults: super::nodes::NodeFaults,
}

/// How large generated programs are: the one place the sizes are decided.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    /// Tasks, root included: `2..=max_tasks`.
    pub max_tasks: usize,
    /// Instructions per task (spawns and joins not counted): `1..=max_instrs`.
    pub max_instrs: usize,
    /// Objects of all kinds together: `1..=max_objects`.
    pub max_objects: usize,
}

impl Size {
    /// Small enough that plain DFS exhausts nearly every program in well under a second.
    pub const SMALL: Size = Size {
        max_tasks: 4,
        max_instrs: 3,
        max_objects: 3,
    };
}

/// Object kinds, for drawing.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Mutex,
    Channel,
    Atomic,
    Cell,
    Notify,
}

const KINDS: [Kind; 5] = [
    Kind::Mutex,
    Kind::Channel,
    Kind::Atomic,
    Kind::Cell,
    Kind::Notify,
];

struct Draw(ChaCha8Rng);

impl Draw {
    /// Uniform in `0..n` (`n >= 1`); the modulo bias is irrelevant here.
    fn below(&mut self, n: usize) -> usize {
        (self.0.next_u64() % n as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn small(&mut self) -> i64 {
        self.range(1, 2) as i64
    }
    fn millis(&mut self) -> u64 {
        self.range(1, 2) as u64
    }
}

impl Program {
    /// The program of `seed`, at most `size` large.
    pub fn generate(seed: u64, size: Size) -> Program {
        let mut d = Draw(ChaCha8Rng::seed_from_u64(seed));
        let ntasks = d.range(2, size.max_tasks);
        // The task tree: each non-root task's parent is an earlier task.
        let mut tasks: Vec<Task> = (0..ntasks)
            .map(|t| Task {
                parent: (t > 0).then(|| d.below(t)),
                instrs: Vec::new(),
            })
            .collect();
        let mut p = Program {
            seed,
            mutexes: 0,
            channels: Vec::new(),
            atomics: 0,
            cells: 0,
            notifies: 0,
            tasks: Vec::new(),
            faults: Default::default(),
        };
        for _ in 0..d.range(1, size.max_objects) {
            match KINDS[d.below(KINDS.len())] {
                Kind::Mutex => p.mutexes += 1,
                Kind::Channel => {
                    let capacity = match d.below(3) {
                        0 => None,
                        c => Some(c),
                    };
                    let receiver = d.below(ntasks);
                    p.channels.push(Channel { capacity, receiver });
                }
                Kind::Atomic => p.atomics += 1,
                Kind::Cell => p.cells += 1,
                Kind::Notify => p.notifies += 1,
            }
        }
        for (t, task) in tasks.iter_mut().enumerate() {
            let n = d.range(1, size.max_instrs);
            task.instrs = p.instrs(&mut d, t, n);
        }
        // Spawns and joins: a child is spawned at a random place of its parent's list, and
        // joined at a random later place, or implicitly at the parent's end.
        for child in 1..ntasks {
            let parent = tasks[child].parent.expect("non-root");
            let list = &mut tasks[parent].instrs;
            let at = d.below(list.len() + 1);
            list.insert(at, Instr::Spawn(child));
            if d.below(2) == 0 {
                let join_at = d.range(at + 1, list.len());
                list.insert(join_at, Instr::Join(child));
            }
        }
        p.tasks = tasks;
        p
    }

    /// `n` instructions for task `t` (no spawns or joins).
    fn instrs(&self, d: &mut Draw, t: usize, n: usize) -> Vec<Instr> {
        let mut out = Vec::new();
        let mut held: Vec<usize> = Vec::new();
        let mut observed = false;
        while out.len() < n {
            let i = match d.below(12) {
                0 | 1 if self.mutexes > 0 => {
                    let m = d.below(self.mutexes);
                    match held.iter().position(|h| *h == m) {
                        Some(k) if d.below(2) == 0 => {
                            held.remove(k);
                            Instr::Unlock(m)
                        }
                        Some(_) => Instr::MutexAdd(m, d.small()),
                        None => {
                            held.push(m);
                            Instr::Lock(m)
                        }
                    }
                }
                2 | 3 if !self.channels.is_empty() => {
                    let c = d.below(self.channels.len());
                    if self.channels[c].receiver == t && d.below(3) > 0 {
                        if d.below(3) == 0 {
                            Instr::RecvTimeout(c, d.millis())
                        } else {
                            Instr::Recv(c)
                        }
                    } else {
                        Instr::Send(c, d.small())
                    }
                }
                4 | 5 if self.atomics > 0 => {
                    let a = d.below(self.atomics);
                    match d.below(4) {
                        0 => Instr::Load(a),
                        1 => Instr::Store(a, d.small()),
                        2 => Instr::FetchAdd(a, d.small()),
                        _ => Instr::Cas(a, d.below(2) as i64, d.small()),
                    }
                }
                6 if self.cells > 0 => {
                    let s = d.below(self.cells);
                    if d.below(2) == 0 {
                        Instr::CellRead(s)
                    } else {
                        Instr::CellWrite(s, d.small())
                    }
                }
                7 | 8 if self.notifies > 0 => {
                    let k = d.below(self.notifies);
                    match d.below(4) {
                        0 => Instr::NotifyOne(k),
                        1 => Instr::NotifyWaiters(k),
                        2 => Instr::Notified(k),
                        _ => Instr::NotifiedTimeout(k, d.millis()),
                    }
                }
                9 => Instr::Choose(d.range(2, 3), d.range(1, 2)),
                10 => match d.below(3) {
                    0 => Instr::Sleep(d.millis()),
                    _ => Instr::Yield,
                },
                11 if observed => Instr::Check(d.below(3) as i64),
                _ => continue,
            };
            observed = matches!(
                i,
                Instr::MutexAdd(..)
                    | Instr::Recv(_)
                    | Instr::RecvTimeout(..)
                    | Instr::Load(_)
                    | Instr::FetchAdd(..)
                    | Instr::Cas(..)
                    | Instr::CellRead(_)
                    | Instr::Choose(..)
            );
            out.push(i);
        }
        out
    }

    /// Every instruction, as (task, index), spawns and joins excluded.
    pub fn positions(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (t, task) in self.tasks.iter().enumerate() {
            for (i, instr) in task.instrs.iter().enumerate() {
                if !matches!(instr, Instr::Spawn(_) | Instr::Join(_)) {
                    out.push((t, i));
                }
            }
        }
        out
    }

    /// Whether some instruction sleeps or has a timeout (arms a timer).
    pub fn uses_timers(&self) -> bool {
        self.tasks.iter().flat_map(|t| &t.instrs).any(|i| {
            matches!(
                i,
                Instr::Sleep(_) | Instr::RecvTimeout(..) | Instr::NotifiedTimeout(..)
            )
        })
    }

    /// Total instructions (spawns and joins excluded), the size the minimizer reduces.
    pub fn len(&self) -> usize {
        self.positions().len()
    }
}

impl fmt::Display for Instr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Instr::Lock(m) => write!(f, "g{m} = m{m}.lock().await"),
            Instr::Unlock(m) => write!(f, "drop(g{m})"),
            Instr::MutexAdd(m, k) => write!(f, "observe(*g{m}); *g{m} += {k}"),
            Instr::Send(c, v) => write!(f, "tx{c}.send({v})"),
            Instr::Recv(c) => write!(f, "observe(rx{c}.recv().await)"),
            Instr::RecvTimeout(c, ms) => {
                write!(f, "observe(timeout({ms}ms, rx{c}.recv()).await)")
            }
            Instr::Load(a) => write!(f, "observe(a{a}.load().await)"),
            Instr::Store(a, v) => write!(f, "a{a}.store({v}).await"),
            Instr::FetchAdd(a, k) => write!(f, "observe(a{a}.fetch_update(+{k}).await)"),
            Instr::Cas(a, x, y) => write!(f, "observe(a{a}.compare_exchange({x}, {y}).await)"),
            Instr::CellRead(s) => write!(f, "observe(s{s}.get())"),
            Instr::CellWrite(s, v) => write!(f, "s{s}.set({v})"),
            Instr::NotifyOne(n) => write!(f, "n{n}.notify_one()"),
            Instr::NotifyWaiters(n) => write!(f, "n{n}.notify_waiters()"),
            Instr::Notified(n) => write!(f, "n{n}.notified().await"),
            Instr::NotifiedTimeout(n, ms) => {
                write!(f, "observe(timeout({ms}ms, n{n}.notified()).await)")
            }
            Instr::Choose(n, skip) => {
                write!(f, "observe(rt.choose({n})); if nonzero skip {skip}")
            }
            Instr::Sleep(ms) => write!(f, "rt.sleep({ms}ms).await"),
            Instr::Yield => write!(f, "rt.yield_now().await"),
            Instr::Spawn(t) => write!(f, "h{t} = rt.spawn(task{t})"),
            Instr::Join(t) => write!(f, "h{t}.join().await"),
            Instr::Check(v) => write!(f, "assert!(last observed != {v})"),
            Instr::StartNode(t) => write!(f, "n{t} = rt.start_node(task{t})"),
            Instr::CrashPoint => write!(f, "rt.crash_point().await"),
            Instr::CrashNode(t) => write!(f, "rt.crash(n{t})"),
            Instr::PauseNode(t, ms) => write!(f, "rt.pause(n{t}, {ms}ms)"),
        }
    }
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "// program of seed {}", self.seed)?;
        for m in 0..self.mutexes {
            writeln!(f, "let m{m} = Mutex::new(0);")?;
        }
        for (c, ch) in self.channels.iter().enumerate() {
            match ch.capacity {
                Some(cap) => write!(f, "let (tx{c}, rx{c}) = mpsc::channel({cap});")?,
                None => write!(f, "let (tx{c}, rx{c}) = mpsc::unbounded();")?,
            }
            writeln!(f, " // received by task{}", ch.receiver)?;
        }
        for a in 0..self.atomics {
            writeln!(f, "let a{a} = Atomic::new(0);")?;
        }
        for s in 0..self.cells {
            writeln!(f, "let s{s} = SharedCell::new(0);")?;
        }
        for n in 0..self.notifies {
            writeln!(f, "let n{n} = Notify::new();")?;
        }
        if self.faults != Default::default() {
            writeln!(f, "// {}", self.faults)?;
        }
        for (t, task) in self.tasks.iter().enumerate() {
            writeln!(f, "task{t}: {{")?;
            for i in &task.instrs {
                writeln!(f, "    {i};")?;
            }
            writeln!(f, "}}")?;
        }
        Ok(())
    }
}

/// Which random programs a run covers: `default` programs from seed 0, or the count in env var
/// `count_var` from the seed in `first_var`. A malformed value is a one-line error.
pub fn seeds_from_env(first_var: &str, count_var: &str, default: u64) -> std::ops::Range<u64> {
    let var = |name: &str, default: u64| match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse::<u64>()
            .unwrap_or_else(|_| panic!("{name}={v:?} is not a number")),
        Err(_) => default,
    };
    let first = var(first_var, 0);
    first..first + var(count_var, default)
}
