//! What the oracles of spec §6.4 and §5 see: the alias tasks' lifetimes, the notify slot, and
//! the statuses of the installed checks.
//!
//! The probe is bookkeeping for checks, not part of the system: it is plain std state, updated
//! inside the steps the model already takes (under the local state's lock where the model
//! holds it), so it adds no scheduling point and no happens-before edge. The one exception is
//! [`Probe::wait_settled`]'s `Notify`, which only the root (the observer) waits on.
//!
//! - **O-alive**: at most one alias task of the check runs its body at a time. A task counts
//!   from its body's first statement (after the merged fix's `Add`) to its last action before
//!   `Done`. Spec §6.4 says "between spawn and exit"; the two differ only for a task that has
//!   not run yet, which can do nothing, and counting from its first statement leaves PR 5876's
//!   residual to the WaitGroup check (what Go's race detector reported, PR 8346).
//! - **O-slot**: every task that registered its notify channel and has not started to exit
//!   owns the slot (S, A). Checked after every change of the slot.
//! - **O-final** and **O-bound**: the scenario checks the alias's status against its inputs
//!   at quiescence ([`Probe::settled`]); the probe times every stretch in which they disagree,
//!   and a stretch longer than [`RECONCILE`](super::RECONCILE) violates O-bound when it ends.

use std::collections::BTreeMap;
use std::sync::{Mutex as StdMutex, MutexGuard};
use std::time::Duration;

use weft_core::sync::Notify;
use weft_core::{Instant, OracleId, Runtime};

use super::status::{mirrors, worst, Status};
use super::RECONCILE;
use crate::oracle;

/// O-alive: at most one alias task of the check runs its body at a time.
pub const O_ALIVE: OracleId = OracleId::new("o-alive");
/// O-slot: a registered alias task that is not exiting owns the notify slot.
pub const O_SLOT: OracleId = OracleId::new("o-slot");
/// O-bound: the alias disagrees with its inputs for at most one reconcile interval.
pub const O_BOUND: OracleId = OracleId::new("o-bound");

/// Which oracles fail an execution when violated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Oracles {
    /// O-alive.
    pub alive: bool,
    /// O-slot.
    pub slot: bool,
    /// O-bound: a disagreement lasts at most [`RECONCILE`](super::RECONCILE).
    pub bound: bool,
}

impl Oracles {
    /// Every oracle.
    pub const ALL: Oracles = Oracles {
        alive: true,
        slot: true,
        bound: true,
    };
    /// Only the outcome: O-bound (O-final is the scenario's own check at quiescence).
    pub const OUTCOME: Oracles = Oracles {
        alive: false,
        slot: false,
        bound: true,
    };
}

/// Where an alias task is (spec §1.4, reduced to what the oracles need).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Spawned; its body has not run yet.
    Spawned,
    /// Running its body (registering, updating, exiting).
    Running,
    /// About to wait, or waiting, in its select.
    Parked,
    /// Done (its last action before the WaitGroup's `Done`).
    Exited,
}

#[derive(Debug)]
struct Generation {
    phase: Phase,
    stop_requested: bool,
    /// Tokens in its notify channel (0 or 1). Signed: on a multi-threaded runtime the task
    /// may take a token before the sender's bookkeeping counts it (-1 for that instant, which
    /// [`Probe::settled`] treats as "not settled").
    tokens: i64,
    /// Registered its channel and has not started to exit.
    owns_slot: bool,
}

#[derive(Debug, Default)]
struct Inner {
    generations: Vec<Generation>,
    /// Installed checks: id → (service, status, deleted).
    view: BTreeMap<String, (String, Status, bool)>,
    /// Since when the alias disagrees with its inputs, if it does.
    wrong_since: Option<Instant>,
    /// The longest finished disagreement.
    longest_wrong: Duration,
}

/// Oracle bookkeeping for one alias check `A` of service `S`; see the module documentation.
pub struct Probe<R: Runtime> {
    rt: R,
    oracles: Oracles,
    alias: String,
    aliased: String,
    inner: StdMutex<Inner>,
    changed: Notify<R>,
}

