//! The panic hook, silenced while a checker runs: the only place the check layer touches it.
//! Failures come back as values (weft-core's typed entry points, the tokio runtime's recorded
//! faults), but the checkers still unwind a failing task with a panic, which the default hook
//! would print. The hook is process-wide state; it is restored when the run ends. Set
//! `WEFT_SHOW_PANICS` to see the checkers' own panic output (for debugging a backend).

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
