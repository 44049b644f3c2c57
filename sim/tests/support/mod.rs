//! Runs one test of the current test binary in a child process, bounded in time: for
//! behaviour that ends the process (the watchdog) or writes to the process's own stderr and
//! stdout (progress lines, summaries, panic locations).

#![allow(clippy::disallowed_methods)] // the child is bounded in wall time on purpose
#![allow(dead_code)] // each test binary uses part of it

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Env var that tells a child test to do its work (unset, the child test does nothing).
pub const CHILD: &str = "WEFT_TEST_CHILD";

/// What a child run produced.
#[derive(Debug)]
pub struct Child {
    /// Exit status code (`None`: killed by a signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub took: Duration,
}

/// Runs test `name` of this binary with `env` set (and every `WEFT_*` variable of this
/// process removed), killing it after `limit`.
pub fn run(name: &str, env: &[(&str, &str)], limit: Duration) -> Child {
    let exe = std::env::current_exe().unwrap();
    let mut cmd = Command::new(exe);
    cmd.args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, _) in std::env::vars() {
        if k.starts_with("WEFT_") && k != CHILD {
            cmd.env_remove(k);
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let mut child = cmd.spawn().unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("child test {name} still ran after {limit:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Child {
        code: status.code(),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        took: start.elapsed(),
    }
}

/// Whether this process is a child run (the child tests do their work only then).
pub fn is_child() -> bool {
    std::env::var_os(CHILD).is_some()
}
