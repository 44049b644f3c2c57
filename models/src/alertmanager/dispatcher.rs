//! The Alertmanager dispatcher (`dispatch.Dispatcher` v0.32.1; `shared/specs/alertmanager.md`
//! §2.2, §3.1). Step numbers in comments are the spec's.
//!
//! The lifecycle that matters: `run` makes the `finished` WaitGroup's **first `add` inside the
//! task** (§3.1 step 2), and [`Dispatcher::stop`] stores `Stopped`, cancels and waits (§3.1
//! Stop). A `stop` that runs before `run`'s add returns at once (§4 B1); one that runs before
//! `run`'s CAS makes `run` return without an add, and `loaded` never closes (B1c).
//!
//! Aggregation-group creation keeps the upstream check-then-act on the group counter (§3.1
//! groupAlert steps 2 and 4, bug B5) unless [`DispatcherConfig::reserve_slot`] is set, which
//! reserves a slot with one atomic step before inserting (the code fix of §4 B5).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use weft_core::sync::{
    future_arm, select2, select3, Atomic, CancellationToken, Mutex, Notify, Select2, Select3,
    WaitGroup,
};
use weft_core::Runtime;

use super::{Alert, Pipeline, Provider};

/// The dispatcher's state (§2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum DispatcherState {
    /// Constructed, `run` not started.
    Unknown = 0,
    /// `run` passed its CAS; the start timer has not fired.
    WaitingToStart = 1,
    /// Aggregation groups may start.
    Running = 2,
    /// `stop` was called.
    Stopped = 3,
}

impl DispatcherState {
    fn from_u8(v: u8) -> Self {
        match v {
            0 => DispatcherState::Unknown,
            1 => DispatcherState::WaitingToStart,
            2 => DispatcherState::Running,
            _ => DispatcherState::Stopped,
        }
    }
}

/// Tunables; small values keep models explorable.
#[derive(Clone, Debug)]
pub struct DispatcherConfig {
    /// Ingestion workers (Alertmanager: clamp(GOMAXPROCS/2, 2, 8); use 1 under loom).
    pub workers: usize,
    /// Maximum number of aggregation groups (0: unlimited).
    pub group_limit: u32,
    /// Labels whose values form an aggregation group's key.
    pub group_by: Vec<&'static str>,
    /// Delay of the start timer (Cortex: zero, "start now").
    pub start_delay: Duration,
    /// How long a new group waits before its first flush (zero: an alert older than
    /// group_wait, flushed at once).
    pub group_wait: Duration,
    /// How long a group waits between later flushes.
    pub group_interval: Duration,
    /// B5 code fix: reserve a group slot atomically before inserting.
    pub reserve_slot: bool,
    /// Spawn the maintenance task (a ticker upstream; here it only waits for the stop). Spec
    /// §5 lets minimal models omit it.
    pub maintenance: bool,
}

impl Default for DispatcherConfig {
    fn default() -> Self {
        DispatcherConfig {
            workers: 1,
            group_limit: 0,
            group_by: vec!["alertname"],
            start_delay: Duration::ZERO,
            group_wait: Duration::from_secs(30),
            group_interval: Duration::from_secs(300),
            reserve_slot: false,
            maintenance: true,
        }
    }
}

/// Counters for oracles.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DispatcherStats {
    /// Aggregation groups in the map.
    pub groups: usize,
    /// Alerts dropped because the group limit was reached.
    pub limit_reached: u32,
    /// The largest value the group counter ever had.
    pub max_group_count: u32,
    /// Group flushes (notifications).
    pub flushes: u32,
    /// Alerts routed so far (joined, created or dropped).
    pub routed: u32,
}

struct Group<R: Runtime> {
    alerts: Arc<Mutex<R, Vec<Alert>>>,
    ctx: CancellationToken<R>,
}

/// The dispatcher; see the module documentation.
pub struct Dispatcher<R: Runtime> {
    rt: R,
    config: DispatcherConfig,
    provider: Arc<Provider<R>>,
    state: Atomic<R, u8>,
    finished: Arc<WaitGroup<R>>,
    loaded: CancellationToken<R>,
    ctx: CancellationToken<R>,
    groups: Mutex<R, BTreeMap<u64, Group<R>>>,
    group_count: Atomic<R, u32>,
    /// Oracle bookkeeping, not model state: no scheduling points, no happens-before.
    stats: StdMutex<DispatcherStats>,
    flushes: Arc<Atomic<R, u32>>,
    routed: Notify<R>,
    pipeline: Option<Arc<Pipeline<R>>>,
}

impl<R: Runtime> std::fmt::Debug for Dispatcher<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dispatcher")
            .field("state", &self.state.peek())
            .finish_non_exhaustive()
    }
}

