//! [`CheckedLock`]: a checker's mutex as a primitive's internal lock, and [`unwinding`], the
//! rule for reaching it while a failure unwinds.

use std::sync::Mutex;

/// Whether model operations must be skipped: the thread is unwinding (a failure is being
/// reported, and the checker drops the remaining tasks; calling into it from a destructor now
/// would abort the process). Destructors then only touch the data, not the model.
pub(crate) fn unwinding() -> bool {
    std::thread::panicking()
}

/// A checker's mutex as a [`RawLock`](crate::runtime::RawLock): the model lock `M` makes each
/// access a scheduling point of the checker, the data sits in a std mutex so that destructors
/// run while unwinding can still reach it without the model.
#[derive(Debug)]
pub struct CheckedLock<M, T> {
    /// `None` only while being dropped.
    pub(crate) model: Option<M>,
    pub(crate) data: Mutex<T>,
}

impl<M, T> Drop for CheckedLock<M, T> {
    fn drop(&mut self) {
        if unwinding() {
            // The checker's object may not be dropped outside its execution: leak it.
            std::mem::forget(self.model.take());
        }
    }
}

impl<M, T> CheckedLock<M, T> {
    pub(crate) fn new(model: M, value: T) -> Self {
        CheckedLock {
            model: Some(model),
            data: Mutex::new(value),
        }
    }

    /// `f` on the data, holding the model lock (`lock` takes it) unless unwinding.
    ///
    /// The data's std guard must be gone before the model guard is dropped: releasing a
    /// checker's mutex is a scheduling point (shuttle's `MutexGuard::drop` yields), and a task
    /// parked there still holding the std mutex would block, on the one OS thread every task
    /// shares, the next task that reaches the data without the model lock: code that runs
    /// while its task unwinds (a panicking task's exit guard, a destructor of shuttle's
    /// teardown). That was a real hang, a joiner parked in its join handle's release while the
    /// joined task panicked: 3 seeds in 400 of shuttle PCT on `consul/clone-race`. Edition 2021 drops a tail expression's temporaries after the
    /// block's locals, so the order is spelled out.
    pub(crate) fn with<'a, G, U>(
        &'a self,
        lock: impl FnOnce(&'a M) -> G,
        f: impl FnOnce(&mut T) -> U,
    ) -> U {
        let model = match &self.model {
            Some(m) if !unwinding() => Some(lock(m)),
            _ => None,
        };
        let out = {
            let mut data = self.data.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut data)
        };
        drop(model);
        out
    }
}
