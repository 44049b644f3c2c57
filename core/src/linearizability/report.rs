//! The one-screen report of a non-linearizable witness: a table with one column per client
//! and one row per operation in invocation order (Lincheck's layout), marking with `!` the
//! operations no longest partial linearization could place, then that partial linearization.
//!
//! ```text
//! not linearizable: 2 of 6 operations cannot be ordered
//! time   | client 0                | client 1
//! -------+-------------------------+-------------------------
//! 1..4   | ! Cas { expect: 0, new: |
//! 2..3   |                         | ! Cas { expect: 0, new:
//! `!` cannot be ordered; `t..` pending; time = event index
//! longest linearization: c1 Cas { expect: 0, new: 2 } -> Cas(true)
//! ```
//!
//! It fits [`MAX_LINES`] lines of [`MAX_COLUMNS`] columns: cell text is cut (ending in `~`),
//! rows past the limit are counted, not shown.

use std::fmt::Write as _;

use super::check::Witness;
use super::spec::SequentialSpec;

/// The most lines a report has.
pub const MAX_LINES: usize = 40;
/// The most columns a report line has.
pub const MAX_COLUMNS: usize = 100;

/// Width of the time column.
const TIME: usize = 7;
/// Widest a client column gets.
const WIDEST: usize = 30;
/// Narrowest a client column gets (more clients than fit are cut off the right edge).
const NARROWEST: usize = 12;
/// Lines that are not operation rows: title, header, rule, legend, linearization, and one
/// for "more rows".
const FRAME: usize = 6;

/// `text` cut to `width` characters (a cut ends in `~`), padded to `width`.
fn cell(text: &str, width: usize) -> String {
    let mut out: String = if text.chars().count() > width {
        let mut t: String = text.chars().take(width.saturating_sub(1)).collect();
        t.push('~');
        t
    } else {
        text.to_string()
    };
    while out.chars().count() < width {
        out.push(' ');
    }
    out
}

/// A line cut to [`MAX_COLUMNS`], trailing spaces removed.
fn line(out: &mut String, text: &str) {
    let cut = cell(text, MAX_COLUMNS);
    out.push_str(cut.trim_end());
    out.push('\n');
}

pub(super) fn render<S: SequentialSpec>(w: &Witness<S>) -> String {
    let ops = w.history.ops();
    let clients = w.history.clients();
    let unordered = w.unordered();
    let width = ((MAX_COLUMNS - TIME) / clients.len().max(1))
        .saturating_sub(3)
        .clamp(NARROWEST, WIDEST);
    let mut out = String::new();

    let mut title = format!(
        "not linearizable: {} of {} operations cannot be ordered ({} in this minimal \
         sub-history",
        unordered.len(),
        w.original_len,
        ops.len()
    );
    if let Some(k) = &w.partition {
        let _ = write!(title, ", partition {k:?}");
    }
    title.push(')');
    line(&mut out, &title);

    let mut header = cell("time", TIME);
    let mut rule = "-".repeat(TIME);
    for c in &clients {
        header.push_str(" | ");
        header.push_str(&cell(&format!("client {c}"), width));
        rule.push_str("-+-");
        rule.push_str(&"-".repeat(width));
    }
    line(&mut out, &header);
    line(&mut out, &rule);

    let room = MAX_LINES - FRAME;
    for (i, o) in ops.iter().enumerate().take(room) {
        let time = match &o.ret {
            Some((t, _)) => format!("{}..{t}", o.call),
            None => format!("{}..", o.call),
        };
        let mark = if unordered.contains(&i) { "! " } else { "  " };
        let text = match &o.ret {
            Some((_, r)) => format!("{mark}{:?} -> {r:?}", o.op),
            None => format!("{mark}{:?} (pending)", o.op),
        };
        let mut row = cell(&time, TIME);
        for c in &clients {
            row.push_str(" | ");
            row.push_str(&cell(if *c == o.client { &text } else { "" }, width));
        }
        line(&mut out, &row);
    }
    if ops.len() > room {
        line(
            &mut out,
            &format!("... {} more operations", ops.len() - room),
        );
    }
    line(
        &mut out,
        "`!` cannot be ordered; `t..` pending; time = event index",
    );
    let mut lin = String::from("longest linearization:");
    if w.linearized.is_empty() {
        lin.push_str(" (none: no operation can go first)");
    }
    for (n, &i) in w.linearized.iter().enumerate() {
        let o = &ops[i];
        let sep = if n == 0 { " " } else { "; " };
        let _ = write!(lin, "{sep}c{} {:?}", o.client, o.op);
        if let Some((_, r)) = &o.ret {
            let _ = write!(lin, " -> {r:?}");
        }
    }
    line(&mut out, &lin);
    out
}
