//! Keeps panics inside simulated executions quiet (they become failure reports) and remembers
//! where they happened. Panics anywhere else go to the previously installed hook.
//!
//! The hook is process-global; whether a panic is quiet, and where its site is kept, is the
//! panicking thread's execution context ([`crate::context`]): a panic is quiet exactly while
//! an execution's context is set on its thread.

use std::sync::Once;

use crate::context;

static INSTALL: Once = Once::new();

pub(crate) fn install() {
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if context::entered() {
                context::set_panic_site(info.location().map(|l| l.to_string()));
            } else {
                previous(info);
            }
        }));
    });
}

/// The location of the last quiet panic on this thread.
pub(crate) fn take_site() -> Option<String> {
    context::take_panic_site()
}
