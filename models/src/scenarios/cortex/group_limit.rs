//! `cortex/group-limit` (spec §4 B5, model M5): the aggregation-group limit is a check of the
//! counter followed, later, by the insert and the increment. Two ingestion workers routing
//! alerts of two new groups can both pass the check: two groups with a limit of one, and no
//! limit failure counted.
//!
//! Oracle (`group-limit`): the group counter never exceeds the limit, and the number of limit
//! failures equals the sequential count (here 1).
//!
//! Variants: `buggy` (upstream's code, alerts arriving after start through the workers),
//! `fixed` (the code fix: reserve a slot with one atomic step), `test-fix` (upstream's test
//! fix: every alert put before ApplyConfig, so Run routes them sequentially in its slurp).

use std::sync::Arc;

use weft_core::{BoxFuture, FailureKind, OracleId, Runtime};

use super::{small_dispatcher, SYSTEM};
use crate::alertmanager::{Alert, Dispatcher, DispatcherConfig, Provider};
use crate::oracle;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// The group counter never exceeds the limit, and the limit failures counted equal the
/// sequential count.
pub const GROUP_LIMIT: OracleId = OracleId::new("group-limit");

/// See the module documentation.
#[derive(Debug)]
pub struct GroupLimit;

crate::variants! {
    /// The variants of [`GroupLimit`].
    pub enum GroupLimitVariant {
        Buggy {
            name: "buggy",
            summary: "upstream: load counter, compare, later insert and increment",
            expect: Expect::Fail(FailureKind::Assertion, Some(GROUP_LIMIT)),
        },
        Fixed {
            name: "fixed",
            summary: "code fix: reserve a slot atomically before inserting",
            expect: Expect::Pass,
        },
        TestFix {
            name: "test-fix",
            summary: "upstream test fix: alerts put before ApplyConfig, routed by Run alone",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for GroupLimit {
    type Variant = GroupLimitVariant;

    const INFO: Info = Info {
        name: "cortex/group-limit",
        system: SYSTEM,
        summary:
            "group-limit check-then-act across ingestion workers (B5): limit exceeded or miscounted",
        spec: "alertmanager.md §4 B5, §5 M5",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[GROUP_LIMIT],
        max_tasks: 3, // minimal: root, 2 workers
        needs_quiescence: false,
        needs_clock: false,
        tolerates: &[],
        may_outlive: &[],
        faults: crate::scenario::Faults::NONE,
    };

    fn run<R: Runtime>(rt: R, variant: Self::Variant, scale: Scale) -> BoxFuture {
        // (the code fix, the test fix)
        let (reserve_slot, before) = match variant {
            GroupLimitVariant::Buggy => (false, false),
            GroupLimitVariant::Fixed => (true, false),
            GroupLimitVariant::TestFix => (false, true),
        };
        Box::pin(async move {
            let limit = 1;
            let alerts = vec![
                Alert::new([("alertname", "g1")]),
                Alert::new([("alertname", "g2")]),
            ];
            let provider = Arc::new(Provider::new(&rt, 200));
            let config = DispatcherConfig {
                group_limit: limit,
                reserve_slot,
                ..small_dispatcher(2)
            };
            let d = Dispatcher::new(&rt, provider.clone(), config);
            if scale == Scale::Minimal {
                // Spec §5 M5's minimal model: two ingestion workers routing one alert each, or,
                // with the test fix, one task (Run's slurp) routing both.
                let batches: Vec<Vec<Alert>> = if before {
                    vec![alerts.clone()]
                } else {
                    alerts.iter().map(|a| vec![a.clone()]).collect()
                };
                let workers: Vec<_> = batches
                    .into_iter()
                    .enumerate()
                    .map(|(i, batch)| {
                        let d = d.clone();
                        rt.spawn(&format!("ingest-{i}"), async move {
                            for a in batch {
                                d.route(a).await;
                            }
                        })
                    })
                    .collect();
                for w in workers {
                    w.join().await;
                }
            } else {
                // The upstream test's shape: Run, its workers, the alerts put after start (or,
                // with the test fix, before ApplyConfig, so Run's slurp routes them).
                if before {
                    provider.put(alerts.clone()).await;
                }
                drop(rt.spawn("dispatcher-run", d.clone().run()));
                d.wait_for_loading().await;
                if !before {
                    provider.put(alerts.clone()).await;
                }
                d.wait_routed(alerts.len() as u32).await;
            }
            let stats = d.snapshot().await;
            if stats.max_group_count > limit || stats.groups > limit as usize {
                oracle::violated(
                    &rt,
                    GROUP_LIMIT,
                    format!(
                        "{} aggregation groups (counter peaked at {}) with a limit \
                         of {limit}",
                        stats.groups, stats.max_group_count
                    ),
                );
            }
            if stats.limit_reached != 1 {
                oracle::violated(
                    &rt,
                    GROUP_LIMIT,
                    format!(
                        "{} limit failures counted; routing the same alerts \
                         sequentially counts 1",
                        stats.limit_reached
                    ),
                );
            }
            d.stop().await;
            provider.close();
        })
    }
}
