//! The panic hook, silenced while a checker or a tokio run reports failures by panicking: the
//! only place the check layer touches it. The hook is process-wide state; it is restored
//! when the run ends. Set `WEFT_SHOW_PANICS` to see the checkers' own panic output (for
//! debugging a backend).

use std::panic::{catch_unwind, AssertUnwindSafe};

use weft_core::error::panic_message;

/// Runs `f` with the panic hook silenced (unless `WEFT_SHOW_PANICS` is set).
pub(crate) fn silenced<T>(f: impl FnOnce() -> T) -> T {
    let hook = std::panic::take_hook();
    if std::env::var_os("WEFT_SHOW_PANICS").is_none() {
        std::panic::set_hook(Box::new(|_| {}));
    }
    let r = f();
    std::panic::set_hook(hook);
    r
}

/// Runs a checker that reports a failure by panicking, silenced; the panic's message if it
/// failed.
pub(crate) fn quietly(f: impl FnOnce()) -> Option<String> {
    silenced(|| catch_unwind(AssertUnwindSafe(f)))
        .err()
        .map(|p| panic_message(&*p))
}
