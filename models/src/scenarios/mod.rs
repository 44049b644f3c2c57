//! The scenarios, one file each, grouped by system.

pub mod canary;
pub mod consul;
pub mod cortex;
pub mod mimir;
pub mod sct;
