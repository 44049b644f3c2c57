//! weft-core's primitive semantics, run under weft-sim with every strategy (the same bodies
//! run on tokio, loom and shuttle in weft-core's tests).

#[path = "../../core/tests/support/primitives.rs"]
mod primitives;

use weft_sim::{Config, Sim, StrategyKind};

#[test]
fn primitives_behave_under_every_strategy() {
    for strategy in [StrategyKind::Random, StrategyKind::Pct { depth: 3 }] {
        Sim::new(Config::default().strategy(strategy).iterations(300)).check(primitives::all);
    }
    // Exhaustively for the small ones.
    let dfs = Sim::new(
        Config::default()
            .strategy(StrategyKind::Dfs)
            .iterations(u64::MAX),
    );
    assert_eq!(dfs.check(primitives::mutex_counts).exhausted, Some(true));
    assert_eq!(
        dfs.check(primitives::oneshot_semantics).exhausted,
        Some(true)
    );
    assert_eq!(
        dfs.check(primitives::cancel_semantics).exhausted,
        Some(true)
    );
}
