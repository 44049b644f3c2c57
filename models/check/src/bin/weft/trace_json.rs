//! A weft-sim trace as JSON: structured events, not the rendered text.
//!
//! `{"head": [EVENT...], "elided": N, "tail": [EVENT...]}`: a report's trace is bounded, so it
//! keeps the first and the last events and counts those between. An `EVENT` is
//! `{"task", "step", "time_ns", "event", "op", "object", "access", "site", "detail"}`:
//! `event` is `op`, `spawn`, `finished`, `timer`, `choice`, `log` or `failed`; `op` names the
//! primitive operation (`mutex.lock`), `object` is its per-execution object id and `access`
//! how it touched it (`acquire`, `send`, ...), `site` the model's `file:line:column`; `detail`
//! carries what the other events say (the spawned task, the timer, the choice, the log line,
//! the failure). Fields that do not apply are `null`.

use serde::Serialize;
use weft_sim::trace::{Event, EventKind, Trace};

#[derive(Serialize)]
pub struct TraceJson {
    head: Vec<EventJson>,
    elided: u64,
    tail: Vec<EventJson>,
}

#[derive(Serialize)]
struct EventJson {
    task: String,
    step: u64,
    time_ns: u64,
    event: &'static str,
    op: Option<&'static str>,
    object: Option<u32>,
    access: Option<String>,
    site: Option<String>,
    detail: Option<String>,
}

/// `trace` with its tasks called by `names` (index = task id).
pub fn trace(trace: &Trace, names: &[String]) -> TraceJson {
    let event = |e: &Event| event(e, names);
    TraceJson {
        head: trace.events().iter().map(event).collect(),
        elided: trace.elided(),
        tail: trace.tail().map(event).collect(),
    }
}

fn event(e: &Event, names: &[String]) -> EventJson {
    let name = |t: u32| {
        names
            .get(t as usize)
            .cloned()
            .unwrap_or_else(|| format!("task#{t}"))
    };
    let mut json = EventJson {
        task: name(e.task),
        step: e.step,
        time_ns: e.time.since_epoch().as_nanos() as u64,
        event: "op",
        op: None,
        object: None,
        access: None,
        site: None,
        detail: None,
    };
    match &e.kind {
        EventKind::Op(op) => {
            json.op = Some(op.name);
            json.object = op.touch.object().map(|o| o.get());
            json.access = op
                .touch
                .access()
                .map(|a| format!("{a:?}").to_ascii_lowercase());
            json.site = Some(op.site.to_string());
        }
        EventKind::Spawn(child) => {
            json.event = "spawn";
            json.detail = Some(name(*child));
        }
        EventKind::Finished => json.event = "finished",
        EventKind::TimerFired { timer, task } => {
            json.event = "timer";
            json.detail = Some(format!("timer {timer} woke {}", name(*task)));
        }
        EventKind::Choice { n, chosen } => {
            json.event = "choice";
            json.detail = Some(format!("{chosen} of {n}"));
        }
        EventKind::Log(line) => {
            json.event = "log";
            json.detail = Some(line.clone());
        }
        EventKind::Failed(message) => {
            json.event = "failed";
            json.detail = Some(message.clone());
        }
        EventKind::Node(event) => {
            json.event = "node";
            json.detail = Some(event.to_string());
        }
        EventKind::Fault {
            kind,
            option,
            options,
        } => {
            json.event = "fault";
            json.detail = Some(weft_sim::trace::fault_text(*kind, *option, *options));
        }
    }
    json
}
