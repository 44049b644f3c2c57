//! O1 (a, b), O1c and O6 (`config-concurrency.md` §6): what each answer claims, held
//! against the ghost history ([`super`] for the table).

use weft_core::linearizability::VersionedRegister;

use super::{violation, Violation, HONEST_CODES, NO_LOST_UPDATE, O1C};
use crate::mimir::config::UserConfig;
use crate::mimir::etag::{parse_if_match, ETag, IfMatch};
use crate::mimir::http::{Method, Status};
use crate::mimir::memstore::Effect;
use crate::mimir::model::{ConfigVersion, Exchange, World, TENANT};
use crate::mimir::tenant::Tenant;

/// The single strong tag of an `If-Match` header, if that is what it is.
fn if_match_tag(raw: &[u8]) -> Option<ETag> {
    match parse_if_match(raw).ok()? {
        IfMatch::Tags(tags) if tags.len() == 1 && !tags[0].weak => {
            Some(ETag(tags[0].opaque.clone()))
        }
        _ => None,
    }
}

/// The config's tag at ghost position `p` (after the first `p` entries).
fn tag_at(versions: &[ConfigVersion], deletes: &[usize], p: usize) -> Option<ETag> {
    let last_put = versions.iter().rev().find(|v| v.position < p);
    let last_delete = deletes.iter().rev().find(|&&d| d < p);
    match (last_put, last_delete) {
        (Some(v), Some(&d)) if d > v.position => None,
        (Some(v), _) => Some(v.tag.clone()),
        (None, _) => None,
    }
}

fn canonical(body: &[u8]) -> Option<Vec<u8>> {
    UserConfig::from_stored(body).ok().map(|c| c.to_bytes())
}

impl<R: weft_core::Runtime> World<R> {
    pub(super) fn no_lost_update(
        &self,
        exchanges: &[Exchange],
        versions: &[ConfigVersion],
    ) -> Result<(), Violation> {
        for x in exchanges {
            let Some(r) = &x.response else { continue };
            if x.request.method != Some(Method::Post) || r.status != Status::CREATED {
                continue;
            }
            match versions.iter().find(|v| v.writer == x.id) {
                Some(w) => {
                    if let Some(raw) = &x.request.if_match {
                        let t = if_match_tag(raw);
                        if t.is_some() && w.pred != t {
                            return violation(
                                NO_LOST_UPDATE,
                                format!(
                                    "{} (request {}, If-Match {}) got 201, but its write \
                                     replaced version {} instead: the version it was \
                                     conditioned on was overwritten without a check",
                                    x.client,
                                    x.id,
                                    t.map(|t| t.header()).unwrap_or_default(),
                                    w.pred
                                        .as_ref()
                                        .map(|t| t.header())
                                        .unwrap_or("(absent)".into()),
                                ),
                            );
                        }
                    }
                    if x.request.if_none_match.is_some() && w.pred.is_some() {
                        return violation(
                            NO_LOST_UPDATE,
                            format!(
                                "{} (request {}, If-None-Match: *) got 201, but its write \
                                 replaced an existing config",
                                x.client, x.id
                            ),
                        );
                    }
                    if r.etag.as_ref() != Some(&w.tag) {
                        return violation(
                            NO_LOST_UPDATE,
                            format!(
                                "{} (request {}) got 201 with ETag {:?}, but its write is {}",
                                x.client,
                                x.id,
                                r.etag.as_ref().map(|t| t.header()),
                                w.tag.header()
                            ),
                        );
                    }
                }
                None => {
                    // "Already applied": the body was stored before the answer.
                    let body = canonical(&x.request.body);
                    let stored = versions
                        .iter()
                        .any(|v| v.position < x.end && Some(&v.bytes) == body.as_ref());
                    if !stored {
                        return violation(
                            NO_LOST_UPDATE,
                            format!(
                                "{} (request {}) got 201 for a write that is not in the \
                                 store's history",
                                x.client, x.id
                            ),
                        );
                    }
                }
            }
        }
        Ok(())
    }

    pub(super) fn linearizable(&self) -> Result<(), Violation> {
        match self.recorder.check(&VersionedRegister::new()) {
            Ok(verdict) => match verdict.witness() {
                None if verdict.is_linearizable() => Ok(()),
                None => violation(O1C, format!("no verdict: {verdict}")),
                Some(witness) => violation(O1C, witness.report()),
            },
            Err(e) => violation(O1C, format!("history not well formed: {e}")),
        }
    }

    pub(super) fn honest_codes(
        &self,
        exchanges: &[Exchange],
        versions: &[ConfigVersion],
    ) -> Result<(), Violation> {
        let cfg = Tenant::parse(Some(TENANT.as_bytes()))
            .expect("a valid id")
            .config_key();
        let deletes: Vec<usize> = self
            .store
            .lock()
            .mem
            .history()
            .iter()
            .enumerate()
            .filter(|(_, a)| a.key == cfg && a.effect == Effect::Delete)
            .map(|(i, _)| i)
            .collect();
        for x in exchanges {
            let Some(r) = &x.response else { continue };
            let states = || (x.start..=x.end).map(|p| tag_at(versions, &deletes, p));
            let honest = match (x.request.method, r.status) {
                (Some(Method::Get), Status::NOT_FOUND) => states().any(|t| t.is_none()),
                (Some(Method::Post | Method::Delete), Status::PRECONDITION_FAILED) => {
                    match (&x.request.if_match, &x.request.if_none_match) {
                        (Some(raw), None) => match if_match_tag(raw) {
                            Some(t) => states().any(|cur| cur.as_ref() != Some(&t)),
                            None => true,
                        },
                        (None, Some(_)) => states().any(|cur| cur.is_some()),
                        _ => true,
                    }
                }
                _ => true,
            };
            if !honest {
                return violation(
                    HONEST_CODES,
                    format!(
                        "{} (request {}) got {} for {:?}, but the precondition held \
                         throughout the request",
                        x.client, x.id, r.status, x.request.method
                    ),
                );
            }
        }
        Ok(())
    }
}
