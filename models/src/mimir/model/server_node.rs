//! A config server as a node of the model (`config-concurrency.md` §7.1 "Servers"): it serves
//! HTTP-shaped requests from the client network, each in a task of its own (so two requests
//! on one server race, §5 R2), with the shared handler ([`Server::handle`]) talking to the
//! store node through a [`RemoteBucket`] that names the request as the writer.
//!
//! With `probe`, the incarnation first runs the startup capability probe
//! ([`crate::mimir::probe`], §2.4) on the store node and serves with the protocol it picks
//! (and `delete_if_match` as found; 428 mode off when it refuses conditions); an unknown
//! outcome reruns it after a second. Requests that arrive meanwhile wait in the inbox.
//!
//! With `cached_reads`, the request's bucket is wrapped in a [`CachingBucket`] whose cache
//! lives as long as the incarnation (§5 R10).
//!
//! A crash drops every task of the server (requests in progress never answer; their store
//! operations already sent stay deliverable); a restart brings a server with empty state (no
//! staleness observations, a fresh token counter, the monotonic clock reset by the node).

use std::sync::Arc;
use std::time::Duration;

use weft_core::net::rpc::{Request as RpcRequest, RpcNetwork};
use weft_core::{BoxFuture, Runtime};

use super::store_node::{RemoteBucket, StorageNet};
use crate::mimir::cache::{CachingBucket, ReadCache};
use crate::mimir::handler::{Server, ServerState};
use crate::mimir::http::{Request, Response};
use crate::mimir::probe::probe;
use crate::mimir::settings::Settings;
use crate::mimir::store::Bucket;

/// A request on the client network: its id (the writer id the store records) and the request.
#[derive(Clone, Debug)]
pub struct HttpCall {
    /// Unique per request of an execution.
    pub id: u64,
    /// The request.
    pub req: Request,
}

/// The client network.
pub type HttpNet<R> = RpcNetwork<R, HttpCall, Response>;

/// The body of one incarnation of server `name`.
pub fn server_node<R: Runtime>(
    rt: R,
    name: Arc<str>,
    settings: Settings,
    cached_reads: bool,
    probe: bool,
    http: HttpNet<R>,
    storage: StorageNet<R>,
) -> BoxFuture {
    let mut inbox = http.bind(&*name);
    Box::pin(async move {
        let settings = if probe {
            probed(&rt, &storage, &name, settings).await
        } else {
            settings
        };
        // The handler's per-server state, and its read cache, live as long as this
        // incarnation.
        let state = ServerState::new(&name, settings);
        let cache = ReadCache::new();
        while let Some(envelope) = inbox.recv().await {
            let call: RpcRequest<R, HttpCall, Response> = envelope.msg;
            let id = call.body.id;
            let bucket = RemoteBucket::new(&storage, &format!("{name}#{id}"), id);
            let task = format!("{name} req {id}");
            if cached_reads {
                let bucket = CachingBucket::new(bucket, cache.clone(), CACHED_PREFIX);
                serve(
                    &rt,
                    &task,
                    Server::over(rt.clone(), bucket, state.clone()),
                    call,
                );
            } else {
                serve(
                    &rt,
                    &task,
                    Server::over(rt.clone(), bucket, state.clone()),
                    call,
                );
            }
        }
    })
}

/// `settings` as the capability probe of server `name` adjusts them (module docs).
async fn probed<R: Runtime>(
    rt: &R,
    storage: &StorageNet<R>,
    name: &str,
    settings: Settings,
) -> Settings {
    // Writer 0: no request's (the probe key is no config and no lock).
    let bucket = RemoteBucket::new(storage, &format!("{name}#probe"), 0);
    loop {
        match probe(&bucket, name).await {
            Ok(caps) => {
                tracing::debug!("{name}: capability probe: {caps}");
                return caps.settings(settings);
            }
            Err(e) => {
                tracing::debug!("{name}: capability probe failed ({e}): again in 1 s");
                rt.sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// The keys a caching bucket caches: the configs (`alerts/<tenant>`), not the lock.
const CACHED_PREFIX: &str = "alerts/";

/// Handles `call` in a task of its own.
fn serve<R: Runtime, S: Bucket>(
    rt: &R,
    task: &str,
    server: Server<R, S>,
    call: RpcRequest<R, HttpCall, Response>,
) {
    rt.spawn_boxed(
        task,
        Box::pin(async move {
            let req = call.body.req.clone();
            let id = call.body.id;
            let precondition = match (&req.if_match, &req.if_none_match) {
                (Some(t), _) => format!(" If-Match {}", String::from_utf8_lossy(t)),
                (None, Some(_)) => " If-None-Match *".to_owned(),
                (None, None) => String::new(),
            };
            let method = req.method.map(|m| m.to_string()).unwrap_or_default();
            tracing::debug!("request {id}: {method}{precondition}");
            let response = server.handle(req).await;
            let etag = response
                .etag
                .as_ref()
                .map(|t| format!(" ETag {}", t.header()))
                .unwrap_or_default();
            tracing::debug!("request {id}: answers {}{etag}", response.status);
            call.respond(response);
        }),
    );
}
