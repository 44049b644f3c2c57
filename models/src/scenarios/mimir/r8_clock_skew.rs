//! `mimir/r8-clock-skew`: the issue's staleness rule compares the lock's creation stamp (the
//! holder's wall clock) with the observer's wall clock (`config-concurrency.md` §4.2 B2-B3,
//! §5 R8). An observer whose clock runs more than `T_stale` ahead of the holder's (or a
//! holder whose clock is that far behind) judges a fresh lock stale, takes it over, and two
//! servers are in the critical section at once.
//!
//! ```text
//! s1.put_if_absent ✓ L1 (stamp t) · s2.get(L1): now = t + Δ > t + T_stale ⇒ stale ·
//! s2.delete_if_match(L1) ✓ · s2.put_if_absent ✓ L2 · s1.get(cfg)=v0 · s2.get(cfg)=v0 ·
//! s1.put(a) · s2.put(b)
//! ```
//!
//! Plan: servers `s1`, `s2`, each with clocks the checker chooses from
//! [`Clocks::spec_set`]`(T_stale)` (§7.2: a wall offset in {−(T_stale+1ns), 0,
//! +(T_stale+1ns)} and a drift in {0, ±1e-3}; a data choice of the run, exact first); a
//! `cas-full` store seeded with the initial config; clients `c1` on `s1` and `c2` on `s2`, one
//! POST each. No faults; §7.6's timings.
//!
//! Variants: buggy = B' with the issue's wall-clock rule instead of B'2's
//! ([`Staleness::WallClock`], unfenced, so that the two holders lose an update); fixed = B'
//! ([`LockRules::REPAIRED`]: staleness by observation on each server's own monotonic clock,
//! where only drift matters, and the fence). With the observation rule no server can judge a
//! lock stale within one request at all (`D_acq` < `T_stale`), whatever the clocks.
//!
//! Oracles: O2 first, then O1, O1c, O6.

use std::time::Duration;

use weft_core::faults::Budget;
use weft_core::node::Clocks;
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::lock;
use super::nodes;
use super::plan::{self, ClientPlan, Plan, Seed};
use crate::mimir::model::oracles::{self, Oracle, LOCK_EXCLUSION};
use crate::mimir::model::{ServerSpec, WorldSpec};
use crate::mimir::profile::Profile;
use crate::mimir::settings::{LockRules, Staleness, Timing};
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct R8ClockSkew;

crate::variants! {
    /// The variants of [`R8ClockSkew`].
    pub enum R8Variant {
        Buggy {
            name: "buggy",
            summary: "staleness by wall clock: a skewed observer takes over a fresh lock",
            expect: Expect::Fail(FailureKind::Assertion, Some(LOCK_EXCLUSION)),
        },
        Fixed {
            name: "fixed",
            summary: "B': staleness by observation on the local monotonic clock, fenced write",
            expect: Expect::Pass,
        },
    }
}

impl R8Variant {
    /// The lock rules it runs.
    pub fn rules(self) -> LockRules {
        match self {
            R8Variant::Buggy => LockRules {
                stale: Staleness::WallClock,
                ..LockRules::REPAIRED_UNFENCED
            },
            R8Variant::Fixed => LockRules::REPAIRED,
        }
    }
}

/// The timings: §7.6's.
pub const TIMING: Timing = Timing::DEFAULT;

/// Each server's clocks: §7.2's set for `T_stale`.
pub fn clocks() -> Vec<Clocks> {
    Clocks::spec_set(TIMING.t_stale)
}

/// The plan of `variant` (module docs).
pub fn plan(variant: R8Variant) -> Plan {
    let settings = lock::settings(variant.rules(), TIMING);
    let server = |name| ServerSpec::new(name, settings).clocks_from(clocks());
    Plan {
        world: WorldSpec::new(Profile::CasFull, vec![server("s1"), server("s2")]),
        seed: Seed::Config,
        clients: vec![
            ClientPlan::new("c1", "s1").attempts(1),
            ClientPlan::new("c2", "s2").attempts(1),
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

impl Scenario for R8ClockSkew {
    type Variant = R8Variant;

    const INFO: Info = super::info(super::About {
        name: "mimir/r8-clock-skew",
        summary: "a wall-clock staleness rule under skew takes over a fresh lock: two holders",
        spec: "config-concurrency.md §5 R8",
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
