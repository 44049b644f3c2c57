//! `canary/*`: small distributed systems with one fault-tolerance bug each, a buggy and a
//! fixed variant, that exercise nodes, fault budgets and the network (`weft_core::node`,
//! `weft_core::faults`, `weft_core::net`; issue 13, part 5). A buggy variant fails only when
//! the checker injects a fault within the declared budget, or, for a canary whose budget is
//! none (`replica-read-lag`), only in some delivery orders of the network's messages; its fixed
//! twin passes every placement of the budget and every order.

mod lease_lock_no_fencing;
mod replica_read_lag;
mod retry_duplicate_apply;
mod wal_ack_before_durable;

pub use lease_lock_no_fencing::{
    LeaseLockNoFencing, LeaseLockNoFencingVariant, LEASE, NO_STALE_OVERWRITE,
};
pub use replica_read_lag::{ReplicaReadLag, ReplicaReadLagVariant, PATIENCE};
pub use retry_duplicate_apply::{
    RetryDuplicateApply, RetryDuplicateApplyVariant, APPLIED_ONCE, ATTEMPTS,
};
pub use wal_ack_before_durable::{
    WalAckBeforeDurable, WalAckBeforeDurableVariant, ACKED_WRITE_SURVIVES,
};

/// The system every canary belongs to, as `weft list` groups them.
const SYSTEM: &str = "canary";
