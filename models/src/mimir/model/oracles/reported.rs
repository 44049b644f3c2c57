//! The `reported-outcome` oracle: what a client's transaction reports at its end agrees with
//! the store (`config-concurrency.md` §5 R12, §1.5, §1.6).
//!
//! §5 R12: a POST is applied, its answer is lost, the client resends the same POST with the
//! same `If-Match`, and the server answers 412 (the tag moved, to the client's own write).
//! Every single answer is correct (O6 holds: the precondition *was* false), yet the client
//! gives up and reports a failure for a change that is in the store. §1.5's "already applied"
//! rule (201 when the stored bytes are this request's) or a client that re-GETs (§1.6 step 5)
//! resolves it. The oracle states the client-visible consequence:
//!
//! - a transaction that reports it gave up ([`TxOutcome::GaveUp`]) sent no request whose
//!   write is in the ghost history (its requests are its client's exchanges logged from the
//!   transaction's start on, [`Reported::since`]).
//!
//! A transaction that ends `Committed` or `AlreadyIn` claims its change is in; O1 and O5 speak
//! about those.

use super::{Violation, REPORTED_OUTCOME};
use crate::mimir::client::TxOutcome;
use crate::mimir::model::{ConfigVersion, Exchange, Reported};

/// Evaluates the oracle (module docs).
pub(super) fn reported_outcome(
    reports: &[Reported],
    exchanges: &[Exchange],
    versions: &[ConfigVersion],
) -> Result<(), Violation> {
    for r in reports {
        let TxOutcome::GaveUp(last) = &r.report.outcome else {
            continue;
        };
        let landed = exchanges
            .iter()
            .skip(r.since)
            .filter(|x| x.client == r.client)
            .find_map(|x| versions.iter().find(|v| v.writer == x.id).map(|v| (x, v)));
        if let Some((x, v)) = landed {
            let last = last.map_or("no answer".to_owned(), |s| s.to_string());
            return Err(Violation {
                oracle: REPORTED_OUTCOME,
                detail: format!(
                    "{} gave up (last answer: {last}) and reports its change failed, but its \
                     request {} wrote version {} of the config",
                    r.client,
                    x.id,
                    v.tag.header()
                ),
            });
        }
    }
    Ok(())
}
