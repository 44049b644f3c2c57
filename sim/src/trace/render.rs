//! Rendering a [`Trace`]: the bounded report, and the full trace for a file.
//!
//! The report fits one screen whatever the execution did: the first [`HEAD_EVENTS`] and the
//! last [`TAIL_EVENTS`] events with one line counting the ones in between, then one line per
//! task (at most [`MAX_TASK_LINES`]) with its first and last [`TASK_ENDS`] events, then the
//! execution's fault and node events (at most [`FAULT_EVENTS`]) wherever they fell, and no
//! line longer than [`MAX_LINE`] characters. The full trace (every event, every task's whole
//! history) goes to a file on request ([`Config::trace_file`](crate::Config::trace_file)).

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{describe, short, Event, Trace, FAULT_EVENTS, HEAD_EVENTS, TAIL_EVENTS, TASK_ENDS};
use crate::config::ENV_TRACE_FILE;

/// Tasks listed in the per-task part of a report.
pub const MAX_TASK_LINES: usize = 40;
/// Longest line of a report, in characters.
pub const MAX_LINE: usize = 300;

/// Where the full trace of a failure went (a report names it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceFile {
    /// Not requested: the report says how to ask for it.
    NotRequested,
    /// Written to this file.
    Written(PathBuf),
    /// Writing to this file failed with this error (rendered).
    Failed(PathBuf, String),
}

impl TraceFile {
    fn describe(&self) -> String {
        match self {
            TraceFile::NotRequested => {
                format!("full trace: set {ENV_TRACE_FILE}=path or Config::trace_file")
            }
            TraceFile::Written(p) => format!("full trace in {}", p.display()),
            TraceFile::Failed(p, e) => {
                format!(
                    "the full trace could not be written to {}: {e}",
                    p.display()
                )
            }
        }
    }
}

/// Writes the full trace to `path` (if given; its first line is the schedule) and says where
/// it went.
pub(crate) fn write(
    trace: &Trace,
    names: &[String],
    schedule: &str,
    path: Option<&Path>,
) -> TraceFile {
    match path {
        None => TraceFile::NotRequested,
        Some(p) => match write_file(trace, names, schedule, p) {
            Ok(()) => TraceFile::Written(p.to_path_buf()),
            Err(e) => TraceFile::Failed(p.to_path_buf(), e.to_string()),
        },
    }
}

fn write_file(trace: &Trace, names: &[String], schedule: &str, path: &Path) -> io::Result<()> {
    let mut w = io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(w, "schedule: {schedule}")?;
    full(trace, names, &mut w)?;
    w.flush()
}

fn namer(names: &[String]) -> impl Fn(u32) -> String + '_ {
    |t: u32| {
        names
            .get(t as usize)
            .cloned()
            .unwrap_or_else(|| format!("#{t}"))
    }
}

fn name_width(names: &[String]) -> usize {
    names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 24)
}

fn header(width: usize) -> String {
    format!("  {:>7}  {:>12}  {:<width$}  event", "step", "time", "task")
}

fn event_line(e: &Event, width: usize, name: &dyn Fn(u32) -> String) -> String {
    format!(
        "  {:>7}  {:>12}  {:<width$}  {}",
        e.step,
        format!("{:?}", e.time.since_epoch()),
        name(e.task),
        describe(&e.kind, name)
    )
}

/// Cuts `line` to [`MAX_LINE`] characters, on one line.
fn bound(line: &str) -> String {
    let one_line = line.replace('\n', " ⏎ ");
    if one_line.chars().count() <= MAX_LINE {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(MAX_LINE - 1).collect();
    cut.push('…');
    cut
}

/// The report: bounded in lines and in width.
pub(crate) fn bounded(trace: &Trace, names: &[String], full_trace: &TraceFile) -> String {
    let name = namer(names);
    let width = name_width(names);
    let mut out = String::new();
    let _ = writeln!(out, "{}", header(width));
    let (head, elided, tail) = trace.ends();
    for e in head {
        let _ = writeln!(out, "{}", bound(&event_line(e, width, &name)));
    }
    if elided > 0 {
        let _ = writeln!(
            out,
            "  ... {elided} events elided ({}) ...",
            full_trace.describe()
        );
    } else if !matches!(full_trace, TraceFile::NotRequested) {
        let _ = writeln!(out, "  ({})", full_trace.describe());
    }
    for e in tail {
        let _ = writeln!(out, "{}", bound(&event_line(e, width, &name)));
    }
    let _ = writeln!(out, "per task:");
    for (t, n) in names.iter().enumerate().take(MAX_TASK_LINES) {
        let history = trace.task_history(t as u32);
        let mut steps: Vec<String> = history
            .head
            .iter()
            .map(|e| format!("#{} {}", e.step, short(&e.kind, &name)))
            .collect();
        if history.elided > 0 {
            steps.push(format!("… {} more …", history.elided));
        }
        steps.extend(
            history
                .tail
                .iter()
                .map(|e| format!("#{} {}", e.step, short(&e.kind, &name))),
        );
        let _ = writeln!(out, "{}", bound(&format!("  {n}: {}", steps.join(" → "))));
    }
    if names.len() > MAX_TASK_LINES {
        let _ = writeln!(
            out,
            "  ... {} more tasks ({}) ...",
            names.len() - MAX_TASK_LINES,
            full_trace.describe()
        );
    }
    if !trace.faults().is_empty() {
        let _ = writeln!(out, "faults:");
        for e in trace.faults() {
            let _ = writeln!(out, "{}", bound(&event_line(e, width, &name)));
        }
    }
    out
}

/// The full trace: every event, then every task's whole history, unbounded. (A bounded trace
/// has not kept them all: one line says how many are missing.)
pub(crate) fn full(trace: &Trace, names: &[String], w: &mut dyn Write) -> io::Result<()> {
    let name = namer(names);
    let width = name_width(names);
    writeln!(w, "{}", header(width))?;
    for e in trace.events() {
        writeln!(w, "{}", event_line(e, width, &name))?;
    }
    if trace.elided() > 0 {
        writeln!(
            w,
            "  ... {} events not kept (bounded trace) ...",
            trace.elided()
        )?;
    }
    for e in trace.tail() {
        writeln!(w, "{}", event_line(e, width, &name))?;
    }
    writeln!(w, "per task:")?;
    for (t, n) in names.iter().enumerate() {
        write!(w, "  {n}:")?;
        let mine = trace.events().iter().chain(trace.tail());
        for (i, e) in mine.filter(|e| e.task as usize == t).enumerate() {
            let sep = if i == 0 { " " } else { " → " };
            write!(w, "{sep}#{} {}", e.step, short(&e.kind, &name))?;
        }
        writeln!(w)?;
    }
    Ok(())
}

/// Compile-time check that the constants keep a report on one screen's order of magnitude.
const _: () =
    assert!(HEAD_EVENTS + TAIL_EVENTS + MAX_TASK_LINES + FAULT_EVENTS <= 200 && TASK_ENDS <= 8);
