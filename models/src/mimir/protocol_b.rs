//! Protocols B (as the issue writes it, §4.2) and B' (repaired, §4.3): the precondition is
//! checked and the config written under a lock object made with `put_if_absent`
//! (`config-concurrency.md` §4). Which one runs is a [`LockRules`] value; each race of §5
//! that involves the lock flips one rule.
//!
//! Protocol, with the spec's step numbers (B / B'):
//! - B1 / B'1. **[SP][CP]** `put_if_absent(K_lock, {owner, token, created})`. Ok → held, with
//!   `t_acq` the local monotonic time at the response. Exists or 409 → step 2. Unknown, by
//!   [`Ambiguous`]: retry (B), assume held (a bug), or **[SP]** `get(K_lock)` and compare the
//!   token (B'1).
//! - B2-B3 / B'2-B'3. Staleness, by [`Staleness`]: the wall-clock rule (**[SP]**
//!   `get(K_lock)`, `wall_now − created > T_stale`), or B'2's observation (**[SP]**
//!   `head(K_lock)`: the same version seen for `T_stale` of local monotonic time). Stale →
//!   **[SP][CP]** take over by [`Steal`] (`delete` or `delete_if_match`), then step 1 again.
//! - B4 / B'4. **[SP: timer]** jittered back-off; after `D_acq` → 503.
//! - B5 / B'5. **[SP]** `get(K_cfg)`, evaluate the precondition; false → 412 (B releases
//!   nothing here: §5 R4).
//! - B'6. With `lease_check`, more than `T_safe` since `t_acq` → release, 503. **[SP][CP]**
//!   `put(K_cfg)`, or with `fence` `put_if_match(K_cfg, ver read in B'5)`.
//! - B7 / B'7. **[SP][CP]** release by [`Release`]: B deletes unconditionally after a write;
//!   B' runs `delete_if_match(K_lock, vL)` on every exit path, again if its outcome is
//!   unknown (§5 R9 c).
//! - B8 / B'8. respond.
//!
//! Safety: B' without `fence` is safe only under the timing bound of §4.4; with `fence`, the
//! lock only reduces contention and safety is protocol A's.

use std::time::Duration;

use weft_core::time::Instant;
use weft_core::Runtime;

use super::handler::{
    created, deleted, precondition_failed, store_failure, unsupported, Pre, Server, Write,
};
use super::http::{Response, Status};
use super::settings::{Ambiguous, LockRules, Release, Staleness, Steal};
use super::store::{Bucket, Cond, Object, StoreError, StoreVersion};
use super::tenant::Tenant;

/// A lock this request holds.
#[derive(Clone, Debug)]
struct Held {
    /// The version of the lock object this acquisition created (`None`: assumed held without
    /// knowing it, [`Ambiguous::AssumeHeld`]).
    version: Option<StoreVersion>,
    /// The token written in its body.
    token: String,
    /// Local monotonic time at the acquire's response.
    t_acq: Instant,
}

/// The lock object's body (§4.1): owner, token, creation stamp on the holder's wall clock.
fn lock_body(owner: &str, token: &str, created_ns: i128, ttl: Duration) -> Vec<u8> {
    format!(
        "owner: {owner}\ntoken: {token}\ncreated: {created_ns}\nttl: {}\n",
        ttl.as_nanos()
    )
    .into_bytes()
}

/// A field of a lock body.
fn lock_field<'a>(body: &'a [u8], name: &str) -> Option<&'a str> {
    std::str::from_utf8(body)
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(": "))
}

/// What the critical section changes.
enum Change<'a> {
    Put(&'a Write),
    Delete,
}

impl<R: Runtime, S: Bucket> Server<R, S> {
    /// A POST under protocol B or B' (module docs).
    pub(super) async fn write_locked(&self, write: &Write, rules: LockRules) -> Response {
        self.locked(&write.tenant, &write.pre, Change::Put(write), rules)
            .await
    }

    /// A DELETE under the lock (protocol B's stores have no `delete_if_match`, §3 last
    /// paragraph).
    pub(super) async fn delete_locked(
        &self,
        tenant: &Tenant,
        pre: Pre,
        rules: LockRules,
    ) -> Response {
        self.locked(tenant, &pre, Change::Delete, rules).await
    }