impl<R: Runtime> Dispatcher<R> {
    /// `NewDispatcher` with no notification pipeline (flushes are only counted).
    pub fn new(rt: &R, provider: Arc<Provider<R>>, config: DispatcherConfig) -> Arc<Self> {
        Self::with_pipeline(rt, provider, config, None)
    }

    /// `NewDispatcher`: state Unknown, `loaded` open, a fresh context; spawns nothing. Group
    /// flushes go through `pipeline` (inhibitor check, then a notification).
    pub fn with_pipeline(
        rt: &R,
        provider: Arc<Provider<R>>,
        config: DispatcherConfig,
        pipeline: Option<Arc<Pipeline<R>>>,
    ) -> Arc<Self> {
        Arc::new(Dispatcher {
            rt: rt.clone(),
            config,
            provider,
            state: Atomic::new(rt, DispatcherState::Unknown as u8),
            finished: Arc::new(WaitGroup::new(rt)),
            loaded: CancellationToken::new(rt),
            ctx: CancellationToken::new(rt),
            groups: Mutex::new(rt, BTreeMap::new()),
            group_count: Atomic::new(rt, 0),
            stats: StdMutex::new(DispatcherStats::default()),
            routed: Notify::new(rt),
            flushes: Arc::new(Atomic::new(rt, 0)),
            pipeline,
        })
    }

    /// `Run` (§3.1), meant to be spawned as its own task.
    pub async fn run(self: Arc<Self>) {
        let (unknown, waiting) = (
            DispatcherState::Unknown as u8,
            DispatcherState::WaitingToStart as u8,
        );
        if self.state.compare_exchange(unknown, waiting).await.is_err() {
            return; // step 1: stopped before it ran (B1c)
        }
        self.finished.add(1); // step 2: the first add, inside the task
        self.group_count.store(0).await; // step 3
        let (slurped, subscription) = self.provider.slurp_and_subscribe("dispatcher").await; // 4
        for alert in slurped {
            self.route(alert).await; // step 5, sequentially in this task
        }
        self.loaded.cancel(); // step 6: close `loaded`
        if self.config.maintenance {
            let ctx = self.ctx.clone();
            drop(
                self.finished
                    .spawn("maintenance", async move { ctx.cancelled().await }),
            ); // 7a
        }
        let d = self.clone();
        drop(
            self.finished
                .spawn("start-timer", async move { d.start_timer().await }),
        ); // 7b
        let (rx, it_done) = subscription.into_parts();
        let rx = Arc::new(Mutex::new(&self.rt, rx));
        for i in 0..self.config.workers {
            let (d, rx) = (self.clone(), rx.clone());
            drop(
                self.finished
                    .spawn(&format!("ingest-{i}"), async move { d.ingest(rx).await }),
            ); // 7c
        }
        self.ctx.cancelled().await; // step 7d
        it_done.cancel(); // step 7e: the iterator's deferred Close
        self.finished.done(); // step 8
    }

    async fn start_timer(&self) {
        self.rt.sleep(self.config.start_delay).await; // not selectable against ctx
        let (waiting, running) = (
            DispatcherState::WaitingToStart as u8,
            DispatcherState::Running as u8,
        );
        if self.state.compare_exchange(waiting, running).await.is_ok() {
            let groups = self.groups.lock().await;
            for group in groups.values() {
                self.start_group(group);
            }
        }
    }

    async fn ingest(&self, rx: Arc<Mutex<R, weft_core::sync::mpsc::Receiver<R, Alert>>>) {
        loop {
            let mut rx = rx.lock().await;
            match select2(&self.rt, rx.recv_arm(), self.ctx.cancelled_arm()).await {
                Select2::First(Some(alert)) => {
                    drop(rx);
                    self.route(alert).await;
                }
                Select2::First(None) | Select2::Second(()) => return,
            }
        }
    }

    /// `groupAlert` (§3.1) for one alert, as an ingestion worker calls it: join an existing
    /// group, or create one if the limit allows. Public so that spec §5 M5's minimal model can
    /// run two workers' routing without the rest of Run.
    pub async fn route(&self, alert: Alert) {
        self.route_group(alert).await;
        self.stats().routed += 1;
        self.routed.notify_one();
    }

    fn stats(&self) -> std::sync::MutexGuard<'_, DispatcherStats> {
        self.stats.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits until `n` alerts have been routed (joined, created or dropped).
    pub async fn wait_routed(&self, n: u32) {
        while self.stats().routed < n {
            self.routed.notified().await;
        }
    }

