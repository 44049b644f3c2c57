//! The server's request handling (`config-concurrency.md` §1.3-§1.5), the same code for the
//! model and the service.
//!
//! Protocol. [`Server::handle`] evaluates a [`Request`] in the fixed order of §1.4:
//!
//! 1. tenant (`X-Scope-OrgID`) → 401;
//! 2. precondition header syntax → 400;
//! 3. in 428 mode, a write with neither `If-Match` nor `If-None-Match` → 428;
//! 4. body size → 400; 5. YAML and config validation → 400;
//! 6. the precondition evaluated together with the store write, by the configured
//!    [`Protocol`] (§3 in [`super::protocol_a`], §4.2/§4.3 in [`super::protocol_b`], §4.5 in
//!    [`super::protocol_c`]) → 201 / 412 / 500 / 501 / 503.
//!
//! A GET reads the config (200 with its `ETag`, 404 when none is stored). Every store
//! operation is a scheduling point (it is a message to the store in the model) and is
//! followed by a crash point named after it: a crash there means the operation took effect
//! and the server died before its next step (§7.2).
//!
//! A server holds no request state between requests, except the staleness observations of
//! B'2 and protocol C's slot hint; [`Server`] is cheap to clone and every clone shares them.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use weft_core::time::Instant;
use weft_core::Runtime;

use super::config::UserConfig;
use super::etag::{parse_if_match, parse_if_none_match, ETag, IfMatch};
use super::http::{Method, Request, Response, Status};
use super::settings::{Protocol, Settings};
use super::store::{Bucket, Object, StoreError, StoreResult, StoreVersion};
use super::tenant::Tenant;

/// A write's or delete's preconditions, parsed (§1.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pre {
    /// None: a blind write.
    None,
    /// `If-Match`.
    IfMatch(IfMatch),
    /// `If-None-Match: *`.
    IfNoneMatch,
    /// Both: `If-Match` is evaluated first, then `If-None-Match` (RFC 9110 §13.2.2); with `*`
    /// the pair never holds.
    Both(IfMatch),
}

impl Pre {
    /// Whether the preconditions hold against the current tag (`None`: nothing stored).
    pub fn holds(&self, current: Option<&ETag>) -> bool {
        match self {
            Pre::None => true,
            Pre::IfMatch(m) => m.holds(current),
            Pre::IfNoneMatch => current.is_none(),
            Pre::Both(m) => m.holds(current) && current.is_none(),
        }
    }
}

/// One validated write, ready for the protocol.
#[derive(Clone, Debug)]
pub struct Write {
    /// Whose config.
    pub tenant: Tenant,
    /// Its preconditions.
    pub pre: Pre,
    /// The canonical bytes to store.
    pub bytes: Vec<u8>,
}

/// What a server keeps between its requests (module docs); one per server incarnation.
#[derive(Debug)]
pub struct ServerState {
    pub(super) id: String,
    pub(super) settings: Settings,
    /// B'2: per lock key, the version first seen and when (local monotonic clock).
    pub(super) observed: Mutex<BTreeMap<String, (StoreVersion, Instant)>>,
    /// Lock acquisitions so far: the token of the next one.
    pub(super) acquisitions: AtomicU64,
    /// Protocol C: per tenant, a slot known to exist.
    pub(super) slot_hint: Mutex<BTreeMap<String, u64>>,
}

/// A config server (module docs).
#[derive(Clone, Debug)]
pub struct Server<R: Runtime, S: Bucket> {
    pub(super) rt: R,
    pub(super) store: S,
    pub(super) shared: Arc<ServerState>,
}

impl ServerState {
    /// The fresh state of server `id`.
    pub fn new(id: &str, settings: Settings) -> Arc<ServerState> {
        Arc::new(ServerState {
            id: id.to_owned(),
            settings,
            observed: Mutex::new(BTreeMap::new()),
            acquisitions: AtomicU64::new(0),
            slot_hint: Mutex::new(BTreeMap::new()),
        })
    }
}

impl<R: Runtime, S: Bucket> Server<R, S> {
    /// A server named `id` over `store`.
    pub fn new(rt: R, store: S, id: &str, settings: Settings) -> Server<R, S> {
        Server::over(rt, store, ServerState::new(id, settings))
    }

    /// A server with `state` (shared with every other handle on it) over `store`: the model
    /// gives each request a store handle that names the request as the writer.
    pub fn over(rt: R, store: S, state: Arc<ServerState>) -> Server<R, S> {
        Server {
            rt,
            store,
            shared: state,
        }
    }

    /// Its settings.
    pub fn settings(&self) -> &Settings {
        &self.shared.settings
    }

    /// Its id.
    pub fn id(&self) -> &str {
        &self.shared.id
    }

    /// Answers one request (module docs).
    pub async fn handle(&self, req: Request) -> Response {
        let Some(method) = req.method else {
            return Response::reason(Status::METHOD_NOT_ALLOWED, "method not allowed");
        };
        // 1. tenant
        let tenant = match Tenant::parse(req.tenant.as_deref()) {
            Ok(t) => t,
            Err(e) => return Response::reason(Status::UNAUTHORIZED, e.to_string()),
        };
        if method == Method::Get {
            return match self.settings().protocol {
                Protocol::C => self.get_c(&tenant).await,
                _ => self.get(&tenant).await,
            };
        }
        // 2. precondition syntax
        let pre = match self.preconditions(&req) {
            Ok(pre) => pre,
            Err(e) => return Response::reason(Status::BAD_REQUEST, e),
        };
        // 3. 428 mode
        if self.settings().require_preconditions && pre == Pre::None {
            return Response::reason(
                Status::PRECONDITION_REQUIRED,
                "this server requires a precondition: GET the config, then resend with \
                 If-Match: <its ETag> (or If-None-Match: * to create)",
            );
        }
        if method == Method::Delete {
            return self.delete(&tenant, pre).await;
        }
        // 4-5. body
        let config = match UserConfig::parse(&req.body, &self.settings().limits) {
            Ok(c) => c,
            Err(e) => return Response::reason(Status::BAD_REQUEST, e.to_string()),
        };
        let write = Write {
            tenant,
            pre,
            bytes: config.to_bytes(),
        };
        // 6. the protocol
        match self.settings().protocol {
            Protocol::Unconditional => self.write_blind(&write).await,
            Protocol::CheckThenPut => self.write_check_then_put(&write).await,
            Protocol::A => self.write_a(&write).await,
            Protocol::Lock(rules) => self.write_locked(&write, rules).await,
            Protocol::C => self.write_c(&write).await,
            Protocol::Refuse if write.pre == Pre::None => self.write_blind(&write).await,
            Protocol::Refuse => unsupported(),
        }
    }

