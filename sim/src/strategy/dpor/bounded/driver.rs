//! How the executor drives [`BoundedPor`] ([`Strategy`]): each decision maps the candidates to
//! actor identities, records which picks preempt, and takes the current node's actor (a fresh
//! position takes the free choice); each step is recorded as an event; data choices replay or
//! extend the step's odometer; the end of an execution runs race detection and backtracks
//! (see the parent module).

use smallvec::SmallVec;

use super::{Actors, BoundedPor};
use crate::rng::SimRng;
use crate::strategy::{DecisionPoint, Step, Strategy};

impl Strategy for BoundedPor {
    fn describe(&self) -> String {
        crate::strategy::icb::describe(self.max_bound, self.reached)
    }

    fn begin(&mut self, _index: u64, _seed: u64) -> bool {
        if self.done {
            return false;
        }
        self.mapping.reset();
        self.events.reset();
        self.fresh_choices.clear();
        self.choice_index = 0;
        self.diverged = None;
        self.rng = SimRng::new(0);
        true
    }

    fn pick(&mut self, point: &DecisionPoint<'_>) -> Result<usize, String> {
        if let Some(e) = self.diverged.take() {
            return Err(e);
        }
        let mut cands = Actors::new();
        for c in point.candidates {
            cands.push(
                self.mapping
                    .of(*c)
                    .ok_or_else(|| format!("icb: {c} was never created"))?,
            );
        }
        let k = self.events.len();
        let actor = match self.stack.get(k) {
            Some(node) => node.actor,
            None => {
                let costly: Actors = (0..cands.len())
                    .filter(|i| point.preempts(*i))
                    .map(|i| cands[i])
                    .collect();
                // The free choice: the running task goes on; a yielding one gives way.
                let first = match point.current {
                    Some(c) if point.yielding => (0..cands.len()).find(|i| *i != c).unwrap_or(c),
                    Some(c) => c,
                    None => 0,
                };
                let actor = cands[first];
                self.open(actor, cands.clone(), costly);
                actor
            }
        };
        cands.iter().position(|a| *a == actor).ok_or_else(|| {
            format!(
                "nondeterminism: step {k} ran another actor in an earlier execution with the \
                 same prefix"
            )
        })
    }

    fn choose(&mut self, n: usize) -> Result<usize, String> {
        let idx = self.choice_index;
        self.choice_index += 1;
        let n = n as u32;
        match self.stack.get_mut(self.events.len()) {
            Some(node) if idx < node.choices.len() => {
                let (m, v) = node.choices[idx];
                if m != n {
                    return Err(format!(
                        "nondeterminism: a data choice had {m} options in an earlier execution \
                         and {n} now, with the same prefix"
                    ));
                }
                Ok(v as usize)
            }
            Some(node) => {
                node.choices.push((n, 0));
                Ok(0)
            }
            None => {
                self.fresh_choices.push((n, 0));
                Ok(0)
            }
        }
    }

    fn random(&mut self) -> Result<u64, String> {
        Ok(self.rng.next_u64())
    }

    fn end(&mut self, _decisions: u64) {
        self.stack.truncate(self.events.len());
        if self.diverged.is_none() {
            self.detect_races();
        }
        self.backtrack();
    }

    fn wants_steps(&self) -> bool {
        true
    }

    fn stepped(&mut self, step: &Step<'_>) {
        let Some(actor) = self.mapping.of(step.actor) else {
            self.diverged = Some(format!("icb: {} was never created", step.actor));
            return;
        };
        let k = self.events.len();
        if k >= self.stack.len() {
            // A forced step (one candidate) at a new position.
            self.open(actor, SmallVec::from_slice(&[actor]), Actors::new());
        }
        let node = &mut self.stack[k];
        if node.actor != actor {
            self.diverged = Some(format!(
                "nondeterminism: step {k} ran another actor in an earlier execution with the \
                 same prefix"
            ));
        }
        node.choices.append(&mut self.fresh_choices);
        self.choice_index = 0;
        let enabled = node.enabled.clone();
        self.events
            .push(&mut self.mapping, &mut self.ids, step, actor, enabled);
    }

    /// Exhausted once every bound up to the maximum (or every schedule, without one) ran.
    fn exhausted(&self) -> Option<bool> {
        Some(self.done)
    }

    fn bound_reached(&self) -> Option<u32> {
        self.reached
    }

    fn progress(&self) -> Option<String> {
        let reached = crate::strategy::icb::reached_text(self.reached);
        let pending: usize = self
            .stack
            .iter()
            .map(|n| n.backtrack.iter().filter(|a| !n.done.contains(a)).count())
            .sum();
        Some(format!(
            "bound {}, {reached}, depth {}, {pending} backtrack points pending",
            self.bound,
            self.stack.len()
        ))
    }
}
