//! # weft-core: write a concurrent state machine once, check it everywhere
//!
//! (Crate tutorial: see the end of this file.)

#![warn(missing_docs)]

pub mod backend;
pub mod causality;
pub mod error;
pub mod runtime;
pub mod sync;
pub mod task;
pub mod time;

pub use error::FailureKind;
pub use runtime::{BoxFuture, Op, RawLock, Runtime};
pub use task::JoinHandle;
pub use time::Instant;
