//! Uniform random walk: every candidate equally likely at every decision.

use weft_core::faults::FaultKind;

use super::{DecisionPoint, Strategy};
use crate::rng::SimRng;

/// Uniform random choice at every decision, seeded per execution.
#[derive(Debug)]
pub struct RandomWalk {
    rng: SimRng,
}

impl Default for RandomWalk {
    fn default() -> Self {
        RandomWalk {
            rng: SimRng::new(0),
        }
    }
}

impl Strategy for RandomWalk {
    fn describe(&self) -> String {
        "random".to_string()
    }

    fn begin(&mut self, _index: u64, seed: u64) -> bool {
        self.rng = SimRng::new(seed);
        true
    }

    fn pick(&mut self, point: &DecisionPoint<'_>) -> Result<usize, String> {
        let n = point.candidates.len();
        match point.current {
            // A yielding task lets the others go first.
            Some(c) if point.yielding => {
                let i = self.rng.below(n - 1);
                Ok(if i >= c { i + 1 } else { i })
            }
            _ => Ok(self.rng.below(n)),
        }
    }

    fn choose(&mut self, n: usize) -> Result<usize, String> {
        Ok(self.rng.below(n))
    }

    fn random(&mut self) -> Result<u64, String> {
        Ok(self.rng.next_u64())
    }

    fn fault(&mut self, _kind: FaultKind, n: usize) -> Result<usize, String> {
        Ok(super::sample_fault(&mut self.rng, n))
    }

    fn end(&mut self, _decisions: u64) {}
}
