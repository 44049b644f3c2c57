//! [`Schedule`]: the seed plus every decision an execution made.
//!
//! Only real decisions are recorded: a step where one task was runnable and no timer was due,
//! or a `choose(1)`, is forced and leaves no trace. Replaying therefore needs exactly the
//! recorded decisions, and a schedule stays short (a few bytes per preemption-relevant step).

use std::fmt;

use weft_core::faults::FaultKind;

/// One decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Poll this task next (by task index: 0 is the root task, then in spawn order).
    Task(u32),
    /// Fire this timer next (by timer index, in creation order).
    Timer(u32),
    /// A data choice (`Runtime::choose`): the chosen value.
    Choice(u32),
    /// A random draw (`Runtime::rand_u64`): the drawn value.
    Random(u64),
    /// A fault decision ([`weft_core::faults`]): `chosen` 0 is "no fault", `k >= 1` injects
    /// a fault of `kind` with option `k - 1`.
    Fault {
        /// What kind of fault the opportunity was for.
        kind: FaultKind,
        /// 0 for none, else the option plus one.
        chosen: u32,
    },
}

impl Decision {
    /// Whether this is a fault decision (a schedule with one is written in format 3).
    pub fn is_fault(&self) -> bool {
        matches!(self, Decision::Fault { .. })
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Decision::Task(t) => write!(f, "task {t}"),
            Decision::Timer(t) => write!(f, "timer {t}"),
            Decision::Choice(c) => write!(f, "choice {c}"),
            Decision::Random(r) => write!(f, "random {r:#x}"),
            Decision::Fault { kind, chosen: 0 } => write!(f, "no {kind}"),
            Decision::Fault { kind, chosen } => write!(f, "{kind} (option {})", chosen - 1),
        }
    }
}

/// An execution's seed and decisions; its string form is [`crate::codec`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Schedule {
    /// The execution's seed (what the strategy's RNG was seeded with).
    pub seed: u64,
    /// Every non-forced decision, in order.
    pub decisions: Vec<Decision>,
}

impl Schedule {
    /// An empty schedule for `seed`.
    pub fn new(seed: u64) -> Self {
        Schedule {
            seed,
            decisions: Vec::new(),
        }
    }

    /// The compact string form ([`crate::codec::encode`]).
    pub fn encode(&self) -> String {
        crate::codec::encode(self)
    }

    /// Parses the string form ([`crate::codec::decode`]).
    pub fn decode(s: &str) -> Result<Schedule, crate::codec::DecodeError> {
        crate::codec::decode(s)
    }
}
