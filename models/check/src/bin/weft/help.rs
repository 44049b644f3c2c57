//! Which `weft check` flags apply to which backend and strategy, in one table
//! ([`applies`]), and how the flags given become one run's settings.
//!
//! A flag that the run would ignore is bad input (exit 2, one line naming the flag and why),
//! never silently dropped: a `--seed` that changes nothing reads as "tried another seed". The
//! table, by what each backend's runner really uses:
//!
//! | flag                 | sim                   | shuttle          | loom | tokio |
//! |----------------------|-----------------------|------------------|------|-------|
//! | `--strategy`         | yes                   | yes              | no   | no    |
//! | `--depth`            | pct                   | pct              | no   | no    |
//! | `--seed`             | random, pct           | random, pct      | no   | no    |
//! | `--iterations`       | yes                   | yes              | no   | yes   |
//! | `--preemption-bound` | dfs                   | no               | yes  | no    |
//!
//! `check --all` runs its own table of budgets and takes none of these (nor `--variant` or
//! `--backend`). Flags not given take the defaults of [`crate::budget`], applied in
//! [`Flags::resolve`] only.

use weft_sim::strategy::{PCT_DEFAULT_DEPTH, PCT_DEPTHS};
use weft_sim::StrategyKind;

use crate::backend::Backend;
use crate::budget::{self, Purpose};

/// `--strategy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Strategy {
    Random,
    Pct,
    Dfs,
}

impl Strategy {
    /// The `--strategy` value that runs `kind`.
    fn of(kind: StrategyKind) -> Strategy {
        match kind {
            StrategyKind::Random => Strategy::Random,
            StrategyKind::Pct { .. } => Strategy::Pct,
            StrategyKind::Dfs => Strategy::Dfs,
        }
    }

    /// Its `--strategy` value.
    fn name(self) -> String {
        let value = clap::ValueEnum::to_possible_value(&self).expect("no value is skipped");
        value.get_name().to_string()
    }
}

/// A per-run flag of `weft check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Knob {
    Variant,
    Backend,
    Strategy,
    Depth,
    Seed,
    Iterations,
    PreemptionBound,
}

impl Knob {
    pub const ALL: [Knob; 7] = [
        Knob::Variant,
        Knob::Backend,
        Knob::Strategy,
        Knob::Depth,
        Knob::Seed,
        Knob::Iterations,
        Knob::PreemptionBound,
    ];

    /// The clap argument id (the field of `main`'s `Command::Check`).
    pub fn id(self) -> &'static str {
        match self {
            Knob::Variant => "variant",
            Knob::Backend => "backend",
            Knob::Strategy => "strategy",
            Knob::Depth => "depth",
            Knob::Seed => "seed",
            Knob::Iterations => "iterations",
            Knob::PreemptionBound => "preemption_bound",
        }
    }

    pub fn flag(self) -> &'static str {
        match self {
            Knob::Variant => "--variant",
            Knob::Backend => "--backend",
            Knob::Strategy => "--strategy",
            Knob::Depth => "--depth",
            Knob::Seed => "--seed",
            Knob::Iterations => "--iterations",
            Knob::PreemptionBound => "--preemption-bound",
        }
    }
}

/// `Err(why)` when `knob` does nothing on `backend` running `strategy`: the table of the module
/// documentation.
pub fn applies(knob: Knob, backend: Backend, strategy: Strategy) -> Result<(), &'static str> {
    use {Backend as B, Knob as K, Strategy as S};
    match (knob, backend, strategy) {
        (K::Variant | K::Backend, ..) => Ok(()),
        (K::Strategy | K::Iterations, B::Sim | B::Shuttle, _) => Ok(()),
        (K::Depth, B::Sim | B::Shuttle, S::Pct) => Ok(()),
        (K::Seed, B::Sim | B::Shuttle, S::Random | S::Pct) => Ok(()),
        (K::PreemptionBound, B::Sim, S::Dfs) | (K::PreemptionBound, B::Loom, _) => Ok(()),
        (K::Iterations, B::Tokio, _) => Ok(()),
        (K::Strategy | K::Depth | K::Seed, B::Loom, _) => Err(
            "loom always explores with its DPOR, which is deterministic and has no strategy, \
             depth or seed",
        ),
        (K::Iterations, B::Loom, _) => Err(
            "loom explores until its DPOR is done and has no execution budget (bound it with \
             --preemption-bound)",
        ),
        (K::Strategy | K::Depth | K::Seed | K::PreemptionBound, B::Tokio, _) => Err(
            "tokio runs the scenario --iterations times on its own scheduler, which takes no \
             strategy, depth, seed or preemption bound",
        ),
        (K::Depth, B::Sim | B::Shuttle, S::Random | S::Dfs) => {
            Err("it is PCT's bug depth (use --strategy pct)")
        }
        (K::Seed, B::Sim | B::Shuttle, S::Dfs) => {
            Err("DFS is deterministic and draws nothing from a seed")
        }
        (K::PreemptionBound, B::Sim, S::Random | S::Pct) => {
            Err("only DFS bounds preemptions (use --strategy dfs)")
        }
        (K::PreemptionBound, B::Shuttle, _) => Err(
            "shuttle's strategies take no preemption bound here (use --backend sim --strategy \
             dfs, or --backend loom)",
        ),
    }
}

