//! A checked shared cell: plain-memory semantics by contract, memory-safe everywhere.
//!
//! A [`SharedCell`] stands for a plain field that several tasks touch (Go's unsynchronized
//! struct field, the Cortex `am.dispatcher` pointer, the Consul check status). Its contract is
//! that of plain memory: two accesses, at least one a write, that the program does not order by
//! happens-before are a *logical data race*, even though Rust keeps the cell memory-safe (an
//! uncontended lock guards the value). Every access is reported to the runtime with its source
//! location; checking backends flag unordered conflicting accesses, naming both tasks and both
//! sites. Accesses are synchronous: they happen inside the current step and create no
//! happens-before edge.

use std::fmt;
use std::panic::Location;
use std::sync::Mutex as StdMutex;

use crate::causality::{Access, SharedCellContract};
use crate::object::{AccessKind, ObjectId};
use crate::runtime::{Op, Runtime};

/// A plain-memory cell whose accesses are race-checked; see the module documentation.
pub struct SharedCell<R: Runtime, T> {
    rt: R,
    object: ObjectId,
    inner: StdMutex<(T, R::History<SharedCellContract>)>,
}

impl<R: Runtime, T> fmt::Debug for SharedCell<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedCell").finish_non_exhaustive()
    }
}

impl<R: Runtime, T> SharedCell<R, T> {
    /// A cell holding `value`. Its creation is not an access.
    pub fn new(rt: &R, value: T) -> Self {
        SharedCell {
            rt: rt.clone(),
            object: rt.object(),
            inner: StdMutex::new((value, Default::default())),
        }
    }

    fn access<U>(
        &self,
        access: Access,
        site: &'static Location<'static>,
        f: impl FnOnce(&mut T) -> U,
    ) -> U {
        let op = match access {
            Access::Read => Op::on("shared_cell.read", self.object, AccessKind::Read, site),
            Access::Write => Op::on("shared_cell.write", self.object, AccessKind::Write, site),
        };
        self.rt.note(op);
        let mut guard = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (value, history) = &mut *guard;
        if let Err(fault) = self.rt.check::<SharedCellContract>(history, access, op) {
            drop(guard);
            self.rt.fail(fault);
        }
        f(value)
    }

    /// Reads the value through `f`.
    #[track_caller]
    pub fn with<U>(&self, f: impl FnOnce(&T) -> U) -> U {
        self.access(Access::Read, Location::caller(), |v| f(v))
    }

    /// Reads, then writes, the value through `f` (one write access).
    #[track_caller]
    pub fn update<U>(&self, f: impl FnOnce(&mut T) -> U) -> U {
        self.access(Access::Write, Location::caller(), f)
    }

    /// Overwrites the value.
    #[track_caller]
    pub fn set(&self, value: T) {
        self.access(Access::Write, Location::caller(), |v| *v = value)
    }

    /// Replaces the value, returning the old one (one write access).
    #[track_caller]
    pub fn replace(&self, value: T) -> T {
        self.access(Access::Write, Location::caller(), |v| {
            std::mem::replace(v, value)
        })
    }
}

impl<R: Runtime, T: Clone> SharedCell<R, T> {
    /// Reads a copy of the value.
    #[track_caller]
    pub fn get(&self) -> T {
        self.access(Access::Read, Location::caller(), |v| v.clone())
    }
}
