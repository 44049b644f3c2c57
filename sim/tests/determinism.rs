//! The determinism self-check finds uncontrolled nondeterminism in the code under test.

use std::sync::atomic::{AtomicU64, Ordering};

use weft_core::{FailureKind, Runtime};
use weft_sim::{Config, Sim, SimRuntime, StrategyKind};

static CALLS: AtomicU64 = AtomicU64::new(0);

async fn deterministic(rt: SimRuntime) {
    let h = rt.spawn("child", async {});
    rt.yield_now().await;
    h.join().await;
}

#[test]
fn deterministic_code_passes_the_self_check() {
    Sim::new(
        Config::default()
            .strategy(StrategyKind::Random)
            .iterations(50)
            .check_determinism(true),
    )
    .check(deterministic);
}

#[test]
fn hidden_state_is_reported_with_its_first_divergence() {
    let err = Sim::new(Config::default().iterations(5).check_determinism(true))
        .run(|rt: SimRuntime| async move {
            // Behaviour depends on a process-global counter the simulator cannot control.
            let n = CALLS.fetch_add(1, Ordering::Relaxed);
            if n.is_multiple_of(2) {
                rt.yield_now().await;
            }
            let h = rt.spawn("child", async {});
            h.join().await;
        })
        .unwrap_err();
    let f = err.failure().unwrap();
    assert_eq!(f.kind, FailureKind::Nondeterminism, "{f}");
    assert!(
        f.message.contains("first divergence at trace event"),
        "{}",
        f.message
    );
}
