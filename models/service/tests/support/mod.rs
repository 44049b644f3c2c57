//! Helpers shared by the test files: the stores under test and the store-contract suite; the
//! service as a child process, the load of its real-world tests, a raw HTTP client.

#![allow(dead_code, reason = "each test file uses a part")]

pub mod backends;
pub mod contract;
pub mod hostile;
pub mod load;
pub mod raw_http;
pub mod service;
