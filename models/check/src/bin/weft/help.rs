//! The `--help` text of `weft check`'s per-run flags, written from their defaults
//! ([`weft_check::defaults`]) so that the help cannot disagree with what runs.

use weft_check::defaults::{self, Purpose};
use weft_check::{Knob, Search};
use weft_sim::strategy::PCT_DEPTHS;

/// The clap argument id of a knob (the field of `main`'s `Command::Check`).
pub fn id(knob: Knob) -> &'static str {
    match knob {
        Knob::Variant => "variant",
        Knob::Backend => "backend",
        Knob::Strategy => "strategy",
        Knob::Depth => "depth",
        Knob::Seed => "seed",
        Knob::Iterations => "iterations",
        Knob::PreemptionBound => "preemption_bound",
    }
}

/// The `--help` text of a knob, with its defaults.
pub fn help(knob: Knob) -> String {
    let dfs = Search::Dfs {
        preemption_bound: None,
    };
    match knob {
        Knob::Strategy => format!(
            "sim and shuttle: how to explore [default: {} on sim, {} on shuttle] (loom always \
             runs its DPOR, tokio a stress loop)",
            defaults::SEARCH.choice().name(),
            defaults::SHUTTLE_SEARCH.choice().name()
        ),
        Knob::Depth => format!(
            "PCT's bug depth, {}..={} [default: {}]",
            PCT_DEPTHS.start(),
            PCT_DEPTHS.end(),
            defaults::PCT_DEPTH
        ),
        Knob::Seed => format!(
            "Seed of sim's and shuttle's random and PCT strategies [default: {}]",
            defaults::SEED
        ),
        Knob::Iterations => format!(
            "Executions (sim, shuttle) or runs (tokio) [default: {} for sim's DFS and ICB, {} \
             for its DPOR and {} for its hunt, which stop earlier when exhausted; {} for sim's \
             others; {} for shuttle; {} for tokio]",
            defaults::sim_iterations(Purpose::Check, &dfs),
            defaults::sim_iterations(Purpose::Check, &Search::Dpor),
            defaults::sim_iterations(Purpose::Check, &Search::Hunt { max_bound: None }),
            defaults::sim_iterations(Purpose::Check, &defaults::SEARCH),
            defaults::SHUTTLE_SAMPLES,
            defaults::tokio_runs(Purpose::Check),
        ),
        Knob::PreemptionBound => format!(
            "Preemption bound of sim's DFS [default: none], the largest bound of sim's ICB and \
             of the hunt's ICB [default: none] and loom's bound [default: {}, spec §5's]",
            defaults::loom_bound(Purpose::Check)
        ),
        Knob::Variant => "The variant to check [default: every variant]".to_string(),
        Knob::Backend => format!("Where to run it [default: {}]", defaults::BACKEND),
    }
}
