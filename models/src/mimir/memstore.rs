//! The model object store: one linearizable key-value map with versions, a backend
//! [`Profile`], and the ghost history the oracles read (`config-concurrency.md` §2.1, §2.2,
//! §6 "Ghost state", §7.1 "Store").
//!
//! Protocol. [`MemStore::apply`] applies one operation atomically: the condition is evaluated
//! and the effect made in the same call (§2.2), so whoever calls it decides where the
//! operation's linearization point falls (the model's store node: at the request's delivery;
//! [`LocalBucket`]: under its lock). Each applied put or delete appends a [`Applied`] entry
//! to the ghost history with a store-global `vid`, the writer's id and the content, which no
//! client can see.
//!
//! Version tokens are a store-wide counter (`"1"`, `"2"`, ...): unique per write, like GCS
//! generations, so two writes of equal bytes get different tokens (no ABA at the store).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use weft_core::node::WallTime;

use super::profile::Profile;
use super::store::{Bucket, Cond, Meta, Object, StoreError, StoreResult, StoreVersion};

/// Who asked for a write: the model's request id (0 when nobody said).
pub type Writer = u64;

/// One operation on one key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreOp {
    /// `get(k)`.
    Get,
    /// `head(k)`.
    Head,
    /// `put*(k, b)`.
    Put {
        /// The new bytes.
        bytes: Vec<u8>,
        /// Its condition.
        cond: Cond,
    },
    /// `delete*(k)`.
    Delete {
        /// Its condition.
        cond: Cond,
    },
}

impl StoreOp {
    /// The operation's name as the spec writes it (`put_if_match`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            StoreOp::Get => "get",
            StoreOp::Head => "head",
            StoreOp::Put { cond, .. } => match cond {
                Cond::Always => "put",
                Cond::IfAbsent => "put_if_absent",
                Cond::IfMatch(_) => "put_if_match",
            },
            StoreOp::Delete { cond } => match cond {
                Cond::Always | Cond::IfAbsent => "delete",
                Cond::IfMatch(_) => "delete_if_match",
            },
        }
    }

    /// Whether it may change the store.
    pub fn is_write(&self) -> bool {
        matches!(self, StoreOp::Put { .. } | StoreOp::Delete { .. })
    }
}

/// A successful operation's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreReply {
    /// `get`.
    Object(Object),
    /// `head`.
    Meta(Meta),
    /// A put: the new version.
    Put(StoreVersion),
    /// A delete.
    Deleted,
}

/// What an applied write did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// A new version with these bytes.
    Put(Vec<u8>),
    /// The key was removed.
    Delete,
}

/// One entry of the ghost history (§6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// Store-global sequence number of applied writes, from 1.
    pub vid: u64,
    /// The key.
    pub key: String,
    /// The version a put created (`None` for a delete).
    pub version: Option<StoreVersion>,
    /// The version it replaced (`None`: the key was absent).
    pub pred: Option<StoreVersion>,
    /// Who wrote it.
    pub writer: Writer,
    /// What it did.
    pub effect: Effect,
    /// When, on the store's clock.
    pub at: WallTime,
}

#[derive(Clone, Debug)]
struct Current {
    bytes: Vec<u8>,
    meta: Meta,
}

/// The model store (module docs).
#[derive(Clone, Debug)]
pub struct MemStore {
    profile: Profile,
    objects: BTreeMap<String, Current>,
    next_version: u64,
    history: Vec<Applied>,
}

impl MemStore {
    /// An empty store with `profile`.
    pub fn new(profile: Profile) -> MemStore {
        MemStore {
            profile,
            objects: BTreeMap::new(),
            next_version: 1,
            history: Vec::new(),
        }
    }

    /// Its profile.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// The ghost history: every applied put and delete, in order.
    pub fn history(&self) -> &[Applied] {
        &self.history
    }

    /// The current bytes and version of `key`, without an operation (for oracles).
    pub fn peek(&self, key: &str) -> Option<(&[u8], &StoreVersion)> {
        self.objects
            .get(key)
            .map(|c| (c.bytes.as_slice(), &c.meta.version))
    }

