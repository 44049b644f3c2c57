//! Protocol A: the store's native conditional put (`config-concurrency.md` §3), and the blind
//! write of Mimir today (§1.1, §5 R1).
//!
//! A POST with a single strong `If-Match` tag under scheme `v`:
//! - A1. decode the tag to a store version; a tag that does not decode (another scheme, `W/`)
//!   matches nothing: 412 without touching the store;
//! - A2. **[SP][CP]** `put_if_match(K_cfg, body, ver)`: ok → 201 with the new tag; mismatch or
//!   absent → 412; conflict (409) → A2b; unknown → A2c;
//! - A2b. **[SP]** `head(K_cfg)`: another version → 412; the same → retry A2 (at most
//!   `store_retries` times, jittered), then 503;
//! - A2c. **[SP]** `get(K_cfg)`: the version we conditioned on is still there → our write did
//!   not land: retry A2 (bounded); the stored bytes are ours → 201 with the current tag
//!   ("already applied"); else → 500, never 412 (our write may have landed and been
//!   overwritten: a 412 would claim "not applied", §6 O1c).
//!
//! Scheme `h`, a list or `*`: first **[SP]** `get(K_cfg)` and evaluate the precondition on the
//! stored version; false → 412; true → A2 with the version read (the conditional put still
//! fails if anything changed after the get). `If-None-Match: *` is **[SP][CP]**
//! `put_if_absent`; no precondition is a blind **[SP][CP]** `put`.
//!
//! A DELETE with `If-Match` is `delete_if_match` (no store support → 501, never a
//! get-compare-delete, which is a TOCTOU).
//!
//! Safety: the only decision point is the store's atomic compare, so A is safe with crashes,
//! pauses, any message delay and any clock skew (§3, last paragraph).

use weft_core::Runtime;

use super::etag::{ETag, IfMatch};
use super::handler::{
    created, deleted, precondition_failed, store_failure, unsupported, Pre, Server, Write,
};
use super::http::Response;
use super::store::{Bucket, Cond, StoreError, StoreVersion};

impl<R: Runtime, S: Bucket> Server<R, S> {
    /// A write with no condition at the store: Mimir today, and a POST without precondition
    /// under every protocol (blind writes are linearizable as "unconditional set", §3).
    pub(super) async fn write_blind(&self, write: &Write) -> Response {
        let key = write.tenant.config_key();
        let r = self
            .store
            .put(&key, write.bytes.clone(), Cond::Always)
            .await;
        self.rt.crash_point("after put(cfg)").await;
        match r {
            Ok(v) => created(self.tag_of(&write.bytes, &v)),
            Err(e) => store_failure(&e),
        }
    }

    /// §5 R2's bug: **[SP]** `get(K_cfg)`, evaluate, then a blind **[SP][CP]** `put`: another
    /// write can land between the check and the put, and is lost.
    pub(super) async fn write_check_then_put(&self, write: &Write) -> Response {
        if write.pre != Pre::None {
            if let Err(r) = self.evaluate(write).await {
                return r;
            }
        }
        self.write_blind(write).await
    }

    /// Protocol A (module docs).
    pub(super) async fn write_a(&self, write: &Write) -> Response {
        let key = write.tenant.config_key();
        let expected = match &write.pre {
            Pre::None => return self.write_blind(write).await,
            Pre::IfNoneMatch => Cond::IfAbsent,
            Pre::IfMatch(m) => match self.decode_single(m) {
                // A1: a tag naming no store version can match nothing.
                Some(None) => return self.refused(write, None).await,
                Some(Some(ver)) => Cond::IfMatch(ver),
                None => match self.evaluate(write).await {
                    Ok(cond) => cond,
                    Err(r) => return r,
                },
            },
            Pre::Both(_) => match self.evaluate(write).await {
                Ok(cond) => cond,
                Err(r) => return r,
            },
        };
        self.conditional_put(write, &key, expected).await
    }

