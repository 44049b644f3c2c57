//! `mimir/r5-holder-crash`: the lock holder crashes and nothing ever judges its lock stale
//! (`config-concurrency.md` §5 R5): every later write of the tenant waits for a lock nobody
//! will release, and gives up with 503.
//!
//! Plan: servers `s1`, `s2` over a `cas-full` store seeded with the initial config; client
//! `c1` on `s1`, one POST. Budget: one crash, at any crash point (§7.2); the ones that matter
//! are `s1`'s after `put_if_absent(lock)`, after `get(cfg)` under the lock and after
//! `put(cfg)` under the lock, which orphan the lock. `c1`'s request then times out (30 s,
//! §7.6). After it, the run settles `T_stale·(1+ρ) + B_cap` (62.06 s with §7.6's timings and
//! ρ = 1e-3), so that the recovery client `c2` on `s2` starts at least that long after the
//! crash, alone: O4 (§6) says its write must be answered, not 503, within `D_acq + k·RTT`.
//! A crash during the recovery write itself puts it out of O4's reach (`plan` module docs).
//!
//! Variants:
//! - buggy: B as written with [`Staleness::Never`];
//! - fixed: B as written ([`LockRules::AS_WRITTEN`]): the wall-clock rule, which is
//!   right here because every clock is exact (skew is R8's business). The orphan is older
//!   than `T_stale` by `s2`'s wall clock, `s2` deletes it and acquires;
//! - observed: B' ([`LockRules::REPAIRED`]): staleness by observation (B'2). `s2` first
//!   sees the orphan when the recovery write starts, and the same version must then stay
//!   for `T_stale` (60 s) of `s2`'s clock, longer than `D_acq` (10 s): 503. O4 as §6 states
//!   it fails for B' whenever no server has been watching the lock since the crash; this
//!   variant records that (see `models/check/tests/mimir_lock.rs`).
//!
//! Oracles: O4 first, then O1, O1c, O6.

use weft_core::faults::{Budget, FaultKind};
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::lock::{self, after_crash, recovery_bound};
use super::nodes;
use super::plan::{self, ClientPlan, Plan, Seed};
use crate::mimir::model::oracles::{self, Oracle, BOUNDED_RECOVERY};
use crate::mimir::profile::Profile;
use crate::mimir::settings::{LockRules, Staleness, Timing};
use crate::scenario::{Expect, Faults, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct R5HolderCrash;

crate::variants! {
    /// The variants of [`R5HolderCrash`].
    pub enum R5Variant {
        Buggy {
            name: "buggy",
            summary: "no staleness rule: a crashed holder's lock stays forever",
            expect: Expect::Fail(FailureKind::Assertion, Some(BOUNDED_RECOVERY)),
        },
        Fixed {
            name: "fixed",
            summary: "the issue's wall-clock staleness rule (exact clocks): the orphan is \
                      deleted after T_stale",
            expect: Expect::Pass,
        },
        Observed {
            name: "observed",
            summary: "B'2's staleness by observation: a server that first sees the orphan \
                      waits T_stale > D_acq, so O4's bound does not hold",
            expect: Expect::Fail(FailureKind::Assertion, Some(BOUNDED_RECOVERY)),
        },
    }
}

impl R5Variant {
    /// The lock rules it runs.
    pub fn rules(self) -> LockRules {
        match self {
            R5Variant::Buggy => LockRules {
                stale: Staleness::Never,
                ..LockRules::AS_WRITTEN
            },
            R5Variant::Fixed => LockRules::AS_WRITTEN,
            R5Variant::Observed => LockRules::REPAIRED,
        }
    }
}

/// The timings: §7.6's.
pub const TIMING: Timing = Timing::DEFAULT;

/// The fault budget: one crash.
pub const BUDGET: Budget = Budget::NONE.with(FaultKind::Crash, 1);

/// The plan of `variant` (module docs).
pub fn plan(variant: R5Variant) -> Plan {
    let settings = lock::settings(variant.rules(), TIMING);
    Plan {
        world: lock::two_servers(Profile::CasFull, settings),
        seed: Seed::Config,
        clients: vec![ClientPlan::new("c1", "s1").attempts(1)],
        settle: after_crash(&TIMING),
        recovery: Some(ClientPlan::new("c2", "s2").attempts(1)),
        fallback: None,
        oracles: vec![
            Oracle::BoundedRecovery {
                client: "c2",
                within: recovery_bound(&TIMING),
            },
            Oracle::NoLostUpdate,
            Oracle::Linearizable,
            Oracle::HonestCodes,
        ],
    }
}

impl Scenario for R5HolderCrash {
    type Variant = R5Variant;

    const INFO: Info = super::info(super::About {
        name: "mimir/r5-holder-crash",
        summary: "the lock holder crashes and no staleness rule frees its lock: writes stall",
        spec: "config-concurrency.md §5 R5",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[
            oracles::BOUNDED_RECOVERY,
            oracles::NO_LOST_UPDATE,
            oracles::O1C,
            oracles::HONEST_CODES,
        ],
        faults: Faults {
            nodes: &nodes::TWO_SERVERS,
            budget: BUDGET,
            crash_points: &[
                "after put_if_absent(lock)",
                "after get(cfg) under the lock",
                "after put(cfg) under the lock",
            ],
        },
    });

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        plan::run(rt, plan(variant))
    }
}
