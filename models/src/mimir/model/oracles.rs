//! The oracles of `config-concurrency.md` §6, evaluated after a run on the exchange log and
//! the store's ghost history ([`World::check`]).
//!
//! The config's history is [`World::config_versions`]: every version written (puts of
//! `alerts/<t>`, or protocol C's slots) with the request that wrote it, its tag and its
//! predecessor's tag. "Position" is an index into the ghost history; each exchange records
//! the positions at which it was sent and answered, so "at some instant within the request's
//! interval" is "at some position between the two".
//!
//! | oracle | id | what it asserts |
//! |---|---|---|
//! | O1 (a, b) | `no-lost-update` | a 201 to a POST with a precondition is for a write in the history whose predecessor's tag is the `If-Match` tag (absent for `If-None-Match: *`), and carries that write's tag; a 201 without a write of its own is an "already applied" answer: its body was stored before the answer |
//! | O1 (c) | `linearizable` | the client-visible history is linearizable against a versioned register ([`super::client_port`] says how requests map) |
//! | O2 | `lock-exclusion` | under protocols B/B', each config write of a request (not the seed's) is applied while the lock's current version is the one its own request created |
//! | O3 | `no-leaked-lock` | when every request was answered, no lock object is left |
//! | O4 | `bounded-recovery` | the scenario's recovery write (sent after the faults settled, nothing else in flight) is answered, not 503, within its bound |
//! | O5 | `client-intent` | every committed write keeps every receiver of the version it replaced (the intent "add a receiver" never removes one) |
//! | O6 | `honest-codes` | a 412 only if the precondition was false at some position in the request's interval; a 404 only if no config existed at some such position |
//! | O7 | `tag-determinism` | GETs that read the same stored version return the same ETag, whichever server answered |
//! | (§5 R12) | `reported-outcome` | a client transaction that reports failure made no write that is in the history ([`super::reported_outcome`]) |

use std::time::Duration;

use weft_core::linearizability::{VersionedRegister, LINEARIZABLE};
use weft_core::OracleId;

use super::{ConfigVersion, Exchange, World, TENANT};
use crate::mimir::config::UserConfig;
use crate::mimir::etag::{parse_if_match, ETag, IfMatch};
use crate::mimir::http::{Method, Status};
use crate::mimir::memstore::Effect;
use crate::mimir::settings::Protocol;
use crate::mimir::tenant::Tenant;

/// O1 (a, b).
pub const NO_LOST_UPDATE: OracleId = OracleId::new("no-lost-update");
/// O1 (c).
pub const O1C: OracleId = LINEARIZABLE;
/// O2.
pub const LOCK_EXCLUSION: OracleId = OracleId::new("lock-exclusion");
/// O3.
pub const NO_LEAKED_LOCK: OracleId = OracleId::new("no-leaked-lock");
/// O4.
pub const BOUNDED_RECOVERY: OracleId = OracleId::new("bounded-recovery");
/// O5.
pub const CLIENT_INTENT: OracleId = OracleId::new("client-intent");
/// O6.
pub const HONEST_CODES: OracleId = OracleId::new("honest-codes");
/// O7.
pub const TAG_DETERMINISM: OracleId = OracleId::new("tag-determinism");
/// §5 R12's client-visible outcome (not one of §6's O1-O7).
pub const REPORTED_OUTCOME: OracleId = OracleId::new("reported-outcome");

/// An oracle a scenario arms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Oracle {
    /// O1 (a, b).
    NoLostUpdate,
    /// O1 (c).
    Linearizable,
    /// O2.
    LockExclusion,
    /// O3.
    NoLeakedLock,
    /// O4: the exchange of client `client` sent last must be answered, not 503, within
    /// `within` of its sending.
    BoundedRecovery {
        /// The client whose last request is the recovery write.
        client: &'static str,
        /// The bound (`D_acq + k·RTT`).
        within: Duration,
    },
    /// O5.
    ClientIntent,
    /// O6.
    HonestCodes,
    /// O7.
    TagDeterminism,
    /// §5 R12: a transaction reported as failed wrote nothing that is in the history.
    ReportedOutcome,
}

