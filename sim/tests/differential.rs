//! Soundness evidence for dynamic partial-order reduction: a differential test over random
//! programs built from weft-core's primitives.
//!
//! For each program (generated from a seed, [`differential::program`]), plain exhaustive DFS
//! is the reference. Its executions are put in a canonical trace form
//! ([`differential::classes`]) and counted. The checks:
//!
//! - the class counter itself, on programs small enough to count by hand;
//! - oracle 1: DPOR reaches exactly the set of outcomes DFS reaches;
//! - oracle 2: DPOR runs exactly one execution per trace class (met on the CI seeds, not yet
//!   on every program: 46 of 10,000 differ, 41 of them with timers; the exact check is
//!   ignored, a bounded one runs). The programs of the redundancies fixed so far are
//!   regression tests ([`differential::optimality`]).
//!
//! CI runs [`DEFAULT_PROGRAMS`] programs; `WEFT_DIFF_PROGRAMS=N` runs `N` (and
//! `WEFT_DIFF_FIRST=S` starts at seed `S`).

#[allow(dead_code)] // the node programs are differential_nodes.rs's
mod differential {
    pub mod classes;
    pub mod explore;
    pub mod interp;
    pub mod minimize;
    pub mod nodes;
    mod optimality;
    pub mod program;
}

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use differential::classes::{count, Form, Model, Recorder, MODELS};
use differential::explore::{explore, forms, Outcome};
use differential::minimize::minimize;
use differential::program::{Channel, Instr, Program, Size, Task};
use weft_sim::strategy::{Dfs, Dpor, Strategy};

/// Plain DFS on `program` with the class recorder: executions, and classes per model of
/// [`MODELS`].
fn dfs_classes(program: &Program) -> (u64, [usize; 2]) {
    let f = forms();
    let e = explore(
        program,
        Box::new(Recorder::new(Dfs::new(None), f.clone())),
        1_000_000,
    );
    assert!(e.exhausted);
    let forms = f.lock().unwrap();
    assert_eq!(forms.len() as u64, e.executions);
    (e.executions, MODELS.map(|m| count(&forms, m)))
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
        faults: Default::default(),
    }
}

#[test]
fn the_class_counter_agrees_with_counts_by_hand() {
    use Instr::*;
    // Two tasks writing one cell: the two orders of the writes.
    let p = hand(1, 0, &[&[CellWrite(0, 1)], &[CellWrite(0, 2)]]);
    assert_eq!(dfs_classes(&p).1, [2, 2], "{p}");
    // Disjoint cells: one class.
    let p = hand(2, 0, &[&[CellWrite(0, 1)], &[CellWrite(1, 2)]]);
    assert_eq!(dfs_classes(&p).1, [1, 1], "{p}");
    // Reads only: one class.
    let p = hand(1, 0, &[&[CellRead(0), CellRead(0)], &[CellRead(0)]]);
    assert_eq!(dfs_classes(&p).1, [1, 1], "{p}");
    // A lock held across an await, by two tasks: the two orders of the critical sections;
    // with failed attempts as events (Godot), the second task either tried in vain during the
    // first one's critical section or not: 4.
    let held: &[Instr] = &[Lock(0), Yield, MutexAdd(0, 1), Unlock(0)];
    let p = hand(0, 1, &[held, held]);
    assert_eq!(dfs_classes(&p).1, [4, 2], "{p}");
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
    assert_eq!(classes, [90, 90], "{p}");
    assert!(executions > 90);
}

/// How many random programs to run, from which seed: [`DEFAULT_PROGRAMS`] from seed 0, or
/// `WEFT_DIFF_PROGRAMS` / `WEFT_DIFF_FIRST`. A malformed value is a one-line error.
fn seeds() -> std::ops::Range<u64> {
    differential::program::seeds_from_env("WEFT_DIFF_FIRST", "WEFT_DIFF_PROGRAMS", DEFAULT_PROGRAMS)
}

/// Mismatches per test that are minimized and printed (the others are listed by seed).
const MINIMIZED: usize = 5;

/// Programs CI runs.
const DEFAULT_PROGRAMS: u64 = 200;

/// DFS executions a program may take; a program whose DFS does not finish within it is
/// skipped (and counted).
const DFS_BUDGET: u64 = 5_000;

/// What one program shows; see [`check`].
#[derive(Clone, Debug, PartialEq, Eq)]
enum Finding {
    /// DFS reached one trace class with two outcomes: the dependency relation misses a
    /// conflict (or the class form is too coarse), so no reduction can be trusted on it.
    ClassWithTwoOutcomes(String),
    /// Oracle 1: DPOR's outcome set differs from DFS's.
    Outcomes(String),
    /// Oracle 2: DPOR's execution count differs from the number of trace classes.
    Count(String),
}

