//! The search for a linearization of one partition: Wing and Gong's backtracking search
//! ("Testing and Verifying Concurrent Objects", JPDC 1993), in the just-in-time form of Lowe
//! ("Testing for linearizability", Concurrency and Computation 2017, §3) with the memoization
//! of Porcupine (Athalye, github.com/anishathalye/porcupine, `checker.go`).
//!
//! The history's events (invocations and responses) sit in time order in a doubly linked
//! list. At each step the search may linearize any operation whose invocation comes before
//! the first response still in the list (it is *minimal*: nothing remaining must precede it),
//! the one whose response comes first tried first ([`candidates`]): it applies the operation
//! to the spec's state, and if the return value matches (a pending operation matches any),
//! removes the operation's events from the list ("lifts" it) and computes the candidates
//! again. When every candidate of a step has been tried, the operations linearized so far
//! cannot be extended: the search backtracks, putting the last linearized operation back and
//! trying the next candidate of its step. It succeeds when every complete operation is
//! linearized: the pending ones left over are those that never took effect.
//!
//! Memoization: a (set of linearized operations, state) pair already seen leads to the same
//! outcome, so the search never expands it twice (a `BTreeSet` of bitset and state; the spec's
//! state is `Ord` for this). The search is exponential in the worst case (the problem is
//! NP-complete, Gibbons and Korach 1997), so it counts spec applications against a budget.

use std::collections::BTreeSet;

use super::history::Operation;
use super::spec::SequentialSpec;

/// How a search ended.
pub(crate) enum Outcome {
    /// A linearization exists.
    Linearizable,
    /// None exists; `longest` is a longest partial linearization found (indexes into the
    /// operations, in linearization order), when asked for.
    Not { longest: Vec<usize> },
    /// The budget of spec applications ran out.
    OutOfBudget,
}

/// A set of operation indexes.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }
    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn clear(&mut self, i: usize) {
        self.0[i / 64] &= !(1 << (i % 64));
    }
}

/// The event list: nodes `0..events` are events, `head` and `tail` sentinels.
struct Events {
    /// Per node: the operation index and whether it is an invocation.
    node: Vec<(usize, bool)>,
    /// Per operation: its invocation node and its response node (`None`: pending).
    of_op: Vec<(usize, Option<usize>)>,
    next: Vec<usize>,
    prev: Vec<usize>,
    head: usize,
    tail: usize,
}

impl Events {
    fn new<S: SequentialSpec>(ops: &[Operation<S>]) -> Events {
        let mut timed: Vec<(u64, usize, bool)> = Vec::with_capacity(ops.len() * 2);
        for (i, o) in ops.iter().enumerate() {
            timed.push((o.call, i, true));
            if let Some((t, _)) = &o.ret {
                timed.push((*t, i, false));
            }
        }
        timed.sort_unstable_by_key(|&(t, i, call)| (t, !call, i));
        let n = timed.len();
        let mut of_op = vec![(0, None); ops.len()];
        let mut node = Vec::with_capacity(n);
        for (k, &(_, i, call)) in timed.iter().enumerate() {
            node.push((i, call));
            if call {
                of_op[i].0 = k;
            } else {
                of_op[i].1 = Some(k);
            }
        }
        // Nodes in order: head, 0, 1, ..., n-1, tail.
        let (head, tail) = (n, n + 1);
        let mut next: Vec<usize> = (1..=n + 2).collect();
        let mut prev: Vec<usize> = (0..n + 2).map(|k| k.wrapping_sub(1)).collect();
        if n > 0 {
            next[n - 1] = tail;
            prev[0] = head;
        }
        next[head] = if n > 0 { 0 } else { tail };
        prev[tail] = if n > 0 { n - 1 } else { head };
        Events {
            node,
            of_op,
            next,
            prev,
            head,
            tail,
        }
    }

    fn unlink(&mut self, x: usize) {
        let (p, n) = (self.prev[x], self.next[x]);
        self.next[p] = n;
        self.prev[n] = p;
    }

