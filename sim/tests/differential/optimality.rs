//! Regression tests for DPOR's optimality: one small program per redundancy (or missed class)
//! the differential test found and the fix that removed it, each asserting that DPOR reaches
//! DFS's outcomes in exactly one execution per trace class ([`crate::check`] finds nothing).
//! The programs are the minimized ones of the seeds named.

use super::program::{Channel, Instr, Program, Task};
use Instr::*;

/// A program with these objects and tasks, `(parent, instructions)`; task 0 is the root.
fn program(
    mutexes: usize,
    channels: &[(usize, usize)],
    cells: usize,
    notifies: usize,
    tasks: &[(Option<usize>, &[Instr])],
) -> Program {
    Program {
        seed: 0,
        mutexes,
        channels: channels
            .iter()
            .map(|&(capacity, receiver)| Channel {
                capacity: Some(capacity),
                receiver,
            })
            .collect(),
        atomics: 0,
        cells,
        notifies,
        tasks: tasks
            .iter()
            .map(|(parent, instrs)| Task {
                parent: *parent,
                instrs: instrs.to_vec(),
            })
            .collect(),
        faults: Default::default(),
    }
}

/// DPOR runs one execution per class of `p` and reaches DFS's outcomes.
fn exact(p: &Program) {
    let (m, findings) = crate::check(p, &crate::dpor).expect("DFS finishes");
    assert!(
        findings.is_empty(),
        "{p}{}",
        findings
            .iter()
            .map(|f| format!("\n{}: {}", f.kind(), f.detail()))
            .collect::<String>()
    );
    assert_eq!(m.dpor, m.classes as u64);
}

/// Seed 175: a sleeper put to sleep under one value of `choose` must not cover a reversal by
/// commuting when another value conflicts (a class was missed).
#[test]
fn a_sleeping_value_does_not_cover_another_value() {
    let p = program(
        0,
        &[],
        1,
        0,
        &[
            (
                None,
                &[Spawn(3), Spawn(2), Join(2), Spawn(1), CellWrite(0, 1)],
            ),
            (Some(0), &[CellRead(0)]),
            (Some(0), &[]),
            (Some(0), &[Choose(2, 2), CellWrite(0, 1)]),
        ],
    );
    exact(&p);
}

/// Seed 75: each value of `choose` is an event of its own: a wakeup branch made from one
/// value runs that value only.
#[test]
fn each_value_of_a_choice_is_one_event() {
    let p = program(
        1,
        &[],
        0,
        0,
        &[
            (None, &[Spawn(1), Lock(0)]),
            (Some(0), &[Spawn(2), Join(2)]),
            (Some(1), &[Choose(2, 1), Lock(0)]),
        ],
    );
    exact(&p);
}

/// Seeds 4 and 153: a reversal whose event was an attempt that failed before choosing
/// stands for every value; it is asleep when they all are.
#[test]
fn a_failed_attempt_stands_for_every_value() {
    let p = program(
        1,
        &[],
        0,
        0,
        &[
            (None, &[Spawn(2), Spawn(1)]),
            (Some(0), &[Spawn(3), Lock(0), Join(3)]),
            (Some(0), &[Lock(0)]),
            (Some(1), &[Lock(0), Choose(2, 2)]),
        ],
    );
    exact(&p);
    let p = program(
        1,
        &[],
        0,
        0,
        &[
            (None, &[Spawn(1), Lock(0)]),
            (Some(0), &[Spawn(2)]),
            (Some(1), &[Spawn(3), Lock(0), Join(3)]),
            (Some(2), &[Lock(0), Choose(3, 2)]),
        ],
    );
    exact(&p);
}

/// Seed 19: a receive on an empty channel is not reordered before the only send.
#[test]
fn a_receive_is_not_reordered_before_what_makes_it_ready() {
    let p = program(
        0,
        &[(1, 1)],
        0,
        0,
        &[(None, &[Spawn(1), Send(0, 1)]), (Some(0), &[Recv(0)])],
    );
    exact(&p);
}

/// Seed 83: a join that completed and then closed a channel is not reordered before the
/// exit it waited for, whatever else the two steps conflict on.
#[test]
fn a_join_is_not_reordered_before_the_exit() {
    let p = program(
        0,
        &[(2, 2)],
        1,
        1,
        &[
            (None, &[Spawn(1), Spawn(2)]),
            (Some(0), &[Yield]),
            (Some(0), &[]),
        ],
    );
    exact(&p);
}

/// Seed 60: objects are compared across executions by their creator, not their number.
#[test]
fn objects_are_the_same_across_interleavings() {
    let p = program(
        0,
        &[(1, 2)],
        0,
        0,
        &[
            (None, &[Spawn(1), Send(0, 1), Spawn(2), Join(2)]),
            (Some(0), &[Spawn(3), Join(3), Send(0, 2)]),
            (Some(0), &[]),
            (Some(1), &[]),
        ],
    );
    exact(&p);
}

/// Seed 97: a task woken by its own timeout, that a notify would have woken first.
#[test]
fn a_timeout_woken_task_is_also_woken_otherwise() {
    let p = program(
        0,
        &[],
        0,
        2,
        &[
            (None, &[Spawn(1), NotifiedTimeout(1, 1), Spawn(2), Join(1)]),
            (Some(0), &[NotifiedTimeout(0, 2)]),
            (Some(0), &[Sleep(1), Spawn(3)]),
            (Some(2), &[NotifyWaiters(0)]),
        ],
    );
    exact(&p);
}

/// Seed 8704: a wakeup-tree branch for one value of a choosing step does not cover, by
/// commuting, a reversal whose runs choose another value (two classes were missed).
#[test]
fn a_branch_for_one_value_does_not_cover_another() {
    let p = program(
        0,
        &[],
        1,
        0,
        &[
            (None, &[Spawn(1), Spawn(2), Spawn(3)]),
            (Some(0), &[CellRead(0)]),
            (Some(0), &[Choose(3, 2), CellWrite(0, 1)]),
            (Some(0), &[CellWrite(0, 2)]),
        ],
    );
    exact(&p);
}

/// Seed 220 (and 103): a waiter's failed attempt at a lock is asleep where it ran; the
/// reversal of the release against the waiter's later acquire (a step that chose a value)
/// runs, from there, that same failed attempt, which chose nothing: the sleeper covers it
/// (every extension of the values a sleeper's step stopped at is that step). Without that,
/// each value of the root's choice was explored twice.
#[test]
fn a_sleeping_failed_attempt_covers_the_values_it_never_chose() {
    let p = program(
        1,
        &[],
        0,
        0,
        &[
            (None, &[Lock(0), Spawn(1), Yield, Choose(3, 2), Join(1)]),
            (Some(0), &[Lock(0), Choose(2, 2)]),
        ],
    );
    exact(&p);
}
