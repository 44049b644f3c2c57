//! `mimir/r10-stale-read`: the config read under the lock goes through a caching bucket
//! (`config-concurrency.md` §2.2, §5 R10): the holder sees the version its cache remembers,
//! not the one another server has written since, its precondition check passes, and its
//! write overwrites the newer version.
//!
//! ```text
//! c1 GET via s1 (s1 caches v0) · c2 GET via s2 · c2 POST via s2: s2.put(b) ✓ (201) ·
//! c1 POST via s1: lock ✓ · s1.get(cfg) from its cache = v0 ⇒ If-Match v0 holds ·
//! s1.put(a) ⇒ b lost
//! ```
//!
//! This is also a self-check of the oracle (§7.2 "oracle self-checks"): the stale read is a
//! switch, and O1 must notice it.
//!
//! Plan: servers `s1`, `s2` over a `cas-full` store seeded with the initial config; clients
//! `c1` on `s1` and `c2` on `s2`, one POST each. No faults; §7.6's timings.
//!
//! Variants:
//! - buggy: both servers read the config through a caching bucket ([`crate::mimir::cache`]),
//!   B' without the fence ([`LockRules::REPAIRED_UNFENCED`]);
//! - fixed: the same servers without the cache (§2.2: no caching layer on this path);
//! - fenced: the cache stays, the write is B'6's `put_if_match` on the version read
//!   ([`LockRules::REPAIRED`]): the cached version is an old one, so the store refuses the
//!   write (412).
//!
//! Oracles: O1 first, then O1c, O2, O6.

use std::time::Duration;

use weft_core::faults::Budget;
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::lock;
use super::nodes;
use super::plan::{self, ClientPlan, Plan, Seed};
use crate::mimir::model::oracles::{self, Oracle, NO_LOST_UPDATE};
use crate::mimir::model::{ServerSpec, WorldSpec};
use crate::mimir::profile::Profile;
use crate::mimir::settings::{LockRules, Timing};
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct R10StaleRead;

crate::variants! {
    /// The variants of [`R10StaleRead`].
    pub enum R10Variant {
        Buggy {
            name: "buggy",
            summary: "B' unfenced, the config read under the lock served by a caching bucket",
            expect: Expect::Fail(FailureKind::Assertion, Some(NO_LOST_UPDATE)),
        },
        Fixed {
            name: "fixed",
            summary: "B' unfenced, the config read under the lock goes to the store",
            expect: Expect::Pass,
        },
        Fenced {
            name: "fenced",
            summary: "B' fenced, cached read: put_if_match on the cached version fails",
            expect: Expect::Pass,
        },
    }
}

impl R10Variant {
    /// The lock rules it runs.
    pub fn rules(self) -> LockRules {
        match self {
            R10Variant::Buggy | R10Variant::Fixed => LockRules::REPAIRED_UNFENCED,
            R10Variant::Fenced => LockRules::REPAIRED,
        }
    }

    /// Whether the servers read through a caching bucket.
    pub fn cached(self) -> bool {
        !matches!(self, R10Variant::Fixed)
    }
}

/// The timings: §7.6's.
pub const TIMING: Timing = Timing::DEFAULT;

/// The plan of `variant` (module docs).
pub fn plan(variant: R10Variant) -> Plan {
    let settings = lock::settings(variant.rules(), TIMING);
    let server = |name| {
        let s = ServerSpec::new(name, settings);
        if variant.cached() {
            s.cached_reads()
        } else {
            s
        }
    };
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
            Oracle::NoLostUpdate,
            Oracle::Linearizable,
            Oracle::LockExclusion,
            Oracle::HonestCodes,
        ],
    }
}

impl Scenario for R10StaleRead {
    type Variant = R10Variant;

    const INFO: Info = super::info(super::About {
        name: "mimir/r10-stale-read",
        summary: "a cached config read under the lock passes a stale precondition: lost update",
        spec: "config-concurrency.md §5 R10, §2.2",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[
            oracles::NO_LOST_UPDATE,
            oracles::O1C,
            oracles::LOCK_EXCLUSION,
            oracles::HONEST_CODES,
        ],
        faults: super::faults(&nodes::TWO_SERVERS, Budget::NONE),
    });

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        plan::run(rt, plan(variant))
    }
}
