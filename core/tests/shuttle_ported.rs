//! The tokio primitives users port (`watch`, `JoinSet`, `timeout`, `interval`) under shuttle:
//! the same bodies run on tokio, loom and weft-sim.

mod support;

use support::{join_set, time, watch};
use weft_core::backend::shuttle::{check_dfs, check_pct, check_random};

#[test]
fn watch_behaves_under_shuttle() {
    check_random(watch::all, 1, 200);
    check_pct(watch::all, 1, 200, 3);
    check_dfs(watch::watch_send_orders_the_receiver, Some(5_000));
}

#[test]
fn join_set_behaves_under_shuttle() {
    check_random(join_set::all, 1, 200);
    check_pct(join_set::all, 1, 200, 3);
    check_dfs(join_set::join_set_abort_all, Some(5_000));
    check_dfs(join_set::join_set_abort_orders_the_joiner, Some(5_000));
}

#[test]
fn time_behaves_under_shuttle() {
    // One task and no spawn: PCT refuses a body with no concurrency, and there is one
    // schedule to explore.
    check_random(time::all, 1, 20);
}
