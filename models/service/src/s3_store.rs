//! `--store s3:BUCKET --s3-endpoint URL`: a [`Bucket`] on an S3-compatible server.
//!
//! Requests. Each operation is one HTTP request (an unconditional delete: two, below), signed
//! with AWS SigV4 as a presigned URL by `rusty-s3` (sans-I/O: it only builds URLs) and sent
//! by hyper's client over plain HTTP, path-style (`URL/BUCKET/KEY`):
//!
//! | operation | request |
//! |---|---|
//! | `get`, `head` | `GET`, `HEAD` |
//! | `put` / `put_if_absent` / `put_if_match(v)` | `PUT` / with `If-None-Match: *` / with `If-Match: "v"` |
//! | `delete_if_match(v)` | `DELETE` with `If-Match: "v"` |
//! | `delete` | `HEAD`, then `DELETE` (S3 answers 204 for a missing key; the contract wants NotFound) |
//!
//! Condition headers are among the signed headers, so nobody on the way can drop them. The
//! version token is the object's `ETag` with its quotes stripped (on S3 without SSE-KMS, the
//! bytes' MD5: equal bytes give equal tokens, §1.2). An unconditional delete reports NotFound
//! when its `HEAD` found no key; a key deleted by someone else between the two requests makes
//! it report success for what was, at the `DELETE`, a no-op.
//!
//! Answers (spec §2.1, §2.3), by [`failure`]:
//! 1. 404: NotFound for reads and the unconditional delete, Absent for an `If-Match` write
//!    (AWS; SeaweedFS and others answer 412 instead, so Absent arrives as Mismatch), and
//!    Unknown when the error code is `NoSuchBucket`;
//! 2. 412: Exists for `If-None-Match: *`, Mismatch for `If-Match`;
//! 3. 409: Conflict (S3's `ConditionalRequestConflict`: not applied, retryable);
//! 4. 429 and 503: Throttled; 501: Unsupported;
//! 5. a version token that is not a valid entity-tag value (only `!` and `#` to `~`: no
//!    NUL, quote, space or non-ASCII) names no S3 object and cannot be sent: `*_if_match`
//!    with it is Mismatch at once, nothing sent (a client's `If-Match: "v-00"` decodes to
//!    the token NUL);
//! 6. anything else, every other 5xx, a timeout ([`S3Bucket::timeout`], 5 s by default,
//!    spec §7.6, for the request and its whole body), a refused or reset connection: Unknown,
//!    never "not applied".
//!
//! Credentials come from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` (and
//! `AWS_SESSION_TOKEN`), the region from `AWS_REGION` (default `us-east-1`); with no key at
//! all the requests go unsigned (anonymous). Only `http://` endpoints: this build has no TLS.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::header::{HeaderMap, CONTENT_LENGTH, ETAG, LAST_MODIFIED};
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use rusty_s3::{Credentials, S3Action, UrlStyle};
use url::Url;
use weft_core::node::WallTime;
use weft_models::mimir::store::{
    Bucket, Cond, Meta, Object, StoreError, StoreResult, StoreVersion,
};

use crate::key::{check_key, refused};
use crate::s3_answers::sendable;
pub use crate::s3_answers::{failure, S3Op};

/// The store-op timeout of spec §7.6.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// The largest object body read (a config is far smaller; beyond this a read is Unknown).
pub const MAX_OBJECT_BYTES: usize = 64 << 20;

/// How long a presigned URL stays valid (it is used at once).
const URL_EXPIRY: Duration = Duration::from_secs(300);

/// Why an [`S3Bucket`] could not be made; `Display` is one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct S3ConfigError(String);

impl fmt::Display for S3ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for S3ConfigError {}

/// How requests are signed: region and credentials (or none: anonymous).
#[derive(Clone, Debug)]
pub struct S3Auth {
    /// The SigV4 region.
    pub region: String,
    /// The key pair (and session token); `None` sends unsigned requests.
    pub credentials: Option<Credentials>,
}

