//! Soundness evidence for dynamic partial-order reduction: a differential test over random
//! programs built from weft-core's primitives.
//!
//! For each program (generated from a seed, [`differential::program`]), plain exhaustive DFS
//! is the reference. Its executions are put in a canonical trace form
//! ([`differential::classes`]) and counted. The checks:
//!
//! - the class counter itself, on programs small enough to count by hand;
//! - oracle 1: DPOR reaches exactly the set of outcomes DFS reaches;
//! - oracle 2: DPOR runs exactly one execution per trace class.
//!
//! CI runs [`DEFAULT_PROGRAMS`] programs; `WEFT_DIFF_PROGRAMS=N` runs `N` (and
//! `WEFT_DIFF_FIRST=S` starts at seed `S`).

mod differential {
    pub mod classes;
    pub mod explore;
    pub mod interp;
    pub mod program;
}

use differential::classes::{count, Recorder};
use differential::explore::{explore, forms};
use differential::program::{Channel, Instr, Program, Task};
use weft_sim::strategy::Dfs;

/// Plain DFS on `program` with the class recorder: (executions, classes).
fn dfs_classes(program: &Program) -> (u64, usize) {
    let f = forms();
    let e = explore(
        program,
        Box::new(Recorder::new(Dfs::new(None), f.clone())),
        1_000_000,
    );
    assert!(e.exhausted);
    let forms = f.lock().unwrap();
    assert_eq!(forms.len() as u64, e.executions);
    (e.executions, count(&forms))
}

/// A hand-written program: objects, then one instruction list per task; the root spawns
/// every other task first.
fn hand(cells: usize, mutexes: usize, workers: &[&[Instr]]) -> Program {
    let mut tasks = vec![Task {
        parent: None,
        instrs: (1..=workers.len()).map(Instr::Spawn).collect(),
    }];
    tasks.extend(workers.iter().map(|w| Task {
        parent: Some(0),
        instrs: w.to_vec(),
    }));
    Program {
        seed: 0,
        mutexes,
        channels: Vec::<Channel>::new(),
        atomics: 0,
        cells,
        notifies: 0,
        tasks,
    }
}

#[test]
fn the_class_counter_agrees_with_counts_by_hand() {
    use Instr::*;
    // Two tasks writing one cell: the two orders of the writes.
    let p = hand(1, 0, &[&[CellWrite(0, 1)], &[CellWrite(0, 2)]]);
    assert_eq!(dfs_classes(&p).1, 2, "{p}");
    // Disjoint cells: one class.
    let p = hand(2, 0, &[&[CellWrite(0, 1)], &[CellWrite(1, 2)]]);
    assert_eq!(dfs_classes(&p).1, 1, "{p}");
    // Reads only: one class.
    let p = hand(1, 0, &[&[CellRead(0), CellRead(0)], &[CellRead(0)]]);
    assert_eq!(dfs_classes(&p).1, 1, "{p}");
    // 3 tasks x 2 mutex increments: 6! / (2! 2! 2!) orders of the critical sections.
    let inc: &[Instr] = &[
        Lock(0),
        MutexAdd(0, 1),
        Unlock(0),
        Lock(0),
        MutexAdd(0, 1),
        Unlock(0),
    ];
    let p = hand(0, 1, &[inc, inc, inc]);
    let (executions, classes) = dfs_classes(&p);
    assert_eq!(classes, 90, "{p}");
    assert!(executions > 90);
}
