//! `mimir/protocol-matrix`: the expected verdicts of `config-concurrency.md` §7.5, one variant
//! per row (protocol × store profile × faults), each the plan of the race scenario that row is
//! about, run with that row's fault budget (a variant's own budget, [`Variant::budget`]).
//!
//! | variant | §7.5 row | faults (budget) | expected |
//! |---|---|---|---|
//! | `a-cas-full` | A × cas-full | [`ANY_NETWORK`]: a loss, a long delay, an ambiguous outcome | pass |
//! | `a-s3-2024-11` | A × s3-2024-11 | [`ANY_NETWORK`] | pass |
//! | `a-broken` | A × broken | none | O1 fails (R1) |
//! | `b-double-steal` | B as written × s3-2024-08, two observers, an orphaned lock | none | O2 fails (R6) |
//! | `b-412-leak` | B as written, a 412 answered without release | none | O3 fails (R4) |
//! | `b-holder-crash` | B, holder crash, no stale rule | 1 crash | O4 fails (R5) |
//! | `bp-cas-full` | B' (fenced) × cas-full | 1 long delay past T_stale | pass |
//! | `bp-late` | B' unfenced × cas-full, delay > T_stale − T_safe | 1 long delay | O1 fails (R7) |
//! | `bp-bounded` | B' unfenced × cas-full, delays within §4.4's bound | 1 short delay | pass |
//! | `bp-minio-like` | B' (delete_if_match steal) × minio-like, stale takeover | none | O2 fails (R14 → R6) |
//! | `b-clock-skew` | B (wall-clock rule), offset > T_stale | none (the offset is a clock choice) | O2 fails (R8) |
//!
//! `bp` is B' (variant names fit the `--all` table's 15-character column).
//! Where §7.5 marks several oracles failing, the variant names the first one its scenario
//! checks (O2 before O1 for the lock rows: it names the cause).
//!
//! [`Variant::budget`]: crate::scenario::Variant::budget

use weft_core::faults::{Budget, FaultKind};
use weft_core::{BoxFuture, FailureKind, Runtime};

use super::plan::{self, Plan};
use super::{lock, nodes, r1_blind_overwrite, r4_lock_leak, r5_holder_crash, r6_double_steal};
use super::{r7_slow_holder, r8_clock_skew};
use crate::mimir::model::oracles::{
    self, BOUNDED_RECOVERY, LOCK_EXCLUSION, NO_LEAKED_LOCK, NO_LOST_UPDATE,
};
use crate::mimir::profile::Profile;
use crate::mimir::settings::Protocol;
use crate::scenario::{Expect, Faults, Info, Scale, Scenario, VariantId};

/// "Any faults" for protocol A's rows: one of each network fault per execution (a lost
/// message, a message 10 s late, an ambiguous outcome), placed anywhere.
pub const ANY_NETWORK: Budget = Budget::NONE
    .with(FaultKind::Loss, 1)
    .with(FaultKind::Delay, 1)
    .with(FaultKind::Ambiguous, 1);

const fn fail(oracle: weft_core::OracleId) -> Expect {
    Expect::Fail(FailureKind::Assertion, Some(oracle))
}

/// See the module documentation.
#[derive(Debug)]
pub struct ProtocolMatrix;

