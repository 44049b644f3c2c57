//! Peak memory over 1,000,000 weft-sim executions stays flat: prints the process's peak
//! resident set (VmHWM) after 10k, 100k and 1M random executions of the 3x2 mutex workload.
//! (A plain program, not a criterion benchmark: it measures memory, not time.)

#![allow(clippy::disallowed_methods)] // reports wall time on purpose

use weft_benches::workloads::weft_mutex_counter;
use weft_sim::{Config, Sim, StrategyKind};

fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list` and similar harness probes
    }
    let total: u64 = std::env::var("WEFT_MEMORY_EXECUTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let start = std::time::Instant::now();
    let mut done = 0u64;
    for checkpoint in [10_000u64, 100_000, 1_000_000]
        .into_iter()
        .filter(|c| *c <= total)
    {
        let sim = Sim::new(
            Config::default()
                .strategy(StrategyKind::Random)
                .seed(checkpoint)
                .iterations(checkpoint - done),
        );
        sim.check(|rt| weft_mutex_counter(rt, 3, 2));
        done = checkpoint;
        println!(
            "after {done:>9} executions: peak RSS {:>7} KiB ({:.1?} elapsed)",
            peak_kib(),
            start.elapsed()
        );
    }
}
