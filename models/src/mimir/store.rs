//! The object-store contract the config server needs (`config-concurrency.md` §2.1).
//!
//! Protocol. A [`Bucket`] is a flat map from keys to immutable object versions:
//!
//! 1. [`Bucket::get`] returns the current bytes, their [`StoreVersion`] and the time they were
//!    written; [`Bucket::head`] the same without the bytes. A missing key is
//!    [`StoreError::NotFound`].
//! 2. [`Bucket::put`] writes a new version under a [`Cond`]: unconditionally, only if the key
//!    is absent (`put_if_absent`), or only if the current version is the given one
//!    (`put_if_match`). The check and the effect are one atomic step of the store (§2.2).
//! 3. [`Bucket::delete`] removes the key, unconditionally or `delete_if_match`. An
//!    unconditional delete of a missing key is [`StoreError::NotFound`] (objstore's contract).
//! 4. Every operation may end [`StoreError::Unknown`]: a timeout, a 5xx, a reset connection.
//!    It may or may not have been applied, and no adapter may turn it into "not applied".
//!
//! Version tokens are opaque and compared for equality only (§1.2: neither GCS generations
//! nor S3 ETags are ordered). A store that cannot evaluate a condition at all answers
//! [`StoreError::Unsupported`]; a store that silently *ignores* one is what the capability
//! probe ([`super::probe`]) exists to catch (§2.4).
//!
//! Implementations: the model store ([`super::memstore::MemStore`], the reference, with the
//! backend profiles of §7.1) and, outside this crate, the service's `file:` and `s3:` stores.

use std::fmt;
use std::future::Future;

use weft_core::node::WallTime;

/// A store version token (§2.1 `ver`): opaque, equal iff it names the same stored version
/// (for content-derived tokens: the same bytes).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StoreVersion(pub String);

impl fmt::Display for StoreVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What `head` knows of the current version of a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    /// The version token.
    pub version: StoreVersion,
    /// When the store wrote it, on the store's clock.
    pub last_modified: WallTime,
}

/// The current version of a key, with its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Object {
    /// The stored bytes.
    pub bytes: Vec<u8>,
    /// Its version and write time.
    pub meta: Meta,
}

/// The condition of a write or delete (§2.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cond {
    /// None: `put` / `delete`.
    Always,
    /// `put_if_absent` (`If-None-Match: *`); not meaningful for a delete.
    IfAbsent,
    /// `put_if_match` / `delete_if_match` (`If-Match: <ver>`).
    IfMatch(StoreVersion),
}

/// How a store operation failed (§2.1's failure results).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// `get`, `head`, unconditional `delete`: no such key.
    NotFound,
    /// `put_if_absent`: the key exists (S3 and GCS 412, Azure 409). Not applied.
    Exists,
    /// `*_if_match`: the current version is another one. Not applied.
    Mismatch,
    /// `*_if_match`: the key is absent (S3 404; stores that answer 412 report
    /// [`StoreError::Mismatch`] instead). Not applied.
    Absent,
    /// A conflicting conditional operation was in flight (S3 409
    /// `ConditionalRequestConflict`): not applied, retryable.
    Conflict,
    /// The store throttled the request (GCS 429, S3 503 SlowDown): not applied, retryable.
    Throttled,
    /// The store cannot evaluate this condition (it says so). Not applied.
    Unsupported,
    /// The outcome is unknown: it may or may not have been applied. The text says why.
    Unknown(String),
}

impl StoreError {
    /// Whether the operation may have taken effect.
    pub fn maybe_applied(&self) -> bool {
        matches!(self, StoreError::Unknown(_))
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::NotFound => f.write_str("not found"),
            StoreError::Exists => f.write_str("exists"),
            StoreError::Mismatch => f.write_str("version mismatch"),
            StoreError::Absent => f.write_str("absent"),
            StoreError::Conflict => f.write_str("conflicting operation in flight"),
            StoreError::Throttled => f.write_str("throttled"),
            StoreError::Unsupported => f.write_str("condition unsupported"),
            StoreError::Unknown(why) => write!(f, "outcome unknown: {why}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// A store operation's result.
pub type StoreResult<T> = Result<T, StoreError>;

/// An object store as the server sees it (module docs). Each call is one **[SP]** and
/// **[CP]** of the spec: implementations over the network make the request and the reply
/// separate events.
pub trait Bucket: Clone + Send + Sync + 'static {
    /// `get(k)`.
    fn get(&self, key: &str) -> impl Future<Output = StoreResult<Object>> + Send;
    /// `head(k)`.
    fn head(&self, key: &str) -> impl Future<Output = StoreResult<Meta>> + Send;
    /// `put(k, b)`, `put_if_absent(k, b)` or `put_if_match(k, b, ver)`, by `cond`.
    fn put(
        &self,
        key: &str,
        bytes: Vec<u8>,
        cond: Cond,
    ) -> impl Future<Output = StoreResult<StoreVersion>> + Send;
    /// `delete(k)` or `delete_if_match(k, ver)`, by `cond` ([`Cond::IfAbsent`] is refused
    /// with [`StoreError::Unsupported`]).
    fn delete(&self, key: &str, cond: Cond) -> impl Future<Output = StoreResult<()>> + Send;
}
