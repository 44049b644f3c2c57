//! The regression file's lines: parsing ([`load`]) and appending ([`append`]). The format is
//! described in the [module documentation](super).

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::config::ConfigError;
use crate::schedule::Schedule;
use crate::strategy::StrategyKind;

/// What a new file starts with.
const HEADER: &str = "\
# weft-sim regression file: failing executions saved by the tests that found them, replayed
# first by those tests on every run (like proptest's regression files). Commit this file.
# One entry per line:
#   <test> seed=<root seed> strategy=<strategy> [preemption-bound=<K>] schedule=<schedule>  # <what failed>
# An entry whose schedule no longer fits the program is reported as stale and re-explored from
# its seed; it can then be deleted.
";

/// One saved failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line in the file (0 for an entry not read from a file).
    pub line: usize,
    /// The test it belongs to ([`current_key`](super::current_key)).
    pub key: String,
    /// The root seed of the exploration that found it.
    pub seed: u64,
    /// That exploration's strategy.
    pub strategy: StrategyKind,
    /// That exploration's preemption bound (DFS only).
    pub preemption_bound: Option<u32>,
    /// The failing execution's schedule.
    pub schedule: Schedule,
}

impl Entry {
    /// The line's text, without the comment.
    fn render(&self) -> String {
        let bound = match self.preemption_bound {
            Some(k) => format!(" preemption-bound={k}"),
            None => String::new(),
        };
        format!(
            "{} seed={} strategy={}{bound} schedule={}",
            self.key,
            self.seed,
            self.strategy,
            self.schedule.encode()
        )
    }
}

/// Reads every entry of `path`, of every test (none if the file does not exist). The first
/// line that does not parse is an error naming `file:line`.
pub fn load(path: &Path) -> Result<Vec<Entry>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(ConfigError(format!("{}: cannot read: {e}", path.display()))),
    };
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let content = line.split('#').next().unwrap_or("").trim();
        if content.is_empty() {
            continue;
        }
        let entry = parse(content, i + 1)
            .map_err(|e| ConfigError(format!("{}:{}: {e}", path.display(), i + 1)))?;
        out.push(entry);
    }
    Ok(out)
}

fn parse(content: &str, line: usize) -> Result<Entry, String> {
    let mut words = content.split_whitespace();
    let key = words.next().unwrap_or_default();
    let rest: Vec<&str> = words.collect();
    if rest.is_empty() && key.starts_with("weft") && !key.contains('=') {
        return Err(
            "a bare schedule string (the old format, replayed by every test): prefix it with \
             `<test> seed=<seed> strategy=<strategy> schedule=`, or delete the line and let \
             the test find the failure again"
                .into(),
        );
    }
    if key.contains('=') {
        return Err(format!("expected a test name first, found {key:?}"));
    }
    let (mut seed, mut strategy, mut bound, mut schedule) = (None, None, None, None);
    for word in rest {
        let (name, value) = word
            .split_once('=')
            .ok_or_else(|| format!("expected name=value, found {word:?}"))?;
        let bad = |what: &str| format!("{name}={value:?}: {what}");
        match name {
            "seed" => seed = Some(value.parse::<u64>().map_err(|_| bad("not a number"))?),
            "strategy" => {
                strategy = Some(StrategyKind::parse(value).map_err(|e| bad(&e.to_string()))?)
            }
            "preemption-bound" => {
                bound = Some(value.parse::<u32>().map_err(|_| bad("not a number"))?)
            }
            "schedule" => {
                schedule = Some(Schedule::decode(value).map_err(|e| bad(&e.to_string()))?)
            }
            _ => return Err(format!("unknown field {name:?}")),
        }
    }
    let missing = |field: &str| format!("missing {field}=");
    if bound.is_some() && strategy.is_some_and(|s| !s.takes_preemption_bound()) {
        return Err("preemption-bound= applies only to strategy=dfs or strategy=icb".into());
    }
    Ok(Entry {
        line,
        key: key.to_string(),
        seed: seed.ok_or_else(|| missing("seed"))?,
        strategy: strategy.ok_or_else(|| missing("strategy"))?,
        preemption_bound: bound,
        schedule: schedule.ok_or_else(|| missing("schedule"))?,
    })
}

/// Serializes appends within this process (tests run on parallel threads).
static APPEND: Mutex<()> = Mutex::new(());

/// Appends `entry` with a comment (a new file gets the header first), unless the file already
/// holds the same test's same schedule. Never rewrites what is there.
pub(crate) fn append(path: &PathBuf, entry: &Entry, comment: &str) -> Result<(), ConfigError> {
    let _guard = APPEND.lock().unwrap_or_else(|p| p.into_inner());
    let existing = load(path)?;
    if existing
        .iter()
        .any(|e| e.key == entry.key && e.schedule == entry.schedule)
    {
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
    let fresh = f.metadata().map_err(err)?.len() == 0;
    // A last line without its newline must not swallow the new entry.
    let unterminated = !fresh && !std::fs::read(path).map_err(err)?.ends_with(b"\n");
    let comment = comment.replace(['\n', '\r'], " ");
    let text = format!(
        "{}{}  # {comment}\n",
        if fresh {
            HEADER
        } else if unterminated {
            "\n"
        } else {
            ""
        },
        entry.render()
    );
    f.write_all(text.as_bytes()).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::Decision;

    #[test]
    fn an_entry_reads_back_as_written() {
        let entry = Entry {
            line: 3,
            key: "bin::module::test".into(),
            seed: u64::MAX,
            strategy: StrategyKind::Dfs,
            preemption_bound: Some(2),
            schedule: Schedule {
                seed: 9,
                decisions: vec![Decision::Task(1), Decision::Choice(0)],
            },
        };
        assert_eq!(parse(&entry.render(), 3), Ok(entry.clone()));
        let pct = Entry {
            strategy: StrategyKind::Pct { depth: 4 },
            preemption_bound: None,
            ..entry
        };
        assert_eq!(parse(&pct.render(), 3), Ok(pct.clone()));
        let line = pct
            .render()
            .replace("strategy=pct:4", "strategy=pct:4 preemption-bound=1");
        assert_eq!(
            parse(&line, 3),
            Err("preemption-bound= applies only to strategy=dfs or strategy=icb".into())
        );
    }
}
