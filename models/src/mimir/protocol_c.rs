//! Alternative C: an immutable version log written with `put_if_absent` only, no lock and no
//! clocks (`config-concurrency.md` §4.5).
//!
//! Protocol. Version `n` of a tenant's config is the object `alertmanager-versions/<t>/v<n>`
//! (20 digits); its ETag is `"s-<n>"`. Slots are written once, with **[SP][CP]**
//! `put_if_absent`, so every version has exactly one successor and the history is linear.
//! - GET: find the highest slot (**[SP]** `head` of `v<n+1>` from the highest slot this
//!   server knows, until one is absent), then **[SP]** `get` it.
//! - POST `If-Match: "s-n"`: 412 unless `v<n>` is the highest slot; then
//!   `put_if_absent(v<n+1>)` (exists → 412: somebody else wrote `n+1` first).
//!   `If-None-Match: *` is `put_if_absent(v<1>)`; no precondition writes the slot after the
//!   highest one found, looking again if that slot was taken meanwhile.
//! - DELETE: not offered (501): a delete would need a tombstone slot, which the poller in
//!   Mimir would have to understand.
//!
//! Deliberate limits: the store contract has no LIST, so the highest slot is found by
//! probing forward; slots are never garbage-collected (§4.5: collecting them safely needs a
//! bound on request lifetimes), and the materialized copy at `alerts/<t>` that Mimir's poller
//! reads is not maintained here.

use weft_core::Runtime;

use super::etag::ETag;
use super::handler::{created, precondition_failed, store_failure, Pre, Server, Write};
use super::http::{Response, Status};
use super::store::{Bucket, Cond, StoreError};
use super::tenant::Tenant;

/// The tag of slot `n`.
fn slot_tag(n: u64) -> ETag {
    ETag(format!("s-{n}"))
}

impl<R: Runtime, S: Bucket> Server<R, S> {
    /// The highest slot written (0: none).
    async fn highest_slot(&self, tenant: &Tenant) -> Result<u64, StoreError> {
        let hint = {
            let hints = self
                .shared
                .slot_hint
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            hints.get(tenant.as_str()).copied().unwrap_or(0)
        };
        let mut n = hint;
        loop {
            match self.store.head(&tenant.version_key(n + 1)).await {
                Ok(_) => n += 1,
                Err(StoreError::NotFound) => break,
                Err(e) => return Err(e),
            }
        }
        let mut hints = self
            .shared
            .slot_hint
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let known = hints.entry(tenant.as_str().to_owned()).or_insert(0);
        *known = (*known).max(n);
        Ok(n)
    }

    /// GET under protocol C.
    pub(super) async fn get_c(&self, tenant: &Tenant) -> Response {
        let n = match self.highest_slot(tenant).await {
            Ok(0) => {
                return Response::reason(Status::NOT_FOUND, "no config stored for this tenant")
            }
            Ok(n) => n,
            Err(e) => return store_failure(&e),
        };
        match self.read(&tenant.version_key(n), "after get(slot)").await {
            Ok(Some(obj)) => Response {
                status: Status::OK,
                etag: Some(slot_tag(n)),
                retry_after: None,
                body: obj.bytes,
            },
            Ok(None) => Response::reason(Status::INTERNAL, "version slot vanished"),
            Err(e) => store_failure(&e),
        }
    }

    /// POST under protocol C (module docs).
    pub(super) async fn write_c(&self, write: &Write) -> Response {
        let tenant = &write.tenant;
        let retries = self.settings().timing.store_retries;
        let mut attempt = 0;
        loop {
            let highest = match self.highest_slot(tenant).await {
                Ok(n) => n,
                Err(e) => return store_failure(&e),
            };
            let current = (highest > 0).then(|| slot_tag(highest));
            if !write.pre.holds(current.as_ref()) {
                return precondition_failed();
            }
            let slot = highest + 1;
            let key = tenant.version_key(slot);
            let r = self
                .store
                .put(&key, write.bytes.clone(), Cond::IfAbsent)
                .await;
            self.rt.crash_point("after put_if_absent(slot)").await;
            match r {
                Ok(_) => return created(slot_tag(slot)),
                // Somebody wrote this slot first: a conditional write lost; a blind one
                // looks again.
                Err(StoreError::Exists) if write.pre != Pre::None => return precondition_failed(),
                Err(StoreError::Exists | StoreError::Conflict | StoreError::Throttled)
                    if attempt < retries => {}
                Err(e @ StoreError::Unknown(_)) => {
                    return match self.read(&key, "after get(slot)").await {
                        Ok(Some(o)) if o.bytes == write.bytes => created(slot_tag(slot)),
                        _ => store_failure(&e),
                    }
                }
                Err(e) => return store_failure(&e),
            }
            attempt += 1;
            let timing = self.settings().timing;
            self.backoff(attempt, timing.backoff_base, timing.backoff_cap)
                .await;
        }
    }
}
