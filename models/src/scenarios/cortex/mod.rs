//! Cortex PR 7618 and the races around it (`shared/specs/alertmanager.md` §4, models §5).

mod group_limit;
mod groupfunc_dispatcher_read;
mod inhibit_order;
mod inhibitor_stop_ignored;
mod shutdown_vs_lazy_create;
mod stop_before_run;
mod tenant_lifecycle;

pub use group_limit::GroupLimit;
pub use groupfunc_dispatcher_read::GroupFuncDispatcherRead;
pub use inhibit_order::InhibitOrder;
pub use inhibitor_stop_ignored::InhibitorStopIgnored;
pub use shutdown_vs_lazy_create::ShutdownVsLazyCreate;
pub use stop_before_run::StopBeforeRun;
pub use tenant_lifecycle::{LifecycleOp, TenantLifecycle};

use crate::alertmanager::DispatcherConfig;

const SYSTEM: &str = "Alertmanager + Cortex (PR 7618)";

/// A dispatcher cut to what spec §5 keeps: no maintenance ticker, `workers` ingestion workers.
fn small_dispatcher(workers: usize) -> DispatcherConfig {
    DispatcherConfig {
        workers,
        maintenance: false,
        ..DispatcherConfig::default()
    }
}
