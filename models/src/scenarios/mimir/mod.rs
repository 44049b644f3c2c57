//! `mimir/*`: the races of Mimir's Alertmanager config store with ETag / If-Match over
//! object storage (`config-concurrency.md` §5), each a [`plan::Plan`] per variant over the
//! model of [`crate::mimir::model`], with the oracles of §6.

mod lock;
pub mod matrix_columns;
pub mod plan;
pub mod protocol_matrix;
pub mod r10_stale_read;
pub mod r11_blind_retry;
pub mod r12_lost_response;
pub mod r13_divergent_etag;
pub mod r14_ignored_condition;
pub mod r1_blind_overwrite;
mod r2_check_then_put;
pub mod r3_bypass;
pub mod r4_lock_leak;
pub mod r5_holder_crash;
pub mod r6_double_steal;
pub mod r7_slow_holder;
pub mod r8_clock_skew;
pub mod r9_ambiguous_acquire;

pub use protocol_matrix::{MatrixRow, ProtocolMatrix};
pub use r10_stale_read::{R10StaleRead, R10Variant};
pub use r11_blind_retry::{R11BlindRetry, R11Variant};
pub use r12_lost_response::{R12LostResponse, R12Variant};
pub use r13_divergent_etag::{R13DivergentEtag, R13Variant};
pub use r14_ignored_condition::{R14IgnoredCondition, R14Variant};
pub use r1_blind_overwrite::{R1BlindOverwrite, R1Variant};
pub use r2_check_then_put::{R2CheckThenPut, R2Variant};
pub use r3_bypass::{R3Bypass, R3Variant};
pub use r4_lock_leak::{R4LockLeak, R4Variant};
pub use r5_holder_crash::{R5HolderCrash, R5Variant};
pub use r6_double_steal::{R6DoubleSteal, R6Variant};
pub use r7_slow_holder::{R7SlowHolder, R7Variant};
pub use r8_clock_skew::{R8ClockSkew, R8Variant};
pub use r9_ambiguous_acquire::{R9AmbiguousAcquire, R9Variant};

/// The system every scenario here belongs to, as `weft list` groups them.
const SYSTEM: &str = "mimir";

/// What tells one `mimir/*` scenario's [`Info`] from another's; [`info`] fills in what they
/// share: the system, a clock (timeouts, back-off and lease timers decide verdicts), room for
/// 64 tasks (each request and message is a task), no quiescence needed (servers wait on their
/// inboxes when the clients are done), nothing tolerated or outliving.
struct About {
    name: &'static str,
    summary: &'static str,
    spec: &'static str,
    variants: &'static [crate::scenario::Variant],
    oracles: &'static [weft_core::OracleId],
    faults: crate::scenario::Faults,
}

/// The [`Info`] of a `mimir/*` scenario (see [`About`]).
const fn info(about: About) -> crate::scenario::Info {
    crate::scenario::Info {
        name: about.name,
        system: SYSTEM,
        summary: about.summary,
        spec: about.spec,
        variants: about.variants,
        oracles: about.oracles,
        max_tasks: 64,
        needs_quiescence: false,
        needs_clock: true,
        tolerates: &[],
        may_outlive: &[],
        faults: about.faults,
    }
}

/// The faults of a scenario that starts `nodes` with `budget` and names no crash points.
const fn faults(
    nodes: &'static [&'static str],
    budget: weft_core::faults::Budget,
) -> crate::scenario::Faults {
    crate::scenario::Faults {
        nodes,
        budget,
        crash_points: &[],
    }
}

/// The node lists scenarios declare (the store node first).
mod nodes {
    /// The store and one server.
    pub const ONE_SERVER: [&str; 2] = ["store", "s1"];
    /// The store and two servers.
    pub const TWO_SERVERS: [&str; 3] = ["store", "s1", "s2"];
}
