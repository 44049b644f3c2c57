//! Cortex PR 7618 and the races around it (`shared/specs/alertmanager.md` §4, models §5).

mod group_limit;
mod groupfunc_dispatcher_read;
mod inhibit_order;
mod inhibitor_stop_ignored;
mod shutdown_vs_lazy_create;
mod stop_before_run;
mod tenant_lifecycle;

pub use group_limit::{GroupLimit, GroupLimitVariant, GROUP_LIMIT};
pub use groupfunc_dispatcher_read::{GroupFuncDispatcherRead, GroupFuncDispatcherReadVariant};
pub use inhibit_order::{InhibitOrder, InhibitOrderVariant, INHIBITED_NOTIFICATION};
pub use inhibitor_stop_ignored::{InhibitorStopIgnored, InhibitorStopIgnoredVariant};
pub use shutdown_vs_lazy_create::{ShutdownVsLazyCreate, ShutdownVsLazyCreateVariant};
pub use stop_before_run::{StopBeforeRun, StopBeforeRunVariant};
pub use tenant_lifecycle::{LifecycleOp, TenantLifecycle, TenantLifecycleVariant, UNSTOPPED};

use weft_core::OracleId;

use crate::alertmanager::DispatcherConfig;

/// No tenant is registered after `stopping()` stopped the tenant map (B4).
pub const POST_SHUTDOWN_REGISTRATION: OracleId = OracleId::new("post-shutdown-registration");
/// No request is answered 200 by an Alertmanager that was not in the map when shutdown began
/// (B4: expected 503).
pub const WRONG_STATUS: OracleId = OracleId::new("wrong-status");

const SYSTEM: &str = "Alertmanager + Cortex (PR 7618)";

/// A dispatcher cut to what spec §5 keeps: no maintenance ticker, `workers` ingestion workers.
fn small_dispatcher(workers: usize) -> DispatcherConfig {
    DispatcherConfig {
        workers,
        maintenance: false,
        ..DispatcherConfig::default()
    }
}
