//! Blocking operations whose waiting nobody else can observe ("Awaiting for Godot").
//!
//! weft's primitives are FIFO and register their waiters, so a failed attempt (a step that
//! performed only its pending operation and then parked) is in general a real change of
//! state: a blocked `mutex.lock` queues, and the queue order decides who gets the lock next;
//! a `notified()` that registered before a `notify_waiters` is woken by it, one that did not
//! is lost. Such attempts stay ordinary events with their operation's access.
//!
//! Two awaits are different: a `task.join` (a task has one handle; a join set has one owner)
//! and a blocking receive on a single-consumer channel (`mpsc.recv`, `oneshot.recv`). Whether
//! the waiter registered before the exit (or the send) or came after it, nobody but the waker
//! can tell, and the waiter gets the same result. Following Jonsson, Lang and Sagonas,
//! "Awaiting for Godot: Stateless Model Checking that Avoids Executions where Nothing
//! Happens" (FMCAD 2022):
//!
//! - a *failed* attempt at such an await is independent of every event (it never races);
//! - a join's completion (the later step, which the exit woke, or a join that found the task
//!   already gone) depends on the exit, but that race is not reversible: running the join
//!   first only produces the failed attempt and the same completion, which is the class
//!   already explored. A task exits once, so its exit (or the abort that ends it) is the only
//!   event that can enable the join.
//!
//! Without these two rules a program that joins its tasks would have every exit raced by the
//! joiner's attempt (before it or after it), multiplying the classes by the join positions.
//!
//! A receive's completion keeps its races with sends: which send enabled it depends on how
//! many messages were queued (with two queued, receiving before the second send is a different
//! state, where the receiver may go on and close the channel before that send). Reversing the
//! send that did enable it explores a failed attempt and the same completion: a redundant
//! execution, never a missed one.

use weft_core::{AccessKind, ObjectId, Op, Touch};

/// An await whose registration only its waker observes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Await {
    /// `task.join` or a join set's `join_next`.
    Join,
    /// A blocking receive on a single-consumer channel.
    Receive,
}

impl Await {
    /// The access the await's operation makes.
    fn access(self) -> AccessKind {
        match self {
            Await::Join => AccessKind::Join,
            Await::Receive => AccessKind::Receive,
        }
    }

    /// Whether an access of `kind` on the awaited object is the only event that can have
    /// completed the await (a task's exit, or the abort that ends it, for a join). None for a
    /// receive: see the module documentation.
    fn enabled_by(self, kind: AccessKind) -> bool {
        match self {
            Await::Join => matches!(kind, AccessKind::Exit | AccessKind::Abort),
            Await::Receive => false,
        }
    }
}

/// The await `op` performs, if it is one of the unobservable kind.
pub(super) fn awaits(op: &Op) -> Option<(ObjectId, Await)> {
    match op.touch {
        Touch::Object(o, AccessKind::Join) => Some((o, Await::Join)),
        Touch::Object(o, AccessKind::Receive)
            if matches!(op.name, "mpsc.recv" | "oneshot.recv") =>
        {
            Some((o, Await::Receive))
        }
        _ => None,
    }
}

/// Whether the dependency between an earlier event's `earlier` accesses and a later event
/// that completed the await `completes` consists only of enabling pairs (exit then join):
/// such a race is not reversible (see the module documentation).
pub(super) fn only_enables(
    earlier: &[Touch],
    later: &[Touch],
    completes: Option<(ObjectId, Await)>,
) -> bool {
    let Some((object, wait)) = completes else {
        return false;
    };
    let awaited = Touch::Object(object, wait.access());
    earlier.iter().all(|a| {
        later.iter().all(|b| {
            !a.conflicts(*b)
                || (*b == awaited
                    && matches!(*a, Touch::Object(o, k) if o == object && wait.enabled_by(k)))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exit_only_enables_the_join_that_waits_for_it() {
        let site = std::panic::Location::caller();
        let t = ObjectId::new(2).unwrap();
        let m = ObjectId::new(1).unwrap();
        let join = Op::on("task.join", t, AccessKind::Join, site);
        let recv = Op::on("mpsc.recv", t, AccessKind::Receive, site);
        let try_recv = Op::on("mpsc.try_recv", t, AccessKind::Receive, site);
        assert_eq!(awaits(&join), Some((t, Await::Join)));
        assert_eq!(awaits(&recv), Some((t, Await::Receive)));
        assert_eq!(
            awaits(&try_recv),
            None,
            "a try_recv observes the channel's state"
        );
        let exit = [t.touch(AccessKind::Exit)];
        let joined = [t.touch(AccessKind::Join)];
        assert!(only_enables(&exit, &joined, awaits(&join)));
        // The exit also took a lock the joiner takes: that race is a real one.
        let exit_and_lock = [m.touch(AccessKind::Acquire), t.touch(AccessKind::Exit)];
        let join_and_lock = [t.touch(AccessKind::Join), m.touch(AccessKind::Acquire)];
        assert!(!only_enables(&exit_and_lock, &join_and_lock, awaits(&join)));
        assert!(!only_enables(&exit, &joined, None));
        // A send does not make the race with a receive irreversible (two may be queued).
        let sent = [t.touch(AccessKind::Send)];
        let received = [t.touch(AccessKind::Receive)];
        assert!(!only_enables(&sent, &received, awaits(&recv)));
    }
}
