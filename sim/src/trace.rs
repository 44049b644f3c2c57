//! The per-task trace of an execution: which task did what, at which step and virtual time.

pub mod render;

use std::collections::VecDeque;

use weft_core::faults::FaultKind;
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
    /// Something happened to a node ([`weft_core::node`]).
    Node(NodeEvent),
    /// A fault was injected (other than a crash or a pause, shown as a [`NodeEvent`]).
    Fault {
        /// Its kind.
        kind: FaultKind,
        /// Which of the opportunity's options.
        option: u32,
        /// How many options the opportunity had.
        options: u32,
    },
}

/// A fault as traces show it: `loss`, or `ambiguous (option 2 of 2)` for an opportunity with
/// several options (`option` counts from 0).
pub fn fault_text(kind: FaultKind, option: u32, options: u32) -> String {
    if options <= 1 {
        kind.to_string()
    } else {
        format!("{kind} (option {} of {options})", option + 1)
    }
}

/// What happened to a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeEvent {
    /// It crashed (applied when the step ends).
    Crashed {
        /// The node's name.
        node: String,
        /// The step it crashed in.
        step: u64,
        /// The crash point the checker crashed it at, if it was one.
        at: Option<&'static str>,
    },
    /// A fresh incarnation started.
    Restarted {
        /// The node's name.
        node: String,
        /// Its number (2 for the first restart).
        incarnation: u32,
    },
    /// It was paused.
    Paused {
        /// The node's name.
        node: String,
        /// For how long.
        duration: std::time::Duration,
        /// The crash point the checker paused it at, if it was one.
        at: Option<&'static str>,
    },
    /// Its pause ended.
    Resumed {
        /// The node's name.
        node: String,
    },
}

impl std::fmt::Display for NodeEvent {
    /// `node s1 crashed at step 41`, `node s1 restarted (incarnation 2)`, `node s1 paused for
    /// 2s`, `node s1 resumed`; a crash or pause the checker injected at a crash point ends with
    /// ` (crash point acked)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NodeEvent::Crashed { node, step, at } => {
                write!(f, "node {node} crashed at step {step}")?;
                crash_point(f, *at)
            }
            NodeEvent::Restarted { node, incarnation } => {
                write!(f, "node {node} restarted (incarnation {incarnation})")
            }
            NodeEvent::Paused { node, duration, at } => {
                write!(f, "node {node} paused for {duration:?}")?;
                crash_point(f, *at)
            }
            NodeEvent::Resumed { node } => write!(f, "node {node} resumed"),
        }
    }
}

/// ` (crash point NAME)` after a node event the checker injected at a crash point.
fn crash_point(f: &mut std::fmt::Formatter<'_>, at: Option<&'static str>) -> std::fmt::Result {
    match at {
        Some(point) => write!(f, " (crash point {point})"),
        None => Ok(()),
    }
}

/// Two events are equal when they are the same step, time, task and happening (an operation
/// is its name and site): the determinism check compares executions this way.
impl PartialEq for EventKind {
    fn eq(&self, other: &Self) -> bool {
        use EventKind::*;
        match (self, other) {
            (Op(a), Op(b)) => a.name == b.name && a.site == b.site,
            (Spawn(a), Spawn(b)) => a == b,
            (Finished, Finished) => true,
            (
                TimerFired { timer, task },
                TimerFired {
                    timer: t2,
                    task: k2,
                },
            ) => timer == t2 && task == k2,
            (Choice { n, chosen }, Choice { n: n2, chosen: c2 }) => n == n2 && chosen == c2,
            (Log(a), Log(b)) | (Failed(a), Failed(b)) => a == b,
            (Node(a), Node(b)) => a == b,
            (
                Fault {
                    kind,
                    option,
                    options,
                },
                Fault {
                    kind: k2,
                    option: o2,
                    options: n2,
                },
            ) => kind == k2 && option == o2 && options == n2,
            _ => false,
        }
    }
}

impl Eq for EventKind {}

/// One trace line.
#[derive(Clone, Debug, PartialEq, Eq)]
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

/// Events kept at the start of a bounded trace (and shown at the start of a report).
pub const HEAD_EVENTS: usize = 40;
/// Events kept at the end of a bounded trace (and shown at the end of a report).
pub const TAIL_EVENTS: usize = 40;
/// Events kept (and shown) at each end of one task's history.
pub const TASK_ENDS: usize = 3;

/// Fault and node events (crashes, restarts, pauses, injected faults) kept apart, so that a
/// report names every fault of an execution wherever it fell: fault budgets are small.
pub const FAULT_EVENTS: usize = 16;

/// How much of an execution a [`Trace`] records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Recording {
    /// Nothing (exploration, for speed).
    #[default]
    Off,
    /// The first [`HEAD_EVENTS`] and the last [`TAIL_EVENTS`] events and each task's ends:
    /// memory stays constant however long the execution runs.
    Bounded,
    /// Every event (for a trace file and for the determinism check).
    Full,
}

/// One task's history, bounded: its first and last [`TASK_ENDS`] events and how many were
/// between them.
#[derive(Clone, Debug, Default)]
pub(crate) struct TaskHistory {
    pub(crate) head: Vec<Event>,
    pub(crate) elided: u64,
    pub(crate) tail: VecDeque<Event>,
}

impl TaskHistory {
    fn push(&mut self, event: &Event) {
        if self.head.len() < TASK_ENDS {
            self.head.push(event.clone());
            return;
        }
        if self.tail.len() == TASK_ENDS {
            self.tail.pop_front();
            self.elided += 1;
        }
        self.tail.push_back(event.clone());
    }
}

