//! The tokio runtimes the tokio test binaries run weft's bodies on (one home for both shapes).

use std::future::Future;

use weft_core::backend::tokio::TokioRuntime;

/// A 2-worker multi-thread runtime: real parallelism, real time.
pub fn multi_thread<F: Future>(f: impl FnOnce(TokioRuntime) -> F) -> F::Output {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async { f(TokioRuntime::new()).await })
}

/// A current-thread runtime with tokio's paused, auto-advancing clock: instants are exact.
pub fn paused<F: Future>(f: impl FnOnce(TokioRuntime) -> F) -> F::Output {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    runtime.block_on(async { f(TokioRuntime::new()).await })
}