    async fn locked(
        &self,
        tenant: &Tenant,
        pre: &Pre,
        change: Change<'_>,
        rules: LockRules,
    ) -> Response {
        let lock = tenant.lock_key();
        let held = match self.acquire(&lock, rules).await {
            Ok(held) => held,
            Err(response) => return response,
        };
        let response = self.critical(tenant, pre, &change, rules, &held).await;
        let release = match rules.release {
            Release::EveryExit => true,
            Release::AfterWriteOnly => response.status.is_success(),
        };
        if release {
            self.release(&lock, rules, &held).await;
        }
        response
    }

    /// B5-B6 / B'5-B'6.
    async fn critical(
        &self,
        tenant: &Tenant,
        pre: &Pre,
        change: &Change<'_>,
        rules: LockRules,
        held: &Held,
    ) -> Response {
        let key = tenant.config_key();
        let current = match self.read(&key, "after get(cfg) under the lock").await {
            Ok(obj) => obj,
            Err(e) => return store_failure(&e),
        };
        let tag = current.as_ref().map(|o| self.tag(o));
        if !pre.holds(tag.as_ref()) {
            return match change {
                Change::Put(write) => self.refused(write, current).await,
                Change::Delete => precondition_failed(),
            };
        }
        if rules.lease_check {
            let held_for = self.rt.local_now().saturating_duration_since(held.t_acq);
            if held_for > self.settings().timing.t_safe {
                return Response {
                    retry_after: Some(1),
                    ..Response::reason(
                        Status::UNAVAILABLE,
                        "lock lease ran out before the write; resend unchanged",
                    )
                };
            }
        }
        let cond = match (&current, rules.fence) {
            (_, false) => Cond::Always,
            (Some(o), true) => Cond::IfMatch(o.meta.version.clone()),
            (None, true) => Cond::IfAbsent,
        };
        match change {
            Change::Put(write) => {
                let r = self.store.put(&key, write.bytes.clone(), cond).await;
                self.rt.crash_point("after put(cfg) under the lock").await;
                match r {
                    Ok(v) => created(self.tag_of(&write.bytes, &v)),
                    Err(StoreError::Mismatch | StoreError::Absent | StoreError::Exists) => {
                        self.refused(write, None).await
                    }
                    Err(e @ StoreError::Unknown(_)) => {
                        // B'6: read back while still holding the lock.
                        match self.read(&key, "after get(cfg) under the lock").await {
                            Ok(Some(o)) if o.bytes == write.bytes => created(self.tag(&o)),
                            _ => store_failure(&e),
                        }
                    }
                    Err(e) => store_failure(&e),
                }
            }
            Change::Delete => {
                let cond = match cond {
                    Cond::IfAbsent => return deleted(),
                    cond => cond,
                };
                let r = self.store.delete(&key, cond).await;
                self.rt
                    .crash_point("after delete(cfg) under the lock")
                    .await;
                match r {
                    Ok(()) | Err(StoreError::NotFound) => deleted(),
                    Err(StoreError::Mismatch | StoreError::Absent) => precondition_failed(),
                    Err(e) => store_failure(&e),
                }
            }
        }
    }

