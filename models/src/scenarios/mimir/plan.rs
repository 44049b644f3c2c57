//! What every `mimir/*` scenario runs: a [`Plan`] (the world, what the store holds at the
//! start, the clients' transactions, an optional recovery write, the oracles), executed by
//! [`run`]. A scenario file is its plan per variant, so the races of
//! `config-concurrency.md` §5 differ only in the values that make them.
//!
//! Execution. The root starts the world ([`World::start`]), seeds the store, spawns one task
//! per client (each runs its transactions with the shared client loop,
//! [`transact`](crate::mimir::client::transact), after its start delay, and files each
//! transaction's report with the world for the `reported-outcome` check), and one for the fallback-config upload if the
//! plan has one ([`World::fallback`], §5 R3), waits for them,
//! sleeps [`Plan::settle`] so that every late message and timer has played out, runs the
//! recovery client if any (O4), and evaluates the oracles ([`World::check`]); a violation
//! fails the execution with its oracle id.
//!
//! O4 covers a write started after the last crash or pause (§6: τ ≥ τ_f + ...): if the
//! checker spends a crash or a pause while the recovery client runs, its write is not one O4
//! speaks about, and [`Oracle::BoundedRecovery`] is not evaluated in that execution. Other
//! faults (a lost response, a delay, an ambiguous outcome) do not end τ_f: O4 still holds
//! the recovery write to its bound (§5 R9 a).

use std::time::Duration;

use weft_core::faults::FaultKind;
use weft_core::{BoxFuture, Runtime};

use crate::mimir::client::{transact, ClientPolicy};
use crate::mimir::config::UserConfig;
use crate::mimir::fallback::FallbackWrite;
use crate::mimir::memstore::StoreOp;
use crate::mimir::model::oracles::Oracle;
use crate::mimir::model::{value_of, Route, World, WorldSpec, SEED_CLIENT, TENANT};
use crate::mimir::store::Cond;
use crate::mimir::tenant::Tenant;
use crate::oracle;
use weft_core::linearizability::{Precondition, VersionedOp, VersionedRet};

/// What the store holds before any client runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seed {
    /// Nothing.
    Empty,
    /// The initial config.
    Config,
    /// The initial config and an orphaned lock object (its holder crashed long ago).
    ConfigAndOrphanLock,
}

/// One client.
#[derive(Clone, Debug)]
pub struct ClientPlan {
    /// Its name (and address).
    pub name: &'static str,
    /// Where its requests go.
    pub route: Route,
    /// How long after the start it begins.
    pub start_after: Duration,
    /// Its retry policy.
    pub policy: ClientPolicy,
    /// How many transactions it runs, each adding receiver `<name>-<i>`.
    pub transactions: u32,
}

impl ClientPlan {
    /// `name`, sending to `server`, one transaction at once, default policy.
    pub fn new(name: &'static str, server: &'static str) -> ClientPlan {
        ClientPlan {
            name,
            route: Route::To(server),
            start_after: Duration::ZERO,
            policy: ClientPolicy::DEFAULT,
            transactions: 1,
        }
    }

    /// With at most `attempts` POSTs per transaction.
    pub fn attempts(mut self, attempts: u32) -> ClientPlan {
        self.policy.attempts = attempts;
        self
    }

    /// With §5 R11's blind retry ([`ClientPolicy::blind_retry`]).
    pub fn blind_retry(mut self) -> ClientPlan {
        self.policy.blind_retry = true;
        self
    }

    /// Resending an unanswered POST unchanged ([`ClientPolicy::resend_unanswered`], §5 R12).
    pub fn resend_unanswered(mut self) -> ClientPlan {
        self.policy.resend_unanswered = true;
        self
    }

    /// Starting `delay` after the run begins.
    pub fn after(mut self, delay: Duration) -> ClientPlan {
        self.start_after = delay;
        self
    }
}

