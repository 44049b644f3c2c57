//! Alertmanager components (`shared/specs/alertmanager.md` §2, §3).

mod alert;
mod dispatcher;
mod provider;

pub use alert::Alert;
pub use dispatcher::{Dispatcher, DispatcherConfig, DispatcherState, DispatcherStats};
pub use provider::{Provider, Subscription};
