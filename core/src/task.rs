//! Spawning tasks and joining them.
//!
//! [`Runtime::spawn`](crate::Runtime::spawn) wraps the task body so that its exit (normal or by
//! panic) is recorded in a slot the [`JoinHandle`] reads. The exit releases the task's causal
//! history; a join acquires it, so everything the task did happens-before the join returns.

use std::fmt;
use std::future::{poll_fn, Future};
use std::panic::Location;
use std::sync::Arc;
use std::task::{Poll, Waker};

use crate::runtime::{Op, RawLock, Runtime};

struct Slot<R: Runtime, T> {
    output: Option<T>,
    state: Exit,
    waker: Option<Waker>,
    clock: R::Clock,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Exit {
    Running,
    Returned,
    Panicked,
}

/// An owned permission to await a spawned task's output. Dropping it detaches the task.
pub struct JoinHandle<R: Runtime, T: Send + 'static> {
    rt: R,
    name: Arc<str>,
    slot: Arc<R::Lock<Slot<R, T>>>,
}

impl<R: Runtime, T: Send + 'static> fmt::Debug for JoinHandle<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("task", &&*self.name)
            .finish()
    }
}

/// Marks the slot when the task body ends, whether it returned or unwound.
struct ExitGuard<R: Runtime, T: Send + 'static> {
    rt: R,
    slot: Arc<R::Lock<Slot<R, T>>>,
}

impl<R: Runtime, T: Send + 'static> ExitGuard<R, T> {
    fn exit(&self, output: Option<T>) {
        let waker = self.slot.with(|s| {
            if s.state != Exit::Running {
                return None;
            }
            s.state = if output.is_some() {
                Exit::Returned
            } else {
                Exit::Panicked
            };
            s.output = output;
            self.rt.release(&mut s.clock);
            s.waker.take()
        });
        if let Some(w) = waker {
            w.wake();
        }
    }
}

impl<R: Runtime, T: Send + 'static> Drop for ExitGuard<R, T> {
    fn drop(&mut self) {
        // Reached with the state still Running only when the body did not return: it panicked,
        // or the runtime dropped it unfinished.
        self.exit(None);
    }
}

#[track_caller]
pub(crate) fn spawn<R, F>(rt: &R, name: &str, future: F) -> JoinHandle<R, F::Output>
where
    R: Runtime,
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    rt.note(Op::new("task.spawn", Location::caller()));
    let slot = Arc::new(R::Lock::new(Slot {
        output: None,
        state: Exit::Running,
        waker: None,
        clock: R::Clock::default(),
    }));
    let guard = ExitGuard {
        rt: rt.clone(),
        slot: slot.clone(),
    };
    rt.spawn_boxed(
        name,
        Box::pin(async move {
            let output = future.await;
            guard.exit(Some(output));
        }),
    );
    JoinHandle {
        rt: rt.clone(),
        name: Arc::from(name),
        slot,
    }
}

impl<R: Runtime, T: Send + 'static> JoinHandle<R, T> {
    /// Waits for the task to finish and returns its output. Everything the task did
    /// happens-before this returns. If the task panicked, this panics too.
    #[track_caller]
    pub fn join(self) -> impl Future<Output = T> + Send + 'static {
        let op = Op::new("task.join", Location::caller());
        async move {
            self.rt.point(op).await;
            let exit = poll_fn(|cx| {
                self.slot.with(|s| match s.state {
                    Exit::Running => {
                        s.waker = Some(cx.waker().clone());
                        Poll::Pending
                    }
                    done => {
                        self.rt.acquire(&s.clock);
                        Poll::Ready((done, s.output.take()))
                    }
                })
            })
            .await;
            match exit {
                (Exit::Returned, Some(v)) => v,
                _ => panic!(
                    "joined task '{}' panicked or was dropped unfinished",
                    self.name
                ),
            }
        }
    }

    /// Whether the task has finished (returned or panicked). Not a synchronizing read.
    pub fn is_finished(&self) -> bool {
        self.slot.with(|s| s.state != Exit::Running)
    }

    /// The name the task was spawned with.
    pub fn name(&self) -> &str {
        &self.name
    }
}
