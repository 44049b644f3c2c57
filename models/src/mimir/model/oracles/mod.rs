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
//! | (§5 R12) | `reported-outcome` | a client transaction that reports failure made no write that is in the history ([`reported`]) |

//!
//! One file per family: [`history`] (O1 a/b, O1c, O6: what the answers claim against the
//! ghost history), [`lock`] (O2, O3), [`recovery`] (O4), [`client`] (O5, and §5 R12's
//! `reported-outcome` in [`reported`]), [`tags`] (O7).

mod client;
mod history;
mod lock;
mod recovery;
mod reported;
mod tags;

use std::time::Duration;

use weft_core::linearizability::LINEARIZABLE;
use weft_core::OracleId;

use super::World;

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

pub(super) fn violation(oracle: OracleId, detail: String) -> Result<(), Violation> {
    Err(Violation { oracle, detail })
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
                    recovery::bounded_recovery(&exchanges, client, within)?
                }
                Oracle::ClientIntent => client::client_intent(&exchanges, &versions)?,
                Oracle::HonestCodes => self.honest_codes(&exchanges, &versions)?,
                Oracle::TagDeterminism => self.tag_determinism(&exchanges)?,
                Oracle::ReportedOutcome => {
                    reported::reported_outcome(&self.reports(), &exchanges, &versions)?
                }
            }
        }
        Ok(())
    }
}
