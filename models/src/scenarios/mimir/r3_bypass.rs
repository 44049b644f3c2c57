//! `mimir/r3-bypass`: a writer that bypasses the protocol (`config-concurrency.md` §5 R3).
//! Mimir's fallback-config upload (`alertmanagerFromFallbackConfig`) checks that the tenant
//! has no config and then uploads a default one unconditionally; a client's create that
//! lands in the window is overwritten, although the server evaluated its precondition
//! exactly (protocol A):
//!
//! ```text
//! fallback.get(cfg) = absent · c1: GET 404 · c1: POST If-None-Match: * → put_if_absent ✓ → 201 ·
//! fallback.put(cfg, default)  ⇒ c1's config lost
//! ```
//!
//! Plan: one server `s1` running protocol A over `cas-full`, the store empty; client `c1` on
//! `s1`, one transaction (create, or If-Match after a 412), and the fallback upload
//! ([`crate::mimir::fallback`]) beside it from the start. Buggy: the upload is a blind `put`
//! after its check. Fixed: the upload is `put_if_absent` (§5 R3's fix: every mutation of
//! `K_cfg` goes through the same protocol). No faults.
//!
//! The fallback is logged as the `POST If-None-Match: *` it means (the model's
//! `fallback_actor` says why), so the oracles are §5 R3's: O1 (a 201 for "create if absent"
//! whose write replaced a config) first, then O1c and O6. (O2, for a lock protocol that a
//! bypassing writer defeats the same way, is R6's and R7's oracle; not a variant here.)

use std::time::Duration;

use weft_core::faults::Budget;
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::nodes;
use super::plan::{self, ClientPlan, Plan, Seed};
use crate::mimir::fallback::FallbackWrite;
use crate::mimir::model::oracles::{self, Oracle, NO_LOST_UPDATE};
use crate::mimir::model::{ServerSpec, WorldSpec};
use crate::mimir::profile::Profile;
use crate::mimir::settings::Settings;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct R3Bypass;

crate::variants! {
    /// The variants of [`R3Bypass`].
    pub enum R3Variant {
        Buggy {
            name: "buggy",
            summary: "Mimir today: the fallback upload checks for a config, then a blind put",
            expect: Expect::Fail(FailureKind::Assertion, Some(NO_LOST_UPDATE)),
        },
        Fixed {
            name: "fixed",
            summary: "the fallback upload is put_if_absent",
            expect: Expect::Pass,
        },
    }
}

impl R3Variant {
    /// How its fallback upload writes.
    pub fn write(self) -> FallbackWrite {
        match self {
            R3Variant::Buggy => FallbackWrite::Unconditional,
            R3Variant::Fixed => FallbackWrite::IfAbsent,
        }
    }
}

/// The plan of `variant` (module docs).
pub fn plan(variant: R3Variant) -> Plan {
    Plan {
        world: WorldSpec::new(
            Profile::CasFull,
            vec![ServerSpec::new("s1", Settings::DEFAULT)],
        ),
        seed: Seed::Empty,
        clients: vec![ClientPlan::new("c1", "s1").attempts(2)],
        settle: Duration::from_secs(60),
        recovery: None,
        fallback: Some(variant.write()),
        oracles: vec![
            Oracle::NoLostUpdate,
            Oracle::Linearizable,
            Oracle::HonestCodes,
        ],
    }
}

impl Scenario for R3Bypass {
    type Variant = R3Variant;

    const INFO: Info = super::info(super::About {
        name: "mimir/r3-bypass",
        summary: "the fallback-config upload checks, then writes blind: a client's create is lost",
        spec: "config-concurrency.md §5 R3",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[oracles::NO_LOST_UPDATE, oracles::O1C, oracles::HONEST_CODES],
        faults: super::faults(&nodes::ONE_SERVER, Budget::NONE),
    });

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        plan::run(rt, plan(variant))
    }
}
