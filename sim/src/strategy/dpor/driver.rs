//! How the executor drives [`Dpor`] ([`Strategy`]): each decision maps the candidates to
//! actor identities and takes the current node's actor, each step is recorded as an event,
//! data choices replay or extend the step's odometer, and the end of an execution runs race
//! detection and backtracks (see the parent module).

use smallvec::SmallVec;

use super::choices::first_open;
use super::identity::ActorId;
use super::wakeup::{leaves, Forest};
use super::Dpor;
use crate::rng::SimRng;
use crate::strategy::{Candidate, DecisionPoint, NodeStep, Step, Strategy};

impl Strategy for Dpor {
    fn describe(&self) -> String {
        "dpor".to_string()
    }

    fn begin(&mut self, _index: u64, _seed: u64) -> bool {
        if self.exhausted {
            return false;
        }
        self.mapping.reset();
        self.events.reset();
        self.choice_index = 0;
        self.candidates = None;
        self.diverged = None;
        self.rng = SimRng::new(0);
        true
    }

    fn pick(&mut self, point: &DecisionPoint<'_>) -> Result<usize, String> {
        if let Some(e) = self.diverged.take() {
            return Err(e);
        }
        let mut cands: SmallVec<[ActorId; 4]> = SmallVec::new();
        for c in point.candidates {
            cands.push(
                self.mapping
                    .of(*c)
                    .ok_or_else(|| format!("dpor: {c} was never created"))?,
            );
        }
        // Without a wakeup sequence, keep the running task (no preemption), unless it yields.
        let prefer: SmallVec<[ActorId; 4]> = match point.current {
            Some(c) if point.yielding => cands
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != c)
                .map(|(_, a)| *a)
                .collect(),
            Some(c) => SmallVec::from_slice(&[cands[c]]),
            None => SmallVec::new(),
        };
        let actor = self.decide(&cands, &prefer)?;
        let index = cands.iter().position(|a| *a == actor).unwrap_or(0);
        self.candidates = Some(cands);
        Ok(index)
    }

    fn choose(&mut self, n: usize) -> Result<usize, String> {
        let idx = self.choice_index;
        self.choice_index += 1;
        let n = n as u32;
        match self.stack.get_mut(self.events.len()) {
            Some(node)
                if idx < node.choices.len() && idx < node.fixed && node.choices[idx].0 != n =>
            {
                // The wakeup branch's values do not fit the step as it runs here: the rest
                // of its choices are free.
                node.choices.truncate(idx);
                node.fixed = idx;
                let v = first_open(&node.sleep, node.actor, &node.choices, n).unwrap_or(0);
                node.choices.push((n, v));
                Ok(v as usize)
            }
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
                let v = first_open(&node.sleep, node.actor, &node.choices, n).unwrap_or(0);
                node.choices.push((n, v));
                Ok(v as usize)
            }
            // No node: the step was not announced (`pick` or `forced`); its values are
            // recorded when it has run.
            None => Ok(0),
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

    fn forced(&mut self, actor: Candidate) {
        if self.diverged.is_some() {
            return;
        }
        let Some(actor) = self.mapping.of(actor) else {
            self.diverged = Some(format!("dpor: {actor} was never created"));
            return;
        };
        if self.events.len() >= self.stack.len() {
            self.open(&[actor], &[actor]);
        }
    }

    fn stepped(&mut self, step: &Step<'_>) {
        let Some(actor) = self.mapping.of(step.actor) else {
            self.diverged = Some(format!("dpor: {} was never created", step.actor));
            return;
        };
        let k = self.events.len();
        let enabled = match self.candidates.take() {
            Some(c) if step.decided => c,
            _ => SmallVec::from_slice(&[actor]),
        };
        if k >= self.stack.len() {
            // A forced step (one candidate) at a new position.
            self.open(&[actor], &[actor]);
        }
        let node = &mut self.stack[k];
        if node.actor != actor {
            if k < self.frontier {
                self.diverged = Some(format!(
                    "nondeterminism: step {k} ran another actor in an earlier execution with \
                     the same prefix"
                ));
            } else {
                // The frontier's branch could not run: the forced actor runs instead.
                self.stats.infeasible += 1;
                node.actor = actor;
                node.followed = Forest::new();
                node.fixed = 0;
            }
        }
        node.choices = step.choices.iter().copied().collect();
        node.fixed = node.fixed.min(node.choices.len());
        self.choice_index = 0;
        self.events
            .push(&mut self.mapping, &mut self.ids, step, actor, enabled);
    }

    /// A resume or restart: an event of its node's actor at the next position, forced (see
    /// the parent module).
    fn node_stepped(&mut self, step: &NodeStep) {
        if self.diverged.is_some() {
            return;
        }
        let name = self.events.name(step.node);
        let actor = self.ids.node(name);
        let k = self.events.len();
        if k >= self.stack.len() {
            self.open(&[actor], &[actor]);
        }
        let node = &mut self.stack[k];
        if node.actor != actor {
            if k < self.frontier {
                self.diverged = Some(format!(
                    "nondeterminism: step {k} ran another actor in an earlier execution with \
                     the same prefix"
                ));
                return;
            }
            // The frontier's branch could not run: the node step comes first.
            self.stats.infeasible += 1;
            node.actor = actor;
            node.followed = Forest::new();
        }
        node.choices.clear();
        node.fixed = 0;
        self.events
            .push_node(&mut self.mapping, &mut self.ids, step, actor, name);
    }

    fn exhausted(&self) -> Option<bool> {
        Some(self.exhausted)
    }

    /// The depth of the current execution and the wakeup branches still pending along it.
    fn progress(&self) -> Option<String> {
        let pending: usize = self.stack.iter().map(|n| leaves(&n.wut)).sum();
        Some(format!(
            "depth {}, {pending} wakeup sequences pending, {} infeasible, {} sleep-blocked",
            self.stack.len(),
            self.stats.infeasible,
            self.stats.sleep_blocked
        ))
    }
}