    /// B1-B4 / B'1-B'4: the lock, or the response to give up with.
    async fn acquire(&self, lock: &str, rules: LockRules) -> Result<Held, Response> {
        let timing = self.settings().timing;
        let start = self.rt.local_now();
        let mut attempt = 0;
        loop {
            let token = self.next_token();
            let body = lock_body(self.id(), &token, self.rt.wall_now().0, timing.t_stale);
            let r = self.store.put(lock, body, Cond::IfAbsent).await;
            self.rt.crash_point("after put_if_absent(lock)").await;
            let t_acq = self.rt.local_now();
            let held = |version| Held {
                version,
                token: token.clone(),
                t_acq,
            };
            match r {
                Ok(v) => return Ok(held(Some(v))),
                Err(StoreError::Exists) => {}
                Err(StoreError::Conflict) if rules.ambiguous == Ambiguous::AssumeHeld => {
                    return Ok(held(None))
                }
                Err(StoreError::Conflict | StoreError::Throttled) => {}
                Err(StoreError::Unknown(_)) => match rules.ambiguous {
                    Ambiguous::Retry => {}
                    Ambiguous::AssumeHeld => return Ok(held(None)),
                    Ambiguous::CheckToken => match self.read(lock, "after get(lock)").await {
                        Ok(Some(o)) if lock_field(&o.bytes, "token") == Some(&token) => {
                            return Ok(held(Some(o.meta.version)))
                        }
                        Ok(None) => continue,
                        _ => {}
                    },
                },
                Err(StoreError::Unsupported) => return Err(unsupported()),
                Err(e) => return Err(store_failure(&e)),
            }
            // B2-B3: is the lock there stale?
            if let Some(stale) = self.stale_version(lock, rules).await {
                let cond = match rules.steal {
                    Steal::Delete => Cond::Always,
                    Steal::DeleteIfMatch => Cond::IfMatch(stale),
                };
                let _ = self.store.delete(lock, cond).await;
                self.rt
                    .crash_point("after delete(lock) of a stale lock")
                    .await;
                continue;
            }
            // B4: back off, within D_acq.
            if self.rt.local_now().saturating_duration_since(start) >= timing.d_acq {
                return Err(Response {
                    retry_after: Some(1),
                    ..Response::reason(
                        Status::UNAVAILABLE,
                        "config lock not acquired in time; resend unchanged",
                    )
                });
            }
            attempt += 1;
            self.backoff(attempt, timing.backoff_base, timing.backoff_cap)
                .await;
        }
    }

    /// The version of the lock if it is stale by the rules, else `None` (also when it is gone:
    /// step 1 again finds out).
    async fn stale_version(&self, lock: &str, rules: LockRules) -> Option<StoreVersion> {
        let t_stale = self.settings().timing.t_stale;
        match rules.stale {
            Staleness::Never => None,
            Staleness::WallClock => {
                let obj: Object = self.read(lock, "after get(lock)").await.ok()??;
                let created: i128 = lock_field(&obj.bytes, "created")?.parse().ok()?;
                let age = self.rt.wall_now().0 - created;
                (age > t_stale.as_nanos() as i128).then_some(obj.meta.version)
            }
            Staleness::Observed => {
                let head = self.store.head(lock).await;
                self.rt.crash_point("after head(lock)").await;
                let version = head.ok()?.version;
                let now = self.rt.local_now();
                let mut observed = self
                    .shared
                    .observed
                    .lock()
                    .unwrap_or_else(|p| p.into_inner());
                match observed.get(lock) {
                    Some((seen, since)) if *seen == version => {
                        (now.saturating_duration_since(*since) >= t_stale).then_some(version)
                    }
                    _ => {
                        observed.insert(lock.to_owned(), (version, now));
                        None
                    }
                }
            }
        }
    }

    /// B7 / B'7.
    async fn release(&self, lock: &str, rules: LockRules, held: &Held) {
        let cond = match (rules.release, &held.version) {
            (Release::AfterWriteOnly, _) => Cond::Always,
            (Release::EveryExit, Some(v)) => Cond::IfMatch(v.clone()),
            (Release::EveryExit, None) => {
                // Held without knowing the version: release only what carries our token.
                match self.read(lock, "after get(lock)").await {
                    Ok(Some(o)) if lock_field(&o.bytes, "token") == Some(&held.token) => {
                        Cond::IfMatch(o.meta.version)
                    }
                    _ => return,
                }
            }
        };
        // Mismatch or absent: our lease was taken over; the write's outcome stands (§4.3 B'7).
        // Unknown: `delete_if_match(vL)` again, up to `store_retries` times: it is idempotent
        // (a second Absent or Mismatch is fine), and a release given up on leaves the lock for
        // every later writer to wait out (§5 R9 c). An unconditional delete (B) is not
        // retried: its retry could delete a lock taken meanwhile.
        let retries = match cond {
            Cond::IfMatch(_) => self.settings().timing.store_retries,
            _ => 0,
        };
        for attempt in 0..=retries {
            let r = self.store.delete(lock, cond.clone()).await;
            self.rt.crash_point("after delete(lock)").await;
            if !matches!(r, Err(StoreError::Unknown(_))) || attempt == retries {
                break;
            }
        }
    }
}
