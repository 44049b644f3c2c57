//! `mimir/r7-slow-holder`: the holder's config write is delayed on the network past the time
//! another server needs to judge its lock stale, take it over and write; the late write then
//! lands over the new holder's (`config-concurrency.md` §5 R7, §4.4). `delete_if_match` does
//! not help, nor does B'6's lease check: the delay sits between the check and the apply.
//!
//! ```text
//! s1.put_if_absent ✓ L1 · s1.get(cfg)=v0 · s1 lease check ok · s1.put(a) sent, delayed ·
//! s2 sees L1 unchanged for T_stale · s2.delete_if_match(L1) ✓ · s2.put_if_absent ✓ L2 ·
//! s2.get(cfg)=v0 · s2.put(b) · s2.delete_if_match(L2) (201 to c2) · s1.put(a) lands (201)
//! ```
//!
//! Plan: servers `s1`, `s2` over a `cas-full` store seeded with the initial config; clients
//! `c1` on `s1` and `c2` on `s2`, one POST each. Budget: one long delay of any message
//! (§7.2); the one that matters is the holder's config put. A pause at a crash point cannot
//! do it: every crash point of the critical section comes before the lease check (which then
//! refuses with 503) or after the put's reply.
//!
//! Model timings ([`TIMING`], [`DELAY`]), chosen from §4.4's bound. The holder's lease check
//! comes right after its acquire (the network has zero latency, δ_r = 0), so the observer
//! can take over at the earliest `T_stale` after the acquire, plus at most one lock back-off
//! `B_cap` to notice: the race needs the write's delay δ_w > T_stale + B_cap (§4.4's
//! `δ_r + T_safe/(1−ρ) + δ_w ≥ T_stale/(1+ρ)` for a check made at T_safe). It also needs
//! δ_w < the store-op timeout (5 s, §7.6), or the holder gives up waiting, answers 500 and
//! releases before the write lands (the same lost update by another path). And the observer
//! must keep trying for longer than that: D_acq > T_stale + B_cap. So: T_stale 2 s, T_safe
//! 1 s, D_acq 4 s, lock back-off 50 ms to 500 ms, long delay 3 s. §7.6's 60 s / 20 s would
//! need a delay over 60 s, longer than every timeout of the model.
//!
//! Variants:
//! - buggy: B' without the fence ([`LockRules::REPAIRED_UNFENCED`]), delay 3 s;
//! - fixed: B' ([`LockRules::REPAIRED`]): the write is `put_if_match` on the version read
//!   under the lock, so the late write fails at the store (412);
//! - within-bound: B' without the fence, delay 0.5 s < T_stale − T_safe: §4.4's bound holds
//!   and so does everything else (§7.5's row "B' unfenced, delays within the bound").
//!
//! Oracles: O1 first, then O2 (unfenced variants only: under the fence a late write may still
//! land while another server holds the lock, harmlessly, §7.5 "may fail (harmless)"), O1c,
//! O6.

use std::time::Duration;

use weft_core::faults::{Budget, FaultKind};
use weft_core::net::NetConfig;
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::lock;
use super::nodes;
use super::plan::{self, ClientPlan, Plan, Seed};
use crate::mimir::model::oracles::{self, Oracle, NO_LOST_UPDATE};
use crate::mimir::profile::Profile;
use crate::mimir::settings::{LockRules, Timing};
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct R7SlowHolder;

crate::variants! {
    /// The variants of [`R7SlowHolder`].
    pub enum R7Variant {
        Buggy {
            name: "buggy",
            summary: "B' without the fence: a config write delayed past T_stale lands over the \
                      next holder's",
            expect: Expect::Fail(FailureKind::Assertion, Some(NO_LOST_UPDATE)),
        },
        Fixed {
            name: "fixed",
            summary: "B' fenced: put_if_match on the version read under the lock",
            expect: Expect::Pass,
        },
        WithinBound {
            name: "within-bound",
            summary: "B' without the fence, delays shorter than T_stale - T_safe (§4.4 holds)",
            expect: Expect::Pass,
        },
    }
}

/// The model's timings (module docs).
pub const TIMING: Timing = Timing {
    t_stale: Duration::from_secs(2),
    t_safe: Duration::from_secs(1),
    d_acq: Duration::from_secs(4),
    backoff_base: Duration::from_millis(50),
    backoff_cap: Duration::from_millis(500),
    store_retries: 3,
};

/// The long delay of the buggy and fixed variants: > T_stale + B_cap, < the store-op timeout.
pub const DELAY: Duration = Duration::from_secs(3);

/// The long delay of the within-bound variant: < T_stale − T_safe.
pub const SHORT_DELAY: Duration = Duration::from_millis(500);

/// The fault budget: one long delay.
pub const BUDGET: Budget = Budget::NONE.with(FaultKind::Delay, 1);

impl R7Variant {
    /// The lock rules it runs.
    pub fn rules(self) -> LockRules {
        match self {
            R7Variant::Buggy | R7Variant::WithinBound => LockRules::REPAIRED_UNFENCED,
            R7Variant::Fixed => LockRules::REPAIRED,
        }
    }

    /// How late a delayed message arrives.
    pub fn delay(self) -> Duration {
        match self {
            R7Variant::Buggy | R7Variant::Fixed => DELAY,
            R7Variant::WithinBound => SHORT_DELAY,
        }
    }
}

/// The plan of `variant` (module docs).
pub fn plan(variant: R7Variant) -> Plan {
    let settings = lock::settings(variant.rules(), TIMING);
    let mut world = lock::two_servers(Profile::CasFull, settings);
    world.net = NetConfig {
        long_delay: variant.delay(),
        ..NetConfig::default()
    };
    let mut oracles = vec![Oracle::NoLostUpdate];
    if !variant.rules().fence {
        oracles.push(Oracle::LockExclusion);
    }
    oracles.extend([Oracle::Linearizable, Oracle::HonestCodes]);
    Plan {
        world,
        seed: Seed::Config,
        clients: vec![
            ClientPlan::new("c1", "s1").attempts(1),
            ClientPlan::new("c2", "s2").attempts(1),
        ],
        settle: Duration::from_secs(10),
        recovery: None,
        fallback: None,
        oracles,
    }
}

impl Scenario for R7SlowHolder {
    type Variant = R7Variant;

    const INFO: Info = super::info(super::About {
        name: "mimir/r7-slow-holder",
        summary: "the holder's write, delayed past T_stale, lands over the next holder's",
        spec: "config-concurrency.md §5 R7, §4.4",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[
            oracles::NO_LOST_UPDATE,
            oracles::LOCK_EXCLUSION,
            oracles::O1C,
            oracles::HONEST_CODES,
        ],
        faults: super::faults(&nodes::TWO_SERVERS, BUDGET),
    });

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        plan::run(rt, plan(variant))
    }
}
