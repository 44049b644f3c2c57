//! `mimir/r1-blind-overwrite`: the status quo (`config-concurrency.md` §5 R1). Mimir's
//! handlers read no precondition header, so two read-modify-write clients that both GET v0
//! and both POST get 201 each, and the first change is silently lost.
//!
//! Plan: servers `s1`, `s2` over a `cas-full` store seeded with the initial config; client
//! `c1` on `s1` and `c2` on `s2`, one transaction each ("add receiver `cN-1`", the §1.6 loop,
//! which sends `If-Match`). Buggy: the server ignores the headers (blind `put`). Fixed:
//! protocol A. No faults: the race is in the order of messages alone.
//!
//! Oracles: O1 (a 201 for `If-Match: v0` whose write replaced another version) first, then
//! O1c, O5 and O6.

use std::time::Duration;

use weft_core::faults::Budget;
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::nodes;
use super::plan::{self, ClientPlan, Plan, Seed};
use crate::mimir::model::oracles::{self, Oracle, NO_LOST_UPDATE};
use crate::mimir::model::{ServerSpec, WorldSpec};
use crate::mimir::profile::Profile;
use crate::mimir::settings::{Protocol, Settings};
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct R1BlindOverwrite;

crate::variants! {
    /// The variants of [`R1BlindOverwrite`].
    pub enum R1Variant {
        Buggy {
            name: "buggy",
            summary: "Mimir today: preconditions ignored, every POST a blind put",
            expect: Expect::Fail(FailureKind::Assertion, Some(NO_LOST_UPDATE)),
        },
        Fixed {
            name: "fixed",
            summary: "protocol A: If-Match evaluated by the store's conditional put",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for R1BlindOverwrite {
    type Variant = R1Variant;

    const INFO: Info = super::info(super::About {
        name: "mimir/r1-blind-overwrite",
        summary: "two read-modify-writes both get 201: the first is silently lost",
        spec: "config-concurrency.md §5 R1",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[
            oracles::NO_LOST_UPDATE,
            oracles::O1C,
            oracles::CLIENT_INTENT,
            oracles::HONEST_CODES,
        ],
        faults: super::faults(&nodes::TWO_SERVERS, Budget::NONE),
    });

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        let protocol = match variant {
            R1Variant::Buggy => Protocol::Unconditional,
            R1Variant::Fixed => Protocol::A,
        };
        plan::run(rt, plan(protocol, Profile::CasFull))
    }
}

/// Two read-modify-write clients on two servers running `protocol` over a `profile` store
/// (module docs): R1's plan, and the protocol-A rows of the §7.5 matrix.
pub fn plan(protocol: Protocol, profile: Profile) -> Plan {
    let settings = Settings::DEFAULT.with_protocol(protocol);
    Plan {
        world: WorldSpec::new(
            profile,
            vec![
                ServerSpec::new("s1", settings),
                ServerSpec::new("s2", settings),
            ],
        ),
        seed: Seed::Config,
        clients: vec![
            ClientPlan::new("c1", "s1").attempts(2),
            ClientPlan::new("c2", "s2").attempts(2),
        ],
        settle: Duration::from_secs(60),
        recovery: None,
        fallback: None,
        oracles: vec![
            Oracle::NoLostUpdate,
            Oracle::Linearizable,
            Oracle::ClientIntent,
            Oracle::HonestCodes,
        ],
    }
}
