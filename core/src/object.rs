//! Objects and accesses: what each operation touches, and which operations are dependent.
//!
//! Every primitive of [`crate::sync`], [`crate::task`] and [`crate::time`] asks the runtime for
//! an [`ObjectId`] when it is created ([`Runtime::object`](crate::Runtime::object)), and every
//! [`Op`](crate::Op) it passes to [`Runtime::point`](crate::Runtime::point) or
//! [`Runtime::note`](crate::Runtime::note) says which object it touches and how
//! ([`Touch`]). Ids are stable per execution: the simulator numbers objects in creation order,
//! from 1, afresh in every execution, so the same program under the same schedule gives the
//! same ids (the determinism check compares them); loom and shuttle number them per execution
//! too; tokio, which checks nothing, returns one constant id.
//!
//! # The dependency relation
//!
//! [`conflicts`] is the dependency relation partial-order reduction uses (Flanagan and
//! Godefroid, "Dynamic Partial-Order Reduction for Model Checking Software", POPL 2005;
//! Abdulla, Aronis, Jonsson and Sagonas, "Source Sets: A Foundation for Optimal Dynamic
//! Partial Order Reduction", JACM 2017): two operations *conflict* when they touch the same
//! object and at least one of them changes what the other observes, so that running them in
//! the other order may change the outcome (a value read, who gets a lock, which waiter a
//! signal wakes, a happens-before edge). Operations on different objects never conflict.
//! On one object, the rule is per [`AccessKind`], through its [`Class`]:
//!
//! | class | kinds | commutes with |
//! |---|---|---|
//! | observing | [`Read`](AccessKind::Read), [`Observe`](AccessKind::Observe) | every observing access |
//! | shared lock | [`AcquireShared`](AccessKind::AcquireShared), [`ReleaseShared`](AccessKind::ReleaseShared) | every shared-lock access |
//! | releasing | [`Release`](AccessKind::Release) | every release |
//! | exclusive | every other kind | nothing on the same object |
//!
//! Why these commute, per primitive:
//!
//! - Two reads of a [`SharedCell`](crate::sync::SharedCell) or loads of an
//!   [`Atomic`](crate::sync::Atomic) change nothing (and race with nothing). A
//!   [`watch`](crate::sync::watch) `borrow` or `changed` marks the version seen in its own
//!   receiver only; `is_cancelled`/`cancelled` only observe a token.
//! - Two read locks of an [`RwLock`](crate::sync::RwLock) with the default (practically
//!   unbounded) reader limit both succeed, or both queue behind the same writer, in either
//!   order, and read unlocks create no edge to read locks. An `RwLock` with a small reader
//!   limit makes its read locks [`Acquire`](AccessKind::Acquire) instead: readers then
//!   compete for permits.
//! - Releases add permits to a counter (a [`Semaphore`](crate::sync::Semaphore)'s permit
//!   drop or `add_permits`, a [`WaitGroup`](crate::sync::WaitGroup)'s `done`): the FIFO
//!   queue's head collects them greedily, so the final grant is the same in either order,
//!   and the clocks they release into are joined, which commutes. Two unlocks of one
//!   [`Mutex`](crate::sync::Mutex) are never both enabled.
//! - Everything else that changes an object conflicts with every other access to it: two
//!   lock attempts (who gets it), two sends (message order), a send and a receive, two
//!   notifies (`notify_one` then `notify_waiters` differs from the reverse), two cancels
//!   (whose history the observers acquire), a spawn, join, exit or abort of one task, the arming
//!   and the firing of one timer.
//!
//! Cases the relation covers by sharing one id: a child
//! [`CancellationToken`](crate::sync::CancellationToken) has its root's id, since cancelling
//! a parent cancels the child (and so conflicts with observing it).
//!
//! Two kinds of [`Touch`] sit outside objects: [`Touch::Nothing`] (`yield_now`, which touches
//! no shared state and is independent of everything) and [`Touch::Unknown`] (a
//! [`select`](crate::sync::select2), whose arms are opaque futures: it conflicts with every
//! operation that touches anything).
//!
//! # Operations destructors perform
//!
//! A step's operations must list every change it makes to a primitive, including those a
//! destructor makes (a guard dropped at the end of a scope, a losing `select` arm, an aborted
//! task's body). Each is noted ([`Runtime::note`](crate::Runtime::note)) in the step that runs
//! the destructor, at a stored site: the site of the call that acquired what is given back
//! (`lock`, `acquire`, `notified`, a send), or the primitive's creation site for a channel
//! half. The kinds, and why:
//!
//! | operation | kind | why |
//! |---|---|---|
//! | `mutex.unlock` (a [`MutexGuard`](crate::sync::MutexGuard)'s drop) | [`Release`](AccessKind::Release) | it decides the next lock; two unlocks are never both enabled |
//! | `rwlock.unlock` of a write guard, or of a read guard with a small reader limit | `Release` | returns permits to the queue (releases add up) |
//! | `rwlock.unlock` of a read guard, default reader limit | [`ReleaseShared`](AccessKind::ReleaseShared) | mirrors [`AcquireShared`](AccessKind::AcquireShared): a read unlock changes nothing a read lock observes |
//! | `semaphore.release` (a [`SemaphorePermit`](crate::sync::SemaphorePermit)'s drop) | `Release` | as `add_permits`: the queue's head collects permits in any order |
//! | `mutex.give_up`, `rwlock.give_up`, `semaphore.give_up` (a queued or granted acquire dropped: a lost `select`, a timeout, an abort) | `Release` | it hands the lock, or the permits it collected, to the next waiter: the same end state as an unlock in either order |
//! | `notify.give_up` (a [`Notified`](crate::sync::Notified) dropped while waiting or holding a `notify_one`) | [`Notify`](AccessKind::Notify) | it hands its notification on or stores the permit, and leaving the queue changes whom a later `notify_one` wakes |
//! | `mpsc.sender_drop`, `watch.receiver_drop` (every drop, last or not) | [`Close`](AccessKind::Close) | the order of two drops decides which one is last, and only the last closes (and releases the closing clock) |
//! | `mpsc.receiver_drop`, `oneshot.sender_drop`, `oneshot.receiver_drop` (sender still alive), `watch.sender_drop` | `Close` | later sends or receives fail, or receivers see the end |
//! | `mpsc.send_cancel` (a blocked send or a ready send arm dropped) | `Release` | it frees its slot or hands the free-slot signal to the next blocked sender |
//! | `mpsc.recv_cancel`, `oneshot.recv_cancel` (a receive arm that lost a select puts its message back) | [`Receive`](AccessKind::Receive) | it changes what the next receive takes |
//! | `task.exit` on the task, and `join_set.exit` on its [`JoinSet`](crate::task::JoinSet) | [`Exit`](AccessKind::Exit) | what `join` waits for; the set's completion order is what `join_next` returns |
//! | `task.abort` by [`JoinSet`](crate::task::JoinSet)'s drop, `abort_all`, `shutdown` (every task in the set, finished or not) | [`Abort`](AccessKind::Abort) | whether it cancels depends on its order with the task's exit |
//!
//! Reads that decide what a task does next are operations too ([`Read`](AccessKind::Read)):
//! `Semaphore::available_permits` and `is_closed`, `JoinHandle::is_finished`, the channels'
//! `is_closed`, `len`, `is_empty`, watch's `has_changed` and `mark_unchanged`.
//!
//! # Not operations
//!
//! Changes nobody else can observe are not noted: [`SemaphorePermit::forget`](crate::sync::SemaphorePermit::forget)
//! (the semaphore does not change), cloning an mpsc sender or a watch receiver (the cloner
//! holds one, so the count cannot reach zero in either order), a broadcast waiter leaving its
//! wait list (a dropped `changed`, `closed`, WaitGroup wait, `cancelled`, barrier departure:
//! a broadcast wakes everyone anyway, and the barrier counts a departed waiter as arrived),
//! and dropping a [`JoinHandle`](crate::JoinHandle) (detaching). Reads meant for oracles,
//! after the tasks have run, are not operations either: `Atomic::peek`, `WaitGroup::count`,
//! watch's `receiver_count` and `Sender::is_closed` (a model that branches on them during
//! the run makes a reduction miss the orders they observe).

