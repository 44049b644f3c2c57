//! Regression files: failing schedules saved on one run and replayed first on the next (like
//! proptest's regression files).
//!
//! Format: one schedule string per line, optionally followed by `# comment`; blank lines and
//! lines starting with `#` are ignored. New entries are appended (the file is never rewritten,
//! so nothing already saved is lost). A corrupt entry is a one-line error naming the file, the
//! line and the problem.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use crate::config::ConfigError;
use crate::schedule::Schedule;

/// Reads every entry of `path` (none if the file does not exist).
pub fn load(path: &Path) -> Result<Vec<Schedule>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(ConfigError(format!("{}: cannot read: {e}", path.display()))),
    };
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let entry = line.split('#').next().unwrap_or("").trim();
        if entry.is_empty() {
            continue;
        }
        let schedule = Schedule::decode(entry)
            .map_err(|e| ConfigError(format!("{}:{}: {e}", path.display(), i + 1)))?;
        out.push(schedule);
    }
    Ok(out)
}

/// Appends `schedule` with a comment, unless the file already holds it.
pub fn save(path: &Path, schedule: &Schedule, comment: &str) -> Result<(), ConfigError> {
    if load(path)?.contains(schedule) {
        return Ok(());
    }
    let err = |e: std::io::Error| ConfigError(format!("{}: cannot write: {e}", path.display()));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(err)?;
    let comment = comment.replace('\n', " ");
    writeln!(f, "{} # {comment}", schedule.encode()).map_err(err)
}
