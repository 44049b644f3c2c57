//! A reader-writer lock with `tokio::sync::RwLock`'s fairness.
//!
//! - Built, like tokio's, on a fair batch-permit queue holding `max_readers` permits: a read
//!   lock takes one permit, a write lock takes all of them. So the lock is FIFO and
//!   write-preferring: once a writer waits, readers that come later queue behind it, even while
//!   the lock is read-held, and a writer never starves.
//! - [`RwLock::try_read`] and [`RwLock::try_write`] succeed only if the lock is free for them
//!   now (never past a waiting writer); otherwise they return [`TryLockError`].
//! - At most `max_readers` read guards at once ([`RwLock::MAX_READS`] by default, as tokio's);
//!   [`RwLock::with_max_readers`] above that, or 0, is a contract violation (tokio panics).
//! - Happens-before, as Go's race detector orders `sync.RWMutex`: a write unlock
//!   happens-before every later lock (read or write); a read unlock happens-before every later
//!   *write* lock. A read unlock does not happen-before a later read lock: tokio's permit
//!   counter would order them, but readers must not write, so weft keeps them unordered and a
//!   write made under a read lock races with the next reader's access, as a checker should
//!   report.
//!
//! [`RwLock::read`] and [`RwLock::write`] are scheduling points, and [`select`](crate::sync::select2)
//! arms ([`RwLock::read_arm`], [`RwLock::write_arm`]); a losing arm unlocks what it was granted.

use std::cell::UnsafeCell;
use std::fmt;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::panic::Location;
use std::task::{Context, Poll};

use super::batch::{Permits, Polled};
use super::select::{Arm, ArmFuture};
use super::waitlist::wake_all;
use crate::error::{FailureKind, TryLockError};
use crate::fault::Fault;
use crate::object::{AccessKind, ObjectId};
use crate::runtime::{Op, RawLock, Runtime};

struct State<R: Runtime> {
    permits: Permits,
    /// Write unlocks release here; every lock acquires it.
    write_clock: R::Clock,
    /// Read unlocks release here; write locks acquire it.
    read_clock: R::Clock,
}

/// An async reader-writer lock protecting a `T`; see the module documentation.
pub struct RwLock<R: Runtime, T> {
    rt: R,
    object: ObjectId,
    max_readers: u32,
    state: R::Lock<State<R>>,
    data: UnsafeCell<T>,
}

// SAFETY: the permit protocol gives either one writer or up to `max_readers` readers access.
unsafe impl<R: Runtime, T: Send> Send for RwLock<R, T> {}
// SAFETY: as above; readers share `&T`, so `T: Sync` is needed for concurrent reads.
unsafe impl<R: Runtime, T: Send + Sync> Sync for RwLock<R, T> {}

impl<R: Runtime, T> fmt::Debug for RwLock<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RwLock").finish_non_exhaustive()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Read,
    Write,
}

impl<R: Runtime, T: Send + Sync> RwLock<R, T> {
    /// The default and largest number of concurrent readers (tokio's `MAX_READS`).
    pub const MAX_READS: u32 = u32::MAX >> 3;

    /// An unlocked lock holding `value`, allowing [`RwLock::MAX_READS`] readers.
    #[track_caller]
    pub fn new(rt: &R, value: T) -> Self {
        Self::with_max_readers(rt, value, Self::MAX_READS)
    }

    /// An unlocked lock holding `value`, allowing `max_readers` concurrent readers
    /// (`1..=MAX_READS`).
    #[track_caller]
    pub fn with_max_readers(rt: &R, value: T, max_readers: u32) -> Self {
        if max_readers == 0 || max_readers > Self::MAX_READS {
            rt.fail(Fault::new(
                FailureKind::ContractViolation,
                format!(
                    "RwLock::with_max_readers({max_readers}) at {}: must be in 1..={}",
                    Location::caller(),
                    Self::MAX_READS
                ),
            ));
        }
        RwLock {
            rt: rt.clone(),
            object: rt.object(),
            max_readers,
            state: R::Lock::new(State {
                permits: Permits::new(max_readers as usize),
                write_clock: R::Clock::default(),
                read_clock: R::Clock::default(),
            }),
            data: UnsafeCell::new(value),
        }
    }