use std::fmt;
use std::num::NonZeroU32;

/// A primitive object of one execution (a mutex, a channel, a task, a timer), numbered from 1
/// in creation order. See the module documentation.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectId(NonZeroU32);

impl ObjectId {
    /// The id of the `n`-th object created in an execution (`n >= 1`); `None` for 0.
    pub const fn new(n: u32) -> Option<ObjectId> {
        match NonZeroU32::new(n) {
            Some(n) => Some(ObjectId(n)),
            None => None,
        }
    }

    /// The first id, which a backend that numbers nothing (tokio) returns for every object.
    pub const FIRST: ObjectId = ObjectId(NonZeroU32::MIN);

    /// The id's number.
    pub const fn get(self) -> u32 {
        self.0.get()
    }

    /// The id after this one (saturating; four billion objects in one execution is not a
    /// case a checker can reach).
    pub const fn next(self) -> ObjectId {
        ObjectId(self.0.saturating_add(1))
    }

    /// This object touched with `access`.
    pub const fn touch(self, access: AccessKind) -> Touch {
        Touch::Object(self, access)
    }
}

impl fmt::Debug for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// How an operation touches its object. See the module documentation for which pairs
/// conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AccessKind {
    /// Reads without changing anything (a shared cell read, an atomic load, a watch borrow or
    /// `changed`, a watch `subscribe`).
    Read,
    /// Overwrites without reading (a shared cell write, an atomic store).
    Write,
    /// Reads and writes in one step (an atomic swap, fetch-update, compare-and-swap).
    Update,
    /// Takes exclusive ownership or permits (a mutex lock, an RwLock write lock or a read lock
    /// with a small reader limit, a semaphore acquire), or the attempt to.
    Acquire,
    /// Takes an RwLock read lock (default reader limit).
    AcquireShared,
    /// Gives back what was acquired or adds to a counter (an unlock, a permit's drop,
    /// `add_permits`, a WaitGroup `done`, a queued acquire that gives up).
    Release,
    /// Gives back an RwLock read lock (default reader limit).
    ReleaseShared,
    /// Puts a message or value into a channel (mpsc, oneshot, watch).
    Send,
    /// Takes a message or value out of a channel (mpsc, oneshot).
    Receive,
    /// Closes something for good (an mpsc receiver's `close`, a semaphore's `close`), or
    /// may (a channel half's drop: the last one closes).
    Close,
    /// Signals waiters (`notify_one`, `notify_last`, `notify_waiters`, a `Notified` that
    /// gives up).
    Notify,
    /// Waits for, or registers for, a signal (a `Notified`, a barrier, a WaitGroup wait).
    Wait,
    /// Adds to a WaitGroup's counter (which may start a checked contract).
    Add,
    /// Cancels a token (and its children).
    Cancel,
    /// Observes a token's cancellation (`cancelled`, `is_cancelled`, `child_token`).
    Observe,
    /// Starts a task.
    Spawn,
    /// Waits for a task's (or a join set's) exit.
    Join,
    /// A task exits (returns, panics or is dropped unfinished): what a join waits for.
    Exit,
    /// Aborts a task.
    Abort,
    /// Arms a timer (a sleep).
    Arm,
    /// A timer fires (a simulator event, not a task's operation).
    Fire,
}

