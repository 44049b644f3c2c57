//! The §1.6 client's [`Transport`] over real HTTP (hyper-util's client), so the load tests run
//! the same `transact` loop as the model's clients (`config-concurrency.md` §1.6, §7.6).
//!
//! Protocol, per [`Transport::send`]:
//! 1. the request goes to the current server of a [`Targets`] list (a client's home server
//!    at first: see [`HttpTransport::go_home`]);
//! 2. the whole exchange, connect, request, response head and body, is bounded by the
//!    transport's timeout (§7.6's request timeout, 30 s by default); past it, or on any
//!    connection error (refused, reset, closed mid-response), the answer is [`NoResponse`]:
//!    the outcome is unknown, and the transport moves on to the next server, so the client's
//!    next request (its re-GET) goes elsewhere;
//! 3. a response is mapped back onto [`Response`]: status, `ETag` (quotes stripped),
//!    `Retry-After`, body (at most [`MAX_RESPONSE_BYTES`]; more is a `NoResponse`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::header::{HeaderValue, ETAG, RETRY_AFTER};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use weft_models::mimir::client::{NoResponse, Transport};
use weft_models::mimir::etag::ETag;
use weft_models::mimir::http::{Method, Request, Response, Status};

use crate::router::PATH;

/// §7.6's request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest response body read.
pub const MAX_RESPONSE_BYTES: usize = 8 << 20;

/// The servers' base URLs (`http://host:port`), shared by every client, updatable when a
/// server is restarted on another address.
#[derive(Clone, Debug, Default)]
pub struct Targets(Arc<RwLock<Vec<String>>>);

impl Targets {
    /// The list `urls`.
    pub fn new(urls: Vec<String>) -> Targets {
        Targets(Arc::new(RwLock::new(urls)))
    }

    /// Replaces server `i`'s URL.
    pub fn set(&self, i: usize, url: String) {
        let mut list = self.0.write().unwrap_or_else(|p| p.into_inner());
        list[i] = url;
    }

    /// Server `i`'s URL (modulo the list's length).
    pub fn get(&self, i: usize) -> String {
        let list = self.0.read().unwrap_or_else(|p| p.into_inner());
        list[i % list.len()].clone()
    }

    /// How many servers.
    pub fn len(&self) -> usize {
        self.0.read().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One client's HTTP transport (module docs).
#[derive(Debug)]
pub struct HttpTransport {
    client: Client<HttpConnector, Full<Bytes>>,
    targets: Targets,
    home: usize,
    current: AtomicUsize,
    timeout: Duration,
}

impl HttpTransport {
    /// A transport to `targets`, starting at server `home`, with §7.6's timeout.
    pub fn new(targets: Targets, home: usize) -> HttpTransport {
        let home = home % targets.len().max(1);
        HttpTransport {
            client: Client::builder(TokioExecutor::new()).build_http(),
            targets,
            home,
            current: AtomicUsize::new(home),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The same transport with another request timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> HttpTransport {
        self.timeout = timeout;
        self
    }

    /// Sends the next requests to the home server again (after a failover).
    pub fn go_home(&self) {
        self.current.store(self.home, Ordering::Relaxed);
    }

    /// The index of the server the next request goes to.
    pub fn current(&self) -> usize {
        self.current.load(Ordering::Relaxed) % self.targets.len().max(1)
    }

    async fn exchange(&self, url: &str, req: &Request) -> Result<Response, String> {
        let method = match req.method {
            Some(Method::Get) => hyper::Method::GET,
            Some(Method::Post) => hyper::Method::POST,
            Some(Method::Delete) => hyper::Method::DELETE,
            // A method the routes do not serve (the model's `None`): one of them.
            None => hyper::Method::PATCH,
        };
        let mut builder = hyper::Request::builder()
            .method(method)
            .uri(format!("{url}{PATH}"));
        let headers = [
            ("x-scope-orgid", &req.tenant),
            ("if-match", &req.if_match),
            ("if-none-match", &req.if_none_match),
        ];
        for (name, value) in headers {
            if let Some(v) = value {
                let v = HeaderValue::from_bytes(v)
                    .map_err(|_| format!("{name} cannot be sent as an HTTP header value"))?;
                builder = builder.header(name, v);
            }
        }
        let request = builder
            .body(Full::new(Bytes::from(req.body.clone())))
            .map_err(|e| e.to_string())?;
        let answer = self.client.request(request).await.map_err(|e| chain(&e))?;
        let status = Status(answer.status().as_u16());
        let etag = answer
            .headers()
            .get(ETAG)
            .and_then(|v| v.to_str().ok())
            .map(|v| ETag(v.trim_matches('"').to_owned()));
        let retry_after = answer
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let body = Limited::new(answer.into_body(), MAX_RESPONSE_BYTES)
            .collect()
            .await
            .map_err(|e| format!("reading the response body: {e}"))?
            .to_bytes()
            .to_vec();
        Ok(Response {
            status,
            etag,
            retry_after,
            body,
        })
    }
}

impl Transport for HttpTransport {
    async fn send(&self, req: Request) -> Result<Response, NoResponse> {
        let at = self.current();
        let url = self.targets.get(at);
        let why = match tokio::time::timeout(self.timeout, self.exchange(&url, &req)).await {
            Ok(Ok(r)) => return Ok(r),
            Ok(Err(e)) => e,
            Err(_) => format!("no response within {:?}", self.timeout),
        };
        // Move on to the next server (unless another request already did).
        let next = (at + 1) % self.targets.len().max(1);
        let _ = self
            .current
            .compare_exchange(at, next, Ordering::Relaxed, Ordering::Relaxed);
        Err(NoResponse(format!("{url}: {why}")))
    }
}

/// An error with its sources, on one line (hyper's own text is only "client error (Connect)").
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
