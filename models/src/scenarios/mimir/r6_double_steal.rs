//! `mimir/r6-double-steal`: two servers judge the same old lock stale and both take it over
//! with an unconditional `delete` (`config-concurrency.md` §4.2 B3, §5 R6): the second delete
//! removes the *fresh* lock the first just acquired, both are in the critical section, both
//! read v0, both write, both answer 201, and one change is lost. No crash and no clock
//! problem: two observers and the unconditional delete suffice.
//!
//! ```text
//! s1.get(L0) stale · s2.get(L0) stale · s1.delete(lock) · s1.put_if_absent ✓ L1 ·
//! s2.delete(lock) (deletes L1) · s2.put_if_absent ✓ L2 · s1.get(cfg)=v0 · s2.get(cfg)=v0 ·
//! s1.put(a) · s2.put(b)  ⇒ both 201, a lost
//! ```
//!
//! Plan: servers `s1`, `s2`; the store seeded with the initial config and an orphaned lock
//! `L0` ([`Seed::ConfigAndOrphanLock`]: its holder crashed long ago, stamped at wall time 0);
//! clients `c1` on `s1` and `c2` on `s2`, one POST each, starting at `T_stale + 1 s` so that
//! `L0` is stale by the issue's wall-clock rule (exact clocks). No faults.
//!
//! Variants:
//! - buggy: B as written ([`LockRules::AS_WRITTEN`]) on `s3-2024-08` (`put_if_absent` only,
//!   the store B is meant for, §7.5);
//! - fixed: the steal is `delete_if_match` on the version judged stale (§4.3 B'3), on
//!   `cas-full`: the second observer's delete fails because the current version is the fresh
//!   lock. The release is B'7's too (`delete_if_match` on every exit), so that the loser's 412
//!   does not leak the lock (R4) and the run stays short; nothing else of B changes.
//!
//! Oracles: O2 (`lock-exclusion`: a config write applied while the lock is another
//! request's) first, then O1, O1c, O6.

use std::time::Duration;

use weft_core::faults::Budget;
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::lock;
use super::nodes;
use super::plan::{self, ClientPlan, Plan, Seed};
use crate::mimir::model::oracles::{self, Oracle, LOCK_EXCLUSION};
use crate::mimir::profile::Profile;
use crate::mimir::settings::{LockRules, Release, Steal, Timing};
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct R6DoubleSteal;

crate::variants! {
    /// The variants of [`R6DoubleSteal`].
    pub enum R6Variant {
        Buggy {
            name: "buggy",
            summary: "protocol B as written: a stale lock is removed with an unconditional delete",
            expect: Expect::Fail(FailureKind::Assertion, Some(LOCK_EXCLUSION)),
        },
        Fixed {
            name: "fixed",
            summary: "the stale lock is removed with delete_if_match on the version judged stale",
            expect: Expect::Pass,
        },
    }
}

impl R6Variant {
    /// The lock rules it runs.
    pub fn rules(self) -> LockRules {
        match self {
            R6Variant::Buggy => LockRules::AS_WRITTEN,
            R6Variant::Fixed => LockRules {
                steal: Steal::DeleteIfMatch,
                release: Release::EveryExit,
                ..LockRules::AS_WRITTEN
            },
        }
    }

    /// The store's profile.
    pub fn profile(self) -> Profile {
        match self {
            R6Variant::Buggy => Profile::S3_2024_08,
            R6Variant::Fixed => Profile::CasFull,
        }
    }
}

/// The timings: §7.6's.
pub const TIMING: Timing = Timing::DEFAULT;

/// The plan of `variant` (module docs).
pub fn plan(variant: R6Variant) -> Plan {
    let settings = lock::settings(variant.rules(), TIMING);
    let start = TIMING.t_stale + Duration::from_secs(1);
    Plan {
        world: lock::two_servers(variant.profile(), settings),
        seed: Seed::ConfigAndOrphanLock,
        clients: vec![
            ClientPlan::new("c1", "s1").attempts(1).after(start),
            ClientPlan::new("c2", "s2").attempts(1).after(start),
        ],
        settle: Duration::from_secs(1),
        recovery: None,
        fallback: None,
        oracles: vec![
            Oracle::LockExclusion,
            Oracle::NoLostUpdate,
            Oracle::Linearizable,
            Oracle::HonestCodes,
        ],
    }
}

impl Scenario for R6DoubleSteal {
    type Variant = R6Variant;

    const INFO: Info = super::info(super::About {
        name: "mimir/r6-double-steal",
        summary: "two observers delete a stale lock; the second deletes the first's fresh lock",
        spec: "config-concurrency.md §5 R6",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[
            oracles::LOCK_EXCLUSION,
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
