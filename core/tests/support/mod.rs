#![allow(dead_code)]
pub mod barrier_port;
pub mod catch;
pub mod join_set;
pub mod notify_port;
pub mod primitives;
pub mod rwlock_port;
pub mod semaphore_port;
pub mod stop_before_run;
pub mod time;
#[cfg(feature = "tokio")]
pub mod tokio_rt;
pub mod watch;
