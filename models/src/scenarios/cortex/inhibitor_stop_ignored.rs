//! `cortex/inhibitor-stop-ignored` (spec §4 B2, model M2): ApplyConfig spawns the inhibitor's
//! Run and returns; Stop finds no cancel installed and does nothing. Run then installs a cancel
//! nobody will call, and it, its actor and its rule GC task run forever: a leak at quiescence.

use std::sync::Arc;

use weft_core::{BoxFuture, FailureKind, Runtime};

use super::SYSTEM;
use crate::alertmanager::{InhibitRule, Inhibitor, Provider};
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct InhibitorStopIgnored;

crate::variants! {
    /// The variants of [`InhibitorStopIgnored`].
    pub enum InhibitorStopIgnoredVariant {
        Buggy {
            name: "buggy",
            summary: "pre-7618 ApplyConfig: spawn the inhibitor's Run, return, Stop",
            expect: Expect::Fail(FailureKind::Leak, None),
        },
        Fixed {
            name: "fixed",
            summary: "PR 7618 barrier: inhibitor WaitForLoading before ApplyConfig returns",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for InhibitorStopIgnored {
    type Variant = InhibitorStopIgnoredVariant;

    const INFO: Info = Info {
        name: "cortex/inhibitor-stop-ignored",
        system: SYSTEM,
        summary: "inhibitor Stop before Run installs its cancel is a no-op (B2): tasks leaked at quiescence",
        spec: "alertmanager.md §4 B2, §5 M2",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[],
        max_tasks: 4, // root, Run, actor, rule GC
        needs_quiescence: true,
        needs_clock: false,
        tolerates: &[],
        may_outlive: &[],
        faults: crate::scenario::Faults::NONE,
    };

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        let barrier = match variant {
            InhibitorStopIgnoredVariant::Buggy => false,
            InhibitorStopIgnoredVariant::Fixed => true,
        };
        Box::pin(async move {
            let provider = Arc::new(Provider::new(&rt, 200));
            let rule = InhibitRule::new(&[("alertname", "NodeDown")], &[], &["node"]);
            let inhibitor = Inhibitor::new(&rt, provider.clone(), vec![rule]);
            drop(rt.spawn("inhibitor-run", inhibitor.clone().run()));
            if barrier {
                inhibitor.wait_for_loading().await;
            }
            inhibitor.stop().await;
            provider.close();
        })
    }
}
