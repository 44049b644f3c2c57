//! Spawning tasks, joining them, and aborting them.
//!
//! [`Runtime::spawn`](crate::Runtime::spawn) wraps the task body so that its exit (normal, by
//! panic, or by abort) is recorded in a slot the [`JoinHandle`] reads. The exit releases the
//! task's causal history; a join acquires it, so everything the task did happens-before the
//! join returns. [`JoinHandle::abort`] stops a task at its next poll (the abort protocol is
//! below); [`JoinSet`] owns a set of tasks and joins them in completion order.
//!
//! Abort protocol: every body is wrapped so that each poll first checks an abort flag; an
//! abort sets the flag and wakes the task, whose next poll drops the body unpolled and ends
//! the task as cancelled ([`JoinError::is_cancelled`]). A task parked forever is thus woken to
//! be dropped, and under the simulator an aborted task ends and is not a leak. Edge: the
//! abort → the cancelled result.

mod abort;
mod join_set;

pub use join_set::JoinSet;

use std::fmt;
use std::future::{poll_fn, Future};
use std::panic::Location;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use crate::object::{AccessKind, ObjectId};
use crate::runtime::{Op, RawLock, Runtime};
use abort::{Abortable, SharedAbort};

/// Called once, after the task's exit is recorded (a [`JoinSet`]'s completion queue).
type OnExit = Box<dyn FnOnce() + Send>;

struct Slot<R: Runtime, T> {
    output: Option<T>,
    state: Exit,
    waker: Option<Waker>,
    clock: R::Clock,
    on_exit: Option<OnExit>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Exit {
    Running,
    Returned,
    Panicked,
    Cancelled,
}

/// Why a task produced no output: it was aborted, or it panicked (or the runtime dropped it
/// unfinished).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JoinError {
    task: Arc<str>,
    cancelled: bool,
}

impl JoinError {
    /// Whether the task was aborted.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled
    }

    /// Whether the task panicked (or was dropped unfinished by the runtime).
    pub fn is_panic(&self) -> bool {
        !self.cancelled
    }

    /// The name the task was spawned with.
    pub fn task(&self) -> &str {
        &self.task
    }
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.cancelled {
            write!(f, "task '{}' was cancelled", self.task)
        } else {
            write!(f, "task '{}' panicked or was dropped unfinished", self.task)
        }
    }
}

impl std::error::Error for JoinError {}

/// An owned permission to await a spawned task's output. Dropping it detaches the task.
pub struct JoinHandle<R: Runtime, T: Send + 'static> {
    rt: R,
    /// The task's object: spawn, join and abort touch it.
    object: ObjectId,
    name: Arc<str>,
    slot: Arc<R::Lock<Slot<R, T>>>,
    abort: SharedAbort<R>,
}

impl<R: Runtime, T: Send + 'static> fmt::Debug for JoinHandle<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("task", &&*self.name)
            .finish()
    }
}

/// Aborts a task without owning its output (`tokio::task::AbortHandle`); cheap to clone and
/// to send to another task. See [`JoinHandle::abort`].
pub struct AbortHandle<R: Runtime> {
    rt: R,
    object: ObjectId,
    name: Arc<str>,
    cell: SharedAbort<R>,
}

impl<R: Runtime> Clone for AbortHandle<R> {
    fn clone(&self) -> Self {
        AbortHandle {
            rt: self.rt.clone(),
            object: self.object,
            name: self.name.clone(),
            cell: self.cell.clone(),
        }
    }
}

impl<R: Runtime> fmt::Debug for AbortHandle<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AbortHandle")
            .field("task", &&*self.name)
            .finish()
    }
}

impl<R: Runtime> AbortHandle<R> {
    /// As [`JoinHandle::abort`]: the task stops at its next poll. The abort happens-before
    /// the cancelled result.
    #[track_caller]
    pub fn abort(&self) {
        let op = abort_op(self.object, Location::caller());
        abort::request(&self.rt, &self.cell, op);
    }

    /// The name the task was spawned with.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The task's object (its spawn, joins and aborts touch it).
    pub fn object(&self) -> ObjectId {
        self.object
    }
}

/// Marks the slot when the task body ends, whether it returned, was aborted or unwound.
struct ExitGuard<R: Runtime, T: Send + 'static> {
    rt: R,
    /// The task's object: its exit is an [`AccessKind::Exit`] on it.
    object: ObjectId,
    /// Where the task was spawned: the site of its exit (which happens in weft's wrapper, or
    /// in a destructor, where no caller of the model's is at hand).
    site: &'static Location<'static>,
    slot: Arc<R::Lock<Slot<R, T>>>,
}

impl<R: Runtime, T: Send + 'static> ExitGuard<R, T> {
    fn exit(&self, state: Exit, output: Option<T>) {
        let site = self.site;
        let (waker, on_exit) = self.slot.with(|s| {
            if s.state != Exit::Running {
                return (None, None);
            }
            self.rt
                .note(Op::on("task.exit", self.object, AccessKind::Exit, site));
            s.state = state;
            s.output = output;
            self.rt.release(&mut s.clock);
            (s.waker.take(), s.on_exit.take())
        });
        if let Some(w) = waker {
            w.wake();
        }
        if let Some(f) = on_exit {
            f();
        }
    }
}