/// How an [`AccessKind`] commutes; see the module documentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Changes nothing another operation observes: commutes with every other observing
    /// access.
    Observing,
    /// An RwLock read lock or unlock: commutes with every other shared-lock access.
    SharedLock,
    /// Adds to a counter: commutes with every other release.
    Releasing,
    /// Commutes with nothing on the same object.
    Exclusive,
}

impl AccessKind {
    /// The kind's commutation class.
    pub const fn class(self) -> Class {
        match self {
            AccessKind::Read | AccessKind::Observe => Class::Observing,
            AccessKind::AcquireShared | AccessKind::ReleaseShared => Class::SharedLock,
            AccessKind::Release => Class::Releasing,
            AccessKind::Write
            | AccessKind::Update
            | AccessKind::Acquire
            | AccessKind::Send
            | AccessKind::Receive
            | AccessKind::Close
            | AccessKind::Notify
            | AccessKind::Wait
            | AccessKind::Add
            | AccessKind::Cancel
            | AccessKind::Spawn
            | AccessKind::Join
            | AccessKind::Exit
            | AccessKind::Abort
            | AccessKind::Arm
            | AccessKind::Fire => Class::Exclusive,
        }
    }
}

/// Whether two accesses are dependent: same object, and not both of one commuting class.
/// The relation DPOR uses; see the module documentation.
pub fn conflicts(a: (ObjectId, AccessKind), b: (ObjectId, AccessKind)) -> bool {
    if a.0 != b.0 {
        return false;
    }
    match (a.1.class(), b.1.class()) {
        (Class::Exclusive, _) | (_, Class::Exclusive) => true,
        (x, y) => x != y,
    }
}

