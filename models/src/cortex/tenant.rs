//! Cortex's per-tenant Alertmanager (`pkg/alertmanager/alertmanager.go`;
//! `shared/specs/alertmanager.md` §2.4, §3.3).
//!
//! - [`TenantAlertmanager::new`] starts the tenant's own tasks: one maintenance task tracked by
//!   `wg` (nflog and silences, which exit when `stop` closes) and the provider's GC task.
//! - [`TenantAlertmanager::apply_config`] stops the previous generation (inhibitor, then
//!   dispatcher) and starts a new one. Before PR 7618 it spawns the dispatcher, then the
//!   inhibitor, and returns without waiting (B1, B2, B3). With [`Fixes::barrier`] it starts the
//!   inhibitor and waits for its loading, then the dispatcher and waits for its loading.
//! - The API's `GroupFunc` reads the current dispatcher: a plain field written by
//!   `apply_config` with no lock (B6), or with [`Fixes::atomic_dispatcher`] an atomic pointer
//!   published only after the dispatcher loaded.
//! - [`TenantAlertmanager::stop`] is single-shot (it closes `stop`; a second call is Go's "close
//!   of closed channel" panic); [`TenantAlertmanager::stop_and_wait`] also waits for `wg`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use weft_core::sync::{Atomic, CancellationToken, Mutex, SharedCell, WaitGroup};
use weft_core::{FailureKind, Fault, Runtime};

use super::Fixes;
use crate::alertmanager::{
    Alert, Dispatcher, DispatcherConfig, InhibitRule, Inhibitor, Notification, NotifyOracle,
    Pipeline, Provider,
};

/// A client's deadline on an API request (a request on a dispatcher that never loads waits
/// this long; spec §4 B6).
pub const REQUEST_DEADLINE: std::time::Duration = std::time::Duration::from_millis(50);

/// How much of a tenant Alertmanager a model runs.
#[derive(Clone)]
pub struct TenantOptions {
    /// The dispatcher of each generation.
    pub dispatcher: DispatcherConfig,
    /// The inhibitor's rules.
    pub rules: Vec<InhibitRule>,
    /// Run real dispatcher and inhibitor generations. `false` is spec §5 M4's abstraction for
    /// registry models: an Alertmanager is its tenant tasks plus a generation counter.
    pub components: bool,
    /// Run an inhibitor generation beside each dispatcher (Cortex always does; spec §5 M6
    /// leaves it out of the minimal B6 model).
    pub inhibitor: bool,
    /// Start the provider's GC task (it only waits for `close`; spec §5 lets models omit it).
    pub provider_gc: bool,
    /// Checks every notification (bug B3's oracle).
    pub oracle: Option<NotifyOracle>,
}

impl std::fmt::Debug for TenantOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TenantOptions")
            .field("dispatcher", &self.dispatcher)
            .field("rules", &self.rules)
            .field("components", &self.components)
            .field("inhibitor", &self.inhibitor)
            .field("provider_gc", &self.provider_gc)
            .field("oracle", &self.oracle.is_some())
            .finish()
    }
}

impl Default for TenantOptions {
    fn default() -> Self {
        TenantOptions {
            dispatcher: DispatcherConfig::default(),
            rules: Vec::new(),
            components: true,
            inhibitor: true,
            provider_gc: true,
            oracle: None,
        }
    }
}

/// A tenant's Alertmanager; see the module documentation.
pub struct TenantAlertmanager<R: Runtime> {
    rt: R,
    id: u64,
    tenant: String,
    options: TenantOptions,
    fixes: Fixes,
    provider: Arc<Provider<R>>,
    /// `am.dispatcher`: the plain pointer (B6).
    dispatcher: SharedCell<R, Option<Arc<Dispatcher<R>>>>,
    /// The fix: an atomic pointer, stored after loading.
    published: Atomic<R, Option<Arc<Dispatcher<R>>>>,
    /// `am.inhibitor`: plain, but its callers are serialized (a race here would be reported).
    inhibitor: SharedCell<R, Option<Arc<Inhibitor<R>>>>,
    generation: SharedCell<R, u64>,
    stop: CancellationToken<R>,
    wg: Arc<WaitGroup<R>>,
    sent: Arc<Mutex<R, Vec<Notification>>>,
    stopped: AtomicBool,
}

