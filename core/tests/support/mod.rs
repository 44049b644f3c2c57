#![allow(dead_code)]
pub mod catch;
pub mod primitives;
pub mod stop_before_run;
pub mod join_set;
pub mod time;
pub mod watch;
