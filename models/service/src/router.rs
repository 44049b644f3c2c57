//! HTTP on axum: requests onto the handler's [`Request`], its [`Response`] back onto HTTP
//! (`config-concurrency.md` §1.1, §1.5). The handler decides every status of the API; this
//! layer only decides what the handler never sees.
//!
//! Rules:
//! 1. One route, Mimir's `/api/v1/alerts`. Any other path: 404. A method other than GET,
//!    HEAD (a GET without body), POST or DELETE: 405 with `Allow`.
//! 2. `X-Scope-OrgID`, `If-Match` and `If-None-Match` go through as raw bytes, several lines
//!    of one header joined with `", "` (RFC 9110 §5.3). A value that is not visible ASCII
//!    reaches the handler as it came, which answers 400 (401 for the tenant). Bytes that
//!    HTTP/1.1 itself forbids in a header (NUL, CR, LF) never get here: hyper refuses the
//!    request with 400 before routing.
//! 3. A POST's body is read up to [`body_cap`] bytes (the limit plus one) and no further, so
//!    an oversized body is answered by the handler, 400 and not 413, and never buffered
//!    whole; a body that cannot be read (a broken chunked encoding, a client gone mid-body)
//!    is 400. GET and DELETE bodies are not read.
//! 4. Out: the status; `ETag` when the handler gives one; `Retry-After` on 503;
//!    `Content-Type: application/yaml` on a GET's 200, `text/plain; charset=utf-8` on any
//!    other non-empty body (a one-line reason).
//! 5. One log line per request at debug (method, tenant, status, time); 5xx at warn with
//!    the reason.

use axum::body::{Body, Bytes};
use axum::extract::{Request as HttpRequest, State};
use axum::http::header::{
    HeaderMap, HeaderName, HeaderValue, ALLOW, CONTENT_TYPE, ETAG, RETRY_AFTER,
};
use axum::http::{Method as HttpMethod, StatusCode};
use axum::response::{IntoResponse, Response as HttpResponse};
use axum::routing::any;
use axum::Router;
use http_body_util::BodyExt;
use weft_core::backend::tokio::TokioRuntime;
use weft_models::mimir::config::Limits;
use weft_models::mimir::handler::Server;
use weft_models::mimir::http::{Method, Request, Response, Status};
use weft_models::mimir::store::Bucket;

/// The API's one path (Mimir's registered route, §1.1).
pub const PATH: &str = "/api/v1/alerts";

/// The methods of [`PATH`], as the `Allow` header lists them.
pub const ALLOWED: &str = "GET, HEAD, POST, DELETE";

const TENANT: &str = "x-scope-orgid";
const IF_MATCH: &str = "if-match";
const IF_NONE_MATCH: &str = "if-none-match";

/// The most body bytes read from a POST: one past the limit, so the handler sees that it is
/// over (rule 3).
pub fn body_cap(limits: &Limits) -> usize {
    limits.max_config_bytes.saturating_add(1)
}

/// The router of a config server (module docs).
pub fn router<S: Bucket>(server: Server<TokioRuntime, S>) -> Router {
    Router::new()
        .route(PATH, any(answer::<S>))
        .fallback(not_found)
        .with_state(server)
}

async fn not_found() -> HttpResponse {
    text(
        StatusCode::NOT_FOUND,
        format!("not found: the config API is {PATH}"),
    )
}

async fn answer<S: Bucket>(
    State(server): State<Server<TokioRuntime, S>>,
    req: HttpRequest,
) -> HttpResponse {
    let started = tokio::time::Instant::now();
    let (parts, body) = req.into_parts();
    let method = match parts.method {
        HttpMethod::GET | HttpMethod::HEAD => Method::Get,
        HttpMethod::POST => Method::Post,
        HttpMethod::DELETE => Method::Delete,
        _ => {
            let mut r = text(
                StatusCode::METHOD_NOT_ALLOWED,
                format!("method {} not allowed on {PATH}", parts.method),
            );
            r.headers_mut()
                .insert(ALLOW, HeaderValue::from_static(ALLOWED));
            return r;
        }
    };
    let body = if method == Method::Post {
        match read_capped(body, body_cap(&server.settings().limits)).await {
            Ok(bytes) => bytes,
            Err(why) => {
                let r = Response::reason(Status::BAD_REQUEST, format!("unreadable body: {why}"));
                log(&parts.headers, method, &r, started);
                return to_http(r, method);
            }
        }
    } else {
        Vec::new()
    };
    let request = Request {
        method: Some(method),
        tenant: joined(&parts.headers, TENANT),
        if_match: joined(&parts.headers, IF_MATCH),
        if_none_match: joined(&parts.headers, IF_NONE_MATCH),
        body,
    };
    let response = server.handle(request).await;
    log(&parts.headers, method, &response, started);
    to_http(response, method)
}

/// All lines of header `name`, joined with `", "` (rule 2); `None` when there is none.
fn joined(headers: &HeaderMap, name: &'static str) -> Option<Vec<u8>> {
    let name = HeaderName::from_static(name);
    let mut values = headers.get_all(&name).iter();
    let mut out = values.next()?.as_bytes().to_vec();
    for v in values {
        out.extend_from_slice(b", ");
        out.extend_from_slice(v.as_bytes());
    }
    Some(out)
}

/// Reads `body` up to `cap` bytes: the bytes, fewer than `cap` if the body ends first
/// (rule 3). Stops reading at `cap`.
async fn read_capped(mut body: Body, cap: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    while out.len() < cap {
        let Some(frame) = body.frame().await else {
            break;
        };
        let frame = frame.map_err(|e| e.to_string())?;
        if let Ok(data) = frame.into_data() {
            let room = cap - out.len();
            out.extend_from_slice(&data[..data.len().min(room)]);
        }
    }
    Ok(out)
}

fn text(status: StatusCode, reason: String) -> HttpResponse {
    let mut r = (status, reason).into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// The handler's answer as HTTP (rule 4).
fn to_http(r: Response, method: Method) -> HttpResponse {
    let status = StatusCode::from_u16(r.status.0).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let yaml = method == Method::Get && r.status == Status::OK;
    let empty = r.body.is_empty();
    let mut out = (status, Bytes::from(r.body)).into_response();
    let headers = out.headers_mut();
    if yaml {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/yaml"));
    } else if !empty {
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
    } else {
        headers.remove(CONTENT_TYPE);
    }
    if let Some(tag) = r.etag.and_then(|t| HeaderValue::from_str(&t.header()).ok()) {
        headers.insert(ETAG, tag);
    }
    if let Some(secs) = r.retry_after.filter(|_| r.status == Status::UNAVAILABLE) {
        headers.insert(RETRY_AFTER, HeaderValue::from(secs));
    }
    out
}

/// Rule 5. The tenant is shown escaped and cut to 64 characters: it is the client's input.
fn log(headers: &HeaderMap, method: Method, r: &Response, started: tokio::time::Instant) {
    let tenant = headers
        .get(TENANT)
        .map(|v| {
            let shown: String = v.as_bytes().escape_ascii().to_string();
            shown.chars().take(64).collect::<String>()
        })
        .unwrap_or_default();
    let micros = started.elapsed().as_micros();
    if r.status.0 >= 500 {
        tracing::warn!(%method, tenant, status = r.status.0, micros, reason = %r.text(), "request");
    } else {
        tracing::debug!(%method, tenant, status = r.status.0, micros, "request");
    }
}