impl S3Auth {
    /// From the usual variables (module docs), read with `var`; one of the key pair without
    /// the other is an error.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<S3Auth, S3ConfigError> {
        let get = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let region = get("AWS_REGION").unwrap_or_else(|| "us-east-1".to_owned());
        let credentials = match (get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY")) {
            (Some(key), Some(secret)) => Some(match get("AWS_SESSION_TOKEN") {
                Some(token) => Credentials::new_with_token(key, secret, token),
                None => Credentials::new(key, secret),
            }),
            (None, None) => None,
            (Some(_), None) => {
                return Err(S3ConfigError(
                    "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not".to_owned(),
                ))
            }
            (None, Some(_)) => {
                return Err(S3ConfigError(
                    "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not".to_owned(),
                ))
            }
        };
        Ok(S3Auth {
            region,
            credentials,
        })
    }

    /// From the process's environment.
    pub fn from_env() -> Result<S3Auth, S3ConfigError> {
        S3Auth::from_vars(|name| std::env::var(name).ok())
    }
}

struct Inner {
    bucket: rusty_s3::Bucket,
    credentials: Option<Credentials>,
    client: Client<HttpConnector, Full<Bytes>>,
    timeout: Duration,
}

/// The `s3:` store (module docs).
#[derive(Clone)]
pub struct S3Bucket {
    inner: Arc<Inner>,
}

impl fmt::Debug for S3Bucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Bucket")
            .field("url", &self.inner.bucket.base_url().as_str())
            .field("region", &self.inner.bucket.region())
            .field("signed", &self.inner.credentials.is_some())
            .field("timeout", &self.inner.timeout)
            .finish()
    }
}

/// One answer, body read whole.
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Reply {
    /// The S3 error code in an error body (`<Code>...</Code>`), if any.
    fn code(&self) -> Option<&str> {
        let text = std::str::from_utf8(&self.body).ok()?;
        let start = text.find("<Code>")? + "<Code>".len();
        let len = text[start..].find("</Code>")?;
        Some(&text[start..start + len])
    }

    fn fail(&self, op: S3Op) -> StoreError {
        failure(op, self.status.as_u16(), self.code())
    }

    fn etag(&self) -> StoreResult<StoreVersion> {
        let raw = self
            .headers
            .get(ETAG)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| {
                StoreError::Unknown(format!(
                    "the store answered {} without a readable ETag",
                    self.status
                ))
            })?;
        let tag = raw
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(raw);
        Ok(StoreVersion(tag.to_owned()))
    }

    fn meta(&self) -> StoreResult<Meta> {
        let version = self.etag()?;
        let at = self
            .headers
            .get(LAST_MODIFIED)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok())
            .ok_or_else(|| {
                StoreError::Unknown("the store answered without a readable Last-Modified".into())
            })?;
        let nanos = match at.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        Ok(Meta {
            version,
            last_modified: WallTime(nanos),
        })
    }
}

/// `If-Match` carries the token quoted again, as an entity-tag.
fn quoted(version: &StoreVersion) -> String {
    format!("\"{}\"", version.0)
}

/// Signs `action` with `headers` among its signed headers.
fn sign<'a, A: S3Action<'a>>(mut action: A, headers: &'a [(&'static str, String)]) -> Url {
    for (name, value) in headers {
        action.headers_mut().insert(*name, value.as_str());
    }
    action.sign(URL_EXPIRY)
}

impl S3Bucket {
    /// The bucket `bucket` at `endpoint` (`http://host:port`, path-style), signed by `auth`.
    pub fn new(endpoint: &str, bucket: &str, auth: S3Auth) -> Result<S3Bucket, S3ConfigError> {
        let url: Url = endpoint
            .parse()
            .map_err(|e| S3ConfigError(format!("invalid --s3-endpoint {endpoint:?}: {e}")))?;
        if url.scheme() != "http" {
            return Err(S3ConfigError(format!(
                "invalid --s3-endpoint {endpoint:?}: only http:// is supported (this build has \
                 no TLS)"
            )));
        }
        let bucket = rusty_s3::Bucket::new(url, UrlStyle::Path, bucket.to_owned(), auth.region)
            .map_err(|e| S3ConfigError(format!("invalid S3 bucket {bucket:?}: {e}")))?;
        let client = Client::builder(TokioExecutor::new()).build_http();
        Ok(S3Bucket {
            inner: Arc::new(Inner {
                bucket,
                credentials: auth.credentials,
                client,
                timeout: DEFAULT_TIMEOUT,
            }),
        })
    }

    /// The same store with another request timeout.
    pub fn with_timeout(self, timeout: Duration) -> S3Bucket {
        let inner = &self.inner;
        S3Bucket {
            inner: Arc::new(Inner {
                bucket: inner.bucket.clone(),
                credentials: inner.credentials.clone(),
                client: inner.client.clone(),
                timeout,
            }),
        }
    }