impl<R: Runtime> std::fmt::Debug for TenantAlertmanager<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TenantAlertmanager")
            .field("tenant", &self.tenant)
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl<R: Runtime> TenantAlertmanager<R> {
    /// `New`: the provider, and the tenant's maintenance task (tracked by `wg`).
    pub fn new(rt: &R, tenant: &str, id: u64, options: TenantOptions, fixes: Fixes) -> Arc<Self> {
        let provider = if options.components && options.provider_gc {
            Provider::start(rt, 200, None)
        } else {
            Arc::new(Provider::new(rt, 200))
        };
        let am = Arc::new(TenantAlertmanager {
            rt: rt.clone(),
            id,
            tenant: tenant.to_string(),
            options,
            fixes,
            provider,
            dispatcher: SharedCell::new(rt, None),
            published: Atomic::new(rt, None),
            inhibitor: SharedCell::new(rt, None),
            generation: SharedCell::new(rt, 0),
            stop: CancellationToken::new(rt),
            wg: Arc::new(WaitGroup::new(rt)),
            sent: Arc::new(Mutex::new(rt, Vec::new())),
            stopped: AtomicBool::new(false),
        });
        let stop = am.stop.clone();
        drop(am.wg.spawn(&format!("am-{id}-maintenance"), async move {
            stop.cancelled().await;
        }));
        am
    }

    /// This instance's id (unique within a model run).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The tenant.
    pub fn tenant(&self) -> &str {
        &self.tenant
    }

    /// The alert provider (the API's `POST /alerts` puts into it).
    pub fn provider(&self) -> &Arc<Provider<R>> {
        &self.provider
    }

    /// How many configurations were applied.
    pub fn generations(&self) -> u64 {
        self.generation.get()
    }

    /// Whether `stop` ran (for oracles; not a model step).
    pub fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }

    /// Notifications sent so far, every generation.
    pub async fn notifications(&self) -> Vec<Notification> {
        self.sent.lock().await.clone()
    }

    async fn current_dispatcher(&self) -> Option<Arc<Dispatcher<R>>> {
        if self.fixes.atomic_dispatcher {
            self.published.load().await
        } else {
            self.dispatcher.get()
        }
    }

    /// `ApplyConfig` (§3.3): stop the previous generation, start the next.
    pub async fn apply_config(&self) {
        let generation = self.generation.update(|g| {
            *g += 1;
            *g
        });
        if !self.options.components {
            return;
        }
        if let Some(old) = self.inhibitor.get() {
            old.stop().await; // step 3
        }
        if let Some(old) = self.current_dispatcher().await {
            old.stop().await; // step 4
        }
        let inhibitor = self
            .options
            .inhibitor
            .then(|| Inhibitor::new(&self.rt, self.provider.clone(), self.options.rules.clone()));
        self.inhibitor.set(inhibitor.clone()); // step 5
        let pipeline = Pipeline::new(
            &self.rt,
            inhibitor.clone(),
            generation,
            self.sent.clone(),
            self.options.oracle.clone(),
        ); // step 7
        let dispatcher = Dispatcher::with_pipeline(
            &self.rt,
            self.provider.clone(),
            self.options.dispatcher.clone(),
            Some(pipeline),
        );
        if !self.fixes.atomic_dispatcher {
            self.dispatcher.set(Some(dispatcher.clone())); // step 8: [RACY-W am.dispatcher]
        }
        let run_name = format!("am-{}-g{generation}-dispatcher", self.id);
        let inhibit_name = format!("am-{}-g{generation}-inhibitor", self.id);
        if self.fixes.barrier {
            if let Some(inhibitor) = &inhibitor {
                drop(self.rt.spawn(&inhibit_name, inhibitor.clone().run())); // 9'
                inhibitor.wait_for_loading().await; // 10'
            }
            drop(self.rt.spawn(&run_name, dispatcher.clone().run())); // 11'
            dispatcher.wait_for_loading().await; // 12'
        } else {
            drop(self.rt.spawn(&run_name, dispatcher.clone().run())); // 9
            if let Some(inhibitor) = inhibitor {
                drop(self.rt.spawn(&inhibit_name, inhibitor.run())); // 10
            }
        }
        if self.fixes.atomic_dispatcher {
            self.published.store(Some(dispatcher)).await; // published after loading
        }
    }

    /// `Stop` (§3.3): inhibitor, dispatcher, provider, then close `stop` (single-shot).
    pub async fn stop(&self) {
        if let Some(i) = self.inhibitor.get() {
            i.stop().await;
        }
        if let Some(d) = self.current_dispatcher().await {
            d.stop().await;
        }
        self.provider.close();
        if self.stopped.swap(true, Ordering::SeqCst) {
            self.rt.fail(Fault::new(
                FailureKind::Panic,
                format!(
                    "Alertmanager {} (tenant {}) stopped twice: close of closed channel am.stop",
                    self.id, self.tenant
                ),
            ));
        }
        self.stop.cancel();
    }

    /// `StopAndWait` (§3.3): `stop`, then wait for the tenant's maintenance tasks. It does not
    /// wait for inhibitor or aggregation-group tasks.
    pub async fn stop_and_wait(&self) {
        self.stop().await;
        self.wg.wait().await;
    }

    /// The API's `GroupFunc` (§3.3): read the current dispatcher, then `Groups` with the
    /// request's context and its [`REQUEST_DEADLINE`]. `None` if there is no dispatcher, or
    /// `ctx` or the deadline ended first.
    pub async fn group_func(&self, ctx: &CancellationToken<R>) -> Option<Vec<Vec<Alert>>> {
        let dispatcher = self.current_dispatcher().await; // [RACY-R am.dispatcher]
        dispatcher?.groups(ctx, REQUEST_DEADLINE).await
    }
}
