#![allow(dead_code)]
pub mod catch;
pub mod join_set;
pub mod primitives;
pub mod stop_before_run;
pub mod time;
pub mod watch;
