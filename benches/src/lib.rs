//! Workloads shared by the benchmarks, each written once per tool.
//!
//! The comparison benchmarks run the same workload on weft-sim (through weft-core's
//! primitives), on shuttle and on loom (through their own primitives, the way their users write
//! tests), so each tool is measured doing its own best.

pub mod sct;
pub mod workloads;
