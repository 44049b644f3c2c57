//! Keeps panics inside simulated tasks quiet (they become failure reports) and remembers where
//! they happened. Panics anywhere else go to the previously installed hook.

use std::cell::{Cell, RefCell};
use std::sync::Once;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static LAST_SITE: RefCell<Option<String>> = const { RefCell::new(None) };
}

static INSTALL: Once = Once::new();

pub(crate) fn install() {
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                let site = info.location().map(|l| l.to_string());
                LAST_SITE.with(|s| *s.borrow_mut() = site);
            } else {
                previous(info);
            }
        }));
    });
}

/// Silences the hook on this thread while the guard lives.
pub(crate) struct Quiet(bool);

impl Quiet {
    pub(crate) fn new() -> Quiet {
        Quiet(QUIET.with(|q| q.replace(true)))
    }
}

impl Drop for Quiet {
    fn drop(&mut self) {
        QUIET.with(|q| q.set(self.0));
    }
}

/// The location of the last quiet panic on this thread.
pub(crate) fn take_site() -> Option<String> {
    LAST_SITE.with(|s| s.borrow_mut().take())
}
