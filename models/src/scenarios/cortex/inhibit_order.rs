//! `cortex/inhibit-order` (spec §4 B3, model M3): before PR 7618, ApplyConfig started the
//! dispatcher before the inhibitor. A target alert T whose group flushes at once can then be
//! notified before the inhibitor cached the source alert S that inhibits it, though both were
//! in the provider before ApplyConfig began.
//!
//! Oracle (online, in the notification pipeline): no notification for T.
//!
//! The buggy variant keeps the barrier's waits and changes only the order (dispatcher, then
//! inhibitor), so that B1 and B2, which the fully pre-fix code also has (see
//! `cortex/stop-before-run` and `cortex/inhibitor-stop-ignored`), cannot be found first: this
//! scenario is about the order alone.

use std::sync::Arc;
use std::time::Duration;

use weft_core::sync::Mutex;
use weft_core::{BoxFuture, FailureKind, OracleId, Runtime};

use super::{small_dispatcher, SYSTEM};
use crate::alertmanager::{
    Alert, Dispatcher, DispatcherConfig, InhibitRule, Inhibitor, Notification, Pipeline, Provider,
};
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct InhibitOrder;

/// No notification for an alert that an alert present before ApplyConfig inhibits.
pub const INHIBITED_NOTIFICATION: OracleId = OracleId::new("inhibited-notification");

crate::variants! {
    /// The variants of [`InhibitOrder`].
    pub enum InhibitOrderVariant {
        Buggy {
            name: "buggy",
            summary: "pre-7618 order: dispatcher Run (and its loading), then the inhibitor's",
            expect: Expect::Fail(FailureKind::Assertion, Some(INHIBITED_NOTIFICATION)),
        },
        Fixed {
            name: "fixed",
            summary: "PR 7618 order: inhibitor Run + WaitForLoading, then dispatcher",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for InhibitOrder {
    type Variant = InhibitOrderVariant;

    const INFO: Info = Info {
        name: "cortex/inhibit-order",
        system: SYSTEM,
        summary: "dispatcher started before the inhibitor loaded (B3): notification for an inhibited alert",
        spec: "alertmanager.md §4 B3, §5 M3",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[INHIBITED_NOTIFICATION],
        max_tasks: 6, // root, dispatcher Run, start timer, ag.run, inhibitor Run, actor
        needs_quiescence: false,
        needs_clock: false,
        tolerates: &[],
        may_outlive: &[],
        faults: crate::scenario::Faults::NONE,
    };

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        let fixed = match variant {
            InhibitOrderVariant::Buggy => false,
            InhibitOrderVariant::Fixed => true,
        };
        Box::pin(async move {
            let source = Alert::new([("alertname", "NodeDown"), ("node", "n1")]);
            let target = Alert::new([("alertname", "HighLatency"), ("node", "n1")]);
            let provider = Arc::new(Provider::new(&rt, 200));
            provider.put(vec![source.clone(), target.clone()]).await;

            let rule = InhibitRule::new(
                &[("alertname", "NodeDown")],
                &[("alertname", "HighLatency")],
                &["node"],
            );
            let inhibitor = Inhibitor::with_rule_gc(&rt, provider.clone(), vec![rule], false);
            let oracle = move |n: &Notification| {
                if n.alert == target {
                    Err((
                        INHIBITED_NOTIFICATION,
                        format!(
                            "alert {:?} was notified although {:?}, which inhibits it, \
                         was in the provider before ApplyConfig began",
                            n.alert.labels, source.labels
                        ),
                    ))
                } else {
                    Ok(())
                }
            };
            let sent = Arc::new(Mutex::new(&rt, Vec::new()));
            let pipeline = Pipeline::new(
                &rt,
                Some(inhibitor.clone()),
                1,
                sent,
                Some(Arc::new(oracle)),
            );
            let config = DispatcherConfig {
                group_by: vec!["node"],     // S and T share one aggregation group
                group_wait: Duration::ZERO, // T is older than group_wait: flush at once
                ..small_dispatcher(0)
            };
            let d = Dispatcher::with_pipeline(&rt, provider.clone(), config, Some(pipeline));
            if fixed {
                drop(rt.spawn("inhibitor-run", inhibitor.clone().run()));
                inhibitor.wait_for_loading().await;
                drop(rt.spawn("dispatcher-run", d.clone().run()));
                d.wait_for_loading().await;
            } else {
                drop(rt.spawn("dispatcher-run", d.clone().run()));
                d.wait_for_loading().await;
                drop(rt.spawn("inhibitor-run", inhibitor.clone().run()));
                inhibitor.wait_for_loading().await;
            }
            // Serve for a while: the group's first flush is due at once.
            rt.sleep(Duration::from_millis(10)).await;
            inhibitor.stop().await;
            d.stop().await;
            provider.close();
        })
    }
}