    /// Locks for reading, FIFO behind any waiting writer. A scheduling point.
    #[track_caller]
    pub fn read(&self) -> impl Future<Output = RwLockReadGuard<'_, R, T>> + Send {
        let op = self.op("rwlock.read", Kind::Read, Location::caller());
        async move {
            self.rt.point(op).await;
            ArmFuture(Some(ReadArm(self.lock_wait(Kind::Read, op.site)))).await
        }
    }

    /// Locks for writing, FIFO. A scheduling point.
    #[track_caller]
    pub fn write(&self) -> impl Future<Output = RwLockWriteGuard<'_, R, T>> + Send {
        let op = self.op("rwlock.write", Kind::Write, Location::caller());
        async move {
            self.rt.point(op).await;
            ArmFuture(Some(WriteArm(self.lock_wait(Kind::Write, op.site)))).await
        }
    }

    /// Locks for reading if no writer holds or waits for the lock now.
    #[track_caller]
    pub fn try_read(&self) -> Result<RwLockReadGuard<'_, R, T>, TryLockError> {
        let site = Location::caller();
        self.rt.note(self.op("rwlock.try_read", Kind::Read, site));
        self.try_lock(Kind::Read)
            .then(|| RwLockReadGuard { lock: self, site })
            .ok_or(TryLockError)
    }

    /// Locks for writing if nobody holds or waits for the lock now.
    #[track_caller]
    pub fn try_write(&self) -> Result<RwLockWriteGuard<'_, R, T>, TryLockError> {
        let site = Location::caller();
        self.rt.note(self.op("rwlock.try_write", Kind::Write, site));
        self.try_lock(Kind::Write)
            .then(|| RwLockWriteGuard { lock: self, site })
            .ok_or(TryLockError)
    }

    /// Consumes the lock and returns the value.
    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }

    /// The value, through exclusive access to the lock (no locking needed).
    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }

    /// A lock (of any form) of `kind`. Read locks commute with each other only while the
    /// reader limit is the default: with a small one, readers compete for permits.
    fn op(&self, name: &'static str, kind: Kind, site: &'static Location<'static>) -> Op {
        let access = match kind {
            Kind::Read if self.max_readers == Self::MAX_READS => AccessKind::AcquireShared,
            Kind::Read | Kind::Write => AccessKind::Acquire,
        };
        Op::on(name, self.object, access, site)
    }

    /// An unlock (or a give-up) of `kind`: the release matching [`RwLock::op`]'s acquire. A
    /// read unlock with the default reader limit is shared (it commutes with read locks);
    /// every other unlock is a [`AccessKind::Release`], which commutes only with releases.
    fn release_op(&self, name: &'static str, kind: Kind, site: &'static Location<'static>) -> Op {
        let access = match kind {
            Kind::Read if self.max_readers == Self::MAX_READS => AccessKind::ReleaseShared,
            Kind::Read | Kind::Write => AccessKind::Release,
        };
        Op::on(name, self.object, access, site)
    }

    fn permits(&self, kind: Kind) -> u32 {
        match kind {
            Kind::Read => 1,
            Kind::Write => self.max_readers,
        }
    }

    fn try_lock(&self, kind: Kind) -> bool {
        let n = self.permits(kind);
        self.state.with(|s| {
            let got = s.permits.try_take(n);
            if got {
                self.acquired(s, kind);
            }
            got
        })
    }

    fn acquired(&self, s: &State<R>, kind: Kind) {
        self.rt.acquire(&s.write_clock);
        if kind == Kind::Write {
            self.rt.acquire(&s.read_clock);
        }
    }

    /// [`RwLock::read`] as a [`select`](crate::sync::select2) arm.
    #[track_caller]
    pub fn read_arm(&self) -> ReadArm<'_, R, T> {
        ReadArm(self.lock_wait(Kind::Read, Location::caller()))
    }

    /// [`RwLock::write`] as a [`select`](crate::sync::select2) arm.
    #[track_caller]
    pub fn write_arm(&self) -> WriteArm<'_, R, T> {
        WriteArm(self.lock_wait(Kind::Write, Location::caller()))
    }

    fn lock_wait(&self, kind: Kind, site: &'static Location<'static>) -> LockWait<'_, R, T> {
        LockWait {
            lock: self,
            kind,
            site,
            id: None,
            granted: false,
            taken: false,
        }
    }

    /// Gives back the lock of `kind` taken at `site` (a guard's drop, or a granted arm that
    /// lost its select).
    fn unlock(&self, kind: Kind, site: &'static Location<'static>) {
        self.rt.note(self.release_op("rwlock.unlock", kind, site));
        let wakers = self.state.with(|s| {
            match kind {
                Kind::Read => self.rt.release(&mut s.read_clock),
                Kind::Write => self.rt.release(&mut s.write_clock),
            }
            s.permits.release(self.permits(kind) as usize)
        });
        wake_all(wakers);
    }
}

/// A wait for the read lock; an [`Arm`].
pub struct ReadArm<'a, R: Runtime, T: Send + Sync>(LockWait<'a, R, T>);

/// A wait for the write lock; an [`Arm`].
pub struct WriteArm<'a, R: Runtime, T: Send + Sync>(LockWait<'a, R, T>);

impl<R: Runtime, T: Send + Sync> fmt::Debug for ReadArm<'_, R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadArm")
            .field("granted", &self.0.granted)
            .finish()
    }
}

