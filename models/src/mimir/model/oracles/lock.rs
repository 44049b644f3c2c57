//! O2 (lock mutual exclusion at the store) and O3 (no leaked lock), `config-concurrency.md`
//! §6 ([`super`] for the table).

use super::{violation, Violation, LOCK_EXCLUSION, NO_LEAKED_LOCK};
use crate::mimir::memstore::Effect;
use crate::mimir::model::{Exchange, World, TENANT};
use crate::mimir::settings::Protocol;
use crate::mimir::tenant::Tenant;

impl<R: weft_core::Runtime> World<R> {
    pub(super) fn lock_key(&self) -> String {
        Tenant::parse(Some(TENANT.as_bytes()))
            .expect("a valid id")
            .lock_key()
    }

    pub(super) fn lock_exclusion(&self) -> Result<(), Violation> {
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

    pub(super) fn no_leaked_lock(&self, exchanges: &[Exchange]) -> Result<(), Violation> {
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
}
