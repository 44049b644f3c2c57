//! A counting semaphore with `tokio::sync::Semaphore`'s semantics.
//!
//! - [`Semaphore::acquire`] and [`Semaphore::acquire_many`] wait in one FIFO queue. tokio's
//!   semaphore is fair: a request for `n` permits at the head of the queue collects released
//!   permits until it has `n`, and later requests, however small, wait behind it. A request
//!   takes the free permits at once if there are enough (none are free while anyone waits).
//! - [`Semaphore::try_acquire`] and [`Semaphore::try_acquire_many`] take permits only if that
//!   many are free now.
//! - A [`SemaphorePermit`] returns its permits when dropped, unless [`SemaphorePermit::forget`]
//!   is called. [`Semaphore::add_permits`] adds permits (more than
//!   [`Semaphore::MAX_PERMITS`] in total is a contract violation, as tokio panics).
//! - [`Semaphore::close`] fails every waiting acquire and every later one with
//!   [`AcquireError`] ([`TryAcquireError::Closed`] for the non-blocking forms); permits still
//!   held stay valid and are returned as usual.
//! - Happens-before: every release of permits (permit drop, `add_permits`, `close`)
//!   happens-before every later acquire that succeeds or fails on closed. One clock per
//!   semaphore, as tokio's permit counter is one atomic: a permit's release is ordered before
//!   any later acquire, whichever permits that acquire gets.
//!
//! An acquire is a scheduling point and a [`select`](crate::sync::select2) arm
//! ([`Semaphore::acquire_many_arm`]); a losing arm gives back what it was granted.

use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::task::{Context, Poll};

use super::batch::{Permits, Polled};
use super::select::{Arm, ArmFuture};
use super::waitlist::wake_all;
use crate::error::{AcquireError, FailureKind, TryAcquireError};
use crate::fault::Fault;
use crate::object::{AccessKind, ObjectId};
use crate::runtime::{Op, RawLock, Runtime};

struct State<R: Runtime> {
    permits: Permits,
    clock: R::Clock,
}

/// A counting semaphore; see the module documentation.
pub struct Semaphore<R: Runtime> {
    rt: R,
    object: ObjectId,
    state: R::Lock<State<R>>,
}

impl<R: Runtime> fmt::Debug for Semaphore<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Semaphore")
            .field("available_permits", &self.state.with(|s| s.permits.free()))
            .finish_non_exhaustive()
    }
}

impl<R: Runtime> Semaphore<R> {
    /// The most permits a semaphore can hold (tokio's `Semaphore::MAX_PERMITS`).
    pub const MAX_PERMITS: usize = usize::MAX >> 3;

    /// A semaphore with `permits` permits. More than [`Semaphore::MAX_PERMITS`] is a contract
    /// violation.
    #[track_caller]
    pub fn new(rt: &R, permits: usize) -> Self {
        if permits > Self::MAX_PERMITS {
            rt.fail(Fault::new(
                FailureKind::ContractViolation,
                format!(
                    "Semaphore::new({permits}) at {}: more than MAX_PERMITS ({})",
                    Location::caller(),
                    Self::MAX_PERMITS
                ),
            ));
        }
        Semaphore {
            rt: rt.clone(),
            object: rt.object(),
            state: R::Lock::new(State {
                permits: Permits::new(permits),
                clock: R::Clock::default(),
            }),
        }
    }

    /// Permits free now (not held and not collected by a waiter). Reads the semaphore.
    #[track_caller]
    pub fn available_permits(&self) -> usize {
        self.rt.note(Op::on(
            "semaphore.available_permits",
            self.object,
            AccessKind::Read,
            Location::caller(),
        ));
        self.state.with(|s| s.permits.free())
    }

    /// Whether [`Semaphore::close`] was called. Reads the semaphore.
    #[track_caller]
    pub fn is_closed(&self) -> bool {
        self.rt.note(Op::on(
            "semaphore.is_closed",
            self.object,
            AccessKind::Read,
            Location::caller(),
        ));
        self.state.with(|s| s.permits.is_closed())
    }

