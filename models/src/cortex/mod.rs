//! Cortex's Alertmanager wrappers (`shared/specs/alertmanager.md` §2.4, §2.5, §3.3, §3.4): the
//! per-tenant Alertmanager and the multitenant registry, each with PR 7618's fixes toggled at
//! run time by [`Fixes`].

mod fixes;
mod multitenant;
mod tenant;

pub use fixes::Fixes;
pub use multitenant::{AtStopping, MultitenantAlertmanager, ServeOutcome, SetConfigError, Status};
pub use tenant::{TenantAlertmanager, TenantOptions};
