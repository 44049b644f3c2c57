//! The node-local alias check (`agent/checks/alias.go`; `shared/specs/consul-alias.md` §1.3,
//! §1.4, §2.7, §2.8): `Start`, `Stop`, and the task that mirrors the aliased service's
//! checks into the alias check's status (`runLocal`).
//!
//! The task: register a capacity-1 notify channel in slot (S, A), then update once (read
//! `Checks()`, compute, `UpdateCheck(A)`), then loop in a select over {notification, stop,
//! reconcile timer}. Stop is observed only in the select, never mid-update, and a closed stop
//! channel does not pre-empt a pending token or a fired timer (the select's choice among ready
//! arms is the runtime's). On exit it removes slot (S, A), whoever filled it.
//!
//! Fix 3 ([`Lifetime`]) decides whether `Stop` waits for the task, and where its WaitGroup
//! `Add` is; fix 2 ([`Fixes::reconcile_timer`]) adds the 60 s timer arm.

use std::sync::Arc;

use weft_core::sync::{
    future_arm, mpsc, select2, select3, CancellationToken, Mutex, Select2, Select3, WaitGroup,
};
use weft_core::Runtime;

use super::local_state::State;
use super::probe::Probe;
use super::status::{mirrors, worst};
use super::{Fixes, Lifetime, RECONCILE};

/// `stopLock`'s fields.
struct StopState<R: Runtime> {
    stopped: bool,
    /// `stopCh` of the current task, and its generation.
    current: Option<(CancellationToken<R>, u64)>,
}

/// A `CheckAlias` for a node-local alias; see the module documentation.
pub struct CheckAlias<R: Runtime> {
    rt: R,
    /// `CheckID` (A).
    pub check_id: String,
    /// `ServiceID` (S): the aliased service.
    pub service_id: String,
    fixes: Fixes,
    notify: Arc<State<R>>,
    stop: Mutex<R, StopState<R>>,
    stop_wg: WaitGroup<R>,
    probe: Arc<Probe<R>>,
}

impl<R: Runtime> std::fmt::Debug for CheckAlias<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckAlias")
            .field("check_id", &self.check_id)
            .field("service_id", &self.service_id)
            .finish_non_exhaustive()
    }
}

/// Why the select woke.
enum Woke {
    Notified,
    Stopped,
    Timer,
}

impl<R: Runtime> CheckAlias<R> {
    /// An alias check `check_id` mirroring service `service_id`, notified through `notify`.
    pub fn new(
        rt: &R,
        check_id: &str,
        service_id: &str,
        fixes: Fixes,
        notify: Arc<State<R>>,
        probe: Arc<Probe<R>>,
    ) -> Arc<Self> {
        Arc::new(CheckAlias {
            rt: rt.clone(),
            check_id: check_id.to_string(),
            service_id: service_id.to_string(),
            fixes,
            notify,
            stop: Mutex::new(
                rt,
                StopState {
                    stopped: false,
                    current: None,
                },
            ),
            stop_wg: WaitGroup::new(rt),
            probe,
        })
    }

    /// `Start` (spec §2.7): under `stopLock`, a new stop channel and the task. With
    /// [`Lifetime::Corrected`] the WaitGroup's `Add(1)` comes first.
    pub async fn start(self: &Arc<Self>) {
        let mut st = self.stop.lock().await;
        st.stopped = false;
        let stop = CancellationToken::new(&self.rt);
        let generation = self.probe.spawned();
        st.current = Some((stop.clone(), generation));
        if self.fixes.lifetime == Lifetime::Corrected {
            self.stop_wg.add(1);
        }
        let name = format!("alias-g{generation}");
        drop(self.rt.spawn(&name, self.clone().run(stop, generation)));
    }

    /// `Stop` (spec §2.7): closes the stop channel once; with fix 3, then waits for the task.
    pub async fn stop(&self) {
        {
            let mut st = self.stop.lock().await;
            if !st.stopped {
                st.stopped = true;
                if let Some((stop, generation)) = &st.current {
                    stop.cancel();
                    self.probe.stop_requested(*generation);
                }
            }
        }
        if self.fixes.lifetime != Lifetime::Off {
            self.stop_wg.wait().await;
        }
    }

    /// `run` (spec §2.8): the merged fix's late `Add`, the body, then `Done`.
    async fn run(self: Arc<Self>, stop: CancellationToken<R>, generation: u64) {
        if self.fixes.lifetime == Lifetime::Merged {
            self.stop_wg.add(1);
        }
        self.probe.started(generation);
        self.run_local(&stop, generation).await;
        self.probe.exited(generation);
        if self.fixes.lifetime != Lifetime::Off {
            self.stop_wg.done();
        }
    }

    /// `runLocal` (spec §2.8).
    async fn run_local(&self, stop: &CancellationToken<R>, generation: u64) {
        let (tx, mut rx) = mpsc::channel(&self.rt, 1);
        // Go's channel is never closed: the slot's sender may be dropped by whoever deletes
        // the slot, and that must not wake this task. The task keeps a sender of its own.
        let _open = tx.clone();
        self.notify
            .add_alias_check(&self.check_id, &self.service_id, generation, tx)
            .await;
        // Subscribe, then read: the initial update always runs, even if already stopped.
        self.update_status().await;
        loop {
            self.probe.parked(generation);
            let woke = if self.fixes.reconcile_timer {
                let timer = future_arm(self.rt.sleep(RECONCILE));
                match select3(&self.rt, rx.recv_arm(), stop.cancelled_arm(), timer).await {
                    Select3::First(_) => Woke::Notified,
                    Select3::Second(()) => Woke::Stopped,
                    Select3::Third(()) => Woke::Timer,
                }
            } else {
                match select2(&self.rt, rx.recv_arm(), stop.cancelled_arm()).await {
                    Select2::First(_) => Woke::Notified,
                    Select2::Second(()) => Woke::Stopped,
                }
            };
            self.probe.woke(generation, matches!(woke, Woke::Notified));
            match woke {
                Woke::Stopped => break,
                Woke::Notified | Woke::Timer => self.update_status().await,
            }
        }
        self.probe.exiting(generation);
        self.notify
            .remove_alias_check(&self.check_id, &self.service_id)
            .await;
    }

    /// `updateStatus` (spec §2.8): `Checks()`, `processChecks`, `UpdateCheck(A)`. Before fix
    /// 1a, each status read here is a plain read of a live record, after `L` was released.
    pub async fn update_status(&self) {
        let snapshot = self.notify.checks().await;
        let status = worst(
            snapshot
                .values()
                .filter(|c| mirrors(&self.service_id, &c.service))
                .map(|c| c.status()),
        );
        self.notify.update_check(&self.check_id, status).await;
    }
}
