//! The scenarios, one file each, grouped by system.

pub mod consul;
pub mod cortex;
pub mod sct;
