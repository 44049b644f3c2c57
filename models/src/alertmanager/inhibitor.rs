//! The inhibitor (`inhibit.Inhibitor` v0.32.1; `shared/specs/alertmanager.md` §2.3, §3.2).
//!
//! The lifecycle that matters (bug B2): [`Inhibitor::new`] adds 1 to the `loading` WaitGroup in
//! the caller's task; [`Inhibitor::run`] installs its cancel under the mutex only when it runs;
//! [`Inhibitor::stop`] cancels what is installed and **does nothing when nothing is installed
//! yet**, and nothing remembers that a stop was asked for. A `stop` that beats `run` to the
//! mutex therefore leaves `run`, its actor and its rule GC tasks running forever.

use std::sync::Arc;

use weft_core::sync::{mpsc, select2, CancellationToken, Mutex, Select2, WaitGroup};
use weft_core::Runtime;

use super::{Alert, Provider};

/// An inhibit rule: an alert matching `target` is muted while an alert matching `source` with
/// the same values of the `equal` labels exists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InhibitRule {
    /// Label equalities a source alert must satisfy.
    pub source: Vec<(String, String)>,
    /// Label equalities a target alert must satisfy.
    pub target: Vec<(String, String)>,
    /// Labels whose values must be equal in source and target.
    pub equal: Vec<String>,
}

fn matches(alert: &Alert, matchers: &[(String, String)]) -> bool {
    matchers
        .iter()
        .all(|(k, v)| alert.labels.get(k).is_some_and(|x| x == v))
}

impl InhibitRule {
    /// A rule from `(label, value)` matchers and equal labels.
    pub fn new(source: &[(&str, &str)], target: &[(&str, &str)], equal: &[&str]) -> Self {
        let own = |m: &[(&str, &str)]| {
            m.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        InhibitRule {
            source: own(source),
            target: own(target),
            equal: equal.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Whether `source` (a cached source alert) inhibits `target` under this rule.
    pub fn inhibits(&self, source: &Alert, target: &Alert) -> bool {
        source != target
            && matches(target, &self.target)
            && self
                .equal
                .iter()
                .all(|l| source.labels.get(l) == target.labels.get(l))
    }
}

/// The inhibitor; see the module documentation.
pub struct Inhibitor<R: Runtime> {
    rt: R,
    provider: Arc<Provider<R>>,
    rules: Vec<InhibitRule>,
    /// `ih.mtx` guarding `ih.cancel` (an RWMutex in Go; readers and the writer never overlap
    /// here, so a mutex has the same ordering).
    cancel: Mutex<R, Option<CancellationToken<R>>>,
    loading: WaitGroup<R>,
    /// Per rule, the source alerts seen (the rule's `scache`).
    cache: Mutex<R, Vec<Vec<Alert>>>,
    rule_gc: bool,
}

impl<R: Runtime> std::fmt::Debug for Inhibitor<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inhibitor")
            .field("rules", &self.rules.len())
            .finish_non_exhaustive()
    }
}

impl<R: Runtime> Inhibitor<R> {
    /// `NewInhibitor`: `loading` is set to 1 here, in the caller's task (§3.2); no cancel yet.
    pub fn new(rt: &R, provider: Arc<Provider<R>>, rules: Vec<InhibitRule>) -> Arc<Self> {
        Self::with_rule_gc(rt, provider, rules, true)
    }

    /// [`Inhibitor::new`]; with `rule_gc == false`, `run` starts no per-rule cache GC task
    /// (spec §5 M2 marks them optional: they only wait for the run context).
    pub fn with_rule_gc(
        rt: &R,
        provider: Arc<Provider<R>>,
        rules: Vec<InhibitRule>,
        rule_gc: bool,
    ) -> Arc<Self> {
        let loading = WaitGroup::new(rt);
        loading.add(1);
        Arc::new(Inhibitor {
            rt: rt.clone(),
            provider,
            cache: Mutex::new(rt, vec![Vec::new(); rules.len()]),
            rules,
            cancel: Mutex::new(rt, None),
            loading,
            rule_gc,
        })
    }

    /// `Run` (§3.2), meant to be spawned as its own task: install the cancel under the mutex,
    /// start one GC task per rule and the actor, and block until the actor returns.
    pub async fn run(self: Arc<Self>) {
        let ctx = {
            let mut cancel = self.cancel.lock().await; // steps 1-3
            let ctx = CancellationToken::new(&self.rt);
            *cancel = Some(ctx.clone());
            ctx
        };
        let run_ctx = ctx.child_token(); // step 4
        for i in 0..self.rules.len() * usize::from(self.rule_gc) {
            let gc_ctx = run_ctx.clone();
            drop(self.rt.spawn(&format!("inhibitor-gc-{i}"), async move {
                gc_ctx.cancelled().await;
            }));
        }
        let actor_ctx = run_ctx.clone();
        let actor = self
            .rt
            .spawn("inhibitor-actor", self.clone().actor(actor_ctx)); // step 5
        actor.join().await;
        run_ctx.cancel();
    }

    /// `ih.run` (§3.2 actor): slurp and cache, release `loading`, then follow the subscription
    /// until `run_ctx` ends.
    async fn actor(self: Arc<Self>, run_ctx: CancellationToken<R>) {
        let (slurped, subscription) = self.provider.slurp_and_subscribe("inhibitor").await;
        for alert in slurped {
            self.cache_alert(alert).await;
        }
        self.loading.done(); // step 3: WaitForLoading returns
        let (mut rx, it_done) = subscription.into_parts();
        while let Select2::Second(Some(alert)) =
            select2(&self.rt, run_ctx.cancelled_arm(), rx.recv_arm()).await
        {
            self.cache_alert(alert).await;
        }
        it_done.cancel(); // the iterator's deferred Close
        drop::<mpsc::Receiver<R, Alert>>(rx);
    }

    async fn cache_alert(&self, alert: Alert) {
        let mut cache = self.cache.lock().await;
        for (i, rule) in self.rules.iter().enumerate() {
            if matches(&alert, &rule.source) && !cache[i].contains(&alert) {
                cache[i].push(alert.clone());
            }
        }
    }

    /// `Stop` (§3.2): cancel what `run` installed; **a no-op if `run` has not installed it**.
    pub async fn stop(&self) {
        let cancel = self.cancel.lock().await;
        if let Some(ctx) = &*cancel {
            ctx.cancel();
        }
    }

    /// `WaitForLoading`: returns once the actor cached its slurp (never, if `run` never runs).
    pub async fn wait_for_loading(&self) {
        self.loading.wait().await;
    }

    /// `Mutes`: whether a cached source alert inhibits `alert` under some rule.
    pub async fn mutes(&self, alert: &Alert) -> bool {
        let cache = self.cache.lock().await;
        self.rules
            .iter()
            .zip(cache.iter())
            .any(|(rule, sources)| sources.iter().any(|s| rule.inhibits(s, alert)))
    }
}
