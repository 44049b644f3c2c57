//! A Go `sync/atomic` value (`atomic.Int32`, `atomic.Pointer[T]`: any `Clone` value, such as an
//! `Option<Arc<T>>`): sequentially consistent operations, each a scheduling point.
//!
//! Happens-before follows Go's memory model (`shared/specs/alertmanager.md` §1.7): an atomic
//! operation that observes the effect of another is synchronized after it. Every operation
//! that reads the value (load, swap, fetch-update, compare-and-swap, failed or not) acquires
//! the value's clock, and every write releases into it. A plain [`Atomic::store`] observes
//! nothing, so it only releases: Cortex's B1a depends on that (Stop's state store does not
//! synchronize with Run's earlier CAS, spec §4 B1a step 5), as it does under Go's race
//! detector.
//!
//! [`Atomic::peek`] reads without a scheduling point or an edge, for oracles that inspect
//! state after the fact; it is not part of the model.

use std::fmt;
use std::future::Future;
use std::panic::Location;

use crate::object::{AccessKind, ObjectId};
use crate::runtime::{Op, RawLock, Runtime};

struct State<R: Runtime, T> {
    value: T,
    clock: R::Clock,
}

/// An atomic `T`; see the module documentation.
pub struct Atomic<R: Runtime, T: Clone + Send + 'static> {
    rt: R,
    object: ObjectId,
    state: R::Lock<State<R, T>>,
}

impl<R: Runtime, T: Clone + Send + fmt::Debug + 'static> fmt::Debug for Atomic<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Atomic").field(&self.peek()).finish()
    }
}

impl<R: Runtime, T: Clone + Send + 'static> Atomic<R, T> {
    /// An atomic holding `value`.
    pub fn new(rt: &R, value: T) -> Self {
        Atomic {
            rt: rt.clone(),
            object: rt.object(),
            state: R::Lock::new(State {
                value,
                clock: R::Clock::default(),
            }),
        }
    }

    /// One atomic operation `name` at `site`: `access` says whether it reads
    /// ([`AccessKind::Read`]), writes ([`AccessKind::Write`]) or both ([`AccessKind::Update`]);
    /// a reading one acquires the value's clock.
    async fn op<U>(
        &self,
        name: &'static str,
        access: AccessKind,
        site: &'static Location<'static>,
        f: impl FnOnce(&R, &mut State<R, T>) -> U + Send,
    ) -> U {
        let reads = access != AccessKind::Write;
        self.rt.point(Op::on(name, self.object, access, site)).await;
        self.state.with(|s| {
            if reads {
                self.rt.acquire(&s.clock);
            }
            f(&self.rt, s)
        })
    }

    /// Loads the value.
    #[track_caller]
    pub fn load(&self) -> impl Future<Output = T> + '_ {
        self.op(
            "atomic.load",
            AccessKind::Read,
            Location::caller(),
            |_, s| s.value.clone(),
        )
    }

    /// Stores `value`.
    #[track_caller]
    pub fn store(&self, value: T) -> impl Future<Output = ()> + '_ {
        self.op(
            "atomic.store",
            AccessKind::Write,
            Location::caller(),
            move |rt, s| {
                s.value = value;
                rt.release(&mut s.clock);
            },
        )
    }

    /// Stores `value` and returns the previous one.
    #[track_caller]
    pub fn swap(&self, value: T) -> impl Future<Output = T> + '_ {
        self.op(
            "atomic.swap",
            AccessKind::Update,
            Location::caller(),
            move |rt, s| {
                rt.release(&mut s.clock);
                std::mem::replace(&mut s.value, value)
            },
        )
    }

    /// Replaces the value with `f(value)` in one step; returns the previous value.
    #[track_caller]
    pub fn fetch_update(
        &self,
        f: impl FnOnce(T) -> T + Send + 'static,
    ) -> impl Future<Output = T> + '_ {
        self.op(
            "atomic.fetch_update",
            AccessKind::Update,
            Location::caller(),
            move |rt, s| {
                rt.release(&mut s.clock);
                let old = s.value.clone();
                s.value = f(old.clone());
                old
            },
        )
    }

    /// Reads the value with no scheduling point and no happens-before edge (for oracles).
    pub fn peek(&self) -> T {
        self.state.with(|s| s.value.clone())
    }
}

impl<R: Runtime, T: Clone + Send + PartialEq + 'static> Atomic<R, T> {
    /// Go's `CompareAndSwap`: if the value is `current`, replace it with `new` and return
    /// `Ok(current)`; otherwise return `Err(actual)`.
    #[track_caller]
    pub fn compare_exchange(&self, current: T, new: T) -> impl Future<Output = Result<T, T>> + '_ {
        self.op(
            "atomic.compare_exchange",
            AccessKind::Update,
            Location::caller(),
            move |rt, s| {
                if s.value == current {
                    rt.release(&mut s.clock);
                    s.value = new;
                    Ok(current)
                } else {
                    Err(s.value.clone())
                }
            },
        )
    }
}
