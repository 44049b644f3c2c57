//! O4 (bounded recovery), `config-concurrency.md` §6 ([`super`] for the table).

use std::time::Duration;

use super::{violation, Violation, BOUNDED_RECOVERY};
use crate::mimir::http::Status;
use crate::mimir::model::Exchange;

pub(super) fn bounded_recovery(
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
