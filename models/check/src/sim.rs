//! The weft-sim adapter: a plan's search or replay as a [`weft_sim::Config`], the scenario's
//! requirements ([`Info::may_outlive`], [`Info::tolerates`]) included, and its report or
//! failure as an [`Outcome`].
//!
//! [`Info::may_outlive`]: weft_models::scenario::Info::may_outlive
//! [`Info::tolerates`]: weft_models::scenario::Info::tolerates

use weft_models::scenario::{Scale, Scenario};
use weft_sim::{Config, Failure, Sim, SimError};

use crate::error::PlanError;
use crate::finding::{Finding, Reproduce};
use crate::outcome::Outcome;
use crate::plan::{BackendPlan, Plan, Search};

/// The `weft replay` command of a sim failure, as a template for weft-sim (`{schedule}` is
/// the failing schedule).
pub fn replay_command(scenario: &str, variant: &str, scale: Scale) -> String {
    let scale = match scale {
        Scale::Minimal => " --scale minimal",
        Scale::Full => "",
    };
    format!("weft replay {scenario} --variant {variant}{scale} --schedule {{schedule}}")
}

/// The sim configuration of `plan`.
fn config<S: Scenario>(plan: &Plan) -> Config {
    let (scenario, variant) = (plan.scenario(), plan.variant());
    let mut config =
        Config::default().replay_command(replay_command(scenario.name, variant.name, plan.scale()));
    for prefix in S::INFO.may_outlive {
        config = config.allow_outlive(*prefix);
    }
    config = config.faults(S::INFO.budget(variant));
    for kind in S::INFO.tolerates {
        config = config.tolerate(*kind);
    }
    if !plan.progress() {
        config = config.progress(None);
    }
    match plan.backend() {
        BackendPlan::Sim { search, iterations } => {
            config = config.strategy(search.kind()).iterations(*iterations);
            match *search {
                Search::Random { seed } | Search::Pct { seed, .. } | Search::Portfolio { seed } => {
                    config.seed(seed)
                }
                Search::Dfs { preemption_bound } => config.preemption_bound(preemption_bound),
                Search::Dpor => config,
                Search::Icb { max_bound } | Search::Hunt { max_bound } => {
                    config.preemption_bound(max_bound)
                }
            }
        }
        BackendPlan::Replay { schedule } => config.seed(schedule.seed).schedule(schedule.clone()),
        other => unreachable!("the sim adapter runs sim plans, not {other:?}"),
    }
}

/// Runs a sim plan.
pub(crate) fn run<S: Scenario>(plan: &Plan) -> Result<Outcome, PlanError> {
    let (variant, scale) = (plan.variant(), plan.scale());
    let mut out = Outcome::of(plan);
    match Sim::new(config::<S>(plan)).run(move |rt| S::run_variant(rt, variant, scale)) {
        Ok(report) => {
            out.executions = report.executions;
            out.exhausted = report.exhausted;
            out.bound_reached = report.bound_reached;
            out.tolerated = report.tolerated;
        }
        Err(SimError::Config(e)) => return Err(PlanError::Config(e)),
        Err(SimError::ScheduleMismatch(m)) => return Err(PlanError::Mismatch(m)),
        Err(SimError::Failure(f)) => {
            out.executions = f.execution;
            out.tolerated = f.tolerated.clone();
            out.bound_reached = f.bound_reached;
            out.finding = Some(finding(f, scale));
        }
    }
    Ok(out)
}

/// A sim failure as a finding.
fn finding(f: Box<Failure>, scale: Scale) -> Finding {
    Finding {
        kind: f.kind,
        oracle: f.oracle,
        message: f.fault().to_string(),
        task: Some(f.task.clone()),
        site: f.site,
        step: Some(f.step),
        time: Some(f.time),
        execution: f.execution,
        preemptions: Some(f.preemptions),
        reproduce: Reproduce::Sim {
            schedule: f.schedule.clone(),
            seed: f.seed,
            scale,
            command: f.replay_command.clone(),
        },
        sim: Some(f),
    }
}