    /// Adds `n` permits, handing them to waiters first.
    #[track_caller]
    pub fn add_permits(&self, n: usize) {
        let site = Location::caller();
        self.rt.note(Op::on(
            "semaphore.add_permits",
            self.object,
            AccessKind::Release,
            site,
        ));
        let free = self.state.with(|s| s.permits.free());
        if free.saturating_add(n) > Self::MAX_PERMITS {
            self.rt.fail(Fault::new(
                FailureKind::ContractViolation,
                format!(
                    "Semaphore::add_permits({n}) at {site}: more than MAX_PERMITS ({})",
                    Self::MAX_PERMITS
                ),
            ));
        }
        self.release(n);
    }

    fn release(&self, n: usize) {
        let wakers = self.state.with(|s| {
            self.rt.release(&mut s.clock);
            s.permits.release(n)
        });
        wake_all(wakers);
    }

    /// Closes the semaphore; see the module documentation.
    #[track_caller]
    pub fn close(&self) {
        self.rt.note(Op::on(
            "semaphore.close",
            self.object,
            AccessKind::Close,
            Location::caller(),
        ));
        let wakers = self.state.with(|s| {
            self.rt.release(&mut s.clock);
            s.permits.close()
        });
        wake_all(wakers);
    }

    /// Waits for one permit, FIFO. A scheduling point.
    #[track_caller]
    pub fn acquire(
        &self,
    ) -> impl Future<Output = Result<SemaphorePermit<'_, R>, AcquireError>> + Send + '_ {
        self.acquire_at(1, self.op("semaphore.acquire", Location::caller()))
    }

    /// Waits for `n` permits, FIFO: while it waits at the head, smaller later requests wait
    /// behind it. A scheduling point.
    #[track_caller]
    pub fn acquire_many(
        &self,
        n: u32,
    ) -> impl Future<Output = Result<SemaphorePermit<'_, R>, AcquireError>> + Send + '_ {
        self.acquire_at(n, self.op("semaphore.acquire_many", Location::caller()))
    }

    async fn acquire_at(&self, n: u32, op: Op) -> Result<SemaphorePermit<'_, R>, AcquireError> {
        self.rt.point(op).await;
        ArmFuture(Some(self.arm_at(n, op.site))).await
    }

    /// [`Semaphore::acquire_many`] as a [`select`](crate::sync::select2) arm.
    #[track_caller]
    pub fn acquire_many_arm(&self, n: u32) -> Acquire<'_, R> {
        self.arm_at(n, Location::caller())
    }

    fn arm_at(&self, n: u32, site: &'static Location<'static>) -> Acquire<'_, R> {
        Acquire {
            sem: self,
            site,
            n,
            id: None,
            reserved: None,
        }
    }

    /// Takes one permit if one is free now.
    #[track_caller]
    pub fn try_acquire(&self) -> Result<SemaphorePermit<'_, R>, TryAcquireError> {
        self.try_at(1, self.op("semaphore.try_acquire", Location::caller()))
    }

    /// Takes `n` permits if that many are free now.
    #[track_caller]
    pub fn try_acquire_many(&self, n: u32) -> Result<SemaphorePermit<'_, R>, TryAcquireError> {
        self.try_at(n, self.op("semaphore.try_acquire_many", Location::caller()))
    }

    /// An acquire (of any form) of this semaphore's permits.
    fn op(&self, name: &'static str, site: &'static Location<'static>) -> Op {
        Op::on(name, self.object, AccessKind::Acquire, site)
    }

    /// Gives `n` permits back (a permit's drop, or an acquire that gave up): an
    /// [`AccessKind::Release`], which commutes with other releases (permits add up).
    fn give_back(&self, name: &'static str, n: usize, site: &'static Location<'static>) {
        self.rt
            .note(Op::on(name, self.object, AccessKind::Release, site));
        self.release(n);
    }

    fn try_at(&self, n: u32, op: Op) -> Result<SemaphorePermit<'_, R>, TryAcquireError> {
        self.rt.note(op);
        self.state.with(|s| {
            if s.permits.is_closed() {
                return Err(TryAcquireError::Closed);
            }
            if !s.permits.try_take(n) {
                return Err(TryAcquireError::NoPermits);
            }
            self.rt.acquire(&s.clock);
            Ok(SemaphorePermit {
                sem: self,
                permits: n,
                site: op.site,
            })
        })
    }
}