impl Finding {
    fn kind(&self) -> &'static str {
        match self {
            Finding::ClassWithTwoOutcomes(_) => "one trace class, two outcomes",
            Finding::Outcomes(_) => "oracle 1: outcome sets differ",
            Finding::Count(_) => "oracle 2: DPOR executions != trace classes",
        }
    }
    fn detail(&self) -> &str {
        match self {
            Finding::ClassWithTwoOutcomes(d) | Finding::Outcomes(d) | Finding::Count(d) => d,
        }
    }
}

/// What [`check`] measured on a program it could finish.
#[derive(Clone, Copy, Debug, Default)]
struct Measured {
    dfs: u64,
    classes: usize,
    dpor: u64,
    /// Trace classes under [`Model::Retried`].
    retried: usize,
    /// Programs (of one, or of a sum) where DFS reached a deadlock, a failed check, a data race.
    deadlocks: u32,
    panics: u32,
    races: u32,
}

impl Measured {
    fn add(&mut self, m: &Measured) {
        self.dfs += m.dfs;
        self.classes += m.classes;
        self.dpor += m.dpor;
        self.retried += m.retried;
        self.deadlocks += m.deadlocks;
        self.panics += m.panics;
        self.races += m.races;
    }
}

/// Up to three outcomes of `a` that are not in `b`, one per line.
fn missing(a: &BTreeSet<&Outcome>, b: &BTreeSet<&Outcome>) -> String {
    a.difference(b)
        .take(3)
        .map(|o| format!("\n    {o:?}"))
        .collect()
}

/// Explores `p` with plain DFS (recording trace classes) and with `reduced`: `None` if DFS
/// does not finish within [`DFS_BUDGET`]; else what it measured and what it found.
fn check(p: &Program, reduced: &dyn Fn() -> Box<dyn Strategy>) -> Option<(Measured, Vec<Finding>)> {
    let f = forms();
    let dfs = explore(
        p,
        Box::new(Recorder::new(Dfs::new(None), f.clone())),
        DFS_BUDGET,
    );
    if !dfs.exhausted {
        return None;
    }
    let forms = f.lock().unwrap();
    let mut findings = Vec::new();
    // The coarsest model: if the outcome is a function of its classes, it is of the finer.
    let mut of: BTreeMap<&Form, &Outcome> = BTreeMap::new();
    for (form, outcome) in forms.iter().zip(&dfs.each) {
        if let Some(seen) = of.insert(&form[1], outcome) {
            if seen != outcome && findings.is_empty() {
                findings.push(Finding::ClassWithTwoOutcomes(format!(
                    "\n    {seen:?}\n    {outcome:?}"
                )));
            }
        }
    }
    let classes = count(&forms, Model::Godot);
    let retried = count(&forms, Model::Retried);
    let red = explore(p, reduced(), DFS_BUDGET);
    let (a, b) = (dfs.outcomes(), red.outcomes());
    if a != b {
        findings.push(Finding::Outcomes(format!(
            "\n  only under DFS:{}\n  only under the reduction:{}",
            missing(&a, &b),
            missing(&b, &a)
        )));
    }
    if !red.exhausted || red.executions != classes as u64 {
        findings.push(Finding::Count(format!(
            "{} executions ({}), {classes} trace classes ({retried} if no failed attempt is an \
             event), {} DFS executions",
            red.executions,
            if red.exhausted {
                "exhausted"
            } else {
                "NOT exhausted"
            },
            dfs.executions
        )));
    }
    let failed = |kind: &str| {
        a.iter()
            .any(|o| o.failure.as_deref().is_some_and(|f| f.starts_with(kind)))
    };
    let measured = Measured {
        dfs: dfs.executions,
        classes,
        dpor: red.executions,
        retried,
        deadlocks: failed("Deadlock") as u32,
        panics: failed("Panic") as u32,
        races: a.iter().any(|o| o.raced) as u32,
    };
    Some((measured, findings))
}

/// A program's seed, the program, and what [`check`] made of it.
type Checked = (u64, Program, Option<(Measured, Vec<Finding>)>);

/// Every program of [`seeds`] with what [`check`] made of it under [`dpor`], computed once
/// for the tests that read it.
fn results() -> &'static [Checked] {
    static RESULTS: OnceLock<Vec<Checked>> = OnceLock::new();
    RESULTS.get_or_init(|| {
        seeds()
            .map(|seed| {
                let p = Program::generate(seed, Size::SMALL);
                let r = check(&p, &dpor);
                (seed, p, r)
            })
            .collect()
    })
}

