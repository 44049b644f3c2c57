//! `mimir/r2-check-then-put`: the precondition is checked with a `get` and the write is a
//! separate blind `put` (`config-concurrency.md` §5 R2): two handler tasks on **one** server
//! both read v0, both pass the check, both write, both answer 201; the first write is lost.
//!
//! Plan: one server `s1` over a `cas-full` store seeded with the initial config; clients `c1`
//! and `c2` both on `s1`, one transaction each. Buggy: check-then-put. Fixed: protocol A (the
//! check and the write are the store's one conditional put). No faults.
//!
//! Oracles: O1 first, then O1c, O5, O6.

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
pub struct R2CheckThenPut;

crate::variants! {
    /// The variants of [`R2CheckThenPut`].
    pub enum R2Variant {
        Buggy {
            name: "buggy",
            summary: "get, compare the tag, then a blind put",
            expect: Expect::Fail(FailureKind::Assertion, Some(NO_LOST_UPDATE)),
        },
        Fixed {
            name: "fixed",
            summary: "protocol A: one conditional put",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for R2CheckThenPut {
    type Variant = R2Variant;

    const INFO: Info = super::info(super::About {
        name: "mimir/r2-check-then-put",
        summary: "two handler tasks on one server both pass a get-then-put check: one write lost",
        spec: "config-concurrency.md §5 R2",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[
            oracles::NO_LOST_UPDATE,
            oracles::O1C,
            oracles::CLIENT_INTENT,
            oracles::HONEST_CODES,
        ],
        faults: super::faults(&nodes::ONE_SERVER, Budget::NONE),
    });

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        let protocol = match variant {
            R2Variant::Buggy => Protocol::CheckThenPut,
            R2Variant::Fixed => Protocol::A,
        };
        let settings = Settings::DEFAULT.with_protocol(protocol);
        plan::run(
            rt,
            Plan {
                world: WorldSpec::new(Profile::CasFull, vec![ServerSpec::new("s1", settings)]),
                seed: Seed::Config,
                clients: vec![
                    ClientPlan::new("c1", "s1").attempts(2),
                    ClientPlan::new("c2", "s1").attempts(2),
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
            },
        )
    }
}