/// A scenario's run (module docs).
#[derive(Clone, Debug)]
pub struct Plan {
    /// The world.
    pub world: WorldSpec,
    /// The store's initial contents.
    pub seed: Seed,
    /// The clients, started together.
    pub clients: Vec<ClientPlan>,
    /// How long to wait after the clients finish.
    pub settle: Duration,
    /// A client run after settling (for O4), alone.
    pub recovery: Option<ClientPlan>,
    /// The fallback-config upload (§5 R3), run beside the clients from the start, if any.
    pub fallback: Option<FallbackWrite>,
    /// The oracles, in order.
    pub oracles: Vec<Oracle>,
}

fn seed<R: Runtime>(world: &World<R>, seed: &Seed) {
    let tenant = Tenant::parse(Some(TENANT.as_bytes())).expect("a valid id");
    let mut state = world.store().lock();
    let now = weft_core::node::WallTime(0);
    if matches!(seed, Seed::Config | Seed::ConfigAndOrphanLock) {
        let bytes = UserConfig::initial().to_bytes();
        // The seed is a write that completed before any client started.
        let ticket = world.recorder().invoke(
            SEED_CLIENT,
            VersionedOp::Write {
                value: value_of(&bytes),
                when: Precondition::Always,
            },
        );
        world.recorder().respond(ticket, VersionedRet::Written(1));
        let op = StoreOp::Put {
            bytes,
            cond: Cond::Always,
        };
        state
            .mem
            .apply(&tenant.config_key(), op, 0, now, false)
            .expect("seeding an empty store");
    }
    if *seed == Seed::ConfigAndOrphanLock {
        let op = StoreOp::Put {
            bytes: b"owner: s0\ntoken: s0-1\ncreated: 0\nttl: 0\n".to_vec(),
            cond: Cond::Always,
        };
        state
            .mem
            .apply(&tenant.lock_key(), op, 0, now, false)
            .expect("seeding an empty store");
    }
}

async fn client<R: Runtime>(rt: R, world: World<R>, plan: ClientPlan, lin: usize) {
    if !plan.start_after.is_zero() {
        rt.sleep(plan.start_after).await;
    }
    let port = world.client(plan.name, lin, plan.route.clone());
    for i in 0..plan.transactions {
        let receiver = format!("{}-{}", plan.name, i + 1);
        let since = world.exchange_count();
        let report = transact(&rt, &port, TENANT, &plan.policy, |c| {
            c.with_receiver(&receiver)
        })
        .await;
        world.report(plan.name, since, report);
    }
}

/// Runs `plan` on `rt` (module docs).
pub fn run<R: Runtime>(rt: R, plan: Plan) -> BoxFuture {
    Box::pin(async move {
        let world = World::start(&rt, plan.world.clone());
        seed(&world, &plan.seed);
        let mut handles = Vec::new();
        for (lin, c) in plan.clients.iter().enumerate() {
            let fut = client(rt.clone(), world.clone(), c.clone(), lin);
            handles.push(rt.spawn(c.name, fut));
        }
        if let Some(how) = plan.fallback {
            let world = world.clone();
            let fut = async move {
                world.fallback(how).await;
            };
            handles.push(rt.spawn("fallback", fut));
        }
        for h in handles {
            h.join().await;
        }
        rt.sleep(plan.settle).await;
        let left = rt.budget();
        if let Some(c) = plan.recovery.clone() {
            client(rt.clone(), world.clone(), c, plan.clients.len()).await;
        }
        let faulted_since = |k| rt.budget().get(k) < left.get(k);
        let recovery_faulted = faulted_since(FaultKind::Crash) || faulted_since(FaultKind::Pause);
        let oracles: Vec<Oracle> = plan
            .oracles
            .iter()
            .copied()
            .filter(|o| !(recovery_faulted && matches!(o, Oracle::BoundedRecovery { .. })))
            .collect();
        if let Err(v) = world.check(&oracles) {
            oracle::violated(&rt, v.oracle, v.detail);
        }
    })
}
