//! The Stop-before-Run scenario on tokio's multi-thread runtime: the fixed variant passes
//! 1,000 runs.

mod support;

use support::stop_before_run::{scenario, Variant};
use weft_core::backend::tokio::TokioRuntime;

#[test]
fn fixed_passes_1000_runs_on_multi_thread_runtime() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let rt = TokioRuntime::new();
        for _ in 0..1000 {
            scenario(rt.clone(), Variant::Fixed, 2).await;
        }
        assert!(rt.panics().is_empty(), "task panics: {:?}", rt.panics());
    });
}
