//! `sct/order-violation`: the root starts a worker that reads a shared configuration and the
//! task that initializes it, and assumes the initializer runs first.
//!
//! Bug: an order violation (use before initialization). Needs 0 preemptions: when the root
//! blocks on its joins, running the worker before the initializer is a free choice. Tasks: 3
//! (root, worker, initializer). Ancestor: the order-violation pattern of SCTBench's
//! `CS.lazy01_bad` (a task that assumes another has run first). Fix: the worker waits for the
//! initializer's signal. Oracle (`use-before-init`): the worker never reads an uninitialized
//! configuration.

use std::sync::Arc;

use weft_core::sync::{Atomic, Notify};
use weft_core::{BoxFuture, FailureKind, OracleId, Runtime};

use super::info;
use crate::oracle;
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// The worker never reads an uninitialized configuration.
pub const USE_BEFORE_INIT: OracleId = OracleId::new("use-before-init");

/// See the module documentation.
#[derive(Debug)]
pub struct OrderViolation;

crate::variants! {
    /// The variants of [`OrderViolation`].
    pub enum OrderViolationVariant {
        Buggy {
            name: "buggy",
            summary: "the worker reads the configuration whenever it runs",
            expect: Expect::Fail(FailureKind::Assertion, Some(USE_BEFORE_INIT)),
        },
        Fixed {
            name: "fixed",
            summary: "the worker waits for the initializer's notify_one first",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for OrderViolation {
    type Variant = OrderViolationVariant;

    const INFO: Info = info(
        "sct/order-violation",
        "a worker reads a configuration its initializer may not have set yet",
        "SCTBench CS.lazy01_bad (pattern)",
        <Self::Variant as VariantId>::DESCRIPTIONS,
        &[USE_BEFORE_INIT],
        3,
    );

    fn run<R: Runtime>(rt: R, variant: Self::Variant, _scale: Scale) -> BoxFuture {
        Box::pin(async move {
            let config = Arc::new(Atomic::new(&rt, None::<u32>));
            let ready = Arc::new(Notify::new(&rt));
            let (c, r, rt2) = (config.clone(), ready.clone(), rt.clone());
            let worker = rt.spawn("worker", async move {
                if variant == OrderViolationVariant::Fixed {
                    r.notified().await;
                }
                if c.load().await.is_none() {
                    oracle::violated(&rt2, USE_BEFORE_INIT, "the worker read no configuration");
                }
            });
            let (c, r) = (config.clone(), ready.clone());
            let init = rt.spawn("init", async move {
                c.store(Some(8)).await;
                r.notify_one();
            });
            worker.join().await;
            init.join().await;
        })
    }
}
