//! Helpers shared by the test files: the stores under test and the store-contract suite.

#![allow(dead_code, reason = "each test file uses a part")]

pub mod backends;
pub mod contract;