    fn relink(&mut self, x: usize) {
        let (p, n) = (self.prev[x], self.next[x]);
        self.next[p] = x;
        self.prev[n] = x;
    }

    fn lift(&mut self, op: usize) {
        let (call, ret) = self.of_op[op];
        self.unlink(call);
        if let Some(r) = ret {
            self.unlink(r);
        }
    }

    /// Undoes the last [`Events::lift`] (links are restored in reverse order).
    fn unlift(&mut self, op: usize) {
        let (call, ret) = self.of_op[op];
        if let Some(r) = ret {
            self.relink(r);
        }
        self.relink(call);
    }
}

/// The operations that may be linearized next: those whose invocation comes before the first
/// response still in the list, the one whose response comes first tried first (pending ones
/// last). Any order is complete; this one follows the real-time order of the responses, which
/// is the order a history whose operations take effect near their responses was made in, so
/// the search rarely backtracks there (the search is still exponential in the worst case).
fn candidates<S: SequentialSpec>(ev: &Events, ops: &[Operation<S>]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut at = ev.next[ev.head];
    while at != ev.tail {
        let (op, is_call) = ev.node[at];
        if !is_call {
            break;
        }
        out.push(op);
        at = ev.next[at];
    }
    out.sort_by_key(|&op| (ops[op].ret.as_ref().map_or(u64::MAX, |(t, _)| *t), op));
    out
}

/// One linearized operation: the state before it, and where the search stood among the
/// candidates of its level when it was chosen.
struct Frame<St> {
    op: usize,
    before: St,
    candidates: Vec<usize>,
    next: usize,
}

/// Searches for a linearization of `ops` (one partition) within `budget` spec applications;
/// with `longest`, also keeps a longest partial linearization for the report.
pub(crate) fn search<S: SequentialSpec>(
    spec: &S,
    ops: &[Operation<S>],
    budget: u64,
    longest: bool,
) -> Outcome {
    let mut ev = Events::new(ops);
    let mut todo = ops.iter().filter(|o| !o.is_pending()).count();
    let mut done = Bits::new(ops.len());
    let mut seen: BTreeSet<(Bits, S::State)> = BTreeSet::new();
    // The linearized operations, in order.
    let mut stack: Vec<Frame<S::State>> = Vec::new();
    let mut best: Vec<usize> = Vec::new();
    let mut state = spec.init();
    let mut steps = 0u64;
    let mut cands = candidates(&ev, ops);
    let mut next = 0;
    loop {
        if todo == 0 {
            return Outcome::Linearizable;
        }
        if let Some(&op) = cands.get(next) {
            next += 1;
            steps += 1;
            if steps > budget {
                return Outcome::OutOfBudget;
            }
            let (after, ret) = spec.apply(&state, &ops[op].op);
            let matches = match &ops[op].ret {
                Some((_, want)) => *want == ret,
                None => true,
            };
            if matches {
                done.set(op);
                if seen.insert((done.clone(), after.clone())) {
                    stack.push(Frame {
                        op,
                        before: std::mem::replace(&mut state, after),
                        candidates: std::mem::take(&mut cands),
                        next,
                    });
                    ev.lift(op);
                    if !ops[op].is_pending() {
                        todo -= 1;
                    }
                    if longest && stack.len() > best.len() {
                        best = stack.iter().map(|f| f.op).collect();
                    }
                    cands = candidates(&ev, ops);
                    next = 0;
                    continue;
                }
                done.clear(op);
            }
        } else {
            // Every candidate tried: the operations linearized so far cannot be extended.
            let Some(frame) = stack.pop() else {
                return Outcome::Not { longest: best };
            };
            done.clear(frame.op);
            state = frame.before;
            ev.unlift(frame.op);
            if !ops[frame.op].is_pending() {
                todo += 1;
            }
            cands = frame.candidates;
            next = frame.next;
        }
    }
}
