//! `sct/*`: a public suite of small buggy programs, each with a fixed twin, in the style of
//! SCTBench (Thomson, Donaldson, Betts, "Concurrency Testing Using Controlled Schedulers: An
//! Empirical Study", TOPC 2016), written once over [`Runtime`](weft_core::Runtime).
//!
//! Each program is one file. Its documentation states the bug, the fewest preemptions a
//! schedule needs to expose it, how many tasks it runs (the root included) and its SCTBench
//! ancestor (or the pattern, where SCTBench has no counterpart). The preemption minima are
//! also values, in [`SUITE`], so that tests and tables read them from one place; a test
//! (`tests/sct.rs`) checks them with preemption-bounded DFS: bound `k - 1` exhausts without
//! the failure, bound `k` finds it.
//!
//! A preemption is a switch away from a task that could have gone on (it stopped at a
//! scheduling point and is still runnable); switching when the running task blocks or
//! finishes is free. The programs are the same at both [`Scale`](crate::scenario::Scale)s:
//! their spaces are small enough for exhaustive search, and they are meant to measure how
//! quickly a sampling strategy finds a bug, not to make it likely.

mod aba_stack;
mod abba_deadlock;
mod atomicity;
mod bounded_buffer;
mod bounded_retry;
mod data_choice;
mod dining_philosophers;
mod double_checked_locking;
mod lost_wakeup;
mod order_violation;
mod pool_overflow;
mod rwlock_upgrade;
mod seqlock_torn_read;
mod timeout_race;
mod wait_group_misuse;
mod work_stealing;

pub use aba_stack::{AbaStack, AbaStackVariant, STACK_OWNERSHIP};
pub use abba_deadlock::{AbbaDeadlock, AbbaDeadlockVariant};
pub use atomicity::{Atomicity, AtomicityVariant, LOST_UPDATE};
pub use bounded_buffer::{BoundedBuffer, BoundedBufferVariant, TAKE_FROM_EMPTY};
pub use bounded_retry::{BoundedRetry, BoundedRetryVariant, RETRIES_EXHAUSTED};
pub use data_choice::{DataChoice, DataChoiceVariant, INSERT_ONCE};
pub use dining_philosophers::{DiningPhilosophers, DiningPhilosophersVariant};
pub use double_checked_locking::{
    DoubleCheckedLocking, DoubleCheckedLockingVariant, UNINITIALIZED_READ,
};
pub use lost_wakeup::{LostWakeup, LostWakeupVariant};
pub use order_violation::{OrderViolation, OrderViolationVariant, USE_BEFORE_INIT};
pub use pool_overflow::{PoolOverflow, PoolOverflowVariant, POOL_LIMIT};
pub use rwlock_upgrade::{RwLockUpgrade, RwLockUpgradeVariant, OVERDRAWN};
pub use seqlock_torn_read::{SeqlockTornRead, SeqlockTornReadVariant, TORN_READ};
pub use timeout_race::{TimeoutRace, TimeoutRaceVariant, COMPLETED_ONCE};
pub use wait_group_misuse::{WaitGroupMisuse, WaitGroupMisuseVariant};
pub use work_stealing::{WorkStealing, WorkStealingVariant, TAKEN_ONCE};

use weft_core::OracleId;

use crate::scenario::{Info, Scenario, Variant};

const SYSTEM: &str = "SCT suite (SCTBench-style)";

/// The measurement protocol of the suite: a sampling strategy must find each buggy variant
/// within this many executions ...
pub const BUDGET: u64 = 10_000;
/// ... for every one of these seeds (the table's min/median/max are over them too).
pub const SEEDS: std::ops::RangeInclusive<u64> = 1..=10;

/// One suite program: its scenario and the fewest preemptions a schedule needs to fail it.
#[derive(Clone, Copy, Debug)]
pub struct Program {
    /// The scenario (`sct/...`).
    pub info: &'static Info,
    /// The fewest preemptions any failing schedule of the buggy variant has (what
    /// iterative context bounding must report).
    pub preemptions: u32,
}

const fn program<S: Scenario>(preemptions: u32) -> Program {
    Program {
        info: &S::INFO,
        preemptions,
    }
}

/// Whether the scenario called `name` is one of the suite's programs.
pub fn contains(name: &str) -> bool {
    SUITE.iter().any(|p| p.info.name == name)
}

/// Every suite program, in `weft list` order, with its preemption minimum (each also stated
/// in its file's documentation).
pub const SUITE: [Program; 16] = [
    program::<Atomicity>(1),
    program::<OrderViolation>(0),
    program::<LostWakeup>(1),
    program::<AbbaDeadlock>(1),
    program::<DiningPhilosophers>(1),
    program::<BoundedBuffer>(0),
    program::<RwLockUpgrade>(1),
    program::<DoubleCheckedLocking>(1),
    program::<AbaStack>(1),
    program::<WorkStealing>(2),
    program::<SeqlockTornRead>(1),
    program::<BoundedRetry>(3),
    program::<PoolOverflow>(1),
    program::<DataChoice>(1),
    program::<TimeoutRace>(1),
    program::<WaitGroupMisuse>(0),
];

/// The [`Info`] of a suite program: everything but its name, summary, ancestor, variants,
/// oracles and task count is the same for all (no leak oracle, no clock, nothing tolerated).
const fn info(
    name: &'static str,
    summary: &'static str,
    ancestor: &'static str,
    variants: &'static [Variant],
    oracles: &'static [OracleId],
    max_tasks: usize,
) -> Info {
    Info {
        name,
        system: SYSTEM,
        summary,
        spec: ancestor,
        variants,
        oracles,
        max_tasks,
        needs_quiescence: false,
        needs_clock: false,
        tolerates: &[],
        may_outlive: &[],
        faults: crate::scenario::Faults::NONE,
    }
}
