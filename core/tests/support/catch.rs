//! Runs a checker and returns the failure it reported, classified.

use std::panic::{catch_unwind, AssertUnwindSafe};

use weft_core::error::panic_message;
use weft_core::FailureKind;

/// Runs `f`; returns `None` if it passed, or the failure kind and message if it panicked.
pub fn failure_of(f: impl FnOnce()) -> Option<(FailureKind, String)> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = catch_unwind(AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.err().map(|payload| {
        let msg = panic_message(&*payload);
        (FailureKind::classify(&msg), msg)
    })
}
