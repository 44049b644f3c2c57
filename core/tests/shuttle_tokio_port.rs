//! The tokio primitives users port, under shuttle: bounded DFS and PCT for the small bodies,
//! random and PCT for the full ones (the same bodies run on tokio, loom and weft-sim).

mod support;

use support::{barrier_port, notify_port, rwlock_port, semaphore_port};
use weft_core::backend::shuttle::{check_dfs, check_pct, check_random};

/// shuttle's DFS has no partial-order reduction (every internal-lock operation is a branch), so
/// its unbounded search of even this small body does not finish in a minute; it runs the first
/// schedules in order, and PCT samples the rest. Exhaustive verification is loom's and
/// weft-sim's (`loom_tokio_port.rs`, `sim/tests/tokio_port.rs`).
const DFS_SCHEDULES: Option<usize> = Some(20_000);

#[test]
fn notify_flag_then_await_passes_dfs_and_pct() {
    check_dfs(notify_port::flag_then_await_plain, DFS_SCHEDULES);
    check_dfs(notify_port::flag_then_await_enabled, DFS_SCHEDULES);
    check_pct(notify_port::flag_then_await_plain, 1, 1000, 3);
    check_pct(notify_port::flag_then_await_enabled, 1, 1000, 3);
}

#[test]
fn notify_behaves_as_tokio_documents() {
    check_random(notify_port::all, 1, 200);
    check_pct(notify_port::all, 1, 200, 3);
}

#[test]
fn semaphore_behaves_as_tokio_documents() {
    check_random(semaphore_port::all, 1, 200);
    check_pct(semaphore_port::all, 1, 200, 3);
}

#[test]
fn rwlock_behaves_as_tokio_documents() {
    check_random(rwlock_port::all, 1, 200);
    check_pct(rwlock_port::all, 1, 200, 3);
}

#[test]
fn barrier_behaves_as_tokio_documents() {
    check_random(barrier_port::all, 1, 200);
    check_pct(barrier_port::all, 1, 200, 3);
}
