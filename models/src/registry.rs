//! Every scenario, by name.

use crate::scenario::{Info, Scenario, Visitor};
use crate::scenarios::{canary, consul, cortex, mimir, sct};

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
    sct::Atomicity,
    sct::OrderViolation,
    sct::LostWakeup,
    sct::AbbaDeadlock,
    sct::DiningPhilosophers,
    sct::BoundedBuffer,
    sct::RwLockUpgrade,
    sct::DoubleCheckedLocking,
    sct::AbaStack,
    sct::WorkStealing,
    sct::SeqlockTornRead,
    sct::BoundedRetry,
    sct::PoolOverflow,
    sct::DataChoice,
    sct::TimeoutRace,
    sct::WaitGroupMisuse,
    canary::WalAckBeforeDurable,
    canary::LeaseLockNoFencing,
    canary::ReplicaReadLag,
    canary::RetryDuplicateApply,
    mimir::R1BlindOverwrite,
    mimir::R2CheckThenPut,
    mimir::R3Bypass,
    mimir::R4LockLeak,
    mimir::R5HolderCrash,
    mimir::R6DoubleSteal,
    mimir::R7SlowHolder,
    mimir::R8ClockSkew,
    mimir::R9AmbiguousAcquire,
    mimir::R10StaleRead,
    mimir::R11BlindRetry,
    mimir::R12LostResponse,
    mimir::R13DivergentEtag,
    mimir::R14IgnoredCondition,
    mimir::ProtocolMatrix,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Expect, VariantId};

    /// Runs `check` on every registered scenario's type.
    fn each<V: Visitor<Output = ()> + Copy>(check: V) {
        for info in all() {
            visit(info.name, check).unwrap();
        }
    }

    #[derive(Clone, Copy)]
    struct VariantsAreTheEnums;
    impl Visitor for VariantsAreTheEnums {
        type Output = ();
        fn visit<S: Scenario>(self) {
            let info = &S::INFO;
            assert_eq!(
                info.variants,
                <S::Variant as VariantId>::DESCRIPTIONS,
                "{}: Info::variants is not its Variant enum's list",
                info.name
            );
            for (i, d) in info.variants.iter().enumerate() {
                let typed = <S::Variant as VariantId>::ALL[i];
                assert_eq!(S::Variant::of(d), Some(typed), "{} [{}]", info.name, d.name);
                assert_eq!(typed.describe(), d, "{} [{}]", info.name, d.name);
                assert_eq!(info.variant(d.name), Ok(d), "{}: duplicate name", info.name);
            }
        }
    }

    /// Every description in an `Info` maps to the typed value at the same position (what
    /// `Scenario::run_variant` relies on), and names are unique.
    #[test]
    fn info_variants_are_each_scenarios_variant_enum() {
        each(VariantsAreTheEnums);
    }

    #[derive(Clone, Copy)]
    struct ExpectedOraclesAreListed;
    impl Visitor for ExpectedOraclesAreListed {
        type Output = ();
        fn visit<S: Scenario>(self) {
            let info = &S::INFO;
            for v in info.variants {
                if let Expect::Fail(_, Some(o)) = v.expect {
                    assert!(
                        info.oracles.contains(&o),
                        "{} [{}] expects oracle {o}, which {:?} does not list",
                        info.name,
                        v.name,
                        info.oracles
                    );
                }
            }
            for (i, o) in info.oracles.iter().enumerate() {
                assert!(
                    !info.oracles[..i].contains(o),
                    "{}: oracle {o} listed twice",
                    info.name
                );
            }
        }
    }

    /// `Expect::Fail(_, Some(o))` names an oracle its scenario's `Info::oracles` lists.
    #[test]
    fn every_expected_oracle_is_listed_by_its_scenario() {
        each(ExpectedOraclesAreListed);
    }
}
