//! `weft`: list the scenarios, check them on any backend, replay a failure.
//!
//! ```text
//! weft list
//! weft check cortex/stop-before-run --variant buggy
//! weft replay cortex/stop-before-run --variant buggy --schedule weft2-...
//! weft check --all
//! ```
//!
//! Exit codes: 0 no failure found (for `--all`: every verdict as expected), 1 a failure found
//! (for `--all`: some verdict not as expected), 2 bad input (one line on stderr).

mod backend;
mod output;
mod run;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use weft_models::registry;
use weft_models::scenario::Scale;
use weft_sim::{Schedule, StrategyKind};

use backend::Backend;
use run::Job;

#[derive(Parser, Debug)]
#[command(
    name = "weft",
    version,
    about = "Deterministic checks of real lifecycle races"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ScaleArg {
    Minimal,
    Full,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Strategy {
    Random,
    Pct,
    Dfs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// One line per scenario: name, system, variants, backends, summary.
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Check a scenario (every variant unless --variant), or every scenario with --all.
    Check {
        /// Scenario name (see `weft list`).
        scenario: Option<String>,
        /// Every scenario × variant × backend, one table row each.
        #[arg(long, conflicts_with = "scenario")]
        all: bool,
        #[arg(long)]
        variant: Option<String>,
        #[arg(long, value_enum)]
        backend: Option<Backend>,
        /// sim and shuttle: exploration strategy (loom is always DPOR, tokio a stress loop).
        #[arg(long, value_enum)]
        strategy: Option<Strategy>,
        /// PCT bug depth.
        #[arg(long, default_value_t = 3)]
        depth: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Executions (sim, shuttle) or runs (tokio); DFS stops earlier when exhausted.
        #[arg(long)]
        iterations: Option<u64>,
        /// DFS (sim) and loom preemption bound (loom defaults to 2, spec §5's bound; sim's DFS
        /// to none).
        #[arg(long)]
        preemption_bound: Option<u32>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Replay a weft-sim schedule string printed by `weft check`.
    Replay {
        scenario: String,
        #[arg(long)]
        variant: String,
        #[arg(long)]
        schedule: String,
        /// The scale the schedule was found at (`weft check` prints it in the replay command).
        #[arg(long, value_enum, default_value = "full")]
        scale: ScaleArg,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            print!("{e}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let text = e.to_string();
            let line = text.lines().next().unwrap_or("bad arguments");
            eprintln!("weft: {}", line.trim_start_matches("error: "));
            return ExitCode::from(2);
        }
    };
    match dispatch(cli.command) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("weft: {msg}");
            ExitCode::from(2)
        }
    }
}

fn strategy_kind(s: Strategy, depth: usize) -> Result<StrategyKind, String> {
    if depth == 0 {
        return Err("--depth must be at least 1".into());
    }
    Ok(match s {
        Strategy::Random => StrategyKind::Random,
        Strategy::Pct => StrategyKind::Pct { depth },
        Strategy::Dfs => StrategyKind::Dfs,
    })
}

fn dispatch(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::List { format } => {
            output::list(format == Format::Json);
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            all: true,
            variant,
            backend,
            strategy,
            format,
            iterations,
            ..
        } => {
            if variant.is_some() || backend.is_some() || strategy.is_some() || iterations.is_some()
            {
                return Err(
                    "--all runs its own budgets: drop --variant, --backend, --strategy and \
                     --iterations, or check one scenario"
                        .into(),
                );
            }
            let ok = output::check_all(format == Format::Json);
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Check {
            scenario,
            variant,
            backend,
            strategy,
            depth,
            seed,
            iterations,
            preemption_bound,
            format,
            ..
        } => {
            let Some(name) = scenario else {
                return Err("check needs a scenario name or --all (see `weft list`)".into());
            };
            let info = registry::find(&name)?;
            let variants = match &variant {
                Some(v) => vec![info.variant(v)?],
                None => info.variants.iter().collect(),
            };
            let backend = backend.unwrap_or(Backend::Sim);
            backend.supports(info)?;
            let strategy = strategy_kind(strategy.unwrap_or(Strategy::Pct), depth)?;
            let iterations = iterations.unwrap_or(match (backend, strategy) {
                (Backend::Sim, StrategyKind::Dfs) => u64::MAX,
                (Backend::Tokio, _) => 1_000,
                (Backend::Sim, _) => 10_000,
                _ => 1_000,
            });
            if iterations == 0 {
                return Err("--iterations must be at least 1".into());
            }
            let mut failed = false;
            for v in variants {
                let job = Job {
                    scenario: info.name,
                    variant: v,
                    backend,
                    strategy,
                    seed,
                    iterations,
                    preemption_bound: match backend {
                        Backend::Loom => preemption_bound.or(Some(2)),
                        _ => preemption_bound,
                    },
                    scale: run::scale_for(backend, strategy),
                    schedule: None,
                };
                let out = run::run(&job)?;
                failed |= out.failure.is_some();
                output::result(&out, format == Format::Json);
            }
            Ok(if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Replay {
            scenario,
            variant,
            schedule,
            scale,
            format,
        } => {
            let info = registry::find(&scenario)?;
            let variant = info.variant(&variant)?;
            let schedule = Schedule::decode(schedule.trim())
                .map_err(|e| format!("bad schedule string: {e}"))?;
            let job = Job {
                scenario: info.name,
                variant,
                backend: Backend::Sim,
                strategy: StrategyKind::Random,
                seed: schedule.seed,
                iterations: 1,
                preemption_bound: None,
                scale: match scale {
                    ScaleArg::Minimal => Scale::Minimal,
                    ScaleArg::Full => Scale::Full,
                },
                schedule: Some(schedule),
            };
            let out = run::run(&job)?;
            output::result(&out, format == Format::Json);
            Ok(if out.failure.is_some() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}
