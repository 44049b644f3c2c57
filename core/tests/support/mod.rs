#![allow(dead_code)]
pub mod catch;
pub mod notify_port;
pub mod primitives;
pub mod stop_before_run;