    /// Every key present.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.objects.keys().map(String::as_str)
    }

    /// Applies `op` on `key` atomically at store time `now`, on behalf of `writer`
    /// (module docs). With `conflict`, a conditional write fails with a spurious
    /// [`StoreError::Conflict`] instead (profile `s3-codes`; ignored by other profiles).
    pub fn apply(
        &mut self,
        key: &str,
        op: StoreOp,
        writer: Writer,
        now: WallTime,
        conflict: bool,
    ) -> StoreResult<StoreReply> {
        let current = self.objects.get(key);
        match op {
            StoreOp::Get => current
                .map(|c| {
                    StoreReply::Object(Object {
                        bytes: c.bytes.clone(),
                        meta: c.meta.clone(),
                    })
                })
                .ok_or(StoreError::NotFound),
            StoreOp::Head => current
                .map(|c| StoreReply::Meta(c.meta.clone()))
                .ok_or(StoreError::NotFound),
            StoreOp::Put { bytes, cond } => {
                if conflict && self.profile == Profile::S3Codes && cond != Cond::Always {
                    return Err(StoreError::Conflict);
                }
                let cond = if self.profile.ignores_put_conditions() {
                    Cond::Always
                } else {
                    cond
                };
                match &cond {
                    Cond::Always => {}
                    Cond::IfAbsent => {
                        if current.is_some() {
                            return Err(if self.profile.exists_is_conflict() {
                                StoreError::Conflict
                            } else {
                                StoreError::Exists
                            });
                        }
                    }
                    Cond::IfMatch(want) => {
                        if !self.profile.has_put_if_match() {
                            return Err(StoreError::Unsupported);
                        }
                        self.check_match(current, want)?;
                    }
                }
                let version = StoreVersion(self.next_version.to_string());
                self.next_version += 1;
                let pred = current.map(|c| c.meta.version.clone());
                self.objects.insert(
                    key.to_owned(),
                    Current {
                        bytes: bytes.clone(),
                        meta: Meta {
                            version: version.clone(),
                            last_modified: now,
                        },
                    },
                );
                self.record(
                    key,
                    Some(version.clone()),
                    pred,
                    writer,
                    Effect::Put(bytes),
                    now,
                );
                Ok(StoreReply::Put(version))
            }
            StoreOp::Delete { cond } => {
                let cond = match cond {
                    Cond::IfAbsent => return Err(StoreError::Unsupported),
                    Cond::IfMatch(_) if !self.profile.has_delete_if_match() => {
                        return Err(StoreError::Unsupported)
                    }
                    Cond::IfMatch(_) if conflict && self.profile == Profile::S3Codes => {
                        return Err(StoreError::Conflict)
                    }
                    Cond::IfMatch(_) if self.profile.ignores_delete_conditions() => Cond::Always,
                    cond => cond,
                };
                match &cond {
                    Cond::IfMatch(want) => self.check_match(current, want)?,
                    _ if current.is_none() => return Err(StoreError::NotFound),
                    _ => {}
                }
                let pred = current.map(|c| c.meta.version.clone());
                self.objects.remove(key);
                self.record(key, None, pred, writer, Effect::Delete, now);
                Ok(StoreReply::Deleted)
            }
        }
    }

    fn check_match(&self, current: Option<&Current>, want: &StoreVersion) -> StoreResult<()> {
        match current {
            None if self.profile.absent_is_distinct() => Err(StoreError::Absent),
            None => Err(StoreError::Mismatch),
            Some(c) if &c.meta.version != want => Err(StoreError::Mismatch),
            Some(_) => Ok(()),
        }
    }

    fn record(
        &mut self,
        key: &str,
        version: Option<StoreVersion>,
        pred: Option<StoreVersion>,
        writer: Writer,
        effect: Effect,
        at: WallTime,
    ) {
        let vid = self.history.len() as u64 + 1;
        self.history.push(Applied {
            vid,
            key: key.to_owned(),
            version,
            pred,
            writer,
            effect,
            at,
        });
    }
}

/// A [`MemStore`] in this process, behind a lock: the service's `--store memory` and the
/// reference the real stores are tested against. Each operation is applied at once, at the
/// time `clock` reads.
#[derive(Clone)]
pub struct LocalBucket {
    store: Arc<Mutex<MemStore>>,
    clock: Arc<dyn Fn() -> WallTime + Send + Sync>,
}

impl std::fmt::Debug for LocalBucket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalBucket").finish_non_exhaustive()
    }
}

impl LocalBucket {
    /// A new empty store with `profile`, stamping writes with `clock`.
    pub fn new(profile: Profile, clock: impl Fn() -> WallTime + Send + Sync + 'static) -> Self {
        LocalBucket {
            store: Arc::new(Mutex::new(MemStore::new(profile))),
            clock: Arc::new(clock),
        }
    }

    /// Runs `f` on the store (for tests and oracles).
    pub fn inspect<U>(&self, f: impl FnOnce(&MemStore) -> U) -> U {
        f(&self.store.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn apply(&self, key: &str, op: StoreOp) -> StoreResult<StoreReply> {
        let now = (self.clock)();
        self.store
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .apply(key, op, 0, now, false)
    }
}

impl Bucket for LocalBucket {
    async fn get(&self, key: &str) -> StoreResult<Object> {
        match self.apply(key, StoreOp::Get)? {
            StoreReply::Object(o) => Ok(o),
            other => unreachable!("get answered {other:?}"),
        }
    }

    async fn head(&self, key: &str) -> StoreResult<Meta> {
        match self.apply(key, StoreOp::Head)? {
            StoreReply::Meta(m) => Ok(m),
            other => unreachable!("head answered {other:?}"),
        }
    }

    async fn put(&self, key: &str, bytes: Vec<u8>, cond: Cond) -> StoreResult<StoreVersion> {
        match self.apply(key, StoreOp::Put { bytes, cond })? {
            StoreReply::Put(v) => Ok(v),
            other => unreachable!("put answered {other:?}"),
        }
    }

    async fn delete(&self, key: &str, cond: Cond) -> StoreResult<()> {
        match self.apply(key, StoreOp::Delete { cond })? {
            StoreReply::Deleted => Ok(()),
            other => unreachable!("delete answered {other:?}"),
        }
    }
}
