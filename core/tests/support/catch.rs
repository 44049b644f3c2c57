//! The failure a checker reported: typed (`found`, from the `try_*` entry points), or the
//! message of a panic (`panic_of`, for clear-error tests of bad use).

#![allow(dead_code)] // each test binary uses part of it

use std::panic::{catch_unwind, AssertUnwindSafe};

use weft_core::error::panic_message;
use weft_core::FailureKind;

/// The kind (a value, from the checker) and the rendered report of a check's failure, if it
/// failed.
#[cfg(any(feature = "loom", feature = "shuttle"))]
pub fn found(
    verdict: Result<weft_core::backend::verdict::Checked, Box<weft_core::backend::verdict::Found>>,
) -> Option<(FailureKind, String)> {
    verdict.err().map(|f| (f.fault.kind, f.to_string()))
}

/// Runs `f`; returns `None` if it passed, or the message of its panic.
pub fn panic_of(f: impl FnOnce()) -> Option<String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = catch_unwind(AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.err().map(|payload| panic_message(&*payload))
}
