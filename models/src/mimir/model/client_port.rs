//! A model client's [`Transport`]: a call on the client network to a server, recorded twice:
//! as an [`Exchange`] in the world's log (for the oracles of §6 that read the ghost history)
//! and as an operation on a versioned register in the world's linearizability
//! [`Recorder`] (for O1c).
//!
//! How a request becomes a register operation (§6 O1c), with a config's value written as
//! its receivers ([`super::value_of`]): GET is `Read`; POST is `Write` with
//! the precondition `Match(vid)` (the ghost version its `If-Match` tag names),
//! `Absent` (`If-None-Match: *`) or `Always`; DELETE is `Delete`. Answers: 200 GET →
//! `Value(bytes, vid)`, 404 → `Value(None)`, 201 for a write this request made → `Written(vid)`,
//! 412 → `PreconditionFailed`. Everything else is left **pending** (it may or may not have
//! taken effect): no response, 500, 503, a 201 under the "already applied" rule (checked by
//! content in O1 instead, as §6 says), a DELETE's 200.
//!
//! A client id of the history names one sequential client, and a pending operation stays
//! open forever; so a client that goes on after leaving one pending (it retries) goes on
//! under a fresh id ([`LinId`]), as a new client would.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use weft_core::linearizability::{ClientId, Precondition, VersionedOp, VersionedRet};
use weft_core::net::rpc::Request as RpcRequest;
use weft_core::net::Endpoint;
use weft_core::Runtime;

use super::server_node::HttpCall;
use super::{Exchange, World};
use crate::mimir::client::{NoResponse, Transport};
use crate::mimir::etag::{parse_if_match, ETag, IfMatch};
use crate::mimir::http::{Method, Request, Response, Status};

/// Which server a client's requests go to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// Always this one.
    To(&'static str),
    /// The scheduler chooses per request, among all servers (a data choice).
    Choose,
}

type Port<R> = Endpoint<R, RpcRequest<R, HttpCall, Response>>;

/// A client's id in the linearizability history (module docs): `base`, then `base + 100·k`
/// after it left `k` operations pending. Plans number their clients below 99 (the seed's id,
/// [`super::SEED_CLIENT`]), so the ids of different clients never meet.
#[derive(Debug)]
pub struct LinId {
    base: ClientId,
    pending: AtomicUsize,
}

impl LinId {
    /// The id of client `base` (below 99).
    pub fn new(base: ClientId) -> LinId {
        LinId {
            base,
            pending: AtomicUsize::new(0),
        }
    }

    fn current(&self) -> ClientId {
        self.base + 100 * self.pending.load(Ordering::Relaxed)
    }

    /// The operation just invoked is left pending: the next goes under a fresh id.
    fn left_pending(&self) {
        self.pending.fetch_add(1, Ordering::Relaxed);
    }
}

/// A client's end of the world (module docs).
pub struct ClientPort<R: Runtime> {
    pub(super) world: World<R>,
    pub(super) name: Arc<str>,
    pub(super) lin: LinId,
    pub(super) port: Port<R>,
    pub(super) route: Route,
    pub(super) timeout: Duration,
}

impl<R: Runtime> std::fmt::Debug for ClientPort<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientPort")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl<R: Runtime> ClientPort<R> {
    fn server(&self) -> &'static str {
        match &self.route {
            Route::To(s) => s,
            Route::Choose => {
                let servers = &self.world.spec.servers;
                servers[self.world.rt.choose(servers.len())].name
            }
        }
    }

    /// The register operation a request is (module docs).
    fn op(&self, req: &Request) -> VersionedOp<String> {
        let when = || match (&req.if_match, &req.if_none_match) {
            (Some(raw), None) => match parse_if_match(raw) {
                Ok(IfMatch::Tags(tags)) if tags.len() == 1 && !tags[0].weak => {
                    let vid = self.world.vid_of(&ETag(tags[0].opaque.clone()));
                    Precondition::Match(vid.unwrap_or(u64::MAX))
                }
                _ => Precondition::Match(u64::MAX),
            },
            (None, Some(_)) => Precondition::Absent,
            _ => Precondition::Always,
        };
        match req.method {
            Some(Method::Get) | None => VersionedOp::Read,
            Some(Method::Post) => VersionedOp::Write {
                value: super::value_of(&req.body),
                when: when(),
            },
            Some(Method::Delete) => VersionedOp::Delete { when: when() },
        }
    }

    /// The register's answer, or `None` to leave the operation pending (module docs).
    fn ret(&self, id: u64, req: &Request, r: &Response) -> Option<VersionedRet<String>> {
        match (req.method?, r.status) {
            (Method::Get, Status::OK) => {
                let vid = self.world.vid_of(r.etag.as_ref()?)?;
                Some(VersionedRet::Value(Some((super::value_of(&r.body), vid))))
            }
            (Method::Get, Status::NOT_FOUND) => Some(VersionedRet::Value(None)),
            (Method::Post, Status::CREATED) => {
                let vid = self.world.vid_written_by(id)?;
                Some(VersionedRet::Written(vid))
            }
            (Method::Post | Method::Delete, Status::PRECONDITION_FAILED) => {
                Some(VersionedRet::PreconditionFailed)
            }
            _ => None,
        }
    }
}

impl<R: Runtime> Transport for ClientPort<R> {
    async fn send(&self, req: Request) -> Result<Response, NoResponse> {
        let world = &self.world;
        let id = world.next_request();
        let server = self.server();
        let start = world.store.lock().mem.history().len();
        let at_start = world.rt.now();
        let ticket = world.recorder.invoke(self.lin.current(), self.op(&req));
        let answer = self
            .port
            .call(
                server,
                HttpCall {
                    id,
                    req: req.clone(),
                },
                self.timeout,
            )
            .await;
        let end = world.store.lock().mem.history().len();
        let ret = answer.as_ref().ok().and_then(|r| self.ret(id, &req, r));
        match ret {
            Some(ret) => world.recorder.respond(ticket, ret),
            None => {
                drop(ticket);
                self.lin.left_pending();
            }
        }
        world
            .log
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Exchange {
                id,
                client: self.name.clone(),
                server,
                request: req,
                response: answer.as_ref().ok().cloned(),
                start,
                at_start,
                end,
                at_end: world.rt.now(),
            });
        answer.map_err(|e| NoResponse(e.as_str().to_owned()))
    }
}
