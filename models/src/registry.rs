//! Every scenario, by name.

use crate::scenario::{Info, Scenario, Visitor};
use crate::scenarios::{consul, cortex};

macro_rules! registry {
    ($($s:ty),* $(,)?) => {
        /// Every scenario's [`Info`], in `weft list` order.
        pub fn all() -> Vec<&'static Info> {
            vec![$(&<$s as Scenario>::INFO),*]
        }

        /// Calls `visitor` with the scenario called `name`.
        pub fn visit<V: Visitor>(name: &str, visitor: V) -> Result<V::Output, String> {
            $(if name == <$s as Scenario>::INFO.name {
                return Ok(visitor.visit::<$s>());
            })*
            Err(unknown(name))
        }
    };
}

registry!(
    cortex::StopBeforeRun,
    cortex::InhibitorStopIgnored,
    cortex::InhibitOrder,
    cortex::ShutdownVsLazyCreate,
    cortex::GroupLimit,
    cortex::GroupFuncDispatcherRead,
    cortex::TenantLifecycle,
    consul::CloneRace,
    consul::AliasOverlap,
    consul::AliasNoReconcile,
    consul::AgentRestart,
    consul::FixCombinations,
);

/// The scenario called `name`, or a one-line error listing the names.
pub fn find(name: &str) -> Result<&'static Info, String> {
    all()
        .into_iter()
        .find(|i| i.name == name)
        .ok_or_else(|| unknown(name))
}

fn unknown(name: &str) -> String {
    format!(
        "unknown scenario {name:?}: expected one of {} (see `weft list`)",
        all().iter().map(|i| i.name).collect::<Vec<_>>().join(", ")
    )
}
