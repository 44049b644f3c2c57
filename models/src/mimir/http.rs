//! The HTTP surface of the config API as values (`config-concurrency.md` §1.1, §1.5): what the
//! handler takes and answers, free of any HTTP library. The service maps axum's requests onto
//! [`Request`] and [`Response`] onto axum's; the model carries them as messages.

use std::fmt;

use super::etag::ETag;

/// The routes' methods (§1.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET /api/v1/alerts`.
    Get,
    /// `POST /api/v1/alerts`.
    Post,
    /// `DELETE /api/v1/alerts`.
    Delete,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        })
    }
}

/// A request, with its headers as raw bytes (the handler decides what is malformed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// The method (`None` for a method the routes do not serve; the service answers 405
    /// before the handler).
    pub method: Option<Method>,
    /// `X-Scope-OrgID`.
    pub tenant: Option<Vec<u8>>,
    /// `If-Match` (several header lines joined with `, `).
    pub if_match: Option<Vec<u8>>,
    /// `If-None-Match` (joined likewise).
    pub if_none_match: Option<Vec<u8>>,
    /// The body.
    pub body: Vec<u8>,
}

impl Request {
    /// A request with `method` for `tenant`, no preconditions, empty body.
    pub fn new(method: Method, tenant: &str) -> Request {
        Request {
            method: Some(method),
            tenant: Some(tenant.as_bytes().to_vec()),
            ..Request::default()
        }
    }

    /// With `If-Match: value`.
    pub fn if_match(mut self, value: &str) -> Request {
        self.if_match = Some(value.as_bytes().to_vec());
        self
    }

    /// With `If-None-Match: value`.
    pub fn if_none_match(mut self, value: &str) -> Request {
        self.if_none_match = Some(value.as_bytes().to_vec());
        self
    }

    /// With `body`.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Request {
        self.body = body.into();
        self
    }
}

/// A status code of §1.5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Status(pub u16);

impl Status {
    /// GET ok; DELETE ok.
    pub const OK: Status = Status(200);
    /// POST stored.
    pub const CREATED: Status = Status(201);
    /// Malformed header, body unreadable or too large, bad YAML, invalid config.
    pub const BAD_REQUEST: Status = Status(400);
    /// No or invalid tenant.
    pub const UNAUTHORIZED: Status = Status(401);
    /// GET with no config stored.
    pub const NOT_FOUND: Status = Status(404);
    /// A method the routes do not serve.
    pub const METHOD_NOT_ALLOWED: Status = Status(405);
    /// A precondition was false.
    pub const PRECONDITION_FAILED: Status = Status(412);
    /// Preconditions required and none sent.
    pub const PRECONDITION_REQUIRED: Status = Status(428);
    /// Store error with a not-applied or unknown outcome.
    pub const INTERNAL: Status = Status(500);
    /// The store cannot evaluate conditions (§2.4).
    pub const NOT_IMPLEMENTED: Status = Status(501);
    /// Lock not acquired in time, conflicts or throttling exhausted: resend unchanged.
    pub const UNAVAILABLE: Status = Status(503);

    /// Whether it is 2xx.
    pub fn is_success(self) -> bool {
        (200..300).contains(&self.0)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A response: status, `ETag` and `Retry-After` headers, body (YAML for a GET, a short reason
/// otherwise).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The status.
    pub status: Status,
    /// `ETag`, on 200 GET and 201 (and on a 412 where the current tag is known).
    pub etag: Option<ETag>,
    /// `Retry-After` seconds, on 503.
    pub retry_after: Option<u64>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a short text reason and no headers.
    pub fn reason(status: Status, reason: impl Into<String>) -> Response {
        Response {
            status,
            etag: None,
            retry_after: None,
            body: reason.into().into_bytes(),
        }
    }

    /// With `ETag`.
    pub fn with_etag(mut self, etag: ETag) -> Response {
        self.etag = Some(etag);
        self
    }

    /// The body as text (lossy), for reports.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}