impl<R: Runtime, T: Send + 'static> Drop for ExitGuard<R, T> {
    fn drop(&mut self) {
        // Reached with the state still Running only when the body did not return: it panicked,
        // or the runtime dropped it unfinished.
        self.exit(Exit::Panicked, None);
    }
}

#[track_caller]
pub(crate) fn spawn<R, F>(rt: &R, name: &str, future: F) -> JoinHandle<R, F::Output>
where
    R: Runtime,
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    spawn_with(rt, name, future, None)
}

/// [`spawn`], with a hook run once after the task's exit is recorded.
#[track_caller]
fn spawn_with<R, F>(
    rt: &R,
    name: &str,
    future: F,
    on_exit: Option<OnExit>,
) -> JoinHandle<R, F::Output>
where
    R: Runtime,
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let object = rt.object();
    rt.note(Op::on(
        "task.spawn",
        object,
        AccessKind::Spawn,
        Location::caller(),
    ));
    let slot = Arc::new(R::Lock::new(Slot {
        output: None,
        state: Exit::Running,
        waker: None,
        clock: R::Clock::default(),
        on_exit,
    }));
    let abort = abort::new_cell::<R>();
    let guard = ExitGuard {
        rt: rt.clone(),
        object,
        site: Location::caller(),
        slot: slot.clone(),
    };
    let body = Abortable {
        rt: rt.clone(),
        cell: abort.clone(),
        body: Some(Box::pin(future)),
    };
    rt.spawn_boxed(
        name,
        Box::pin(async move {
            match body.await {
                Some(output) => guard.exit(Exit::Returned, Some(output)),
                None => guard.exit(Exit::Cancelled, None),
            }
        }),
    );
    JoinHandle {
        rt: rt.clone(),
        object,
        name: Arc::from(name),
        slot,
        abort,
    }
}

impl<R: Runtime, T: Send + 'static> JoinHandle<R, T> {
    /// Waits for the task to finish and returns its output. Everything the task did
    /// happens-before this returns. If the task panicked or was aborted, this panics too (use
    /// [`JoinHandle::try_join`] to get a [`JoinError`] instead).
    #[track_caller]
    pub fn join(self) -> impl Future<Output = T> + Send + 'static {
        let op = Op::on(
            "task.join",
            self.object,
            AccessKind::Join,
            Location::caller(),
        );
        async move {
            self.rt.point(op).await;
            match poll_fn(|cx| self.poll_exit(cx)).await {
                Ok(v) => v,
                Err(e) => panic!("joined {e}"),
            }
        }
    }

    /// Waits for the task to finish; its output, or why there is none. Everything the task
    /// did happens-before this returns.
    #[track_caller]
    pub fn try_join(self) -> impl Future<Output = Result<T, JoinError>> + Send + 'static {
        let op = Op::on(
            "task.join",
            self.object,
            AccessKind::Join,
            Location::caller(),
        );
        async move {
            self.rt.point(op).await;
            poll_fn(|cx| self.poll_exit(cx)).await
        }
    }

    /// The exit, once recorded (a synchronizing read); registers `cx` otherwise.
    fn poll_exit(&self, cx: &mut Context<'_>) -> Poll<Result<T, JoinError>> {
        self.slot.with(|s| {
            let cancelled = match s.state {
                Exit::Running => {
                    s.waker = Some(cx.waker().clone());
                    return Poll::Pending;
                }
                Exit::Returned => match s.output.take() {
                    Some(v) => {
                        self.rt.acquire(&s.clock);
                        return Poll::Ready(Ok(v));
                    }
                    None => false,
                },
                Exit::Panicked => false,
                Exit::Cancelled => true,
            };
            self.rt.acquire(&s.clock);
            Poll::Ready(Err(JoinError {
                task: self.name.clone(),
                cancelled,
            }))
        })
    }

    /// Stops the task at its next poll: its body is dropped unpolled and joining it reports
    /// a cancelled [`JoinError`]. No effect on a task that has already returned. A task
    /// parked forever is woken to be dropped. The abort happens-before the cancelled result.
    #[track_caller]
    pub fn abort(&self) {
        let op = abort_op(self.object, Location::caller());
        abort::request(&self.rt, &self.abort, op);
    }

    /// A handle that can abort the task without owning its output.
    pub fn abort_handle(&self) -> AbortHandle<R> {
        AbortHandle {
            rt: self.rt.clone(),
            object: self.object,
            name: self.name.clone(),
            cell: self.abort.clone(),
        }
    }

    /// Whether the task has finished (returned, panicked or been aborted). Not a
    /// synchronizing read, but a read of the task's object (it conflicts with the exit).
    #[track_caller]
    pub fn is_finished(&self) -> bool {
        self.rt.note(Op::on(
            "task.is_finished",
            self.object,
            AccessKind::Read,
            Location::caller(),
        ));
        self.slot.with(|s| s.state != Exit::Running)
    }

    /// The name the task was spawned with.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The task's object (its spawn, joins and aborts touch it).
    pub fn object(&self) -> ObjectId {
        self.object
    }
}

/// An abort of the task `object`, called at `site`.
fn abort_op(object: ObjectId, site: &'static Location<'static>) -> Op {
    Op::on("task.abort", object, AccessKind::Abort, site)
}
