//! [`StdLock`]: a [`RawLock`](crate::RawLock) over `std::sync::Mutex`, for backends whose
//! internal locks are not scheduling points (tokio, the simulator).

use std::fmt;

use crate::runtime::RawLock;

/// A `std::sync::Mutex` as a [`RawLock`]. Poisoning is ignored: a panic inside a critical
/// section already fails the execution.
pub struct StdLock<T>(std::sync::Mutex<T>);

impl<T> fmt::Debug for StdLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StdLock")
    }
}

impl<T: Send> RawLock<T> for StdLock<T> {
    #[inline]
    fn new(value: T) -> Self {
        StdLock(std::sync::Mutex::new(value))
    }

    #[inline]
    fn with<U>(&self, f: impl FnOnce(&mut T) -> U) -> U {
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }
}
