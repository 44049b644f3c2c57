//! The `weft` binary, run as a child process: exit codes, one-line errors, and the replay
//! round trip through JSON.
//!
//! One test binary with a module per concept (each file directly under `tests/` is a binary of
//! its own, compiled and linked against the whole workspace; modules share one link):
//!
//! - [`list`]: `weft list`;
//! - [`bad_input`]: exit 2 with one line, for bad input and for flags that do not apply;
//! - [`check_replay`]: `weft check` and `weft replay`: exit codes, JSON, the replay round trip;
//! - [`search`]: the searches' knobs and verdicts (PCT's depth, DFS's budget, DPOR);
//! - [`quiet`]: a shuttle failure writes nothing of shuttle's own to stderr;
//! - [`common`]: running `weft` and reading what it printed.

mod common;

mod bad_input;
mod check_replay;
mod list;
mod quiet;
mod search;
