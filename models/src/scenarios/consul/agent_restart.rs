//! `consul/agent-restart` (PR 5876's story, spec §6.3 and §8): a full restart. The agent
//! loads `web` and its sidecar from disk (checks forced critical), which starts the alias;
//! the application then re-registers both services through the API (each registration
//! snapshots and restores check state, H1), while `web`'s upstream comes up and flaps.
//! Every oracle is on: O-alive, O-slot, O-final one reconcile interval after quiescence,
//! O-bound, data races, the WaitGroup contract, leaks.
//!
//! `fixed` is what Consul runs after PR 5876 and PR 8346: it passes (H1 can still revert the
//! alias, and the timer repairs it within 60 s). `buggy` is the code before PR 5876, which
//! fails with whichever of its bugs the schedule meets first. At [`Scale::Full`] the
//! application re-registers three times and the upstream flaps five times.

use weft_core::{BoxFuture, Runtime};

use super::{sidecar, web, World, ORACLES, SYSTEM};
use crate::consul::{AgentOptions, Fixes, Oracles, Status};
use crate::scenario::{Expect, Info, Scale, Scenario, VariantId};

/// See the module documentation.
#[derive(Debug)]
pub struct AgentRestart;

crate::variants! {
    /// The variants of [`AgentRestart`].
    pub enum AgentRestartVariant {
        Buggy {
            name: "buggy",
            summary: "before PR 5876 (6b31482)",
            expect: Expect::FailAny,
        },
        Fixed {
            name: "fixed",
            summary: "PR 5876 + PR 8346",
            expect: Expect::Pass,
        },
    }
}

impl Scenario for AgentRestart {
    type Variant = AgentRestartVariant;

    const INFO: Info = Info {
        name: "consul/agent-restart",
        system: SYSTEM,
        summary: "full restart: restore from disk, re-register, upstream flaps; every oracle",
        spec: "consul-alias.md §2.9, §6.3, §7, §8 H1",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: ORACLES,
        max_tasks: 5, // root, upstream, registrar, two alias tasks
        needs_quiescence: false,
        needs_clock: true,
        tolerates: &[],
        may_outlive: &[],
        faults: crate::scenario::Faults::NONE,
    };

    fn run<R: Runtime>(rt: R, variant: Self::Variant, scale: Scale) -> BoxFuture {
        let fixes = match variant {
            AgentRestartVariant::Buggy => Fixes::PRE_5876,
            AgentRestartVariant::Fixed => Fixes::CORRECTED,
        };
        let (flaps, rounds) = match scale {
            Scale::Minimal => (vec![Status::Passing], 1),
            Scale::Full => (
                vec![
                    Status::Passing,
                    Status::Critical,
                    Status::Passing,
                    Status::Critical,
                    Status::Passing,
                ],
                3,
            ),
        };
        Box::pin(async move {
            let options = AgentOptions {
                restore_after_register: true,
            };
            let w = World::boot(&rt, fixes, options, Oracles::ALL, Status::Critical).await;
            let upstream = w.upstream(flaps);
            let registrations = (0..rounds)
                .flat_map(|_| [web(Status::Critical), sidecar()])
                .collect();
            let registrar = w.registrar(registrations);
            upstream.join().await;
            registrar.join().await;
            w.settle_and_check(true).await;
        })
    }
}
