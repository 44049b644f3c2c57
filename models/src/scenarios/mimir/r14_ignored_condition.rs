//! `mimir/r14-ignored-condition`: the store silently ignores a condition
//! (`config-concurrency.md` §5 R14, §2.4). No error anywhere: the protocol degrades to blind
//! writes, and only the startup capability probe can tell.
//!
//! Two pairs of variants:
//! - `buggy` / `fixed`: protocol A over the `broken` profile (every condition ignored), R1's
//!   plan (two read-modify-write clients on two servers, §7.5 row "A × broken"). Buggy: the
//!   servers trust the store: both conditional puts succeed, one change is lost (R1 again).
//!   Fixed: each server runs the probe at startup ([`ServerSpec::probed`]), finds no
//!   condition held and refuses conditional writes with 501 (§2.4: 412 would falsely claim
//!   the precondition was evaluated); nothing is lost.
//! - `minio-buggy` / `minio-probed`: the `minio-like` profile (a delete ignores `If-Match`,
//!   minio#21677), R6's plan (two observers of an orphaned lock). Buggy: B' with its
//!   `delete_if_match` steal, untested (§7.5 row "B' × minio-like", the protocol matrix's
//!   `bp-minio-like`): the steal deletes the fresh lock, R6 again. Probed: the probe finds
//!   conditional puts but no conditional delete and picks protocol A, with a conditional
//!   DELETE answered 501 (`Settings::delete_if_match`); the plan states that protocol, which
//!   the probe confirms at each server's start.
//!
//! No faults. Oracles: the first variant pair's are R1's (O1 first), the second pair's R6's
//! (O2 first).

use weft_core::faults::Budget;
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::plan::{self, Plan};
use super::protocol_matrix::{self, MatrixRow};
use super::r6_double_steal::{self, R6Variant};
use super::{lock, nodes, r1_blind_overwrite};
use crate::mimir::model::oracles::{self, LOCK_EXCLUSION, NO_LOST_UPDATE};
use crate::mimir::model::ServerSpec;
use crate::mimir::profile::Profile;
use crate::mimir::settings::{Protocol, Settings};
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct R14IgnoredCondition;

crate::variants! {
    /// The variants of [`R14IgnoredCondition`].
    pub enum R14Variant {
        Buggy {
            name: "buggy",
            summary: "protocol A over a store that ignores every condition, no probe: R1",
            expect: Expect::Fail(FailureKind::Assertion, Some(NO_LOST_UPDATE)),
        },
        Fixed {
            name: "fixed",
            summary: "the startup probe finds no condition: conditional writes answered 501",
            expect: Expect::Pass,
        },
        MinioBuggy {
            name: "minio-buggy",
            summary: "B' over minio-like (delete ignores If-Match), no probe: R6",
            expect: Expect::Fail(FailureKind::Assertion, Some(LOCK_EXCLUSION)),
        },
        MinioProbed {
            name: "minio-probed",
            summary: "the probe picks A over minio-like; a conditional DELETE is answered 501",
            expect: Expect::Pass,
        },
    }
}

/// The plan of `variant` (module docs).
pub fn plan(variant: R14Variant) -> Plan {
    let probed = |mut plan: Plan| {
        plan.world.servers = plan
            .world
            .servers
            .into_iter()
            .map(ServerSpec::probed)
            .collect();
        plan
    };
    let broken = || r1_blind_overwrite::plan(Protocol::A, Profile::Broken);
    match variant {
        R14Variant::Buggy => broken(),
        R14Variant::Fixed => probed(broken()),
        R14Variant::MinioBuggy => protocol_matrix::plan(MatrixRow::BPrimeMinioLike),
        R14Variant::MinioProbed => {
            let mut plan = r6_double_steal::plan(R6Variant::Fixed);
            plan.world = lock::two_servers(Profile::MinioLike, Settings::DEFAULT);
            probed(plan)
        }
    }
}

impl Scenario for R14IgnoredCondition {
    type Variant = R14Variant;

    const INFO: Info = super::info(super::About {
        name: "mimir/r14-ignored-condition",
        summary: "the store ignores a condition: blind writes with no error, unless probed",
        spec: "config-concurrency.md §5 R14, §2.4",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[
            oracles::NO_LOST_UPDATE,
            oracles::LOCK_EXCLUSION,
            oracles::O1C,
            oracles::CLIENT_INTENT,
            oracles::HONEST_CODES,
        ],
        faults: super::faults(&nodes::TWO_SERVERS, Budget::NONE),
    });

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        plan::run(rt, plan(variant))
    }
}
