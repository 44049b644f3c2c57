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
//!
//! This binary is clap and printing only: the flags become a [`weft_check::Plan`] (whose
//! constructors check them), [`weft_check::run`] runs it, and `text.rs` / `json.rs` print
//! the [`weft_check::Outcome`].

mod help;
mod json;
mod text;
mod trace_json;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use weft_check::{Backend, Knob, Knobs, Outcome, Plan, PlanError, StrategyChoice};
use weft_models::registry;
use weft_models::scenario::Scale;

#[derive(Parser, Debug)]
#[command(
    name = "weft",
    version,
    about = "Deterministic checks of real lifecycle races",
    after_help = "--format json prints one JSON object per line: one per result, and for \
                  check --all a last {\"summary\": ...} line."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// For people: one line per result, a sim failure's one-screen report, the --all table.
    Text,
    /// One JSON object per line.
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
        // The help of these seven comes from `help::help`, written from their defaults.
        #[arg(long)]
        variant: Option<String>,
        #[arg(long, value_enum)]
        backend: Option<Backend>,
        #[arg(long, value_enum)]
        strategy: Option<StrategyChoice>,
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
            check.mut_arg(help::id(knob), |arg| arg.help(help::help(knob)))
        })
    })
}

fn dispatch(command: Command) -> Result<ExitCode, String> {
    let found = |failed: bool| {
        if failed {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    };
    match command {
        Command::List { format } => {
            text::list(format == Format::Json);
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
            let knobs = Knobs {
                variant: variant.is_some(),
                backend,
                strategy,
                depth,
                seed,
                iterations,
                preemption_bound,
            };
            if all {
                knobs.for_all().map_err(|e| e.to_string())?;
                let ok = text::check_all(format == Format::Json);
                return Ok(found(!ok));
            }
            let Some(name) = scenario else {
                return Err("check needs a scenario name or --all (see `weft list`)".into());
            };
            let info = registry::find(&name)?;
            let variants = match &variant {
                Some(v) => vec![info.variant(v)?],
                None => info.variants.iter().collect(),
            };
            // Every plan is made (and its flags checked) before any runs.
            let plans = variants
                .into_iter()
                .map(|v| knobs.plan(info, v))
                .collect::<Result<Vec<Plan>, PlanError>>()
                .map_err(|e| e.to_string())?;
            let mut failed = false;
            for plan in &plans {
                let out = weft_check::run(plan).map_err(|e| e.to_string())?;
                failed |= out.finding.is_some();
                print(&out, format);
            }
            Ok(found(failed))
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
            let scale = match scale {
                ScaleArg::Minimal => Scale::Minimal,
                ScaleArg::Full => Scale::Full,
            };
            let plan =
                Plan::replay_encoded(info, variant, scale, &schedule).map_err(|e| e.to_string())?;
            let out = weft_check::run(&plan).map_err(|e| e.to_string())?;
            print(&out, format);
            Ok(found(out.finding.is_some()))
        }
    }
}

/// Prints one result in `format`.
fn print(out: &Outcome, format: Format) {
    match format {
        Format::Text => text::result(out),
        Format::Json => println!("{}", json::outcome(out)),
    }
}