    /// A2 with its retries (A2b, A2c).
    pub(super) async fn conditional_put(&self, write: &Write, key: &str, cond: Cond) -> Response {
        let retries = self.settings().timing.store_retries;
        let mut attempt = 0;
        loop {
            let r = self.store.put(key, write.bytes.clone(), cond.clone()).await;
            self.rt.crash_point("after put_if_match(cfg)").await;
            let e = match r {
                Ok(v) => return created(self.tag_of(&write.bytes, &v)),
                Err(e) => e,
            };
            match e {
                StoreError::Mismatch | StoreError::Absent | StoreError::Exists => {
                    return self.refused(write, None).await
                }
                StoreError::Conflict | StoreError::Throttled => {
                    // A2b: did the version we condition on move?
                    if let Cond::IfMatch(ver) = &cond {
                        let head = self.store.head(key).await;
                        self.rt.crash_point("after head(cfg)").await;
                        match head {
                            Ok(m) if &m.version != ver => return self.refused(write, None).await,
                            Err(StoreError::NotFound) => return self.refused(write, None).await,
                            Ok(_) => {}
                            Err(e) => return store_failure(&e),
                        }
                    }
                    if attempt >= retries {
                        return store_failure(&e);
                    }
                }
                StoreError::Unknown(_) => {
                    // A2c: read back what is there.
                    let obj = match self.read(key, "after get(cfg)").await {
                        Ok(obj) => obj,
                        Err(e) => return store_failure(&e),
                    };
                    let unchanged = match (&cond, &obj) {
                        (Cond::IfMatch(ver), Some(o)) => &o.meta.version == ver,
                        (Cond::IfAbsent, None) => true,
                        _ => false,
                    };
                    match obj {
                        Some(o) if o.bytes == write.bytes && !unchanged => {
                            return created(self.tag(&o))
                        }
                        _ if unchanged && attempt < retries => {}
                        _ => return store_failure(&e),
                    }
                }
                StoreError::Unsupported => return unsupported(),
                StoreError::NotFound => return store_failure(&e),
            }
            attempt += 1;
            let timing = self.settings().timing;
            self.backoff(attempt, timing.backoff_base, timing.backoff_cap)
                .await;
        }
    }

    /// A precondition turned out false: 412, or 201 under §1.5's "already applied" rule when
    /// the stored bytes are exactly what this request would store. `current` is the stored
    /// version if the caller already read it.
    pub(super) async fn refused(
        &self,
        write: &Write,
        current: Option<super::store::Object>,
    ) -> Response {
        if !self.settings().already_applied {
            return precondition_failed();
        }
        let current = match current {
            Some(o) => Some(o),
            None => match self
                .read(&write.tenant.config_key(), "after get(cfg)")
                .await
            {
                Ok(o) => o,
                Err(_) => return precondition_failed(),
            },
        };
        match current {
            Some(o) if o.bytes == write.bytes => created(self.tag(&o)),
            Some(o) => precondition_failed().with_etag(self.tag(&o)),
            None => precondition_failed(),
        }
    }

    /// Scheme `v` with one strong tag: `Some(Some(ver))`, or `Some(None)` when the tag names
    /// no store version; `None` when the precondition needs a read (scheme `h`, a list, `*`,
    /// a weak tag).
    fn decode_single(&self, m: &IfMatch) -> Option<Option<StoreVersion>> {
        if self.settings().scheme != super::etag::Scheme::Version {
            return None;
        }
        let tag: ETag = m.single()?;
        Some(tag.version())
    }

    /// Reads the config and evaluates the precondition on it: the condition for the store's
    /// put (the version read, or absent), or the answer (412, 500).
    async fn evaluate(&self, write: &Write) -> Result<Cond, Response> {
        let obj = self
            .read(&write.tenant.config_key(), "after get(cfg)")
            .await
            .map_err(|e| store_failure(&e))?;
        let tag = obj.as_ref().map(|o| self.tag(o));
        if !write.pre.holds(tag.as_ref()) {
            return Err(self.refused(write, obj).await);
        }
        Ok(match obj {
            Some(o) => Cond::IfMatch(o.meta.version),
            None => Cond::IfAbsent,
        })
    }

    /// A DELETE without the lock (§1.1, §3): blind, or `delete_if_match`.
    pub(super) async fn delete_direct(&self, key: &str, pre: &Pre) -> Response {
        let cond = match pre {
            Pre::None => Cond::Always,
            Pre::IfNoneMatch | Pre::Both(_) => {
                // Nothing to delete when it holds; 412 when it does not.
                return match self.read(key, "after get(cfg)").await {
                    Ok(None) if *pre == Pre::IfNoneMatch => deleted(),
                    Ok(_) => precondition_failed(),
                    Err(e) => store_failure(&e),
                };
            }
            Pre::IfMatch(m) => match self.decode_single(m) {
                Some(None) => return precondition_failed(),
                Some(Some(ver)) => Cond::IfMatch(ver),
                None => match self.read(key, "after get(cfg)").await {
                    Ok(obj) => {
                        let tag = obj.as_ref().map(|o| self.tag(o));
                        match obj {
                            Some(o) if m.holds(tag.as_ref()) => Cond::IfMatch(o.meta.version),
                            _ => return precondition_failed(),
                        }
                    }
                    Err(e) => return store_failure(&e),
                },
            },
        };
        let r = self.store.delete(key, cond).await;
        self.rt.crash_point("after delete(cfg)").await;
        match r {
            Ok(()) | Err(StoreError::NotFound) => deleted(),
            Err(StoreError::Mismatch | StoreError::Absent) => precondition_failed(),
            Err(e) => store_failure(&e),
        }
    }
}
