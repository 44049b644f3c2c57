//! [`JoinSet`]: a set of spawned tasks joined in completion order (`tokio::task::JoinSet`).
//!
//! Protocol:
//!
//! - [`JoinSet::spawn`] starts a named task (as [`Runtime::spawn`] does) and adds it to the
//!   set. When a task exits (returns, panics or is aborted) it appends itself to the set's
//!   completion queue and wakes a waiting [`JoinSet::join_next`].
//! - [`JoinSet::join_next`] removes and returns the earliest-completed task's result, waiting
//!   if none has completed; `None` once the set is empty. [`JoinSet::try_join_next`] does not
//!   wait. A task stays in the set (counted by [`JoinSet::len`]) until it is joined.
//! - [`JoinSet::abort_all`] aborts every task in the set (see [`JoinHandle::abort`]); they
//!   stay in the set and are joined as cancelled [`JoinError`]s, unless they had already
//!   returned. [`JoinSet::shutdown`] aborts all and joins all. Dropping the set aborts every
//!   task still in it (tokio's behaviour), so dropping a set never leaks its tasks.
//!
//! Happens-before edges: a task's exit → the `join_next` that returns it; an abort → the
//! cancelled result (through the task's exit).
//!
//! Operations ([`crate::object`]): a task's exit is also a `join_set.exit`
//! ([`Exit`](AccessKind::Exit)) on the set's object, since it appends to the completion queue
//! `join_next` reads; `abort_all`, `shutdown` and the set's drop abort every task still in the
//! set (an abort of a task that has already exited changes nothing, but it is still an
//! operation on the task's object, so that it conflicts with the exit it raced with).
//!
//! Differences from tokio: `spawn` takes a task name (weft's tasks are named); there is no
//! `spawn_blocking`, `spawn_local` or `detach_all`.

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::future::{poll_fn, Future};
use std::panic::Location;
use std::sync::Arc;
use std::task::{Poll, Waker};

use super::{abort_op, spawn_with, AbortHandle, JoinError, JoinHandle};
use crate::object::{AccessKind, ObjectId};
use crate::runtime::{Op, RawLock, Runtime};

/// Tasks that have exited and not yet been joined, in exit order.
#[derive(Default)]
struct Completed {
    queue: VecDeque<u64>,
    waker: Option<Waker>,
}

/// A set of tasks; see the module documentation.
pub struct JoinSet<R: Runtime, T: Send + 'static> {
    rt: R,
    /// The set's completion queue: `join_next` and `try_join_next` touch it.
    object: ObjectId,
    /// Where the set was created: the site of the aborts its drop performs.
    site: &'static Location<'static>,
    // Ordered by spawn, so `abort_all` wakes tasks in a deterministic order.
    tasks: BTreeMap<u64, JoinHandle<R, T>>,
    next_key: u64,
    completed: Arc<R::Lock<Completed>>,
}

impl<R: Runtime, T: Send + 'static> fmt::Debug for JoinSet<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinSet")
            .field("len", &self.tasks.len())
            .finish()
    }
}

impl<R: Runtime, T: Send + 'static> JoinSet<R, T> {
    /// An empty set.
    #[track_caller]
    pub fn new(rt: &R) -> Self {
        JoinSet {
            rt: rt.clone(),
            object: rt.object(),
            site: Location::caller(),
            tasks: BTreeMap::new(),
            next_key: 0,
            completed: Arc::new(R::Lock::new(Completed::default())),
        }
    }

    /// Starts `future` as a task named `name` in this set; the returned handle aborts it.
    #[track_caller]
    pub fn spawn<F>(&mut self, name: &str, future: F) -> AbortHandle<R>
    where
        F: Future<Output = T> + Send + 'static,
    {
        let key = self.next_key;
        self.next_key += 1;
        let completed = self.completed.clone();
        let (rt, exit) = (
            self.rt.clone(),
            Op::on(
                "join_set.exit",
                self.object,
                AccessKind::Exit,
                Location::caller(),
            ),
        );
        let on_exit = Box::new(move || {
            rt.note(exit);
            let waker = completed.with(|c| {
                c.queue.push_back(key);
                c.waker.take()
            });
            if let Some(w) = waker {
                w.wake();
            }
        });
        let handle = spawn_with(&self.rt, name, future, Some(on_exit));
        let abort = handle.abort_handle();
        self.tasks.insert(key, handle);
        abort
    }

    /// How many tasks are in the set (running, or finished and not yet joined).
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    /// Whether the set has no tasks.
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// Waits for the next task to finish and returns its result; `None` if the set is empty.
    /// A scheduling point; cancel-safe (a task is removed only when its result is returned).
    #[track_caller]
    pub fn join_next(&mut self) -> impl Future<Output = Option<Result<T, JoinError>>> + Send + '_ {
        let op = Op::on(
            "join_set.join_next",
            self.object,
            AccessKind::Join,
            Location::caller(),
        );
        async move {
            self.rt.point(op).await;
            poll_fn(|cx| {
                if self.tasks.is_empty() {
                    return Poll::Ready(None);
                }
                let key = self.completed.with(|c| {
                    let key = c.queue.pop_front();
                    if key.is_none() {
                        c.waker = Some(cx.waker().clone());
                    }
                    key
                });
                match key {
                    Some(key) => Poll::Ready(Some(self.take(key))),
                    None => Poll::Pending,
                }
            })
            .await
        }
    }

    /// The result of a task that has already finished, without waiting; `None` if none has
    /// (or the set is empty).
    #[track_caller]
    pub fn try_join_next(&mut self) -> Option<Result<T, JoinError>> {
        self.rt.note(Op::on(
            "join_set.try_join_next",
            self.object,
            AccessKind::Join,
            Location::caller(),
        ));
        let key = self.completed.with(|c| c.queue.pop_front())?;
        Some(self.take(key))
    }

    /// Removes the finished task `key` and reads its exit (a synchronizing read).
    fn take(&mut self, key: u64) -> Result<T, JoinError> {
        let handle = self
            .tasks
            .remove(&key)
            .expect("a completed task is in its set");
        let waker = std::task::Waker::noop();
        match handle.poll_exit(&mut std::task::Context::from_waker(waker)) {
            Poll::Ready(result) => result,
            Poll::Pending => unreachable!("a task is queued only after its exit is recorded"),
        }
    }

    /// Aborts every task in the set; they stay in it until joined.
    #[track_caller]
    pub fn abort_all(&mut self) {
        self.abort_at(Location::caller());
    }

    fn abort_at(&self, site: &'static Location<'static>) {
        for handle in self.tasks.values() {
            super::abort::request(&self.rt, &handle.abort, abort_op(handle.object, site));
        }
    }

    /// Aborts every task and waits for all of them to finish, discarding their results.
    #[track_caller]
    pub fn shutdown(&mut self) -> impl Future<Output = ()> + Send + '_ {
        let site = Location::caller();
        async move {
            self.abort_at(site);
            while self.join_next().await.is_some() {}
        }
    }
}

impl<R: Runtime, T: Send + 'static> Drop for JoinSet<R, T> {
    fn drop(&mut self) {
        self.abort_at(self.site);
    }
}
