//! An async mutex with FIFO hand-off.
//!
//! Unlocking hands the lock directly to the oldest waiter, so a task that keeps relocking cannot
//! starve the others (tokio's mutex is fair the same way). Unlock happens-before the next lock.

use std::cell::UnsafeCell;
use std::fmt;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::waitlist::{HandOff, Signal, WaitList};
use crate::object::{AccessKind, ObjectId};
use crate::runtime::{Op, RawLock, Runtime};

struct State<R: Runtime> {
    locked: bool,
    waiters: WaitList,
    clock: R::Clock,
}

/// An async mutual-exclusion lock protecting a `T`.
pub struct Mutex<R: Runtime, T> {
    rt: R,
    object: ObjectId,
    state: R::Lock<State<R>>,
    data: UnsafeCell<T>,
}

// SAFETY: the lock protocol gives one guard at a time exclusive access to `data`.
unsafe impl<R: Runtime, T: Send> Send for Mutex<R, T> {}
// SAFETY: as above; `&Mutex` only hands out `&T`/`&mut T` through a guard.
unsafe impl<R: Runtime, T: Send> Sync for Mutex<R, T> {}

impl<R: Runtime, T> fmt::Debug for Mutex<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mutex").finish_non_exhaustive()
    }
}

impl<R: Runtime, T: Send> Mutex<R, T> {
    /// Creates an unlocked mutex holding `value`.
    pub fn new(rt: &R, value: T) -> Self {
        Mutex {
            rt: rt.clone(),
            object: rt.object(),
            state: R::Lock::new(State {
                locked: false,
                waiters: WaitList::default(),
                clock: R::Clock::default(),
            }),
            data: UnsafeCell::new(value),
        }
    }

    /// Locks the mutex, waiting in FIFO order. A scheduling point.
    #[track_caller]
    pub fn lock(&self) -> impl Future<Output = MutexGuard<'_, R, T>> + Send {
        let op = Op::on(
            "mutex.lock",
            self.object,
            AccessKind::Acquire,
            Location::caller(),
        );
        async move {
            self.rt.point(op).await;
            Acquire {
                mutex: self,
                site: op.site,
                id: None,
                done: false,
            }
            .await
        }
    }

    /// Locks the mutex if it is free right now.
    #[track_caller]
    pub fn try_lock(&self) -> Option<MutexGuard<'_, R, T>> {
        let site = Location::caller();
        self.rt.note(Op::on(
            "mutex.try_lock",
            self.object,
            AccessKind::Acquire,
            site,
        ));
        self.state
            .with(|s| {
                if s.locked {
                    false
                } else {
                    s.locked = true;
                    self.rt.acquire(&s.clock);
                    true
                }
            })
            .then(|| MutexGuard { mutex: self, site })
    }

    /// Consumes the mutex and returns the value.
    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }

    /// The guard locked at `site` is dropped: an [`AccessKind::Release`] of the mutex (it
    /// commutes with nothing but other releases, and two unlocks are never both enabled).
    fn unlock(&self, site: &'static Location<'static>) {
        self.rt.note(Op::on(
            "mutex.unlock",
            self.object,
            AccessKind::Release,
            site,
        ));
        self.state
            .with(|s| {
                let handoff = s.waiters.pass_on();
                self.let_go(s, handoff)
            })
            .wake();
    }

    /// The lock is let go (unlocked, or handed to a waiter that gave up): `handoff` says
    /// where it went. Hands it to the next waiter (`locked` stays true for it), or unlocks.
    fn let_go(&self, s: &mut State<R>, handoff: HandOff) -> HandOff {
        if !matches!(handoff, HandOff::Nothing) {
            self.rt.release(&mut s.clock);
        }
        if matches!(handoff, HandOff::Unclaimed) {
            s.locked = false;
        }
        handoff
    }
}

struct Acquire<'a, R: Runtime, T: Send> {
    mutex: &'a Mutex<R, T>,
    /// Where `lock` was called: the site of the guard's unlock and of a give-up.
    site: &'static Location<'static>,
    id: Option<u64>,
    done: bool,
}

impl<'a, R: Runtime, T: Send> Future for Acquire<'a, R, T> {
    type Output = MutexGuard<'a, R, T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let mutex = this.mutex;
        let got = mutex.state.with(|s| {
            if s.waiters.take_signal(this.id) != Signal::None {
                // Handed off by the previous holder: `locked` stayed true for us.
            } else if !s.locked {
                s.locked = true;
            } else {
                s.waiters.register(&mut this.id, cx.waker());
                return false;
            }
            mutex.rt.acquire(&s.clock);
            true
        });
        if got {
            this.done = true;
            Poll::Ready(MutexGuard {
                mutex,
                site: this.site,
            })
        } else {
            Poll::Pending
        }
    }
}

impl<R: Runtime, T: Send> Drop for Acquire<'_, R, T> {
    fn drop(&mut self) {
        if self.done || self.id.is_none() {
            return;
        }
        // We may have been handed the lock and given up waiting: the wait list passes it on.
        // Leaving the queue (with or without the lock) is a release: it commutes with an
        // unlock (either order, the lock ends with the same waiter) and not with a lock.
        let mutex = self.mutex;
        mutex.rt.note(Op::on(
            "mutex.give_up",
            mutex.object,
            AccessKind::Release,
            self.site,
        ));
        mutex
            .state
            .with(|s| {
                let handoff = s.waiters.give_up(self.id);
                mutex.let_go(s, handoff)
            })
            .wake();
    }
}

/// Exclusive access to the value; unlocks when dropped.
pub struct MutexGuard<'a, R: Runtime, T: Send> {
    mutex: &'a Mutex<R, T>,
    /// Where the lock was taken: the site of the unlock this guard's drop performs.
    site: &'static Location<'static>,
}

impl<R: Runtime, T: Send> Deref for MutexGuard<'_, R, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard is the unique holder of the lock.
        unsafe { &*self.mutex.data.get() }
    }
}

impl<R: Runtime, T: Send> DerefMut for MutexGuard<'_, R, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard is the unique holder of the lock.
        unsafe { &mut *self.mutex.data.get() }
    }
}

impl<R: Runtime, T: Send> Drop for MutexGuard<'_, R, T> {
    fn drop(&mut self) {
        self.mutex.unlock(self.site);
    }
}

impl<R: Runtime, T: Send + fmt::Debug> fmt::Debug for MutexGuard<'_, R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}
