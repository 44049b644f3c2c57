//! The scenarios, one file each, grouped by system.

pub mod cortex;
