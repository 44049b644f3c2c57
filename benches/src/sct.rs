//! Bug-finding power on the `sct/*` suite: executions to the first failure of each buggy
//! variant, per strategy, over the suite's seeds ([`sct::SEEDS`], budget [`sct::BUDGET`]).
//!
//! A column is a weft-sim strategy by its `WEFT_STRATEGY` name (`random`, `pct:3`,
//! `portfolio`, and any later one such as `dpor`), run through [`weft_sim::Sim`] at the full
//! scale, or a shuttle search through weft's shuttle backend ([`Plan::shuttle`]). A failure
//! counts only if it is the one the variant expects (kind and oracle); a different one is
//! reported as such, never as a find.

use std::fmt;

use weft_check::{Plan, Search};
use weft_models::registry;
use weft_models::scenario::{Info, Scale, Scenario, Variant, Visitor};
use weft_models::scenarios::sct;
use weft_sim::{Config, Sim, SimError, StrategyKind};

/// Who explores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// weft-sim with this strategy.
    Sim(StrategyKind),
    /// shuttle's random walk.
    ShuttleRandom,
    /// shuttle's PCT with this depth.
    ShuttlePct(usize),
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Column::Sim(k) => write!(f, "weft {k}"),
            Column::ShuttleRandom => f.write_str("shuttle random"),
            Column::ShuttlePct(d) => write!(f, "shuttle pct:{d}"),
        }
    }
}

impl Column {
    /// Parses `random`, `pct:D`, `portfolio`, ... (weft-sim), `shuttle:random` or
    /// `shuttle:pct:D`.
    pub fn parse(s: &str) -> Result<Column, String> {
        match s.strip_prefix("shuttle:") {
            Some("random") => Ok(Column::ShuttleRandom),
            Some(rest) => match StrategyKind::parse(rest) {
                Ok(StrategyKind::Pct { depth }) => Ok(Column::ShuttlePct(depth)),
                _ => Err(format!(
                    "unknown shuttle column {s:?}: expected shuttle:random or shuttle:pct:D"
                )),
            },
            None => StrategyKind::parse(s)
                .map(Column::Sim)
                .map_err(|e| e.to_string()),
        }
    }
}

/// What one run of one column on one seed found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// The expected failure, at this execution (1-based).
    At(u64),
    /// Nothing within the budget.
    Nothing,
    /// A failure the variant does not expect (kind and message).
    Other(String),
}

/// The first failure of `program`'s buggy variant under `column` with `seed`.
pub fn first_failure(program: &'static Info, column: Column, seed: u64) -> Found {
    let buggy = &program.variants[0];
    match column {
        Column::Sim(kind) => registry::visit(program.name, SimRun { buggy, kind, seed })
            .unwrap_or_else(|e| panic!("{e}")),
        Column::ShuttleRandom | Column::ShuttlePct(_) => {
            let search = match column {
                Column::ShuttlePct(depth) => Search::Pct { depth, seed },
                _ => Search::Random { seed },
            };
            let plan = Plan::shuttle(program, buggy, search, sct::BUDGET)
                .unwrap_or_else(|e| panic!("{}: {e}", program.name));
            let out = weft_check::run(&plan).unwrap_or_else(|e| panic!("{e}"));
            match out.finding {
                None => Found::Nothing,
                Some(f) if buggy.expect.matches(f.kind, f.oracle) => Found::At(f.execution),
                Some(f) => Found::Other(format!("{}: {}", f.kind, f.message)),
            }
        }
    }
}

#[derive(Clone, Copy)]
struct SimRun {
    buggy: &'static Variant,
    kind: StrategyKind,
    seed: u64,
}

impl Visitor for SimRun {
    type Output = Found;
    fn visit<S: Scenario>(self) -> Found {
        let config = Config::default()
            .strategy(self.kind)
            .seed(self.seed)
            .iterations(sct::BUDGET)
            .progress(None)
            .summary(false);
        let buggy = self.buggy;
        match Sim::new(config).run(move |rt| S::run_variant(rt, buggy, Scale::Full)) {
            Ok(_) => Found::Nothing,
            Err(SimError::Failure(f)) if buggy.expect.matches(f.kind, f.oracle) => {
                Found::At(f.execution)
            }
            Err(SimError::Failure(f)) => Found::Other(format!("{}: {}", f.kind, f.message)),
            Err(e) => Found::Other(e.to_string()),
        }
    }
}

/// Characters of an unexpected finding's message that a cell shows.
const CELL_TEXT: usize = 24;

/// One table cell: `min / median / max` executions over the seeds that found the bug, with
/// `(k/n)` when only `k` of `n` seeds did; `—` when none did; `!` and the first unexpected
/// failure when one was found instead.
pub fn cell(found: &[Found]) -> String {
    if let Some(Found::Other(what)) = found.iter().find(|f| matches!(f, Found::Other(_))) {
        // The kind and the start of the message: a table cell, not the report.
        let line = what.lines().next().unwrap_or_default();
        return match line.char_indices().nth(CELL_TEXT) {
            Some((cut, _)) => format!("! {}…", &line[..cut]),
            None => format!("! {line}"),
        };
    }
    let mut at: Vec<u64> = found
        .iter()
        .filter_map(|f| match f {
            Found::At(n) => Some(*n),
            _ => None,
        })
        .collect();
    if at.is_empty() {
        return "—".to_string();
    }
    at.sort_unstable();
    let median = at[(at.len() - 1) / 2];
    let mut s = format!("{} / {} / {}", at[0], median, at[at.len() - 1]);
    if at.len() < found.len() {
        s.push_str(&format!(" ({}/{})", at.len(), found.len()));
    }
    s
}
