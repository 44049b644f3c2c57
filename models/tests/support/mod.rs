//! What the mimir tests on tokio share: running one test's future to completion.

use std::future::Future;

/// Runs `f` on a current-thread tokio runtime with time paused: a lock's back-off and D_acq
/// pass at once.
pub fn block_on<T>(f: impl Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap()
        .block_on(f)
}
