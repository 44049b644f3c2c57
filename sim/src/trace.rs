//! The per-task trace of an execution: which task did what, at which step and virtual time.

use std::fmt::Write as _;

use weft_core::{Instant, Op};

/// What happened.
#[derive(Clone, Debug)]
pub enum EventKind {
    /// A primitive operation (or scheduling point) reached by the task.
    Op(Op),
    /// The task spawned task `.0`.
    Spawn(u32),
    /// The task finished.
    Finished,
    /// A timer fired, waking `task`.
    TimerFired {
        /// The timer's index.
        timer: u32,
        /// The task it woke.
        task: u32,
    },
    /// A data choice.
    Choice {
        /// Among how many values.
        n: u32,
        /// Which one.
        chosen: u32,
    },
    /// A `tracing` event logged by the model, formatted.
    Log(String),
    /// The execution failed here.
    Failed(String),
}

/// One trace line.
#[derive(Clone, Debug)]
pub struct Event {
    /// Executor step when it happened.
    pub step: u64,
    /// Virtual time when it happened.
    pub time: Instant,
    /// The task it happened in.
    pub task: u32,
    /// What happened.
    pub kind: EventKind,
}

/// The trace of one execution. Recording can be turned off for speed; the runner turns it
/// back on to replay a failing execution, so reports always carry it.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    pub(crate) enabled: bool,
    pub(crate) events: Vec<Event>,
}

impl Trace {
    pub(crate) fn new(enabled: bool) -> Self {
        Trace {
            enabled,
            events: Vec::new(),
        }
    }

    #[inline]
    pub(crate) fn push(&mut self, event: Event) {
        if self.enabled {
            self.events.push(event);
        }
    }

    /// The recorded events, in order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// A stable fingerprint of the event sequence (for the determinism check).
    pub(crate) fn fingerprint(event: &Event) -> String {
        format!(
            "{} {:?} {} {}",
            event.step,
            event.time,
            event.task,
            describe(&event.kind, &|t| t.to_string())
        )
    }

    /// Renders the trace: one line per event, then the same events grouped per task.
    pub fn render(&self, names: &[String]) -> String {
        let name = |t: u32| {
            names
                .get(t as usize)
                .cloned()
                .unwrap_or_else(|| format!("#{t}"))
        };
        let width = names
            .iter()
            .map(String::len)
            .max()
            .unwrap_or(4)
            .clamp(4, 24);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "  {:>5}  {:>12}  {:<width$}  event",
            "step", "time", "task"
        );
        for e in &self.events {
            let _ = writeln!(
                out,
                "  {:>5}  {:>12}  {:<width$}  {}",
                e.step,
                format!("{:?}", e.time.since_epoch()),
                name(e.task),
                describe(&e.kind, &name)
            );
        }
        let _ = writeln!(out, "per task:");
        for (t, n) in names.iter().enumerate() {
            let steps: Vec<String> = self
                .events
                .iter()
                .filter(|e| e.task as usize == t)
                .map(|e| format!("#{} {}", e.step, short(&e.kind, &name)))
                .collect();
            let _ = writeln!(out, "  {n}: {}", steps.join(" → "));
        }
        out
    }
}

fn describe(kind: &EventKind, name: &dyn Fn(u32) -> String) -> String {
    match kind {
        EventKind::Op(op) => format!("{} at {}", op.name, op.site),
        EventKind::Spawn(t) => format!("spawns {}", name(*t)),
        EventKind::Finished => "finishes".to_string(),
        EventKind::TimerFired { timer, task } => {
            format!("timer {timer} fires, waking {}", name(*task))
        }
        EventKind::Choice { n, chosen } => format!("chooses {chosen} of {n}"),
        EventKind::Log(s) => format!("log: {s}"),
        EventKind::Failed(s) => format!("FAILS: {s}"),
    }
}

fn short(kind: &EventKind, name: &dyn Fn(u32) -> String) -> String {
    match kind {
        EventKind::Op(op) => {
            let file = op.site.file().rsplit('/').next().unwrap_or(op.site.file());
            format!("{} ({}:{})", op.name, file, op.site.line())
        }
        EventKind::Failed(_) => "FAILS".to_string(),
        other => describe(other, name),
    }
}
