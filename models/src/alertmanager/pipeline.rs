//! The notification pipeline, reduced as `shared/specs/alertmanager.md` §5 says: a group flush
//! asks the muter (the inhibitor) about each alert, then records a notification for each alert
//! that is not muted.
//!
//! An optional oracle sees every notification as it is sent, so a scenario can fail at the
//! moment a forbidden notification leaves (bug B3), not after the fact.

use std::sync::Arc;

use weft_core::sync::Mutex;
use weft_core::{OracleId, Runtime};

use super::{Alert, Inhibitor};

/// A notification that left the pipeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    /// The alert notified.
    pub alert: Alert,
    /// Which dispatcher generation flushed it.
    pub generation: u64,
}

/// Called with each notification; an `Err((oracle, detail))` is a violation of `oracle` (see
/// [`Pipeline::new`]).
pub type NotifyOracle = Arc<dyn Fn(&Notification) -> Result<(), (OracleId, String)> + Send + Sync>;

/// Flush → mute check → notification log.
pub struct Pipeline<R: Runtime> {
    rt: R,
    muter: Option<Arc<Inhibitor<R>>>,
    generation: u64,
    sent: Arc<Mutex<R, Vec<Notification>>>,
    oracle: Option<NotifyOracle>,
}

impl<R: Runtime> std::fmt::Debug for Pipeline<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

impl<R: Runtime> Pipeline<R> {
    /// A pipeline for dispatcher generation `generation`, muted by `muter`, appending to
    /// `sent` (shared across generations) and checking each notification with `oracle`: an
    /// `Err((oracle, detail))` fails the execution ([`crate::oracle::violated`]).
    pub fn new(
        rt: &R,
        muter: Option<Arc<Inhibitor<R>>>,
        generation: u64,
        sent: Arc<Mutex<R, Vec<Notification>>>,
        oracle: Option<NotifyOracle>,
    ) -> Arc<Self> {
        Arc::new(Pipeline {
            rt: rt.clone(),
            muter,
            generation,
            sent,
            oracle,
        })
    }

    /// Flushes a group: every alert not muted is notified.
    pub async fn flush(&self, alerts: Vec<Alert>) {
        for alert in alerts {
            if let Some(muter) = &self.muter {
                if muter.mutes(&alert).await {
                    continue;
                }
            }
            let n = Notification {
                alert,
                generation: self.generation,
            };
            if let Some(oracle) = &self.oracle {
                if let Err((id, detail)) = oracle(&n) {
                    crate::oracle::violated(&self.rt, id, detail);
                }
            }
            self.sent.lock().await.push(n);
        }
    }
}
