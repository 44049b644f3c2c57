//! O5 (client semantics), `config-concurrency.md` §6 ([`super`] for the table).

use super::{violation, Violation, CLIENT_INTENT};
use crate::mimir::config::UserConfig;
use crate::mimir::http::Status;
use crate::mimir::model::{ConfigVersion, Exchange};

pub(super) fn client_intent(
    exchanges: &[Exchange],
    versions: &[ConfigVersion],
) -> Result<(), Violation> {
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