    async fn route_group(&self, alert: Alert) {
        let key = alert.group_key(&self.config.group_by);
        {
            let mut groups = self.groups.lock().await; // step 1: Load
            if let Some(g) = groups.get_mut(&key) {
                g.alerts.lock().await.push(alert);
                return;
            }
        }
        let limit = self.config.group_limit;
        if self.config.reserve_slot {
            // B5 fix: reserve a slot in one atomic step, give it back if we lose the race.
            let prev = self
                .group_count
                .fetch_update(move |c| if limit == 0 || c < limit { c + 1 } else { c })
                .await;
            if limit > 0 && prev >= limit {
                if !self.join_existing(key, alert).await {
                    self.stats().limit_reached += 1;
                }
                return;
            }
            if !self.insert_new(key, alert).await {
                self.group_count.fetch_update(|c| c - 1).await;
            }
        } else {
            let current = self.group_count.load().await; // step 2: check ...
            if limit > 0 && current >= limit {
                self.stats().limit_reached += 1;
                return; // dropped for this route
            }
            if self.insert_new(key, alert).await {
                self.group_count.fetch_update(|c| c + 1).await; // step 4: ... then act
            }
        }
        let count = self.group_count.peek();
        let mut stats = self.stats();
        stats.max_group_count = stats.max_group_count.max(count);
    }

    async fn join_existing(&self, key: u64, alert: Alert) -> bool {
        let mut groups = self.groups.lock().await;
        match groups.get_mut(&key) {
            Some(g) => {
                g.alerts.lock().await.push(alert);
                true
            }
            None => false,
        }
    }

    /// `LoadOrStore` of a new group; `false` if another task stored one first (the alert then
    /// joins it). Starts the group when the dispatcher is running (steps 5-6).
    async fn insert_new(&self, key: u64, alert: Alert) -> bool {
        let mut groups = self.groups.lock().await;
        if let Some(g) = groups.get_mut(&key) {
            g.alerts.lock().await.push(alert);
            return false;
        }
        let group = Group {
            alerts: Arc::new(Mutex::new(&self.rt, vec![alert])),
            ctx: self.ctx.child_token(),
        };
        if DispatcherState::from_u8(self.state.load().await) == DispatcherState::Running {
            self.start_group(&group);
        }
        groups.insert(key, group);
        true
    }

    /// `runAG`: an untracked `ag.run` task that flushes every `group_wait` until cancelled.
    /// A flush goes through the pipeline (inhibitor check, notification), if there is one.
    fn start_group(&self, group: &Group<R>) {
        let (rt, ctx) = (self.rt.clone(), group.ctx.clone());
        let (mut wait, interval) = (self.config.group_wait, self.config.group_interval);
        let (flushes, alerts) = (self.flushes.clone(), group.alerts.clone());
        let pipeline = self.pipeline.clone();
        drop(self.rt.spawn("ag.run", async move {
            loop {
                let timer = future_arm(rt.sleep(wait));
                match select2(&rt, timer, ctx.cancelled_arm()).await {
                    Select2::First(()) => {
                        wait = interval;
                        flushes.fetch_update(|f| f + 1).await;
                        if let Some(p) = &pipeline {
                            let batch = alerts.lock().await.clone();
                            p.flush(batch).await;
                        }
                    }
                    Select2::Second(()) => return,
                }
            }
        }));
    }

    /// `Groups` (§3.1): waits for `loaded`, for `ctx`, or for the request's `deadline`, then
    /// snapshots the groups' alerts. `None` when `ctx` or the deadline came first (on a
    /// dispatcher that never loads, that is the hang of §4 B6 until the client's deadline).
    pub async fn groups(
        &self,
        ctx: &CancellationToken<R>,
        deadline: Duration,
    ) -> Option<Vec<Vec<Alert>>> {
        let timeout = future_arm(self.rt.sleep(deadline));
        match select3(
            &self.rt,
            self.loaded.cancelled_arm(),
            ctx.cancelled_arm(),
            timeout,
        )
        .await
        {
            Select3::First(()) => {
                let groups = self.groups.lock().await;
                let mut out = Vec::with_capacity(groups.len());
                for g in groups.values() {
                    out.push(g.alerts.lock().await.clone());
                }
                Some(out)
            }
            Select3::Second(()) | Select3::Third(()) => None,
        }
    }

    /// `Stop` (§3.1): store Stopped, cancel, wait for the tracked tasks.
    pub async fn stop(&self) {
        self.state.store(DispatcherState::Stopped as u8).await;
        self.ctx.cancel();
        self.finished.wait().await;
    }

    /// `WaitForLoading`: returns once `run` closed `loaded` (never, if `run` lost its CAS).
    pub async fn wait_for_loading(&self) {
        self.loaded.cancelled().await;
    }

    /// The current state (no scheduling point; for oracles).
    pub fn state(&self) -> DispatcherState {
        DispatcherState::from_u8(self.state.peek())
    }

    /// Counters for oracles (takes the groups mutex to count the groups).
    pub async fn snapshot(&self) -> DispatcherStats {
        let mut s = self.stats().clone();
        s.groups = self.groups.lock().await.len();
        s.flushes = self.flushes.peek();
        s
    }
}