/// The `--help` text of a knob, with its defaults from [`budget`].
pub fn help(knob: Knob) -> String {
    let check = |backend, strategy| budget::budget(Purpose::Check, backend, strategy);
    let pct = budget::default_strategy(Backend::Sim);
    match knob {
        Knob::Strategy => format!(
            "sim and shuttle: how to explore [default: {}] (loom always runs its DPOR, tokio a \
             stress loop)",
            Strategy::of(pct).name()
        ),
        Knob::Depth => format!(
            "PCT's bug depth, {}..={} [default: {PCT_DEFAULT_DEPTH}]",
            PCT_DEPTHS.start(),
            PCT_DEPTHS.end()
        ),
        Knob::Seed => format!(
            "Seed of sim's and shuttle's random and PCT strategies [default: {}]",
            budget::SEED
        ),
        Knob::Iterations => format!(
            "Executions (sim, shuttle) or runs (tokio) [default: {} for sim's DFS, which stops \
             earlier when exhausted; {} for sim's others; {} for shuttle; {} for tokio]",
            check(Backend::Sim, StrategyKind::Dfs).iterations,
            check(Backend::Sim, pct).iterations,
            check(Backend::Shuttle, pct).iterations,
            check(Backend::Tokio, pct).iterations,
        ),
        Knob::PreemptionBound => format!(
            "Preemption bound of sim's DFS [default: none] and of loom [default: {}, spec §5's]",
            check(Backend::Loom, StrategyKind::Dfs)
                .preemption_bound
                .expect("loom's default is bounded")
        ),
        Knob::Variant => "The variant to check [default: every variant]".to_string(),
        Knob::Backend => format!("Where to run it [default: {}]", budget::BACKEND),
    }
}

/// The per-run flags of `weft check` as given (`None`, `false`: not on the command line).
#[derive(Clone, Copy, Debug, Default)]
pub struct Flags {
    pub variant: bool,
    pub backend: Option<Backend>,
    pub strategy: Option<Strategy>,
    pub depth: Option<usize>,
    pub seed: Option<u64>,
    pub iterations: Option<u64>,
    pub preemption_bound: Option<u32>,
}

/// What one check runs: every flag checked and every default applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    pub backend: Backend,
    pub strategy: StrategyKind,
    pub seed: u64,
    pub iterations: u64,
    pub preemption_bound: Option<u32>,
}

impl Flags {
    /// The flags on the command line.
    fn given(&self) -> Vec<Knob> {
        [
            (self.variant, Knob::Variant),
            (self.backend.is_some(), Knob::Backend),
            (self.strategy.is_some(), Knob::Strategy),
            (self.depth.is_some(), Knob::Depth),
            (self.seed.is_some(), Knob::Seed),
            (self.iterations.is_some(), Knob::Iterations),
            (self.preemption_bound.is_some(), Knob::PreemptionBound),
        ]
        .into_iter()
        .filter_map(|(given, knob)| given.then_some(knob))
        .collect()
    }

    /// `check --all`: `Err` naming every per-run flag given, since `--all` would ignore them.
    pub fn for_all(&self) -> Result<(), String> {
        let given = self.given();
        if given.is_empty() {
            return Ok(());
        }
        let flags: Vec<&str> = given.iter().map(|k| k.flag()).collect();
        Err(format!(
            "--all runs every variant on every backend with its own budgets and takes only \
             --format: drop {} (or check one scenario)",
            flags.join(", ")
        ))
    }

    /// One scenario's check: `Err` when a flag does not apply to the backend and strategy or
    /// is out of range; otherwise the settings, defaults from [`budget`] filled in.
    pub fn resolve(&self) -> Result<Settings, String> {
        let backend = self.backend.unwrap_or(budget::BACKEND);
        let default = budget::default_strategy(backend);
        let strategy = self.strategy.unwrap_or(Strategy::of(default));
        for knob in self.given() {
            applies(knob, backend, strategy).map_err(|why| {
                let with = match (backend, self.strategy) {
                    (Backend::Sim | Backend::Shuttle, None) => {
                        format!("backend {backend} with its default strategy {default}")
                    }
                    (Backend::Sim | Backend::Shuttle, Some(_)) => {
                        format!("backend {backend} with strategy {}", strategy.name())
                    }
                    (Backend::Loom | Backend::Tokio, _) => format!("backend {backend}"),
                };
                format!("{} does not apply to {with}: {why}", knob.flag())
            })?;
        }
        let strategy = match (backend, strategy) {
            (Backend::Loom | Backend::Tokio, _) => default,
            (_, Strategy::Random) => StrategyKind::Random,
            (_, Strategy::Dfs) => StrategyKind::Dfs,
            (_, Strategy::Pct) => StrategyKind::pct(self.depth.unwrap_or(PCT_DEFAULT_DEPTH))
                .map_err(|e| format!("--depth: {e}"))?,
        };
        if self.iterations == Some(0) {
            return Err("--iterations must be at least 1".into());
        }
        let b = budget::budget(Purpose::Check, backend, strategy);
        Ok(Settings {
            backend,
            strategy,
            seed: self.seed.unwrap_or(budget::SEED),
            iterations: self.iterations.unwrap_or(b.iterations),
            preemption_bound: self.preemption_bound.or(b.preemption_bound),
        })
    }
}
