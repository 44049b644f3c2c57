//! `mimir/*`: the races of Mimir's Alertmanager config store with ETag / If-Match over
//! object storage (`config-concurrency.md` §5), each a [`plan::Plan`] per variant over the
//! model of [`crate::mimir::model`], with the oracles of §6.

pub mod plan;
mod r1_blind_overwrite;
mod r2_check_then_put;

pub use r1_blind_overwrite::{R1BlindOverwrite, R1Variant};
pub use r2_check_then_put::{R2CheckThenPut, R2Variant};

/// The system every scenario here belongs to, as `weft list` groups them.
const SYSTEM: &str = "mimir";

/// The node lists scenarios declare (the store node first).
mod nodes {
    /// The store and one server.
    pub const ONE_SERVER: [&str; 2] = ["store", "s1"];
    /// The store and two servers.
    pub const TWO_SERVERS: [&str; 3] = ["store", "s1", "s2"];
}
