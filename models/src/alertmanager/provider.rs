//! The in-memory alert provider (`provider/mem.Alerts`, `shared/specs/alertmanager.md` §2.1).
//!
//! - One mutex guards the store, the listeners and the next listener id.
//! - [`Provider::slurp_and_subscribe`] snapshots every alert and registers a listener in one
//!   critical section, so every alert is either in the snapshot or delivered later on the
//!   channel: never both, never neither.
//! - [`Provider::put`] stores each alert and, still holding the mutex, offers it to every
//!   listener with Go's `select { case ch <- a: case <-done: }`: with a full channel and an open
//!   `done` it blocks while holding the mutex, as the Go code does.
//! - [`Provider::close`] only stops the GC task; it neither closes listeners nor refuses later
//!   calls. A listener whose `done` is closed is removed by the GC task only.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use weft_core::sync::{future_arm, mpsc, select2, CancellationToken, Mutex, Select2};
use weft_core::Runtime;

use super::Alert;

struct Listener<R: Runtime> {
    name: String,
    tx: mpsc::Sender<R, Alert>,
    done: CancellationToken<R>,
}

struct Store<R: Runtime> {
    alerts: BTreeMap<u64, Alert>,
    listeners: BTreeMap<u64, Listener<R>>,
    next: u64,
}

/// The alert store and its fan-out to subscribers.
pub struct Provider<R: Runtime> {
    rt: R,
    mtx: Mutex<R, Store<R>>,
    gc: CancellationToken<R>,
    capacity: usize,
}

impl<R: Runtime> std::fmt::Debug for Provider<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider").finish_non_exhaustive()
    }
}

/// A subscription: the alerts put after the snapshot, until [`Subscription::close`].
pub struct Subscription<R: Runtime> {
    /// Alerts delivered after the snapshot.
    pub rx: mpsc::Receiver<R, Alert>,
    done: CancellationToken<R>,
}

impl<R: Runtime> std::fmt::Debug for Subscription<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription").finish_non_exhaustive()
    }
}

impl<R: Runtime> Subscription<R> {
    /// The iterator's `Close()`: closes `done`, so a `put` stops offering to this listener.
    pub fn close(&self) {
        self.done.cancel();
    }

    /// Splits into the receiver and the `done` token that [`Subscription::close`] cancels.
    pub fn into_parts(self) -> (mpsc::Receiver<R, Alert>, CancellationToken<R>) {
        (self.rx, self.done)
    }
}

impl<R: Runtime> Provider<R> {
    /// A provider whose listener channels hold `capacity` alerts (Alertmanager uses 200), with
    /// no GC task: [`Provider::close`] only marks it closed.
    pub fn new(rt: &R, capacity: usize) -> Self {
        Provider {
            rt: rt.clone(),
            mtx: Mutex::new(
                rt,
                Store {
                    alerts: BTreeMap::new(),
                    listeners: BTreeMap::new(),
                    next: 0,
                },
            ),
            gc: CancellationToken::new(rt),
            capacity,
        }
    }

    /// [`Provider::new`] plus the GC task, sweeping closed listeners every `gc_interval`. With
    /// `None` the GC task only waits for [`Provider::close`] (spec §5: tickers are irrelevant
    /// to the models, and a ticker that never stops would keep virtual time running forever).
    pub fn start(rt: &R, capacity: usize, gc_interval: Option<Duration>) -> Arc<Self> {
        let provider = Arc::new(Provider::new(rt, capacity));
        let p = provider.clone();
        drop(rt.spawn("provider-gc", async move { p.gc_loop(gc_interval).await }));
        provider
    }

    async fn gc_loop(&self, interval: Option<Duration>) {
        let Some(interval) = interval else {
            return self.gc.cancelled().await;
        };
        loop {
            let tick = future_arm(self.rt.sleep(interval));
            if let Select2::First(()) = select2(&self.rt, self.gc.cancelled_arm(), tick).await {
                return;
            }
            let mut store = self.mtx.lock().await;
            store.listeners.retain(|_, l| !l.done.is_cancelled());
        }
    }

    /// Snapshot of every alert plus a subscription to later ones, atomically.
    pub async fn slurp_and_subscribe(&self, name: &str) -> (Vec<Alert>, Subscription<R>) {
        let mut store = self.mtx.lock().await;
        let snapshot = store.alerts.values().cloned().collect();
        let (tx, rx) = mpsc::channel(&self.rt, self.capacity);
        let done = CancellationToken::new(&self.rt);
        let id = store.next;
        store.next += 1;
        store.listeners.insert(
            id,
            Listener {
                name: name.to_string(),
                tx,
                done: done.clone(),
            },
        );
        (snapshot, Subscription { rx, done })
    }

    /// Stores the alerts and offers each to every listener (blocking on a full channel while
    /// holding the mutex, unless that listener's `done` is closed).
    pub async fn put(&self, alerts: Vec<Alert>) {
        let mut store = self.mtx.lock().await;
        for alert in alerts {
            store.alerts.insert(alert.fingerprint(), alert.clone());
            for listener in store.listeners.values() {
                let send = listener.tx.send_arm(alert.clone());
                // A closed receiver makes the send arm ready with an error: nothing to deliver.
                let _ = select2(&self.rt, send, listener.done.cancelled_arm()).await;
            }
        }
    }

    /// Stops the GC task only (Alertmanager's `Close`).
    pub fn close(&self) {
        self.gc.cancel();
    }

    /// Names of the registered listeners (for oracles; takes the mutex).
    pub async fn listener_names(&self) -> Vec<String> {
        self.mtx
            .lock()
            .await
            .listeners
            .values()
            .map(|l| l.name.clone())
            .collect()
    }
}
