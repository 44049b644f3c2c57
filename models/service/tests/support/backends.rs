//! The stores the contract suite runs against, each with what the contract leaves to it.
//!
//! S3 needs a server: `.ci/run` starts SeaweedFS on loopback and exports
//! [`S3_ENDPOINT_VAR`] and [`S3_BUCKET_VAR`] (and the `AWS_*` test key). Without them a test
//! that needs S3 prints a `SKIPPED` line to the terminal (past the test harness's capture)
//! and returns; when `CI` is set it fails instead, so CI can never pass without testing S3.

use std::io::Write;

use tempfile::TempDir;
use weft_config_api::clock::{fresh_version, wall_now};
use weft_config_api::{FileBucket, S3Auth, S3Bucket};
use weft_models::mimir::memstore::LocalBucket;
use weft_models::mimir::profile::Profile;
use weft_models::mimir::store::{Bucket, StoreError};

/// The S3 endpoint (`http://127.0.0.1:PORT`).
pub const S3_ENDPOINT_VAR: &str = "WEFT_S3_ENDPOINT";
/// The S3 bucket, which must exist.
pub const S3_BUCKET_VAR: &str = "WEFT_S3_BUCKET";

/// A store under test.
#[derive(Debug)]
pub struct Backend<B> {
    /// The store.
    pub bucket: B,
    /// Its name in messages.
    pub name: &'static str,
    /// What `*_if_match` on a missing key may answer: `Absent` (404), `Mismatch` (412).
    pub absent: &'static [StoreError],
    /// Whether version tokens derive from the bytes (S3's MD5 ETags): then two writes of
    /// equal bytes may share a token, and the suite checks uniqueness over distinct bytes.
    pub content_versions: bool,
    /// A prefix no other run or test uses (S3 keeps objects between runs).
    prefix: String,
    _dir: Option<TempDir>,
}

impl<B: Bucket> Backend<B> {
    fn new(bucket: B, name: &'static str, dir: Option<TempDir>) -> Backend<B> {
        Backend {
            bucket,
            name,
            absent: &[StoreError::Mismatch],
            content_versions: false,
            prefix: format!("contract/{}", fresh_version().expect("random")),
            _dir: dir,
        }
    }

    /// A key of this run, for the check `name`.
    pub fn key(&self, name: &str) -> String {
        format!("{}/{name}", self.prefix)
    }
}

/// `--store memory`: weft-models' reference store, profile `cas-full`.
pub fn memory() -> Option<Backend<LocalBucket>> {
    Some(Backend::new(
        LocalBucket::new(Profile::CasFull, wall_now),
        "memory",
        None,
    ))
}

/// `--store file:DIR` on a fresh temporary directory.
pub fn file() -> Option<Backend<FileBucket>> {
    let dir = tempfile::tempdir().expect("temporary directory");
    let bucket = FileBucket::open(dir.path().join("store")).expect("open the file store");
    let mut backend = Backend::new(bucket, "file", Some(dir));
    backend.absent = &[StoreError::Absent];
    Some(backend)
}

/// Whether this run is CI's (`CI` set and not `false` or `0`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// `--store s3:BUCKET` on the server of [`S3_ENDPOINT_VAR`], or `None` (module docs).
pub fn s3() -> Option<Backend<S3Bucket>> {
    let (Ok(endpoint), Ok(bucket)) = (std::env::var(S3_ENDPOINT_VAR), std::env::var(S3_BUCKET_VAR))
    else {
        let why = format!(
            "{S3_ENDPOINT_VAR} and {S3_BUCKET_VAR} are not both set (run the tests under \
             `bash .ci/with-seaweedfs`, as .ci/run does)"
        );
        if in_ci() {
            panic!("CI is set but {why}: the S3 tests cannot run");
        }
        let line = format!("SKIPPED (S3 not tested): {why}\n");
        let _ = std::io::stderr().write_all(line.as_bytes());
        return None;
    };
    let auth = S3Auth::from_env().expect("S3 credentials from the environment");
    let bucket = S3Bucket::new(&endpoint, &bucket, auth).expect("S3 bucket");
    let mut backend = Backend::new(bucket, "s3", None);
    backend.absent = &[StoreError::Absent, StoreError::Mismatch];
    backend.content_versions = true;
    Some(backend)
}
