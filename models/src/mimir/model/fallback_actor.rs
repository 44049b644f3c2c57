//! The fallback-config upload as an actor of the model (`config-concurrency.md` §5 R3): a
//! writer of the config that does not go through a server's handler, talking to the store
//! node over the storage network like a server request does ([`RemoteBucket`], its own
//! request id as the writer in the ghost history).
//!
//! How the oracles see it. The upload means "create the default config if none is stored"
//! (`alertmanagerFromFallbackConfig`'s check, then its upload), which is exactly what a
//! `POST` with `If-None-Match: *` means (§1.3). So it is logged as that exchange, from client
//! `fallback` to server `fallback`: uploaded → 201 with the tag of the version it wrote;
//! a config was there (at the check, or at a `put_if_absent`) → 412; a store failure → no
//! answer (pending: it may have landed). O1 (a) then says what §5 R3 says: a 201 for
//! "create if absent" whose write replaced an existing config is a lost update; O1c and O6
//! read it like any other request.

use weft_core::linearizability::{Precondition, VersionedOp, VersionedRet};

use super::store_node::RemoteBucket;
use super::{value_of, Exchange, World, TENANT};
use crate::mimir::config::UserConfig;
use crate::mimir::fallback::{upload_fallback, FallbackOutcome, FallbackWrite};
use crate::mimir::http::{Method, Request, Response, Status};
use crate::mimir::tenant::Tenant;

/// The fallback's client id in the linearizability history (plans number clients below 99,
/// the seed is 99).
const FALLBACK_CLIENT: weft_core::linearizability::ClientId = 98;

/// The name the exchange log gives it.
const FALLBACK: &str = "fallback";

impl<R: weft_core::Runtime> World<R> {
    /// Runs the fallback-config upload once, written `how` (module docs).
    pub async fn fallback(&self, how: FallbackWrite) -> FallbackOutcome {
        let tenant = Tenant::parse(Some(TENANT.as_bytes())).expect("a valid id");
        let default = UserConfig::initial().to_bytes();
        let id = self.next_request();
        let request = Request::new(Method::Post, TENANT)
            .body(default.clone())
            .if_none_match("*");
        let start = self.store.lock().mem.history().len();
        let at_start = self.rt.now();
        let ticket = self.recorder.invoke(
            FALLBACK_CLIENT,
            VersionedOp::Write {
                value: value_of(&default),
                when: Precondition::Absent,
            },
        );
        let bucket = RemoteBucket::new(&self.storage, &format!("{FALLBACK}#{id}"), id);
        let outcome = upload_fallback(&bucket, &tenant, default.clone(), how).await;
        let end = self.store.lock().mem.history().len();
        let response = match &outcome {
            FallbackOutcome::Uploaded(v) => {
                let scheme = self.spec.servers.first().map(|s| s.settings.scheme);
                let tag = scheme.map(|s| s.tag(&default, v));
                let vid = self.vid_written_by(id);
                match (tag, vid) {
                    (Some(tag), Some(vid)) => {
                        self.recorder.respond(ticket, VersionedRet::Written(vid));
                        Some(Response::reason(Status::CREATED, "").with_etag(tag))
                    }
                    _ => {
                        drop(ticket);
                        Some(Response::reason(Status::CREATED, ""))
                    }
                }
            }
            FallbackOutcome::Present => {
                self.recorder
                    .respond(ticket, VersionedRet::PreconditionFailed);
                Some(Response::reason(
                    Status::PRECONDITION_FAILED,
                    "config present",
                ))
            }
            FallbackOutcome::Failed(_) => {
                drop(ticket);
                None
            }
        };
        tracing::debug!("request {id}: fallback upload ({how:?}) -> {outcome:?}");
        self.log
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Exchange {
                id,
                client: FALLBACK.into(),
                server: FALLBACK,
                request,
                response,
                start,
                at_start,
                end,
                at_end: self.rt.now(),
            });
        outcome
    }
}
