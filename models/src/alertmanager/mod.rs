//! Alertmanager components (`shared/specs/alertmanager.md` §2, §3).

mod alert;
mod dispatcher;
mod inhibitor;
mod pipeline;
mod provider;

pub use alert::Alert;
pub use dispatcher::{Dispatcher, DispatcherConfig, DispatcherState, DispatcherStats};
pub use inhibitor::{InhibitRule, Inhibitor};
pub use pipeline::{Notification, NotifyOracle, Pipeline};
pub use provider::{Provider, Subscription};
