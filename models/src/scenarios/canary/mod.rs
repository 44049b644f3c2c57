//! `canary/*`: small distributed systems with one fault-tolerance bug each, a buggy and a
//! fixed variant, that exercise nodes and fault budgets (`weft_core::node`,
//! `weft_core::faults`; issue 13, part 5). A buggy variant fails only when the checker injects
//! a fault within the declared budget; its fixed twin passes every placement of it.

mod lease_lock_no_fencing;
mod retry_duplicate_apply;
mod wal_ack_before_durable;

pub use lease_lock_no_fencing::{
    LeaseLockNoFencing, LeaseLockNoFencingVariant, LEASE, NO_STALE_OVERWRITE,
};
pub use retry_duplicate_apply::{
    RetryDuplicateApply, RetryDuplicateApplyVariant, APPLIED_ONCE, ATTEMPTS, PATIENCE,
};
pub use wal_ack_before_durable::{
    WalAckBeforeDurable, WalAckBeforeDurableVariant, ACKED_WRITE_SURVIVES,
};

/// The system every canary belongs to, as `weft list` groups them.
const SYSTEM: &str = "canary";
