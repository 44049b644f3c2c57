//! The stores the contract suite runs against, each with what the contract leaves to it.

use tempfile::TempDir;
use weft_config_api::clock::{fresh_version, wall_now};
use weft_config_api::FileBucket;
use weft_models::mimir::memstore::LocalBucket;
use weft_models::mimir::profile::Profile;
use weft_models::mimir::store::{Bucket, StoreError};

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