    fn preconditions(&self, req: &Request) -> Result<Pre, String> {
        let if_match = req
            .if_match
            .as_deref()
            .map(parse_if_match)
            .transpose()
            .map_err(|e| e.to_string())?;
        let if_none_match = req
            .if_none_match
            .as_deref()
            .map(parse_if_none_match)
            .transpose()
            .map_err(|e| e.to_string())?;
        if self.settings().protocol == Protocol::Unconditional {
            // Mimir today reads neither header.
            return Ok(Pre::None);
        }
        Ok(match (if_match, if_none_match) {
            (None, None) => Pre::None,
            (Some(m), None) => Pre::IfMatch(m),
            (None, Some(())) => Pre::IfNoneMatch,
            (Some(m), Some(())) => Pre::Both(m),
        })
    }

    async fn get(&self, tenant: &Tenant) -> Response {
        match self.read(&tenant.config_key(), "after get(cfg)").await {
            Ok(Some(obj)) => Response {
                status: Status::OK,
                etag: Some(self.tag(&obj)),
                retry_after: None,
                body: obj.bytes,
            },
            Ok(None) => Response::reason(Status::NOT_FOUND, "no config stored for this tenant"),
            Err(e) => store_failure(&e),
        }
    }

    async fn delete(&self, tenant: &Tenant, pre: Pre) -> Response {
        let key = tenant.config_key();
        match self.settings().protocol {
            Protocol::Lock(rules) => return self.delete_locked(tenant, pre, rules).await,
            Protocol::C => return unsupported(),
            Protocol::Refuse if pre != Pre::None => return unsupported(),
            // The probe did not trust the store's delete_if_match (§2.4): never send it.
            _ if matches!(pre, Pre::IfMatch(_)) && !self.settings().delete_if_match => {
                return unsupported()
            }
            _ => {}
        }
        self.delete_direct(&key, &pre).await
    }

    /// The tag of a stored version, by the configured scheme.
    pub(super) fn tag(&self, obj: &Object) -> ETag {
        self.settings().scheme.tag(&obj.bytes, &obj.meta.version)
    }

    /// The tag of bytes this server just stored as `version`.
    pub(super) fn tag_of(&self, bytes: &[u8], version: &StoreVersion) -> ETag {
        self.settings().scheme.tag(bytes, version)
    }

    /// `get(key)`, with `NotFound` as `None`; then the crash point `after`.
    pub(super) async fn read(&self, key: &str, after: &'static str) -> StoreResult<Option<Object>> {
        let r = self.store.get(key).await;
        self.rt.crash_point(after).await;
        match r {
            Ok(obj) => Ok(Some(obj)),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Full-jitter back-off: a uniform wait in `(0, min(cap, base·2^attempt)]`.
    pub(super) async fn backoff(&self, attempt: u32, base: Duration, cap: Duration) {
        let ceiling = base
            .saturating_mul(1u32 << attempt.min(20))
            .min(cap)
            .as_nanos()
            .max(1) as u64;
        let wait = 1 + self.rt.rand_u64() % ceiling;
        self.rt.sleep(Duration::from_nanos(wait)).await;
    }
}

/// 500, 501 or 503 for a store failure, by what the client may do next (§1.5).
pub(super) fn store_failure(e: &StoreError) -> Response {
    match e {
        StoreError::Unsupported => unsupported(),
        StoreError::Conflict | StoreError::Throttled => Response {
            retry_after: Some(1),
            ..Response::reason(
                Status::UNAVAILABLE,
                format!("store busy ({e}); resend unchanged"),
            )
        },
        StoreError::Unknown(_) => Response::reason(
            Status::INTERNAL,
            format!("store error, outcome unknown ({e}): GET before retrying"),
        ),
        _ => Response::reason(Status::INTERNAL, format!("store error ({e})")),
    }
}

/// 501: the store cannot evaluate conditions (§2.4).
pub(super) fn unsupported() -> Response {
    Response::reason(
        Status::NOT_IMPLEMENTED,
        "conditional updates unsupported by this storage backend",
    )
}

/// 412 with a short reason.
pub(super) fn precondition_failed() -> Response {
    Response::reason(
        Status::PRECONDITION_FAILED,
        "precondition failed: the config changed; GET it and apply your change again",
    )
}

/// 201 with the new version's tag.
pub(super) fn created(etag: ETag) -> Response {
    Response::reason(Status::CREATED, "").with_etag(etag)
}

/// 200 for a delete.
pub(super) fn deleted() -> Response {
    Response::reason(Status::OK, "")
}

impl<R: Runtime, S: Bucket> Server<R, S> {
    pub(super) fn next_token(&self) -> String {
        let n = self.shared.acquisitions.fetch_add(1, Ordering::Relaxed) + 1;
        format!("{}-{n}", self.shared.id)
    }
}
