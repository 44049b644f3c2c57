//! Soundness evidence for DPOR under crash and pause faults: the differential test's random
//! programs with nodes ([`differential::nodes`]), explored with plain exhaustive DFS (the
//! reference) and with DPOR.
//!
//! For each program whose DFS exhausts within [`DFS_BUDGET`]:
//!
//! - DPOR exhausts, and reaches exactly the set of outcomes (final values, observations,
//!   failure kinds, data races) DFS reaches;
//! - DPOR never runs more executions than DFS;
//!
//! It also reports (without asserting yet) where DPOR's model of dependency and enabling is
//! imprecise: a wakeup step it could not run (`infeasible`) or a decision where every
//! candidate was asleep (`sleep_blocked`), both redundant executions.
//!
//! CI runs [`DEFAULT_PROGRAMS`] programs; `WEFT_DIFF_NODE_PROGRAMS=N` runs `N` (and
//! `WEFT_DIFF_NODE_FIRST=S` starts at seed `S`).

#[allow(dead_code)] // the differential test's helpers, not all used here
mod differential {
    pub mod classes;
    pub mod explore;
    pub mod interp;
    pub mod minimize;
    pub mod nodes;
    pub mod program;
}

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex as StdMutex};

use differential::explore::{explore, Outcome};
use differential::program::{Program, Size};
use weft_sim::strategy::{Dfs, Dpor, DporStats};

/// Programs CI runs.
const DEFAULT_PROGRAMS: u64 = 150;

/// DFS executions a program may take; a program whose DFS does not finish within it is
/// skipped (and counted).
const DFS_BUDGET: u64 = 5_000;

/// Up to three outcomes of `a` that are not in `b`, one per line.
fn missing(a: &BTreeSet<&Outcome>, b: &BTreeSet<&Outcome>) -> String {
    a.difference(b)
        .take(3)
        .map(|o| format!("\n    {o:?}"))
        .collect()
}

#[test]
fn dpor_reaches_the_outcomes_dfs_reaches_under_crashes_and_pauses() {
    let seeds = differential::program::seeds_from_env(
        "WEFT_DIFF_NODE_FIRST",
        "WEFT_DIFF_NODE_PROGRAMS",
        DEFAULT_PROGRAMS,
    );
    let (mut checked, mut skipped, mut dfs_total, mut dpor_total) = (0, 0, 0, 0);
    let (mut crashed, mut with_restart) = (0, 0);
    let mut stats = DporStats::default();
    let mut mismatches = Vec::new();
    let mut imprecise = Vec::new();
    for seed in seeds {
        let p = Program::generate_with_nodes(seed, Size::SMALL);
        let dfs = explore(&p, Box::new(Dfs::new(None)), DFS_BUDGET);
        if !dfs.exhausted {
            skipped += 1;
            continue;
        }
        let dpor = Arc::new(StdMutex::new(Dpor::new()));
        let red = explore(&p, Box::new(dpor.clone()), DFS_BUDGET);
        let s = dpor.lock().unwrap().stats();
        if s.infeasible + s.sleep_blocked > 0 {
            imprecise.push(seed);
        }
        stats.infeasible += s.infeasible;
        stats.sleep_blocked += s.sleep_blocked;
        checked += 1;
        dfs_total += dfs.executions;
        dpor_total += red.executions;
        let (a, b) = (dfs.outcomes(), red.outcomes());
        crashed += a.iter().any(|o| o.record.done.iter().any(|d| !d)) as u32;
        with_restart += p.faults.restart_ms.is_some() as u32;
        let mut wrong = Vec::new();
        if a != b {
            wrong.push(format!(
                "outcome sets differ\n  only under DFS:{}\n  only under DPOR:{}",
                missing(&a, &b),
                missing(&b, &a)
            ));
        }
        if !red.exhausted || red.executions > dfs.executions {
            wrong.push(format!(
                "DPOR: {} executions (exhausted: {}), DFS: {}",
                red.executions, red.exhausted, dfs.executions
            ));
        }
        if !wrong.is_empty() {
            if mismatches.len() < 3 {
                println!("MISMATCH, seed {seed}:\n{p}{}\n", wrong.join("\n"));
            }
            mismatches.push(seed);
        }
    }
    println!(
        "nodes: {checked} programs checked ({with_restart} restarting, {crashed} with an \
         unfinished task), {skipped} skipped (DFS over {DFS_BUDGET}), {} mismatches; {dfs_total} \
         DFS executions, {dpor_total} DPOR executions; {} infeasible, {} sleep-blocked",
        mismatches.len(),
        stats.infeasible,
        stats.sleep_blocked
    );
    assert!(mismatches.is_empty(), "mismatches at seeds {mismatches:?}");
    assert!(checked > 0, "no program was checked");
    // Not asserted yet: the programs where DPOR's model was imprecise (redundant executions,
    // never missed outcomes: the assertions above hold on them).
    println!("imprecise (infeasible or sleep-blocked) at seeds {imprecise:?}");
}
