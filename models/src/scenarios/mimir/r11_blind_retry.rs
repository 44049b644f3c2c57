//! `mimir/r11-blind-retry`: the client that answers a 412 by refetching only the tag and
//! resending its old body (`config-concurrency.md` §5 R11, §1.6 step 4: "never resend the old
//! body with a new tag"). The server evaluates every precondition exactly; the client
//! defeats it, and the other client's committed change is lost at the application level,
//! which no server-side check can see:
//!
//! ```text
//! c1: GET v0 · c2: GET v0 · c2: POST If-Match v0 → 201 (v1 = v0 + c2) · c1: POST If-Match v0 → 412 ·
//! c1: GET v1 (tag only) · c1: POST If-Match v1, body v0 + c1 → 201  ⇒ c2's receiver dropped
//! ```
//!
//! Plan: servers `s1`, `s2` running protocol A over `cas-full`, seeded with the initial
//! config; client `c1` on `s1` and `c2` on `s2`, one transaction each, two POSTs at most.
//! Buggy: both clients retry blindly ([`ClientPolicy::blind_retry`]). Fixed: §1.6's loop (on
//! 412, GET and apply the intent again). No faults.
//!
//! Oracles: O5 (`client-intent`: a committed write keeps every receiver of the version it
//! replaced) first, then O1, O1c, O6 (all of which hold in the buggy run too: the server did
//! nothing wrong).
//!
//! [`ClientPolicy::blind_retry`]: crate::mimir::client::ClientPolicy::blind_retry

use std::time::Duration;

use weft_core::faults::Budget;
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::plan::{self, ClientPlan, Plan, Seed};
use super::{lock, nodes};
use crate::mimir::model::oracles::{self, Oracle, CLIENT_INTENT};
use crate::mimir::profile::Profile;
use crate::mimir::settings::Settings;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct R11BlindRetry;

crate::variants! {
    /// The variants of [`R11BlindRetry`].
    pub enum R11Variant {
        Buggy {
            name: "buggy",
            summary: "on 412 the client refetches the tag only and resends its old body",
            expect: Expect::Fail(FailureKind::Assertion, Some(CLIENT_INTENT)),
        },
        Fixed {
            name: "fixed",
            summary: "on 412 the client GETs again and re-applies its intent",
            expect: Expect::Pass,
        },
    }
}

/// The plan of `variant` (module docs).
pub fn plan(variant: R11Variant) -> Plan {
    let client = |name, server| {
        let c = ClientPlan::new(name, server).attempts(2);
        match variant {
            R11Variant::Buggy => c.blind_retry(),
            R11Variant::Fixed => c,
        }
    };
    Plan {
        world: lock::two_servers(Profile::CasFull, Settings::DEFAULT),
        seed: Seed::Config,
        clients: vec![client("c1", "s1"), client("c2", "s2")],
        settle: Duration::from_secs(60),
        recovery: None,
        fallback: None,
        oracles: vec![
            Oracle::ClientIntent,
            Oracle::NoLostUpdate,
            Oracle::Linearizable,
            Oracle::HonestCodes,
        ],
    }
}

impl Scenario for R11BlindRetry {
    type Variant = R11Variant;

    const INFO: Info = super::info(super::About {
        name: "mimir/r11-blind-retry",
        summary:
            "a client resends its old body with a fresh tag after 412: the other's change lost",
        spec: "config-concurrency.md §5 R11, §1.6",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[
            oracles::CLIENT_INTENT,
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