    /// The request timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The presigned URL for `method` on `key`, with `headers` signed.
    fn url(&self, method: &Method, key: &str, headers: &[(&'static str, String)]) -> Url {
        let (bucket, creds) = (&self.inner.bucket, self.inner.credentials.as_ref());
        match *method {
            Method::GET => sign(bucket.get_object(creds, key), headers),
            Method::HEAD => sign(bucket.head_object(creds, key), headers),
            Method::PUT => sign(bucket.put_object(creds, key), headers),
            _ => sign(bucket.delete_object(creds, key), headers),
        }
    }

    /// Sends one request and reads the whole answer, within the timeout.
    async fn send(
        &self,
        method: Method,
        key: &str,
        headers: &[(&'static str, String)],
        body: Option<Vec<u8>>,
    ) -> StoreResult<Reply> {
        check_key(key).map_err(|e| refused(key, &e))?;
        let url = self.url(&method, key, headers);
        let mut request = Request::builder().method(method.clone()).uri(url.as_str());
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let body = match body {
            Some(bytes) => {
                request = request.header(CONTENT_LENGTH, bytes.len());
                Full::new(Bytes::from(bytes))
            }
            None => Full::new(Bytes::new()),
        };
        let request = request
            .body(body)
            .map_err(|e| StoreError::Unknown(format!("building the {method} request: {e}")))?;
        let exchange = async {
            let response = self
                .inner
                .client
                .request(request)
                .await
                .map_err(|e| StoreError::Unknown(format!("{method} {key}: {e:#}")))?;
            let (parts, body) = response.into_parts();
            let body = Limited::new(body, MAX_OBJECT_BYTES)
                .collect()
                .await
                .map_err(|e| StoreError::Unknown(format!("{method} {key}: reading body: {e}")))?
                .to_bytes();
            Ok(Reply {
                status: parts.status,
                headers: parts.headers,
                body,
            })
        };
        match tokio::time::timeout(self.inner.timeout, exchange).await {
            Ok(reply) => reply,
            Err(_) => Err(StoreError::Unknown(format!(
                "{method} {key}: no answer within {:?}",
                self.inner.timeout
            ))),
        }
    }
}

impl Bucket for S3Bucket {
    async fn get(&self, key: &str) -> StoreResult<Object> {
        let reply = self.send(Method::GET, key, &[], None).await?;
        if reply.status != StatusCode::OK {
            return Err(reply.fail(S3Op::Get));
        }
        let meta = reply.meta()?;
        Ok(Object {
            bytes: reply.body.to_vec(),
            meta,
        })
    }

    async fn head(&self, key: &str) -> StoreResult<Meta> {
        let reply = self.send(Method::HEAD, key, &[], None).await?;
        if reply.status != StatusCode::OK {
            return Err(reply.fail(S3Op::Head));
        }
        reply.meta()
    }

    async fn put(&self, key: &str, bytes: Vec<u8>, cond: Cond) -> StoreResult<StoreVersion> {
        let (op, headers) = match &cond {
            Cond::Always => (S3Op::Put, vec![]),
            Cond::IfAbsent => (S3Op::PutIfAbsent, vec![("if-none-match", "*".into())]),
            Cond::IfMatch(v) if !sendable(v) => return Err(StoreError::Mismatch),
            Cond::IfMatch(v) => (S3Op::PutIfMatch, vec![("if-match", quoted(v))]),
        };
        let reply = self.send(Method::PUT, key, &headers, Some(bytes)).await?;
        if reply.status != StatusCode::OK {
            return Err(reply.fail(op));
        }
        reply.etag()
    }

    async fn delete(&self, key: &str, cond: Cond) -> StoreResult<()> {
        let (op, headers) = match &cond {
            Cond::IfAbsent => return Err(StoreError::Unsupported),
            Cond::Always => {
                self.head(key).await?;
                (S3Op::Delete, vec![])
            }
            Cond::IfMatch(v) if !sendable(v) => return Err(StoreError::Mismatch),
            Cond::IfMatch(v) => (S3Op::DeleteIfMatch, vec![("if-match", quoted(v))]),
        };
        let reply = self.send(Method::DELETE, key, &headers, None).await?;
        match reply.status {
            StatusCode::NO_CONTENT | StatusCode::OK => Ok(()),
            _ => Err(reply.fail(op)),
        }
    }
}
