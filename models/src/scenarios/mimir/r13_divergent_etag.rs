//! `mimir/r13-divergent-etag`: two servers name the same stored version with different
//! ETags (`config-concurrency.md` §5 R13, §1.2 E1). One server hashes the config as it
//! re-marshals it (Mimir's `ToProto` iterates a Go map: another byte order than what is
//! stored), the other hashes the stored bytes; a tag from one never matches on the other, so
//! a client whose GET and POST reach different servers gets 412 for ever (a liveness
//! failure; no safety failure).
//!
//! ```text
//! c1: GET via s1 → v0, tag h-(re-marshalled) · c2: GET via s2 → v0, tag h-(stored bytes)  ⇒ O7 fails
//! ```
//!
//! Plan: servers `s1`, `s2` running protocol A with scheme `h` over `cas-full`, seeded with
//! the initial config; client `c1` on `s1`, `c2` on `s2`, one transaction each. Buggy: `s1`
//! tags with [`Scheme::Remarshalled`] (modelled deterministically as another serialization).
//! Fixed: both tag the stored bytes ([`Scheme::Hash`], E1). No faults. (`s2` is listed first:
//! the ghost history names versions with the first server's scheme, the correct one.)
//!
//! Oracles: O7 (`tag-determinism`: two GETs of the same stored version return the same ETag,
//! whichever server answered) first, then O6; the fixed variant adds O1 and O1c. Those two
//! read "the" tag of a stored version (E1), which is what the buggy variant breaks: with
//! two tag functions, a 201 for `s1`'s tag reads to them as a write conditioned on a version
//! that never existed, and they would report R13 under the wrong name (PCT seed 1 does, in a
//! run where the two GETs read different versions and O7 has nothing to compare).
//!
//! [`Scheme::Remarshalled`]: crate::mimir::etag::Scheme::Remarshalled
//! [`Scheme::Hash`]: crate::mimir::etag::Scheme::Hash

use std::time::Duration;

use weft_core::faults::Budget;
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::nodes;
use super::plan::{self, ClientPlan, Plan, Seed};
use crate::mimir::etag::Scheme;
use crate::mimir::model::oracles::{self, Oracle, TAG_DETERMINISM};
use crate::mimir::model::{ServerSpec, WorldSpec};
use crate::mimir::profile::Profile;
use crate::mimir::settings::Settings;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct R13DivergentEtag;

crate::variants! {
    /// The variants of [`R13DivergentEtag`].
    pub enum R13Variant {
        Buggy {
            name: "buggy",
            summary: "s1 hashes the re-marshalled config, s2 the stored bytes",
            expect: Expect::Fail(FailureKind::Assertion, Some(TAG_DETERMINISM)),
        },
        Fixed {
            name: "fixed",
            summary: "every server hashes the stored bytes (E1)",
            expect: Expect::Pass,
        },
    }
}

/// The plan of `variant` (module docs).
pub fn plan(variant: R13Variant) -> Plan {
    let with = |scheme| Settings {
        scheme,
        ..Settings::DEFAULT
    };
    let s1 = match variant {
        R13Variant::Buggy => Scheme::Remarshalled,
        R13Variant::Fixed => Scheme::Hash,
    };
    Plan {
        world: WorldSpec::new(
            Profile::CasFull,
            vec![
                ServerSpec::new("s2", with(Scheme::Hash)),
                ServerSpec::new("s1", with(s1)),
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
        oracles: match variant {
            R13Variant::Buggy => vec![Oracle::TagDeterminism, Oracle::HonestCodes],
            R13Variant::Fixed => vec![
                Oracle::TagDeterminism,
                Oracle::NoLostUpdate,
                Oracle::Linearizable,
                Oracle::HonestCodes,
            ],
        },
    }
}

impl Scenario for R13DivergentEtag {
    type Variant = R13Variant;

    const INFO: Info = super::info(super::About {
        name: "mimir/r13-divergent-etag",
        summary: "one server tags re-marshalled YAML, another the stored bytes: tags diverge",
        spec: "config-concurrency.md §5 R13, §1.2",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[
            oracles::TAG_DETERMINISM,
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