/// Fails if any program of [`results`] has a finding `wanted` selects; the first
/// [`MINIMIZED`] are minimized (keeping a finding of the same kind) and printed first.
fn over_programs(what: &str, wanted: impl Fn(&Finding) -> bool) {
    let (mut skipped, mut total) = (0, Measured::default());
    let mut mismatches = Vec::new();
    let mut timed = 0;
    for (seed, p, result) in results() {
        let Some((m, findings)) = result else {
            skipped += 1;
            continue;
        };
        total.add(m);
        for finding in findings.iter().filter(|f| wanted(f)) {
            mismatches.push((*seed, finding.kind()));
            timed += p.uses_timers() as usize;
            if mismatches.len() > MINIMIZED {
                continue;
            }
            let same = |q: &Program| {
                check(q, &dpor).is_some_and(|(_, f)| f.iter().any(|g| g.kind() == finding.kind()))
            };
            let small = minimize(p, same);
            let (_, again) = check(&small, &dpor).expect("the minimized program finishes");
            let shown = again
                .iter()
                .find(|g| g.kind() == finding.kind())
                .unwrap_or(finding);
            println!(
                "MISMATCH: {}, seed {seed} (minimized from {} to {} instructions):\n{small}{}\n",
                finding.kind(),
                p.len(),
                small.len(),
                shown.detail()
            );
        }
    }
    println!(
        "{what}: {} programs, {} mismatches ({timed} in programs with a sleep or timeout), \
         {skipped} skipped (DFS over {DFS_BUDGET}), \
         {} DFS executions, {} trace classes ({} if no failed attempt is an event), {} reduced \
         executions; programs that can \
         deadlock: {}, fail a check: {}, race: {}",
        results().len(),
        mismatches.len(),
        total.dfs,
        total.classes,
        total.retried,
        total.dpor,
        total.deadlocks,
        total.panics,
        total.races
    );
    let seeds: Vec<u64> = mismatches.iter().map(|(s, _)| *s).collect();
    assert!(
        mismatches.is_empty(),
        "{what}: mismatches at seeds {seeds:?}"
    );
}

/// The reduction under test.
fn dpor() -> Box<dyn Strategy> {
    Box::new(Dpor::new())
}

#[test]
fn dfs_outcomes_are_a_function_of_the_trace_class() {
    over_programs("class -> outcome", |f| {
        matches!(f, Finding::ClassWithTwoOutcomes(_))
    });
}

#[test]
fn oracle_1_dpor_reaches_the_outcomes_dfs_reaches() {
    over_programs("oracle 1", |f| matches!(f, Finding::Outcomes(_)));
}

/// Optimality, exactly: met on the CI seeds (1,076 executions, 1,076 classes); over 10,000
/// programs 47,012 for 46,852, 46 programs differ, 41 with timers (104 and 47,666 before the
/// sleeper fix of seeds 103, 220). Analysed (seeds 317, 758: timeouts on one `Notify`, timers
/// due at once): *redundant*, DPOR's `timeouts::woken_otherwise` assumes a step dependent with
/// the task's would have woken it, but a `notify.give_up` that hands nothing on (its waiter's
/// own timeout elapsed) is the same `Notify` access and wakes nobody: the sequence is
/// infeasible and the run repeats a class; *under the count*, a timer firing between its
/// task's wake by a `notify_one` and its poll is an event for the counter, not explored by
/// DPOR (it wakes nobody; the step polls the inner future first; same outcome). Minimize with
/// `-- --ignored --nocapture`. Kept, failing, as the open gap;
/// [`oracle_2_dpor_stays_near_one_execution_per_class`] guards what holds today.
#[test]
#[ignore = "DPOR is not yet optimal on every random program (46 of 10,000 differ, 0.3% redundant executions): the open gap"]
fn oracle_2_dpor_runs_one_execution_per_trace_class() {
    over_programs("oracle 2", |f| matches!(f, Finding::Count(_)));
}

/// What holds of DPOR's count today, per program and in total: it exhausts; it never runs
/// fewer executions than the coarsest count of classes (every failed attempt dropped:
/// [`Model::Retried`]), below which some class would be missing; and over all the programs
/// it stays within [`REDUNDANCY`] of the number of classes (a reduction that degrades toward
/// plain DFS, 77,875 executions on the CI seeds, fails here).
#[test]
fn oracle_2_dpor_stays_near_one_execution_per_class() {
    let mut total = Measured::default();
    let mut below = Vec::new();
    for (seed, _, result) in results() {
        let Some((m, findings)) = result else {
            continue;
        };
        total.add(m);
        let unfinished = findings
            .iter()
            .any(|f| matches!(f, Finding::Count(d) if d.contains("NOT exhausted")));
        if unfinished || m.dpor < m.retried as u64 {
            below.push((*seed, m.dpor, m.retried));
        }
    }
    assert!(
        below.is_empty(),
        "DPOR unfinished, or under the coarsest class count (seed, executions, classes): {below:?}"
    );
    let (num, den) = REDUNDANCY;
    println!(
        "oracle 2 (bounded): {} DPOR executions for {} trace classes",
        total.dpor, total.classes
    );
    assert!(
        total.dpor * den <= total.classes as u64 * num,
        "DPOR ran {} executions for {} trace classes: more than {num}/{den} of them",
        total.dpor,
        total.classes
    );
}

/// The most executions per trace class DPOR may run over a set of programs, as a fraction:
/// measured 1.000 on the CI seeds (1,076 for 1,076) and 1.0034 over 10,000 programs
/// (47,012 for 46,852).
const REDUNDANCY: (u64, u64) = (101, 100);