impl<R: Runtime, T: Send + Sync> fmt::Debug for WriteArm<'_, R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WriteArm")
            .field("granted", &self.0.granted)
            .finish()
    }
}

impl<'a, R: Runtime, T: Send + Sync> Arm for ReadArm<'a, R, T> {
    type Output = RwLockReadGuard<'a, R, T>;
    fn poll_arm(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        self.0.poll_arm(cx)
    }
    fn take(&mut self) -> Self::Output {
        RwLockReadGuard {
            lock: self.0.take(),
            site: self.0.site,
        }
    }
}

impl<'a, R: Runtime, T: Send + Sync> Arm for WriteArm<'a, R, T> {
    type Output = RwLockWriteGuard<'a, R, T>;
    fn poll_arm(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        self.0.poll_arm(cx)
    }
    fn take(&mut self) -> Self::Output {
        RwLockWriteGuard {
            lock: self.0.take(),
            site: self.0.site,
        }
    }
}

/// A queued read or write lock.
struct LockWait<'a, R: Runtime, T: Send + Sync> {
    lock: &'a RwLock<R, T>,
    kind: Kind,
    /// Where the lock was asked for: the site of its unlock or give-up.
    site: &'static Location<'static>,
    id: Option<u64>,
    /// Granted, not yet taken.
    granted: bool,
    taken: bool,
}

impl<'a, R: Runtime, T: Send + Sync> LockWait<'a, R, T> {
    fn poll_arm(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.granted {
            return Poll::Ready(());
        }
        let n = self.lock.permits(self.kind);
        let polled = self
            .lock
            .state
            .with(|s| s.permits.poll(&mut self.id, n, cx.waker()));
        match polled {
            Polled::Granted => {
                self.granted = true;
                Poll::Ready(())
            }
            Polled::Waiting => Poll::Pending,
            Polled::Closed => unreachable!("an RwLock's permit queue is never closed"),
        }
    }

    fn take(&mut self) -> &'a RwLock<R, T> {
        assert!(self.granted && !self.taken, "RwLock arm taken before ready");
        self.taken = true;
        let lock = self.lock;
        lock.state.with(|s| lock.acquired(s, self.kind));
        lock
    }
}

impl<R: Runtime, T: Send + Sync> Drop for LockWait<'_, R, T> {
    fn drop(&mut self) {
        if self.taken {
            return;
        }
        if self.granted {
            // Granted but never taken (a losing select arm): unlock again.
            self.lock.unlock(self.kind, self.site);
            return;
        }
        if self.id.is_none() {
            return;
        }
        // Leaving the queue returns the permits collected so far to its head: a release.
        let lock = self.lock;
        lock.rt.note(Op::on(
            "rwlock.give_up",
            lock.object,
            AccessKind::Release,
            self.site,
        ));
        let (id, n) = (self.id, self.lock.permits(self.kind));
        let wakers = self.lock.state.with(|s| s.permits.cancel(id, n));
        wake_all(wakers);
    }
}

/// Shared read access; unlocks when dropped.
pub struct RwLockReadGuard<'a, R: Runtime, T: Send + Sync> {
    lock: &'a RwLock<R, T>,
    /// Where the lock was taken: the site of the unlock this guard's drop performs.
    site: &'static Location<'static>,
}

impl<R: Runtime, T: Send + Sync> Deref for RwLockReadGuard<'_, R, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: while a read guard lives no write guard exists.
        unsafe { &*self.lock.data.get() }
    }
}

impl<R: Runtime, T: Send + Sync> Drop for RwLockReadGuard<'_, R, T> {
    fn drop(&mut self) {
        self.lock.unlock(Kind::Read, self.site);
    }
}

impl<R: Runtime, T: Send + Sync + fmt::Debug> fmt::Debug for RwLockReadGuard<'_, R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// Exclusive write access; unlocks when dropped.
pub struct RwLockWriteGuard<'a, R: Runtime, T: Send + Sync> {
    lock: &'a RwLock<R, T>,
    /// Where the lock was taken: the site of the unlock this guard's drop performs.
    site: &'static Location<'static>,
}

impl<R: Runtime, T: Send + Sync> Deref for RwLockWriteGuard<'_, R, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the write guard is the unique holder of the lock.
        unsafe { &*self.lock.data.get() }
    }
}

impl<R: Runtime, T: Send + Sync> DerefMut for RwLockWriteGuard<'_, R, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the write guard is the unique holder of the lock.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<R: Runtime, T: Send + Sync> Drop for RwLockWriteGuard<'_, R, T> {
    fn drop(&mut self) {
        self.lock.unlock(Kind::Write, self.site);
    }
}

impl<R: Runtime, T: Send + Sync + fmt::Debug> fmt::Debug for RwLockWriteGuard<'_, R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}