impl Oracle {
    /// Its id.
    pub fn id(self) -> OracleId {
        match self {
            Oracle::NoLostUpdate => NO_LOST_UPDATE,
            Oracle::Linearizable => O1C,
            Oracle::LockExclusion => LOCK_EXCLUSION,
            Oracle::NoLeakedLock => NO_LEAKED_LOCK,
            Oracle::BoundedRecovery { .. } => BOUNDED_RECOVERY,
            Oracle::ClientIntent => CLIENT_INTENT,
            Oracle::HonestCodes => HONEST_CODES,
            Oracle::TagDeterminism => TAG_DETERMINISM,
            Oracle::ReportedOutcome => REPORTED_OUTCOME,
        }
    }
}

/// A violated oracle: which, and how (one paragraph for people; O1c's is the checker's table).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The oracle.
    pub oracle: OracleId,
    /// What happened.
    pub detail: String,
}

fn violation(oracle: OracleId, detail: String) -> Result<(), Violation> {
    Err(Violation { oracle, detail })
}

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
    /// Evaluates `oracles` in order; the first that fails is the verdict.
    pub fn check(&self, oracles: &[Oracle]) -> Result<(), Violation> {
        let exchanges = self.exchanges();
        let versions = self.config_versions();
        for oracle in oracles {
            match *oracle {
                Oracle::NoLostUpdate => self.no_lost_update(&exchanges, &versions)?,
                Oracle::Linearizable => self.linearizable()?,
                Oracle::LockExclusion => self.lock_exclusion()?,
                Oracle::NoLeakedLock => self.no_leaked_lock(&exchanges)?,
                Oracle::BoundedRecovery { client, within } => {
                    bounded_recovery(&exchanges, client, within)?
                }
                Oracle::ClientIntent => client_intent(&exchanges, &versions)?,
                Oracle::HonestCodes => self.honest_codes(&exchanges, &versions)?,
                Oracle::TagDeterminism => self.tag_determinism(&exchanges)?,
                Oracle::ReportedOutcome => super::reported_outcome::reported_outcome(
                    &self.reports(),
                    &exchanges,
                    &versions,
                )?,
            }
        }
        Ok(())
    }

    fn no_lost_update(
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

    fn linearizable(&self) -> Result<(), Violation> {
        match self.recorder.check(&VersionedRegister::new()) {
            Ok(verdict) => match verdict.witness() {
                None if verdict.is_linearizable() => Ok(()),
                None => violation(O1C, format!("no verdict: {verdict}")),
                Some(witness) => violation(O1C, witness.report()),
            },
            Err(e) => violation(O1C, format!("history not well formed: {e}")),
        }
    }

    fn lock_key(&self) -> String {
        Tenant::parse(Some(TENANT.as_bytes()))
            .expect("a valid id")
            .lock_key()
    }

    fn lock_exclusion(&self) -> Result<(), Violation> {
        if !matches!(
            self.spec.servers.first().map(|s| s.settings.protocol),
            Some(Protocol::Lock(_))
        ) {
            return Ok(());
        }
        let cfg = Tenant::parse(Some(TENANT.as_bytes()))
            .expect("a valid id")
            .config_key();
        let lock = self.lock_key();
        let state = self.store.lock();
        let history = state.mem.history();
        for (i, a) in history.iter().enumerate() {
            // Writer 0 is the scenario's seed, written before any request ran.
            if a.key != cfg || a.writer == 0 {
                continue;
            }
            let holder = history[..i].iter().rev().find(|l| l.key == lock);
            let ok = matches!(holder, Some(l) if matches!(l.effect, Effect::Put(_)) && l.writer == a.writer);
            if !ok {
                let who = match holder {
                    Some(l) if matches!(l.effect, Effect::Put(_)) => {
                        format!("the lock was request {}'s", l.writer)
                    }
                    _ => "no lock was held".to_owned(),
                };
                return violation(
                    LOCK_EXCLUSION,
                    format!(
                        "request {}'s config write (ghost write {}) was applied while {who}",
                        a.writer, a.vid
                    ),
                );
            }
        }
        Ok(())
    }

    fn no_leaked_lock(&self, exchanges: &[Exchange]) -> Result<(), Violation> {
        if exchanges.iter().any(|x| x.response.is_none()) {
            return Ok(()); // Not quiescent: a request was never answered.
        }
        let lock = self.lock_key();
        let state = self.store.lock();
        if state.mem.peek(&lock).is_some() {
            let creator = state
                .mem
                .history()
                .iter()
                .rev()
                .find(|a| a.key == lock)
                .map(|a| a.writer)
                .unwrap_or(0);
            return violation(
                NO_LEAKED_LOCK,
                format!(
                    "every request was answered, but the lock object request {creator} \
                     created is still there"
                ),
            );
        }
        Ok(())
    }

    fn honest_codes(
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

    fn tag_determinism(&self, exchanges: &[Exchange]) -> Result<(), Violation> {
        let cfg = Tenant::parse(Some(TENANT.as_bytes()))
            .expect("a valid id")
            .config_key();
        let state = self.store.lock();
        let mut seen: Vec<(crate::mimir::store::StoreVersion, ETag, u64)> = Vec::new();
        for x in exchanges {
            let (Some(r), Some(Method::Get)) = (&x.response, x.request.method) else {
                continue;
            };
            let (Status::OK, Some(tag)) = (r.status, &r.etag) else {
                continue;
            };
            let read = state
                .reads
                .iter()
                .rev()
                .find(|rd| rd.reader == x.id && rd.key == cfg);
            let Some(version) = read.and_then(|rd| rd.version.clone()) else {
                continue;
            };
            if let Some((_, other, id)) = seen.iter().find(|(v, t, _)| *v == version && t != tag) {
                return violation(
                    TAG_DETERMINISM,
                    format!(
                        "GETs of the same stored version answered different ETags: request \
                         {id} got {}, request {} (on {}) got {}",
                        other.header(),
                        x.id,
                        x.server,
                        tag.header()
                    ),
                );
            }
            seen.push((version, tag.clone(), x.id));
        }
        Ok(())
    }
}

fn bounded_recovery(
    exchanges: &[Exchange],
    client: &str,
    within: Duration,
) -> Result<(), Violation> {
    let Some(x) = exchanges.iter().rev().find(|x| &*x.client == client) else {
        return violation(BOUNDED_RECOVERY, format!("{client} sent no recovery write"));
    };
    let took = x.at_end.saturating_duration_since(x.at_start);
    match &x.response {
        Some(r) if r.status != Status::UNAVAILABLE && took <= within => Ok(()),
        Some(r) => violation(
            BOUNDED_RECOVERY,
            format!(
                "{client}'s write after the faults settled was answered {} after {took:?} \
                 (bound {within:?}): {}",
                r.status,
                r.text()
            ),
        ),
        None => violation(
            BOUNDED_RECOVERY,
            format!("{client}'s write after the faults settled got no answer in {took:?}"),
        ),
    }
}

fn client_intent(exchanges: &[Exchange], versions: &[ConfigVersion]) -> Result<(), Violation> {
    for x in exchanges {
        let Some(r) = &x.response else { continue };
        if r.status != Status::CREATED {
            continue;
        }
        let Some(w) = versions.iter().find(|v| v.writer == x.id) else {
            continue;
        };
        let Some(pred) = versions
            .iter()
            .rev()
            .find(|v| v.vid < w.vid && Some(&v.tag) == w.pred.as_ref())
        else {
            continue;
        };
        let (Ok(before), Ok(after)) = (
            UserConfig::from_stored(&pred.bytes),
            UserConfig::from_stored(&w.bytes),
        ) else {
            continue;
        };
        let after = after.receivers();
        let lost: Vec<String> = before
            .receivers()
            .into_iter()
            .filter(|r| !after.contains(r))
            .collect();
        if !lost.is_empty() {
            return violation(
                CLIENT_INTENT,
                format!(
                    "{} (request {}) committed a config that drops receivers {lost:?} of the \
                     version it replaced: another client's committed change is lost",
                    x.client, x.id
                ),
            );
        }
    }
    Ok(())
}
