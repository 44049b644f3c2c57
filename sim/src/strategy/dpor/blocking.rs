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
//! - an await's completion cannot be reordered before a step unless it would complete there
//!   too (*readiness*, [`cannot_precede`]): run earlier, an idle await is only the failed
//!   attempt, which is not an event, so the "reversal" is the class already explored. A join
//!   is ready only once its task has exited (a task exits once: its exit, or the abort that
//!   ends it, is the only event that completes the join); a receive is ready only if some
//!   send or close on its channel precedes it.
//!
//! Without these rules a program that joins its tasks would have every exit raced by the
//! joiner's attempt (before it or after it), multiplying the classes by the join positions.
//! Readiness applies to the whole step: a join that completed and then took a lock cannot
//! take the lock before the exit either, whatever else the two steps conflict on.
//!
//! A receive that some earlier send (or close) would make ready keeps its races with the
//! sends: which send enabled it depends on how many messages were queued (with two queued,
//! receiving before the second send is a different state, where the receiver may go on and
//! close the channel before that send).

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
    /// Whether an access of `kind` on the awaited object can make the await ready: a task's
    /// exit (or the abort that ends it) for a join; a send or a close for a receive.
    fn readied_by(self, kind: AccessKind) -> bool {
        match self {
            Await::Join => matches!(kind, AccessKind::Exit | AccessKind::Abort),
            Await::Receive => matches!(kind, AccessKind::Send | AccessKind::Close),
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

/// Readiness: whether a step that completed the await `completes` cannot run before a step
/// whose accesses are `first`, the other steps that would precede it there having
/// `before` (every step of the prefix and of the reversal's other events). It cannot when
/// nothing there, nor anything else, can make the await ready: for a join, `first` is the
/// awaited task's exit; for a receive, no step of `before` sends to or closes the channel.
pub(super) fn cannot_precede<'a>(
    first: &[Touch],
    completes: Option<(ObjectId, Await)>,
    mut before: impl Iterator<Item = &'a [Touch]>,
) -> bool {
    let Some((object, wait)) = completes else {
        return false;
    };
    let readies =
        |t: &Touch| matches!(*t, Touch::Object(o, k) if o == object && wait.readied_by(k));
    match wait {
        Await::Join => first.iter().any(readies),
        Await::Receive => !before.any(|accesses| accesses.iter().any(readies)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_await_cannot_precede_what_makes_it_ready() {
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
        let nothing = std::iter::empty::<&[Touch]>;
        assert!(cannot_precede(&exit, awaits(&join), nothing()));
        // The exit also took a lock the joiner takes after joining: the joiner's step still
        // cannot run before the exit.
        let exit_and_lock = [m.touch(AccessKind::Acquire), t.touch(AccessKind::Exit)];
        assert!(cannot_precede(&exit_and_lock, awaits(&join), nothing()));
        assert!(!cannot_precede(&exit, None, nothing()));
        // A receive on an empty channel is idle before the only send.
        let sent = [t.touch(AccessKind::Send)];
        assert!(cannot_precede(&sent, awaits(&recv), nothing()));
        // With another send (or a close) before, it may complete there.
        let closed = [t.touch(AccessKind::Close)];
        assert!(!cannot_precede(
            &sent,
            awaits(&recv),
            [&sent[..]].into_iter()
        ));
        assert!(!cannot_precede(
            &sent,
            awaits(&recv),
            [&closed[..]].into_iter()
        ));
        let other = [m.touch(AccessKind::Send)];
        assert!(cannot_precede(
            &sent,
            awaits(&recv),
            [&other[..]].into_iter()
        ));
    }
}