/// The trace of one execution. Recording is off while exploring, for speed; the runner turns
/// it on to replay a failing execution, so reports always carry it. A report shows both ends
/// of the trace and of each task's history ([`Trace::render`]); the full trace is recorded
/// only when a trace file asks for it ([`Config::trace_file`](crate::Config::trace_file)).
#[derive(Clone, Debug, Default)]
pub struct Trace {
    recording: Recording,
    /// Every event (full), or the first [`HEAD_EVENTS`] (bounded).
    events: Vec<Event>,
    /// Bounded: the last [`TAIL_EVENTS`] events after the head.
    tail: VecDeque<Event>,
    /// Bounded: events between the head and the tail that were not kept.
    elided: u64,
    /// Each task's bounded history, by task index.
    tasks: Vec<TaskHistory>,
    /// The first [`FAULT_EVENTS`] fault and node events.
    faults: Vec<Event>,
}

impl Trace {
    pub(crate) fn new(recording: Recording) -> Self {
        Trace {
            recording,
            ..Trace::default()
        }
    }

    /// Whether events are recorded at all.
    pub(crate) fn recording(&self) -> bool {
        self.recording != Recording::Off
    }

    #[inline]
    pub(crate) fn push(&mut self, event: Event) {
        if self.recording == Recording::Off {
            return;
        }
        let task = event.task as usize;
        if self.tasks.len() <= task {
            self.tasks.resize_with(task + 1, TaskHistory::default);
        }
        self.tasks[task].push(&event);
        let fault = matches!(event.kind, EventKind::Node(_) | EventKind::Fault { .. });
        if fault && self.faults.len() < FAULT_EVENTS {
            self.faults.push(event.clone());
        }
        if self.recording == Recording::Full || self.events.len() < HEAD_EVENTS {
            self.events.push(event);
            return;
        }
        if self.tail.len() == TAIL_EVENTS {
            self.tail.pop_front();
            self.elided += 1;
        }
        self.tail.push_back(event);
    }

    /// The recorded events, in order: all of them in a full trace; in a bounded one the first
    /// [`HEAD_EVENTS`] (the last ones are [`Trace::tail`]).
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// A bounded trace's last events (empty for a full trace, whose events are all in
    /// [`Trace::events`]).
    pub fn tail(&self) -> impl Iterator<Item = &Event> {
        self.tail.iter()
    }

    /// How many events a bounded trace did not keep (between [`Trace::events`] and
    /// [`Trace::tail`]).
    pub fn elided(&self) -> u64 {
        self.elided
    }

    /// Every event seen, kept or not.
    pub fn len(&self) -> u64 {
        (self.events.len() + self.tail.len()) as u64 + self.elided
    }

    /// Whether no event was recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The first events, how many are not shown, and the last events: at most
    /// [`HEAD_EVENTS`] + [`TAIL_EVENTS`] in all, in order.
    pub(crate) fn ends(&self) -> (&[Event], u64, Vec<&Event>) {
        if self.recording == Recording::Full {
            let n = self.events.len();
            if n <= HEAD_EVENTS + TAIL_EVENTS {
                return (&self.events, 0, Vec::new());
            }
            let tail = self.events[n - TAIL_EVENTS..].iter().collect();
            return (
                &self.events[..HEAD_EVENTS],
                (n - HEAD_EVENTS - TAIL_EVENTS) as u64,
                tail,
            );
        }
        (&self.events, self.elided, self.tail.iter().collect())
    }

    /// Task `task`'s bounded history (empty if it has none).
    /// The first [`FAULT_EVENTS`] fault and node events, in order.
    pub(crate) fn faults(&self) -> &[Event] {
        &self.faults
    }

    pub(crate) fn task_history(&self, task: u32) -> TaskHistory {
        self.tasks.get(task as usize).cloned().unwrap_or_default()
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

    /// Renders the report: both ends of the event sequence, then each task's history, bounded
    /// in lines and width (see [`render`]).
    pub fn render(&self, names: &[String]) -> String {
        render::bounded(self, names, &render::TraceFile::NotRequested)
    }

    /// Writes the whole trace (every kept event, each task's kept history) to `w`.
    pub fn render_full(&self, names: &[String], w: &mut dyn std::io::Write) -> std::io::Result<()> {
        render::full(self, names, w)
    }
}

fn describe(kind: &EventKind, name: &dyn Fn(u32) -> String) -> String {
    match kind {
        EventKind::Op(op) => format!("{}{} at {}", op.name, object(op), op.site),
        EventKind::Spawn(t) => format!("spawns {}", name(*t)),
        EventKind::Finished => "finishes".to_string(),
        EventKind::TimerFired { timer, task } => {
            format!("timer {timer} fires, waking {}", name(*task))
        }
        EventKind::Choice { n, chosen } => format!("chooses {chosen} of {n}"),
        EventKind::Log(s) => format!("log: {s}"),
        EventKind::Failed(s) => format!("FAILS: {s}"),
        EventKind::Node(e) => e.to_string(),
        EventKind::Fault {
            kind,
            option,
            options,
        } => format!("fault: {}", fault_text(*kind, *option, *options)),
    }
}

/// The object an operation touches, as ` #3` (empty if it touches none, or one not known).
fn object(op: &Op) -> String {
    match op.touch.object() {
        Some(o) => format!(" {o}"),
        None => String::new(),
    }
}

fn short(kind: &EventKind, name: &dyn Fn(u32) -> String) -> String {
    match kind {
        EventKind::Op(op) => {
            let file = op.site.file().rsplit('/').next().unwrap_or(op.site.file());
            format!("{}{} ({}:{})", op.name, object(op), file, op.site.line())
        }
        EventKind::Failed(_) => "FAILS".to_string(),
        other => describe(other, name),
    }
}
