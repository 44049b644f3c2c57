//! `mimir/r9-ambiguous-acquire`: a lock operation whose outcome the server cannot know
//! (`config-concurrency.md` §4.3 B'1, §5 R9). The acquire's `put_if_absent` is applied (or
//! not) but its caller only learns "unknown":
//! - treated as acquired, the server may write holding a lock it never created, beside the
//!   real holder (R9 a's second half, two holders);
//! - treated as not acquired and retried, the retry meets the server's *own* lock, which
//!   nobody will ever release: it and every later writer stall until it goes stale (R9 a,
//!   the self-stall).
//!
//! Plan: servers `s1`, `s2` over a `cas-full` store seeded with the initial config; clients
//! `c1` on `s1` and `c2` on `s2`, one POST each; after them (1 s later) a recovery client `c3`
//! on `s2`, with two attempts so that one lost client message does not decide its verdict.
//! Budget: one ambiguous outcome (§7.2 "Unknown outcome (applied or not, scheduler's
//! choice)") on any request of either network; the ones that matter are the acquires. An
//! ambiguous outcome is not a crash or a pause: O4 holds the recovery write to its bound
//! (§5 R9 "O4 with a lost response not counted as a fault"). §7.6's timings: an orphan of the
//! self-stall stays for `T_stale` (60 s) of observation, far longer than the run.
//!
//! Variants, each B' ([`LockRules::REPAIRED`]) with [`LockRules::ambiguous`] set:
//! - assume-held ([`Ambiguous::AssumeHeld`]): O2 fails (a config write applied while the lock
//!   is another request's, or nobody's);
//! - retry ([`Ambiguous::Retry`]): O4 fails (the recovery write finds the orphan and 503s);
//! - fixed ([`Ambiguous::CheckToken`], B'1): read the lock and compare the token in its body.
//!   It also needs B'7's release to retry a release whose outcome is unknown (R9 c), which
//!   `protocol_b` does.
//!
//! Oracles: O2, then O4, O1, O1c, O6.

use std::time::Duration;

use weft_core::faults::{Budget, FaultKind};
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::lock::{self, recovery_bound};
use super::nodes;
use super::plan::{self, ClientPlan, Plan, Seed};
use crate::mimir::model::oracles::{self, Oracle, BOUNDED_RECOVERY, LOCK_EXCLUSION};
use crate::mimir::profile::Profile;
use crate::mimir::settings::{Ambiguous, LockRules, Timing};
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct R9AmbiguousAcquire;

crate::variants! {
    /// The variants of [`R9AmbiguousAcquire`].
    pub enum R9Variant {
        AssumeHeld {
            name: "assume-held",
            summary: "an acquire with an unknown outcome is taken as acquired: two holders",
            expect: Expect::Fail(FailureKind::Assertion, Some(LOCK_EXCLUSION)),
        },
        Retry {
            name: "retry",
            summary: "an acquire with an unknown outcome is retried: the server stalls on its \
                      own lock, and so does the next writer",
            expect: Expect::Fail(FailureKind::Assertion, Some(BOUNDED_RECOVERY)),
        },
        Fixed {
            name: "fixed",
            summary: "B'1: read the lock back and compare its token with ours",
            expect: Expect::Pass,
        },
    }
}

impl R9Variant {
    /// The lock rules it runs.
    pub fn rules(self) -> LockRules {
        let ambiguous = match self {
            R9Variant::AssumeHeld => Ambiguous::AssumeHeld,
            R9Variant::Retry => Ambiguous::Retry,
            R9Variant::Fixed => Ambiguous::CheckToken,
        };
        LockRules {
            ambiguous,
            ..LockRules::REPAIRED
        }
    }
}

/// The timings: §7.6's.
pub const TIMING: Timing = Timing::DEFAULT;

/// The fault budget: one ambiguous outcome.
pub const BUDGET: Budget = Budget::NONE.with(FaultKind::Ambiguous, 1);

/// The plan of `variant` (module docs).
pub fn plan(variant: R9Variant) -> Plan {
    let settings = lock::settings(variant.rules(), TIMING);
    Plan {
        world: lock::two_servers(Profile::CasFull, settings),
        seed: Seed::Config,
        clients: vec![
            ClientPlan::new("c1", "s1").attempts(1),
            ClientPlan::new("c2", "s2").attempts(1),
        ],
        settle: Duration::from_secs(1),
        recovery: Some(ClientPlan::new("c3", "s2").attempts(2)),
        fallback: None,
        oracles: vec![
            Oracle::LockExclusion,
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

impl Scenario for R9AmbiguousAcquire {
    type Variant = R9Variant;

    const INFO: Info = super::info(super::About {
        name: "mimir/r9-ambiguous-acquire",
        summary: "an acquire with an unknown outcome: assumed held (two holders) or retried \
                  (the server stalls on its own lock)",
        spec: "config-concurrency.md §5 R9",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[
            oracles::LOCK_EXCLUSION,
            oracles::BOUNDED_RECOVERY,
            oracles::NO_LOST_UPDATE,
            oracles::O1C,
            oracles::HONEST_CODES,
        ],
        faults: super::faults(&nodes::TWO_SERVERS, BUDGET),
    });

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        plan::run(rt, plan(variant))
    }
}