/// What one operation touches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Touch {
    /// No shared state (`yield_now`): independent of every operation.
    Nothing,
    /// One object, in one way.
    Object(ObjectId, AccessKind),
    /// Possibly any object (a `select`, whose arms are opaque): dependent on every operation
    /// that touches something.
    Unknown,
}

impl Touch {
    /// The object touched, if it is known.
    pub fn object(self) -> Option<ObjectId> {
        match self {
            Touch::Object(o, _) => Some(o),
            Touch::Nothing | Touch::Unknown => None,
        }
    }

    /// The access kind, if an object is known.
    pub fn access(self) -> Option<AccessKind> {
        match self {
            Touch::Object(_, a) => Some(a),
            Touch::Nothing | Touch::Unknown => None,
        }
    }

    /// Whether two operations touching `self` and `other` are dependent ([`conflicts`],
    /// extended to [`Touch::Nothing`] and [`Touch::Unknown`]).
    pub fn conflicts(self, other: Touch) -> bool {
        match (self, other) {
            (Touch::Nothing, _) | (_, Touch::Nothing) => false,
            (Touch::Unknown, _) | (_, Touch::Unknown) => true,
            (Touch::Object(a, x), Touch::Object(b, y)) => conflicts((a, x), (b, y)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u32) -> ObjectId {
        ObjectId::new(n).unwrap()
    }

    #[test]
    fn same_object_and_a_change_conflict() {
        use AccessKind::*;
        assert!(conflicts((id(1), Acquire), (id(1), Acquire)));
        assert!(!conflicts((id(1), Acquire), (id(2), Acquire)));
        assert!(!conflicts((id(1), Read), (id(1), Read)));
        assert!(conflicts((id(1), Read), (id(1), Write)));
        assert!(!conflicts((id(1), Release), (id(1), Release)));
        assert!(conflicts((id(1), Release), (id(1), Acquire)));
        assert!(!conflicts((id(1), AcquireShared), (id(1), ReleaseShared)));
        assert!(conflicts((id(1), AcquireShared), (id(1), Release)));
        assert!(conflicts((id(1), Read), (id(1), Release)));
    }

    #[test]
    fn nothing_and_unknown() {
        let lock = id(3).touch(AccessKind::Acquire);
        assert!(!Touch::Nothing.conflicts(lock));
        assert!(!Touch::Nothing.conflicts(Touch::Unknown));
        assert!(Touch::Unknown.conflicts(lock));
        assert!(Touch::Unknown.conflicts(Touch::Unknown));
        assert_eq!(format!("{}", id(3)), "#3");
        assert_eq!(std::mem::size_of::<Touch>(), 8);
    }
}
