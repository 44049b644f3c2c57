//! `mimir/r12-lost-response`: a response lost after the commit (`config-concurrency.md`
//! §5 R12, §1.5). The client's POST is applied, its answer never arrives, and the client
//! resends the same POST with the same `If-Match`; the tag has moved (to the client's own
//! write), so a server without §1.5's "already applied" rule answers 412, and the client
//! gives up reporting a failure for a change that is in the store:
//!
//! ```text
//! c1: GET → v0 · c1: POST If-Match v0 → s1.put_if_match(a) ✓ · s1→c1 201 lost ·
//! c1 times out, resends POST If-Match v0 → put_if_match fails → 412  ⇒ c1: "failed", a stored
//! ```
//!
//! Plan: one server `s1` running protocol A over `cas-full`, seeded with the initial config;
//! client `c1` on `s1`, one transaction, two POSTs at most, resending an unanswered POST
//! unchanged ([`ClientPolicy::resend_unanswered`]). Fault budget: one lost message, anywhere
//! on either network (the race needs the server's 201 to `c1`). Buggy: the server answers a
//! false precondition 412 without looking at what is stored
//! (`Settings::already_applied` off). Fixed: the rule on: the stored bytes are the request's,
//! so the resend is answered 201 with the current tag.
//!
//! Oracles: `reported-outcome` ([`crate::mimir::model::oracles::REPORTED_OUTCOME`]: a
//! transaction that reports failure wrote nothing that is in the history) first, then O1
//! (which checks an "already applied" 201 by content, §6), O1c, O6 (the 412 is honest: the
//! precondition was false; the failure is in what the client is told, not in one code).
//!
//! [`ClientPolicy::resend_unanswered`]: crate::mimir::client::ClientPolicy::resend_unanswered

use std::time::Duration;

use weft_core::faults::{Budget, FaultKind};
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::nodes;
use super::plan::{self, ClientPlan, Plan, Seed};
use crate::mimir::model::oracles::{self, Oracle, REPORTED_OUTCOME};
use crate::mimir::model::{ServerSpec, WorldSpec};
use crate::mimir::profile::Profile;
use crate::mimir::settings::Settings;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// One lost message.
pub const BUDGET: Budget = Budget::NONE.with(FaultKind::Loss, 1);

/// See the module documentation.
#[derive(Debug)]
pub struct R12LostResponse;

crate::variants! {
    /// The variants of [`R12LostResponse`].
    pub enum R12Variant {
        Buggy {
            name: "buggy",
            summary: "no already-applied rule: the resent POST is answered 412, its change stored",
            expect: Expect::Fail(FailureKind::Assertion, Some(REPORTED_OUTCOME)),
        },
        Fixed {
            name: "fixed",
            summary: "§1.5's already-applied rule: the resend is answered 201",
            expect: Expect::Pass,
        },
    }
}

/// The plan of `variant` (module docs).
pub fn plan(variant: R12Variant) -> Plan {
    let settings = Settings {
        already_applied: variant == R12Variant::Fixed,
        ..Settings::DEFAULT
    };
    Plan {
        world: WorldSpec::new(Profile::CasFull, vec![ServerSpec::new("s1", settings)]),
        seed: Seed::Config,
        clients: vec![ClientPlan::new("c1", "s1").attempts(2).resend_unanswered()],
        settle: Duration::from_secs(60),
        recovery: None,
        fallback: None,
        oracles: vec![
            Oracle::ReportedOutcome,
            Oracle::NoLostUpdate,
            Oracle::Linearizable,
            Oracle::HonestCodes,
        ],
    }
}

impl Scenario for R12LostResponse {
    type Variant = R12Variant;

    const INFO: Info = super::info(super::About {
        name: "mimir/r12-lost-response",
        summary: "a 201 is lost, the same POST resent: 412 though the change is stored",
        spec: "config-concurrency.md §5 R12",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[
            oracles::REPORTED_OUTCOME,
            oracles::NO_LOST_UPDATE,
            oracles::O1C,
            oracles::HONEST_CODES,
        ],
        faults: super::faults(&nodes::ONE_SERVER, BUDGET),
    });

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        plan::run(rt, plan(variant))
    }
}