crate::variants! {
    /// The variants of [`ProtocolMatrix`], one per row of §7.5.
    pub enum MatrixRow {
        ACasFull {
            name: "a-cas-full",
            summary: "protocol A over cas-full, any network fault",
            expect: Expect::Pass,
            budget: ANY_NETWORK,
        },
        AS3Nov2024 {
            name: "a-s3-2024-11",
            summary: "protocol A over s3-2024-11 (no conditional delete), any network fault",
            expect: Expect::Pass,
            budget: ANY_NETWORK,
        },
        ABroken {
            name: "a-broken",
            summary: "protocol A over a store that ignores conditions: R1",
            expect: fail(NO_LOST_UPDATE),
            budget: Budget::NONE,
        },
        BDoubleSteal {
            name: "b-double-steal",
            summary: "B as written over s3-2024-08, two observers of an orphaned lock: R6",
            expect: fail(LOCK_EXCLUSION),
            budget: Budget::NONE,
        },
        B412Leak {
            name: "b-412-leak",
            summary: "B as written answers 412 without releasing: R4",
            expect: fail(NO_LEAKED_LOCK),
            budget: Budget::NONE,
        },
        BHolderCrash {
            name: "b-holder-crash",
            summary: "B, the holder crashes, no stale rule: R5",
            expect: fail(BOUNDED_RECOVERY),
            budget: r5_holder_crash::BUDGET,
        },
        BPrimeCasFull {
            name: "bp-cas-full",
            summary: "B' fenced over cas-full, a write delayed past T_stale",
            expect: Expect::Pass,
            budget: r7_slow_holder::BUDGET,
        },
        BPrimeUnfencedLate {
            name: "bp-late",
            summary: "B' unfenced, a write delayed past T_stale - T_safe: R7",
            expect: fail(NO_LOST_UPDATE),
            budget: r7_slow_holder::BUDGET,
        },
        BPrimeUnfencedBounded {
            name: "bp-bounded",
            summary: "B' unfenced, delays within §4.4's bound",
            expect: Expect::Pass,
            budget: r7_slow_holder::BUDGET,
        },
        BPrimeMinioLike {
            name: "bp-minio-like",
            summary: "B''s delete_if_match steal over minio-like (the condition is ignored): R14",
            expect: fail(LOCK_EXCLUSION),
            budget: Budget::NONE,
        },
        BClockSkew {
            name: "b-clock-skew",
            summary: "B's wall-clock stale rule with a server clock ahead by more than T_stale: R8",
            expect: fail(LOCK_EXCLUSION),
            budget: Budget::NONE,
        },
    }
}

/// The plan of `row` (module docs).
pub fn plan(row: MatrixRow) -> Plan {
    use r6_double_steal::R6Variant;
    use r7_slow_holder::R7Variant;
    match row {
        MatrixRow::ACasFull => r1_blind_overwrite::plan(Protocol::A, Profile::CasFull),
        MatrixRow::AS3Nov2024 => r1_blind_overwrite::plan(Protocol::A, Profile::S3_2024_11),
        MatrixRow::ABroken => r1_blind_overwrite::plan(Protocol::A, Profile::Broken),
        MatrixRow::BDoubleSteal => r6_double_steal::plan(R6Variant::Buggy),
        MatrixRow::B412Leak => r4_lock_leak::plan(r4_lock_leak::R4Variant::Buggy),
        MatrixRow::BHolderCrash => r5_holder_crash::plan(r5_holder_crash::R5Variant::Buggy),
        MatrixRow::BPrimeCasFull => r7_slow_holder::plan(R7Variant::Fixed),
        MatrixRow::BPrimeUnfencedLate => r7_slow_holder::plan(R7Variant::Buggy),
        MatrixRow::BPrimeUnfencedBounded => r7_slow_holder::plan(R7Variant::WithinBound),
        MatrixRow::BPrimeMinioLike => {
            // R6's fix (steal with delete_if_match) over a store that ignores the condition.
            let mut plan = r6_double_steal::plan(R6Variant::Fixed);
            let settings = lock::settings(R6Variant::Fixed.rules(), r6_double_steal::TIMING);
            plan.world = lock::two_servers(Profile::MinioLike, settings);
            plan
        }
        MatrixRow::BClockSkew => r8_clock_skew::plan(r8_clock_skew::R8Variant::Buggy),
    }
}

impl Scenario for ProtocolMatrix {
    type Variant = MatrixRow;

    const INFO: Info = super::info(super::About {
        name: "mimir/protocol-matrix",
        summary: "§7.5's expected verdicts: one variant per protocol x profile x faults row",
        spec: "config-concurrency.md §7.5",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[
            oracles::NO_LOST_UPDATE,
            oracles::O1C,
            oracles::LOCK_EXCLUSION,
            oracles::NO_LEAKED_LOCK,
            oracles::BOUNDED_RECOVERY,
            oracles::CLIENT_INTENT,
            oracles::HONEST_CODES,
        ],
        faults: Faults {
            nodes: &nodes::TWO_SERVERS,
            // Each row carries its own (module docs).
            budget: Budget::NONE,
            crash_points: &[],
        },
    });

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        plan::run(rt, plan(variant))
    }
}