/// A wait for permits; an [`Arm`].
pub struct Acquire<'a, R: Runtime> {
    sem: &'a Semaphore<R>,
    /// Where the permits were asked for: the site of their release or of a give-up.
    site: &'static Location<'static>,
    n: u32,
    id: Option<u64>,
    /// Set once the wait is decided: granted (`Ok`) or closed.
    reserved: Option<Result<(), AcquireError>>,
}

impl<R: Runtime> fmt::Debug for Acquire<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Acquire")
            .field("n", &self.n)
            .field("reserved", &self.reserved)
            .finish()
    }
}

impl<'a, R: Runtime> Arm for Acquire<'a, R> {
    type Output = Result<SemaphorePermit<'a, R>, AcquireError>;

    fn poll_arm(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.reserved.is_some() {
            return Poll::Ready(());
        }
        let (n, id) = (self.n, &mut self.id);
        let polled = self.sem.state.with(|s| s.permits.poll(id, n, cx.waker()));
        self.reserved = match polled {
            Polled::Granted => Some(Ok(())),
            Polled::Closed => Some(Err(AcquireError)),
            Polled::Waiting => return Poll::Pending,
        };
        self.id = None;
        Poll::Ready(())
    }

    fn take(&mut self) -> Self::Output {
        let reserved = self.reserved.take().expect("Acquire::take before ready");
        let sem = self.sem;
        sem.state.with(|s| sem.rt.acquire(&s.clock));
        reserved.map(|()| SemaphorePermit {
            sem,
            permits: self.n,
            site: self.site,
        })
    }
}

impl<R: Runtime> Drop for Acquire<'_, R> {
    fn drop(&mut self) {
        match self.reserved {
            // Granted but never taken (a losing select arm): give the permits back.
            Some(Ok(())) => self
                .sem
                .give_back("semaphore.give_up", self.n as usize, self.site),
            Some(Err(_)) => {}
            None if self.id.is_some() => {
                // Leaving the queue returns what it collected to the head: a release.
                let (sem, id, n) = (self.sem, self.id, self.n);
                sem.rt.note(Op::on(
                    "semaphore.give_up",
                    sem.object,
                    AccessKind::Release,
                    self.site,
                ));
                let wakers = sem.state.with(|s| s.permits.cancel(id, n));
                wake_all(wakers);
            }
            None => {}
        }
    }
}

/// Permits taken from a [`Semaphore`]; returned when dropped.
pub struct SemaphorePermit<'a, R: Runtime> {
    sem: &'a Semaphore<R>,
    permits: u32,
    /// Where the permits were acquired: the site of the release this permit's drop performs.
    site: &'static Location<'static>,
}

impl<R: Runtime> SemaphorePermit<'_, R> {
    /// How many permits this holds.
    pub fn num_permits(&self) -> usize {
        self.permits as usize
    }

    /// Drops the permit without returning its permits to the semaphore. Not an operation:
    /// the semaphore's state does not change.
    pub fn forget(mut self) {
        self.permits = 0;
    }
}

impl<R: Runtime> fmt::Debug for SemaphorePermit<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SemaphorePermit")
            .field("permits", &self.permits)
            .finish()
    }
}

impl<R: Runtime> Drop for SemaphorePermit<'_, R> {
    fn drop(&mut self) {
        if self.permits > 0 {
            self.sem
                .give_back("semaphore.release", self.permits as usize, self.site);
        }
    }
}
