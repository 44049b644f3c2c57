#![allow(dead_code)]
pub mod catch;
pub mod primitives;
pub mod stop_before_run;
