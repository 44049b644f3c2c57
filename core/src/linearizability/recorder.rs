//! [`Recorder`]: records the history of a shared object from the tasks that use it, on any
//! backend, for the checker.
//!
//! The protocol: a client task calls [`invoke`](Recorder::invoke) just before it starts an
//! operation on the object under test, and [`respond`](Recorder::respond) with the
//! operation's [`Ticket`] and return value just after it returns. A ticket never responded to
//! (dropped, or held by a task that never finished) leaves its operation pending. Each client
//! id must be used by one sequential task: a second invocation while one is open is a
//! [`HistoryError`] from [`history`](Recorder::history), never a panic. A client that gives up
//! on an operation (a timed-out call whose request may still land) hands its ticket to
//! [`abandon`](Recorder::abandon): the operation stays pending for good and the client may go
//! on with its next one ([`HistoryBuilder::abandon`]). After the tasks have
//! run, [`check`](Recorder::check) runs the checker on the history; reading the history is not
//! an operation (like every oracle read after the run, `crate::object`'s "Not operations").
//!
//! # What a scheduler sees
//!
//! Each event is an operation on the recorder's own object ([`Runtime::object`]), noted in
//! the current step ([`Runtime::note`]; it is not a scheduling point of its own), so a
//! checking backend sees where invocations and responses fall:
//!
//! | event | kind | why |
//! |---|---|---|
//! | `linearizability.invoke` | [`Read`](AccessKind::Read) | two invocations commute: their order changes no real-time precedence |
//! | `linearizability.respond` | [`Release`](AccessKind::Release) | two responses commute, for the same reason |
//!
//! An invocation and a response conflict ([`crate::object::conflicts`]: observing against
//! releasing): whether a response comes before an invocation decides whether the first
//! operation precedes the second in real time, which changes which histories the checker
//! accepts. So a partial-order reduction explores both orders of every such pair, and only
//! those. Recording creates no happens-before edge (it never releases or acquires a clock),
//! so it hides no data race and no contract violation from the checks of the code under test.
//! The events' times are taken under a `std::sync::Mutex`, which no event holds across an
//! await.

use std::panic::Location;
use std::sync::Mutex;

use super::check::{Checker, Verdict};
use super::history::{ClientId, History, HistoryBuilder, HistoryError};
use super::spec::SequentialSpec;
use crate::object::{AccessKind, ObjectId};
use crate::runtime::{Op, Runtime};

/// Records a history; see the module documentation.
pub struct Recorder<R: Runtime, S: SequentialSpec> {
    rt: R,
    object: ObjectId,
    builder: Mutex<HistoryBuilder<S>>,
}

/// An invoked operation awaiting its response. Dropping it leaves the operation pending.
#[derive(Debug)]
#[must_use = "respond to the operation, or drop the ticket to leave it pending"]
pub struct Ticket {
    client: ClientId,
}

impl<R: Runtime, S: SequentialSpec> std::fmt::Debug for Recorder<R, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("object", &self.object)
            .finish_non_exhaustive()
    }
}

impl<R: Runtime, S: SequentialSpec> Recorder<R, S> {
    /// An empty recorder (one new object of `rt`).
    pub fn new(rt: &R) -> Self {
        Recorder {
            rt: rt.clone(),
            object: rt.object(),
            builder: Mutex::new(HistoryBuilder::default()),
        }
    }

    fn record(&self, f: impl FnOnce(&mut HistoryBuilder<S>)) {
        let mut b = self.builder.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut b);
    }

    /// `client` invokes `op` now.
    #[track_caller]
    pub fn invoke(&self, client: ClientId, op: S::Op) -> Ticket {
        let site = Location::caller();
        self.rt.note(Op::on(
            "linearizability.invoke",
            self.object,
            AccessKind::Read,
            site,
        ));
        self.record(|b| {
            b.invoke(client, op);
        });
        Ticket { client }
    }

    /// The operation of `ticket` returns `ret` now.
    #[track_caller]
    pub fn respond(&self, ticket: Ticket, ret: S::Ret) {
        let site = Location::caller();
        self.rt.note(Op::on(
            "linearizability.respond",
            self.object,
            AccessKind::Release,
            site,
        ));
        self.record(|b| {
            b.respond(ticket.client, ret);
        });
    }

    /// The client of `ticket` gives up on its operation: it stays pending (it may take effect
    /// at any time after its invocation), and the client may invoke its next one. Not an
    /// event: it changes no real-time order, so it is no operation on the recorder's object.
    pub fn abandon(&self, ticket: Ticket) {
        self.record(|b| {
            b.abandon(ticket.client);
        });
    }

    /// The history so far (open operations pending), or the first malformed event.
    pub fn history(&self) -> Result<History<S>, HistoryError> {
        self.builder
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .build()
    }

    /// Checks the history so far against `spec` with the default [`Checker`].
    pub fn check(&self, spec: &S) -> Result<Verdict<S>, HistoryError> {
        Ok(Checker::default().check(spec, &self.history()?))
    }
}
