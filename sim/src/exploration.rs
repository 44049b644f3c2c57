//! [`Exploration`]: what one exploration of a run is, a root seed and a strategy. A run
//! explores its [`Config`]'s; a stale regression entry adds its own
//! ([`crate::regression`]), which is what the entry records.

use std::fmt;

use crate::config::Config;
use crate::strategy::StrategyKind;

/// A root seed and a strategy: execution `i` of the exploration uses
/// [`execution_seed`](crate::rng::execution_seed)`(seed, i)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exploration {
    /// Root seed.
    pub seed: u64,
    /// Strategy.
    pub strategy: StrategyKind,
    /// DFS preemption bound.
    pub preemption_bound: Option<u32>,
}

impl Exploration {
    /// The exploration `config` asks for.
    pub fn of(config: &Config) -> Exploration {
        Exploration {
            seed: config.seed,
            strategy: config.strategy,
            preemption_bound: config.preemption_bound,
        }
    }
}

impl fmt::Display for Exploration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "strategy {}", self.strategy)?;
        match self.preemption_bound {
            Some(k) => write!(f, ", preemption bound {k}"),
            None => Ok(()),
        }
    }
}
