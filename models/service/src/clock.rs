//! The service's wall clock and fresh version tokens: the only places this crate reads real
//! time or the OS's randomness (the models read both through the runtime).

use std::time::{SystemTime, UNIX_EPOCH};

use weft_core::node::WallTime;

/// Now, as nanoseconds since the Unix epoch (the stores' `last_modified`).
#[allow(
    clippy::disallowed_methods,
    reason = "production store: the stores stamp writes with the host's real clock"
)]
pub fn wall_now() -> WallTime {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => WallTime(d.as_nanos() as i128),
        Err(e) => WallTime(-(e.duration().as_nanos() as i128)),
    }
}

/// A fresh version token: 128 random bits from the OS, as 32 lowercase hex digits. Two calls
/// never return the same token in practice (a collision needs about 2^64 tokens).
pub fn fresh_version() -> std::io::Result<String> {
    let mut bits = [0u8; 16];
    getrandom::fill(&mut bits).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bits.iter().map(|b| format!("{b:02x}")).collect())
}
