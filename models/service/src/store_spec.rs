//! `--store memory|file:DIR|s3:BUCKET`: which object store the service runs on.
//!
//! A test profile, not for production: `ignore-conditions:SPEC` is the store `SPEC` behind
//! [`crate::IgnoreConditions`] (every condition dropped, the model's profile `broken`), so
//! that the startup probe's refusal (§2.4) can be shown on a real store.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// The test profile's prefix (module docs).
const IGNORE_CONDITIONS: &str = "ignore-conditions:";

/// A parsed `--store` value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreSpec {
    /// `memory`: an in-process store ([`weft_models::mimir::memstore::LocalBucket`]), lost
    /// when the process ends; one process only.
    Memory,
    /// `file:DIR`: [`crate::FileBucket`] over `DIR` (created if missing).
    File(PathBuf),
    /// `s3:BUCKET`: [`crate::S3Bucket`] on the bucket `BUCKET` of `--s3-endpoint`.
    S3(String),
    /// `ignore-conditions:SPEC` (test profile, module docs): `SPEC` with its conditions
    /// dropped by [`crate::IgnoreConditions`]. `SPEC` is one of the three kinds above.
    IgnoreConditions(Box<StoreSpec>),
}

/// Why a `--store` value was refused; `Display` is one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreSpecError {
    given: String,
    why: &'static str,
}

impl fmt::Display for StoreSpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid --store {:?}: {}; expected memory, file:DIR or s3:BUCKET",
            self.given, self.why
        )
    }
}

impl std::error::Error for StoreSpecError {}

/// Whether `name` is an S3 bucket name: 3 to 63 of `a-z 0-9 . -`, starting and ending with a
/// letter or digit.
fn is_bucket_name(name: &str) -> bool {
    let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-';
    let ends_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    (3..=63).contains(&name.len())
        && name.chars().all(ok_char)
        && ends_ok(name.chars().next())
        && ends_ok(name.chars().last())
}

impl FromStr for StoreSpec {
    type Err = StoreSpecError;

    fn from_str(s: &str) -> Result<StoreSpec, StoreSpecError> {
        let refuse = |why| StoreSpecError {
            given: s.to_owned(),
            why,
        };
        if s == "memory" {
            return Ok(StoreSpec::Memory);
        }
        if let Some(dir) = s.strip_prefix("file:") {
            if dir.is_empty() {
                return Err(refuse("the directory is empty"));
            }
            if dir.contains('\0') {
                return Err(refuse("the directory holds a NUL"));
            }
            return Ok(StoreSpec::File(PathBuf::from(dir)));
        }
        if let Some(bucket) = s.strip_prefix("s3:") {
            if !is_bucket_name(bucket) {
                return Err(refuse(
                    "the bucket name is not 3-63 of a-z, 0-9, '.', '-' starting and ending \
                     with a letter or digit",
                ));
            }
            return Ok(StoreSpec::S3(bucket.to_owned()));
        }
        if let Some(inner) = s.strip_prefix(IGNORE_CONDITIONS) {
            let inner: StoreSpec = inner.parse().map_err(|e: StoreSpecError| StoreSpecError {
                given: s.to_owned(),
                why: e.why,
            })?;
            if matches!(inner, StoreSpec::IgnoreConditions(_)) {
                return Err(refuse("ignore-conditions: is given twice"));
            }
            return Ok(StoreSpec::IgnoreConditions(Box::new(inner)));
        }
        Err(refuse("unknown store kind"))
    }
}

impl fmt::Display for StoreSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreSpec::Memory => f.write_str("memory"),
            StoreSpec::File(dir) => write!(f, "file:{}", dir.display()),
            StoreSpec::S3(bucket) => write!(f, "s3:{bucket}"),
            StoreSpec::IgnoreConditions(inner) => write!(f, "{IGNORE_CONDITIONS}{inner}"),
        }
    }
}
