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
mod budget;
mod knobs;
mod output;
mod run;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use weft_models::registry;
use weft_models::scenario::Scale;
use weft_sim::{Schedule, StrategyKind};

use backend::Backend;
use knobs::{Flags, Knob, Strategy};
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
        // The help of these seven comes from `knobs::help`, next to their defaults.
        #[arg(long)]
        variant: Option<String>,
        #[arg(long, value_enum)]
        backend: Option<Backend>,
        #[arg(long, value_enum)]
        strategy: Option<Strategy>,
        #[arg(long)]
        depth: Option<usize>,
        #[arg(long)]
        seed: Option<u64>,
        #[arg(long)]
        iterations: Option<u64>,
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
    let parsed = command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
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

/// The command line, with the help of the per-run flags written from their defaults.
fn command() -> clap::Command {
    Cli::command().mut_subcommand("check", |check| {
        Knob::ALL.into_iter().fold(check, |check, knob| {
            check.mut_arg(knob.id(), |arg| arg.help(knobs::help(knob)))
        })
    })
}

fn dispatch(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::List { format } => {
            output::list(format == Format::Json);
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            scenario,
            all,
            variant,
            backend,
            strategy,
            depth,
            seed,
            iterations,
            preemption_bound,
            format,
        } => {
            let flags = Flags {
                variant: variant.is_some(),
                backend,
                strategy,
                depth,
                seed,
                iterations,
                preemption_bound,
            };
            if all {
                flags.for_all()?;
                let ok = output::check_all(format == Format::Json);
                return Ok(if ok {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                });
            }
            let Some(name) = scenario else {
                return Err("check needs a scenario name or --all (see `weft list`)".into());
            };
            let info = registry::find(&name)?;
            let variants = match &variant {
                Some(v) => vec![info.variant(v)?],
                None => info.variants.iter().collect(),
            };
            let settings = flags.resolve()?;
            settings.backend.supports(info)?;
            let mut failed = false;
            for v in variants {
                let job = Job {
                    scenario: info.name,
                    variant: v,
                    backend: settings.backend,
                    strategy: settings.strategy,
                    seed: settings.seed,
                    iterations: settings.iterations,
                    preemption_bound: settings.preemption_bound,
                    scale: run::scale_for(settings.backend, settings.strategy),
                    schedule: None,
                    progress: true,
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
                progress: false,
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