impl<R: Runtime> std::fmt::Debug for Probe<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Probe")
            .field("alias", &self.alias)
            .field("aliased", &self.aliased)
            .field("inner", &*self.lock())
            .finish()
    }
}

impl<R: Runtime> Probe<R> {
    /// A probe for alias check `alias`, which mirrors service `aliased`.
    pub fn new(rt: &R, oracles: Oracles, alias: &str, aliased: &str) -> Self {
        Probe {
            rt: rt.clone(),
            oracles,
            alias: alias.to_string(),
            aliased: aliased.to_string(),
            inner: StdMutex::new(Inner::default()),
            changed: Notify::new(rt),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn changed(&self) {
        self.changed.notify_one();
    }

    // ----- alias task lifetimes (O-alive) ---------------------------------------------------

    /// `Start` is about to spawn a task: its generation number (1, 2, ...).
    pub fn spawned(&self) -> u64 {
        let mut inner = self.lock();
        inner.generations.push(Generation {
            phase: Phase::Spawned,
            stop_requested: false,
            tokens: 0,
            owns_slot: false,
        });
        inner.generations.len() as u64
    }

    fn gen(inner: &mut Inner, g: u64) -> &mut Generation {
        &mut inner.generations[g as usize - 1]
    }

    /// Task `g` runs its body's first statement. Checks O-alive.
    pub fn started(&self, g: u64) {
        let others: Vec<String> = {
            let mut inner = self.lock();
            Self::gen(&mut inner, g).phase = Phase::Running;
            inner
                .generations
                .iter()
                .enumerate()
                .filter(|(i, x)| {
                    *i as u64 + 1 != g && matches!(x.phase, Phase::Running | Phase::Parked)
                })
                .map(|(i, x)| format!("g{} ({:?})", i + 1, x.phase))
                .collect()
        };
        if self.oracles.alive && !others.is_empty() {
            oracle::violated(
                &self.rt,
                O_ALIVE,
                format!(
                    "alias task g{g} of check {:?} started while {} had not exited",
                    self.alias,
                    others.join(", ")
                ),
            );
        }
    }

    /// `Stop` closed task `g`'s stop channel.
    pub fn stop_requested(&self, g: u64) {
        Self::gen(&mut self.lock(), g).stop_requested = true;
        self.changed();
    }

    /// Task `g` is about to wait in its select.
    pub fn parked(&self, g: u64) {
        Self::gen(&mut self.lock(), g).phase = Phase::Parked;
        self.changed();
    }

    /// Task `g` left its select (`took_token`: through its notify channel).
    pub fn woke(&self, g: u64, took_token: bool) {
        let mut inner = self.lock();
        let x = Self::gen(&mut inner, g);
        x.phase = Phase::Running;
        if took_token {
            x.tokens -= 1;
        }
    }

    /// Task `g` ran its last action before the WaitGroup's `Done`.
    pub fn exited(&self, g: u64) {
        Self::gen(&mut self.lock(), g).phase = Phase::Exited;
        self.changed();
    }

    // ----- the notify slot (O-slot) ---------------------------------------------------------

    /// A notification went into task `g`'s channel.
    pub fn token_sent(&self, g: u64) {
        Self::gen(&mut self.lock(), g).tokens += 1;
    }

    /// Task `g` registered its channel (it owns the slot from now on; called under `L`).
    pub fn registered(&self, g: u64) {
        Self::gen(&mut self.lock(), g).owns_slot = true;
    }

    /// Task `g` starts to exit (it no longer claims the slot).
    pub fn exiting(&self, g: u64) {
        Self::gen(&mut self.lock(), g).owns_slot = false;
    }

    /// The slot (S, A) now holds task `slot`'s channel (`None`: no channel). Checks O-slot.
    pub fn slot_changed(&self, slot: Option<u64>) {
        let wrong: Vec<u64> = self
            .lock()
            .generations
            .iter()
            .enumerate()
            .map(|(i, x)| (i as u64 + 1, x))
            .filter(|(g, x)| x.owns_slot && slot != Some(*g))
            .map(|(g, _)| g)
            .collect();
        if self.oracles.slot && !wrong.is_empty() {
            let holder = slot.map_or("no channel".to_string(), |g| format!("g{g}'s channel"));
            oracle::violated(
                &self.rt,
                O_SLOT,
                format!(
                    "the notify slot ({:?}, {:?}) holds {holder}, but alias task {} is \
                     registered and not exiting: it will not be notified",
                    self.aliased,
                    self.alias,
                    wrong
                        .iter()
                        .map(|g| format!("g{g}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }

    // ----- statuses (O-final, O-bound) ------------------------------------------------------

    /// A check record was installed (or re-installed) with `status`.
    pub fn installed(&self, id: &str, service: &str, status: Status) {
        self.lock()
            .view
            .insert(id.to_string(), (service.to_string(), status, false));
        self.observe();
    }

    /// The installed record of check `id` now has `status`.
    pub fn status_written(&self, id: &str, status: Status) {
        if let Some(entry) = self.lock().view.get_mut(id) {
            entry.1 = status;
        }
        self.observe();
    }

    /// Check `id` was marked deleted.
    pub fn deleted(&self, id: &str) {
        if let Some(entry) = self.lock().view.get_mut(id) {
            entry.2 = true;
        }
        self.observe();
    }

    /// The alias's installed status and what its inputs say, if the alias is installed.
    fn disagreement(&self, inner: &Inner) -> Option<(Status, Status)> {
        let (_, alias, deleted) = inner.view.get(&self.alias)?;
        if *deleted {
            return None;
        }
        let inputs = worst(
            inner
                .view
                .values()
                .filter(|(service, _, deleted)| !deleted && mirrors(&self.aliased, service))
                .map(|(_, status, _)| *status),
        );
        (*alias != inputs).then_some((*alias, inputs))
    }

    fn observe(&self) {
        let now = self.rt.now();
        let mut inner = self.lock();
        let wrong = self.disagreement(&inner).is_some();
        match (inner.wrong_since, wrong) {
            (None, true) => inner.wrong_since = Some(now),
            (Some(since), false) => {
                inner.wrong_since = None;
                let lasted = now.saturating_duration_since(since);
                inner.longest_wrong = inner.longest_wrong.max(lasted);
                drop(inner);
                if self.oracles.bound && lasted > RECONCILE {
                    oracle::violated(
                        &self.rt,
                        O_BOUND,
                        format!(
                            "alias check {:?} disagreed with service {:?} for {lasted:?} \
                             (from {since} to {now}), longer than the {RECONCILE:?} reconcile \
                             interval",
                            self.alias, self.aliased
                        ),
                    );
                }
            }
            _ => {}
        }
    }

    /// Since when the alias has disagreed with its inputs, if it does now.
    pub fn wrong_since(&self) -> Option<Instant> {
        self.lock().wrong_since
    }

    /// The longest finished stretch of disagreement so far.
    pub fn longest_wrong(&self) -> Duration {
        self.lock().longest_wrong
    }

    // ----- quiescence -----------------------------------------------------------------------

    /// Whether no alias task can act without an outside event: every task spawned so far has
    /// exited, or waits in its select with no token in its channel and its stop channel open.
    /// (A pending reconcile timer is the outside event O-final's window waits for.) The caller
    /// makes sure nothing else is running (the upstream and the registrar have finished).
    pub fn settled(&self) -> bool {
        self.lock().generations.iter().all(|x| {
            x.phase == Phase::Exited
                || (x.phase == Phase::Parked && x.tokens == 0 && !x.stop_requested)
        })
    }

    /// Waits until [`Probe::settled`].
    pub async fn wait_settled(&self) {
        while !self.settled() {
            self.changed.notified().await;
        }
    }
}
