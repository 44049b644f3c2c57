//! Regression files, like proptest's: a failing execution is saved under the test that found
//! it, and that test replays it first on every later run, so a bug once found stays checked.
//!
//! # Where the file lives, and committing it
//!
//! Off by default (this project's own suite has tests that fail on purpose, and a default-on
//! file would collect their schedules). Turn it on per test with
//! [`Config::regressions`](crate::Config::regressions), usually
//! `Config::regressions(concat!(env!("CARGO_MANIFEST_DIR"), "/weft-regressions.txt"))`, or for a
//! whole `cargo test` run with `WEFT_REGRESSIONS=1` (the same file, [`DEFAULT_FILE`] in the
//! `CARGO_MANIFEST_DIR` cargo sets for the test) or `WEFT_REGRESSIONS=<path>`. One file serves
//! every test of a crate. **Commit it** next to the tests (`git add weft-regressions.txt`):
//! the saved failures then run in CI and on every checkout, and a fixed bug stays fixed.
//!
//! # Format
//!
//! Line-based and human-readable; a new file starts with a comment header saying so. One entry
//! per line:
//!
//! ```text
//! <test key> seed=<root seed> strategy=<random|pct:D|dfs|icb> [preemption-bound=<K>] schedule=<weft2-...>  # <what failed>
//! ```
//!
//! Blank lines and text after `#` are ignored. The test key is the test binary's name and the
//! libtest test name (`regression_file::fixed_bug_passes`), or
//! [`Config::regression_key`](crate::Config::regression_key) outside libtest. A line that does
//! not parse is a one-line [`ConfigError`] naming `file:line` and the problem; lines of the
//! older format (a bare schedule string, replayed by every test) are rejected with the way to
//! migrate them. The file is only ever appended to (an entry already present is not written
//! again), so nothing saved is lost.
//!
//! # Protocol
//!
//! When a [`Sim`](crate::Sim) with a regression file runs (and is not replaying a
//! [`Config::schedule`](crate::Config::schedule), which neither reads nor writes the file):
//!
//! 1. Every entry with this test's key is replayed, in file order. Entries of other tests are
//!    parsed (so a corrupt file is reported) but not run.
//! 2. An entry that fails again is the run's failure (the bug is back, or still there).
//! 3. An entry that replays cleanly passes, and the run goes on.
//! 4. An entry whose schedule no longer fits the program (the code changed since it was
//!    saved, for example by the fix) is *stale*, not a failure: one line goes to stderr
//!    ([`Stale`]), and the configured exploration budget is spent again from the entry's seed
//!    with the entry's strategy, so the bug the entry stood for is looked for afresh. Delete
//!    a stale line when convenient; until then it costs that re-run.
//! 5. Then the configured exploration runs. The first failure found by any exploration is
//!    appended to the file under this test's key, with the exploration's root seed and
//!    strategy.

mod file;
mod replay;

pub use file::{load, Entry};
pub use replay::Stale;

pub(crate) use replay::save_failure;

use std::path::PathBuf;

use crate::config::{Config, ConfigError, ENV_REGRESSIONS};

/// The file name `WEFT_REGRESSIONS=1` uses, in the crate's `CARGO_MANIFEST_DIR`.
pub const DEFAULT_FILE: &str = "weft-regressions.txt";

/// The path `WEFT_REGRESSIONS=<value>` names; `lookup` reads `CARGO_MANIFEST_DIR` for `1`.
pub(crate) fn path_from_env(
    value: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<PathBuf, ConfigError> {
    match value.trim() {
        "1" | "true" | "yes" => match lookup("CARGO_MANIFEST_DIR") {
            Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir).join(DEFAULT_FILE)),
            _ => Err(ConfigError(format!(
                "{ENV_REGRESSIONS}={value}: means $CARGO_MANIFEST_DIR/{DEFAULT_FILE}, but \
                 CARGO_MANIFEST_DIR is not set (run under cargo, or give a path)"
            ))),
        },
        "0" | "false" | "no" => Err(ConfigError(format!(
            "{ENV_REGRESSIONS}={value}: unset the variable to turn the regression file off"
        ))),
        path => Ok(PathBuf::from(path)),
    }
}

/// A test key may not be empty or contain whitespace or `#` (the file's separators).
pub(crate) fn check_key(key: &str) -> Result<(), ConfigError> {
    if key.is_empty() || key.contains(|c: char| c.is_whitespace() || c == '#') {
        return Err(ConfigError(format!(
            "regression key {key:?} (Config::regression_key): must be non-empty, without \
             whitespace or '#'"
        )));
    }
    Ok(())
}

/// This test's key: [`Config::regression_key`], else the test binary and libtest test name.
pub fn current_key(config: &Config) -> Result<String, ConfigError> {
    if let Some(key) = &config.regression_key {
        return Ok(key.clone());
    }
    let thread = std::thread::current();
    let test = match thread.name() {
        Some(name) if name != "main" => name,
        _ => {
            return Err(ConfigError(
                "a regression file needs a test key: this is not a libtest test thread; set \
                 Config::regression_key"
                    .into(),
            ))
        }
    };
    let key = match binary_name() {
        Some(bin) => format!("{bin}::{test}"),
        None => test.to_string(),
    };
    check_key(&key)?;
    Ok(key)
}

/// The running test binary's name without cargo's `-<16 hex digits>` suffix.
fn binary_name() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let stem = exe.file_stem()?.to_str()?;
    let name = match stem.rsplit_once('-') {
        Some((name, hash)) if hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()) => {
            name
        }
        _ => stem,
    };
    Some(name.to_string())
}
