//! Whether each return value of a sub-history is *explainable* on its own: produced by the
//! spec from some state that operations of the sub-history reach from the initial state,
//! in any order and any number of times, in at most as many applications as the sub-history
//! has operations (real time ignored; a linearization applies each operation once, so no
//! linearization needs a longer path, and the bound keeps growing states such as queues
//! finite).
//!
//! Shrinking uses it to keep witnesses informative ([`shrink`](super::shrink)): removing the
//! write a read saw makes any history non-linearizable ("a read of a value never written"),
//! which is minimal but says nothing about the bug. A candidate witness must be both
//! non-linearizable and explainable: then what cannot be ordered is the interplay of its
//! operations, not a missing one. The search is a breadth-first walk of reachable states,
//! bounded by a budget of spec applications.

use std::collections::{BTreeSet, VecDeque};

use super::history::Operation;
use super::spec::SequentialSpec;

/// What the walk found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Explained {
    /// Every complete operation's return value is produced from some reachable state.
    All,
    /// The first operation (an index) whose return value no reachable state produces.
    Not(usize),
    /// The budget ran out first.
    Unknown,
}

/// Walks the states `ops` reach from `spec.init()`, within `budget` spec applications.
pub(crate) fn explain<S: SequentialSpec>(spec: &S, ops: &[Operation<S>], budget: u64) -> Explained {
    let mut missing: Vec<bool> = ops.iter().map(|o| !o.is_pending()).collect();
    let mut left = missing.iter().filter(|m| **m).count();
    let init = spec.init();
    let mut seen: BTreeSet<S::State> = BTreeSet::from([init.clone()]);
    // Breadth first: a state's depth is the fewest applications that reach it.
    let mut frontier = VecDeque::from([(init, 0usize)]);
    let mut steps = 0u64;
    while let Some((state, depth)) = frontier.pop_front() {
        for (i, o) in ops.iter().enumerate() {
            if left == 0 {
                return Explained::All;
            }
            steps += 1;
            if steps > budget {
                return Explained::Unknown;
            }
            let (next, ret) = spec.apply(&state, &o.op);
            if missing[i] && o.ret.as_ref().is_some_and(|(_, want)| *want == ret) {
                missing[i] = false;
                left -= 1;
            }
            if depth + 1 < ops.len() && !seen.contains(&next) {
                seen.insert(next.clone());
                frontier.push_back((next, depth + 1));
            }
        }
    }
    match missing.iter().position(|m| *m) {
        Some(i) => Explained::Not(i),
        None => Explained::All,
    }
}
