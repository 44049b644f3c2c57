//! `--format json`: one JSON object per line. A result's fields, in order: `scenario`,
//! `variant`, `backend`, `strategy`, `scale`, `executions`, `exhausted`, `bound_reached` (ICB
//! only), `failure` (`kind`, `oracle`, `message`, `seed`, `schedule`, `execution`,
//! `preemptions` (sim), `task`, `step`, `time_ns`, `replay`,
//! `trace`: structured events, see `trace_json`), `failed_runs`, `tolerated` (when any), `expected`, `as_expected`, `wall_ms`
//! (absent from replays, whose output is identical on every run).

use serde::Serialize;
use weft_check::{Finding, Outcome, Reproduce};
use weft_models::scenario::Scale;

use crate::text;

#[derive(Serialize)]
struct OutcomeJson<'a> {
    scenario: &'a str,
    variant: &'a str,
    backend: &'a str,
    strategy: String,
    scale: &'a str,
    executions: u64,
    exhausted: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bound_reached: Option<u32>,
    failure: Option<FailureJson>,
    failed_runs: Option<u64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tolerated: Vec<ToleratedJson>,
    expected: String,
    as_expected: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    wall_ms: Option<u64>,
}

#[derive(Serialize)]
struct FailureJson {
    kind: &'static str,
    oracle: Option<&'static str>,
    message: String,
    seed: Option<u64>,
    schedule: Option<String>,
    execution: u64,
    preemptions: Option<u32>,
    task: Option<String>,
    step: Option<u64>,
    time_ns: Option<u64>,
    replay: Option<String>,
    trace: Option<crate::trace_json::TraceJson>,
}

#[derive(Serialize)]
struct ToleratedJson {
    kind: &'static str,
    findings: u64,
    executions: u64,
    first: String,
}

/// The scale's name.
pub fn scale(scale: Scale) -> &'static str {
    match scale {
        Scale::Minimal => "minimal",
        Scale::Full => "full",
    }
}

/// One result as one line of JSON.
pub fn outcome(out: &Outcome) -> String {
    let plan = &out.plan;
    let replay = matches!(plan.backend(), weft_check::BackendPlan::Replay { .. });
    let json = OutcomeJson {
        scenario: plan.scenario().name,
        variant: plan.variant().name,
        backend: plan.backend().backend().name(),
        strategy: text::strategy(plan),
        scale: scale(plan.scale()),
        executions: out.executions,
        exhausted: out.exhausted,
        bound_reached: out.bound_reached,
        failure: out.finding.as_ref().map(|f| failure(out, f)),
        failed_runs: out.failed_runs,
        tolerated: out
            .tolerated
            .iter()
            .map(|t| ToleratedJson {
                kind: t.kind.as_str(),
                findings: t.findings,
                executions: t.executions,
                first: t.first.clone(),
            })
            .collect(),
        expected: plan.variant().expect.describe(),
        as_expected: out.verdict().is_ok(),
        wall_ms: (!replay).then_some(out.wall.as_millis() as u64),
    };
    serde_json::to_string(&json).expect("outcomes serialize")
}

fn failure(out: &Outcome, f: &Finding) -> FailureJson {
    let (seed, schedule) = match &f.reproduce {
        Reproduce::Sim { schedule, seed, .. } => (Some(*seed), Some(schedule.encode())),
        Reproduce::Shuttle { search, .. } => (search.seed(), None),
        Reproduce::Rerun => (None, None),
    };
    FailureJson {
        kind: f.kind.as_str(),
        oracle: f.oracle.map(|o| o.name()),
        message: f.message.clone(),
        seed,
        schedule,
        execution: f.execution,
        preemptions: f.preemptions,
        task: f.task.clone(),
        step: f.step,
        time_ns: f.time.map(|t| t.since_epoch().as_nanos() as u64),
        replay: text::reproduce(out, f),
        trace: f
            .sim
            .as_ref()
            .map(|s| crate::trace_json::trace(&s.trace, &s.tasks)),
    }
}
