//! The client's read-modify-write loop (`config-concurrency.md` §1.6), the same code for the
//! model's clients and the service's load tests.
//!
//! Protocol, per transaction of one intent (a function from the current config to the new
//! one, such as "add receiver X"):
//! 1. GET → (config, tag); 404 → the initial config, written with `If-None-Match: *`;
//! 2. apply the intent to the config just fetched; if that changes nothing, the change is
//!    already in (an earlier attempt whose answer was lost landed): done;
//! 3. POST with `If-Match: tag`; 201 → done;
//! 4. 412 → back off, go to 1. The **blind-retry bug** ([`ClientPolicy::blind_retry`], §5 R11)
//!    instead refetches only the tag and resends the old body;
//! 5. 503 → back off, resend the same request unchanged; 500, a timeout or a lost
//!    connection → the outcome is unknown: back off, go to 1. A client with
//!    [`ClientPolicy::resend_unanswered`] (§5 R12's client) instead resends an unanswered
//!    POST unchanged, same body, same `If-Match`: if the first one landed, only the server's
//!    "already applied" rule (§1.5) can tell it so.
//!
//! Back-off is full jitter from `backoff_base` doubling to `backoff_cap`; after `attempts`
//! POSTs (or failed GETs) the client gives up and reports the last answer.

use std::future::Future;
use std::time::Duration;

use weft_core::Runtime;

use super::config::UserConfig;
use super::http::{Method, Request, Response, Status};

/// Why a request got no response: its outcome is unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoResponse(pub String);

/// How requests reach a server: the model's network, or HTTP.
pub trait Transport: Send + Sync {
    /// Sends one request and waits for its response (bounded by the transport's timeout).
    fn send(&self, req: Request) -> impl Future<Output = Result<Response, NoResponse>> + Send;
}

/// The client's retry policy (§1.6, §7.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientPolicy {
    /// Back-off base.
    pub backoff_base: Duration,
    /// Back-off cap.
    pub backoff_cap: Duration,
    /// Most POSTs (and failed GETs) per transaction.
    pub attempts: u32,
    /// §5 R11's client bug: on 412, resend the old body with the new tag.
    pub blind_retry: bool,
    /// §5 R12's client: a POST that got no answer is resent unchanged (instead of going back
    /// to the GET).
    pub resend_unanswered: bool,
}

impl ClientPolicy {
    /// §7.6: 200 ms to 5 s, at most 8 attempts.
    pub const DEFAULT: ClientPolicy = ClientPolicy {
        backoff_base: Duration::from_millis(200),
        backoff_cap: Duration::from_secs(5),
        attempts: 8,
        blind_retry: false,
        resend_unanswered: false,
    };
}

/// How a transaction ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxOutcome {
    /// A POST was answered 201 (`etag` names the version written).
    Committed {
        /// The response's ETag header value.
        etag: Option<String>,
    },
    /// The intent was already in the fetched config (an earlier attempt landed).
    AlreadyIn,
    /// Out of attempts; the last answer (or `None`: no response).
    GaveUp(Option<Status>),
}

/// What one transaction did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxReport {
    /// How it ended.
    pub outcome: TxOutcome,
    /// POSTs sent.
    pub posts: u32,
    /// 412 answers received.
    pub precondition_failed: u32,
    /// Requests with no response, 500s and 503s.
    pub unknown: u32,
}

/// Runs one transaction of `intent` for `tenant` (module docs).
pub async fn transact<R, T>(
    rt: &R,
    transport: &T,
    tenant: &str,
    policy: &ClientPolicy,
    intent: impl Fn(&UserConfig) -> UserConfig,
) -> TxReport
where
    R: Runtime,
    T: Transport,
{
    let mut report = TxReport {
        outcome: TxOutcome::GaveUp(None),
        posts: 0,
        precondition_failed: 0,
        unknown: 0,
    };
    let mut tries = 0;
    // The request to resend unchanged after a 503.
    let mut resend: Option<Request> = None;
    // The blind-retry bug's old body.
    let mut old_body: Option<Vec<u8>> = None;
    let mut last: Option<Status> = None;
    while tries < policy.attempts {
        let post = match resend.take() {
            Some(req) => req,
            None => {
                let get = transport.send(Request::new(Method::Get, tenant)).await;
                // The tag to send as If-Match (`None`: nothing stored, create with
                // If-None-Match: *).
                let (current, tag) = match get {
                    Ok(r) if r.status == Status::OK => {
                        let Some(tag) = r.etag.as_ref().map(|t| t.header()) else {
                            report.unknown += 1;
                            tries += 1;
                            backoff(rt, policy, tries).await;
                            continue;
                        };
                        (UserConfig::from_stored(&r.body).ok(), Some(tag))
                    }
                    Ok(r) if r.status == Status::NOT_FOUND => (None, None),
                    other => {
                        last = other.ok().map(|r| r.status);
                        report.unknown += 1;
                        tries += 1;
                        backoff(rt, policy, tries).await;
                        continue;
                    }
                };
                let base = current.clone().unwrap_or_else(UserConfig::initial);
                let next = intent(&base);
                if current.as_ref().map(UserConfig::to_bytes) == Some(next.to_bytes()) {
                    report.outcome = TxOutcome::AlreadyIn;
                    return report;
                }
                let body = match (&old_body, policy.blind_retry) {
                    (Some(old), true) => old.clone(),
                    _ => next.to_bytes(),
                };
                let req = Request::new(Method::Post, tenant).body(body);
                match tag {
                    Some(tag) => req.if_match(&tag),
                    None => req.if_none_match("*"),
                }
            }
        };
        tries += 1;
        report.posts += 1;
        if old_body.is_none() {
            old_body = Some(post.body.clone());
        }
        match transport.send(post.clone()).await {
            Ok(r) if r.status == Status::CREATED => {
                report.outcome = TxOutcome::Committed {
                    etag: r.etag.map(|t| t.header()),
                };
                return report;
            }
            Ok(r) if r.status == Status::PRECONDITION_FAILED => {
                report.precondition_failed += 1;
                last = Some(r.status);
            }
            Ok(r) if r.status == Status::UNAVAILABLE => {
                report.unknown += 1;
                last = Some(r.status);
                resend = Some(post);
            }
            Ok(r) if r.status == Status::INTERNAL => {
                report.unknown += 1;
                last = Some(r.status);
            }
            Ok(r) => {
                // 400, 401, 428, 501: resending cannot help.
                report.outcome = TxOutcome::GaveUp(Some(r.status));
                return report;
            }
            Err(NoResponse(_)) => {
                report.unknown += 1;
                last = None;
                if policy.resend_unanswered {
                    resend = Some(post);
                }
            }
        }
        backoff(rt, policy, tries).await;
    }
    report.outcome = TxOutcome::GaveUp(last);
    report
}

async fn backoff<R: Runtime>(rt: &R, policy: &ClientPolicy, attempt: u32) {
    let ceiling = policy
        .backoff_base
        .saturating_mul(1u32 << attempt.min(20))
        .min(policy.backoff_cap)
        .as_nanos()
        .max(1) as u64;
    rt.sleep(Duration::from_nanos(1 + rt.rand_u64() % ceiling))
        .await;
}
