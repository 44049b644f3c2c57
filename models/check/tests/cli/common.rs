//! Running the `weft` binary from the CLI tests.

use std::process::{Command, Output};

use serde_json::Value;

/// Runs `weft` with `args`.
pub fn weft(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(args)
        .output()
        .expect("the weft binary runs")
}

/// What it printed on stdout.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What it printed on stderr.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Its one JSON line.
pub fn json_line(o: &Output) -> Value {
    serde_json::from_str(stdout(o).trim()).expect("one JSON object")
}
