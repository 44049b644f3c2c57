//! `mimir/r4-lock-leak`: protocol B as the issue writes it answers 412 without releasing the
//! lock (`config-concurrency.md` §4.2 B5, §5 R4): afterwards every writer of the tenant
//! stalls until the lock goes stale, though nobody is active.
//!
//! Plan: servers `s1`, `s2` over a `cas-full` store seeded with the initial config; clients
//! `c1` on `s1` and `c2` on `s2`, one transaction each, one POST each (no retry): when one
//! commits before the other's critical section reads the config, the other's precondition
//! is false and it answers 412. After the clients, a recovery client `c3` on `s1` writes
//! alone (§6 O4). No faults (τ_f = −∞): O4 says the uncontended recovery write must be
//! answered, not 503, within `D_acq + k·RTT`. §7.6's timings: the leaked lock is seconds old
//! when `c3` writes, far from `T_stale` (60 s), and `c3` gives up after `D_acq` (10 s).
//!
//! Variants: buggy = B as written ([`LockRules::AS_WRITTEN`]); fixed = B'
//! ([`LockRules::REPAIRED`]: `delete_if_match` on the acquired version on every exit path,
//! B'7).
//!
//! Oracles: O3 (`no-leaked-lock`: every request answered, the lock is still there) first,
//! then O4 (the recovery write), O1, O1c and O6. The buggy variant fails both O3 and O4;
//! the scenario reports O3, and `models/check/tests/mimir_lock.rs` runs the same plan with
//! O4 alone.

use std::time::Duration;

use weft_core::faults::Budget;
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::lock::{self, recovery_bound};
use super::nodes;
use super::plan::{self, ClientPlan, Plan, Seed};
use crate::mimir::model::oracles::{self, Oracle, NO_LEAKED_LOCK};
use crate::mimir::profile::Profile;
use crate::mimir::settings::{LockRules, Timing};
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct R4LockLeak;

crate::variants! {
    /// The variants of [`R4LockLeak`].
    pub enum R4Variant {
        Buggy {
            name: "buggy",
            summary: "protocol B as written: a 412 returns without releasing the lock",
            expect: Expect::Fail(FailureKind::Assertion, Some(NO_LEAKED_LOCK)),
        },
        Fixed {
            name: "fixed",
            summary: "protocol B': delete_if_match on the acquired version on every exit path",
            expect: Expect::Pass,
        },
    }
}

impl R4Variant {
    /// The lock rules it runs.
    pub fn rules(self) -> LockRules {
        match self {
            R4Variant::Buggy => LockRules::AS_WRITTEN,
            R4Variant::Fixed => LockRules::REPAIRED,
        }
    }
}

/// The timings: §7.6's.
pub const TIMING: Timing = Timing::DEFAULT;

/// The plan of `variant` (module docs).
pub fn plan(variant: R4Variant) -> Plan {
    let settings = lock::settings(variant.rules(), TIMING);
    Plan {
        world: lock::two_servers(Profile::CasFull, settings),
        seed: Seed::Config,
        clients: vec![
            ClientPlan::new("c1", "s1").attempts(1),
            ClientPlan::new("c2", "s2").attempts(1),
        ],
        settle: Duration::from_secs(1),
        recovery: Some(ClientPlan::new("c3", "s1").attempts(1)),
        fallback: None,
        oracles: vec![
            Oracle::NoLeakedLock,
            Oracle::BoundedRecovery {
                client: "c3",
                within: recovery_bound(&TIMING),
            },
            Oracle::NoLostUpdate,
            Oracle::Linearizable,
            Oracle::HonestCodes,
        ],
    }
}

impl Scenario for R4LockLeak {
    type Variant = R4Variant;

    const INFO: Info = super::info(super::About {
        name: "mimir/r4-lock-leak",
        summary: "protocol B answers 412 without releasing its lock: every later writer stalls",
        spec: "config-concurrency.md §5 R4",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[
            oracles::NO_LEAKED_LOCK,
            oracles::BOUNDED_RECOVERY,
            oracles::NO_LOST_UPDATE,
            oracles::O1C,
            oracles::HONEST_CODES,
        ],
        faults: super::faults(&nodes::TWO_SERVERS, Budget::NONE),
    });

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        plan::run(rt, plan(variant))
    }
}
