//! Shared memory: a shared cell's and an atomic's reads commute, and a read and a write
//! conflict.

use weft_core::sync::{Atomic, SharedCell};

use crate::record::record;

#[test]
fn shared_cell_reads_commute_and_a_read_and_a_write_conflict() {
    let ops = record(|rt| async move {
        let (x, y) = (SharedCell::new(&rt, 0), SharedCell::new(&rt, 0));
        let _ = x.get();
        let _ = x.with(|v| *v);
        x.set(1);
        y.update(|v| *v += 1);
    });
    assert_eq!(
        ops.lines(),
        [
            "shared_cell.read #1 Read",
            "shared_cell.read #1 Read",
            "shared_cell.write #1 Write",
            "shared_cell.write #2 Write",
        ]
    );
    assert!(!ops.conflict(("shared_cell.read", 0), ("shared_cell.read", 1)));
    assert!(ops.conflict(("shared_cell.read", 0), ("shared_cell.write", 0)));
    assert!(!ops.conflict(("shared_cell.write", 0), ("shared_cell.write", 1)));
}

#[test]
fn atomic_loads_commute_and_every_write_conflicts() {
    let ops = record(|rt| async move {
        let a = Atomic::new(&rt, 0u32);
        let _ = a.load().await;
        let _ = a.load().await;
        a.store(1).await;
        let _ = a.swap(2).await;
        let _ = a.fetch_update(|v| v + 1).await;
        let _ = a.compare_exchange(3, 4).await;
    });
    assert_eq!(
        ops.lines(),
        [
            "atomic.load #1 Read",
            "atomic.load #1 Read",
            "atomic.store #1 Write",
            "atomic.swap #1 Update",
            "atomic.fetch_update #1 Update",
            "atomic.compare_exchange #1 Update",
        ]
    );
    assert!(!ops.conflict(("atomic.load", 0), ("atomic.load", 1)));
    assert!(ops.conflict(("atomic.load", 0), ("atomic.store", 0)));
    assert!(ops.conflict(("atomic.load", 0), ("atomic.compare_exchange", 0)));
    assert!(ops.conflict(("atomic.swap", 0), ("atomic.fetch_update", 0)));
}
