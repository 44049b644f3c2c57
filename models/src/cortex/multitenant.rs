//! Cortex's `MultitenantAlertmanager` (`pkg/alertmanager/multitenant.go`;
//! `shared/specs/alertmanager.md` §2.5, §3.4): the tenant registry.
//!
//! One mutex guards the tenant map, the applied configs and (with [`Fixes::shutdown_gate`]) the
//! `shuttingDown` flag. Requests for an unknown tenant create it lazily from the fallback
//! config. Before PR 7618 nothing stops that lazy create from running after shutdown stopped
//! every tenant (B4): the new tenant is registered after shutdown, never stopped, and the
//! request is answered 200. With the gate, stopping() sets the flag in the same critical section
//! in which it stops the map, setConfig checks it first, and the request gets 503.
//!
//! Critical sections with no internal blocking are one step each, as spec §5 allows; the
//! ones that stop or apply configs hold the mutex across those waits, as Cortex does.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex as StdMutex};

use weft_core::sync::{Atomic, CancellationToken, Mutex};
use weft_core::Runtime;

use super::{Fixes, TenantAlertmanager, TenantOptions};

const RUNNING: u8 = 0;
const STOPPING: u8 = 1;
const TERMINATED: u8 = 2;

/// An HTTP status, as the registry answers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// 200: served by a tenant Alertmanager.
    Ok,
    /// 404: unknown tenant and no fallback config.
    NotFound,
    /// 500: the lazy create failed.
    Internal,
    /// 503: not ready, or shutting down.
    Unavailable,
}

impl Status {
    /// The numeric code.
    pub fn code(self) -> u16 {
        match self {
            Status::Ok => 200,
            Status::NotFound => 404,
            Status::Internal => 500,
            Status::Unavailable => 503,
        }
    }
}

/// A request's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServeOutcome {
    /// The status.
    pub status: Status,
    /// The id of the Alertmanager instance that served a 200.
    pub served_by: Option<u64>,
    /// Why, in a few words ("served", "shutting down", ...).
    pub reason: &'static str,
}

/// Why `setConfig` refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetConfigError {
    /// The gate: the registry is shutting down (`errAlertmanagerShuttingDown`).
    ShuttingDown,
    /// An empty config and no fallback.
    NoFallback,
}

impl fmt::Display for SetConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SetConfigError::ShuttingDown => "Alertmanager is shutting down",
            SetConfigError::NoFallback => "empty config and no fallback config",
        })
    }
}

struct Registry<R: Runtime> {
    ams: BTreeMap<String, Arc<TenantAlertmanager<R>>>,
    cfgs: BTreeMap<String, String>,
    shutting_down: bool,
}

/// The tenant registry; see the module documentation.
pub struct MultitenantAlertmanager<R: Runtime> {
    rt: R,
    options: TenantOptions,
    fixes: Fixes,
    fallback: Option<String>,
    mtx: Mutex<R, Registry<R>>,
    /// The object store's per-tenant configs (`[IO]`).
    store: Mutex<R, BTreeMap<String, String>>,
    state: Atomic<R, u8>,
    next_id: AtomicU64,
    /// Oracle bookkeeping, not model state: every instance created, and the ids in the map at
    /// stopping()'s critical section.
    created: StdMutex<Vec<Arc<TenantAlertmanager<R>>>>,
    at_stopping: StdMutex<Option<AtStopping>>,
}

/// What stopping()'s critical section saw (oracle bookkeeping).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AtStopping {
    /// Ids of the Alertmanagers in the map.
    pub in_map: Vec<u64>,
    /// Every instance created before has a smaller id.
    pub next_id: u64,
}

impl<R: Runtime> fmt::Debug for MultitenantAlertmanager<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MultitenantAlertmanager")
            .field("fixes", &self.fixes)
            .finish_non_exhaustive()
    }
}

impl<R: Runtime> MultitenantAlertmanager<R> {
    /// A running registry whose tenants are built with `options`; `fallback` is the config a
    /// lazily created tenant gets.
    pub fn new(rt: &R, options: TenantOptions, fixes: Fixes, fallback: Option<&str>) -> Arc<Self> {
        Arc::new(MultitenantAlertmanager {
            rt: rt.clone(),
            options,
            fixes,
            fallback: fallback.map(str::to_string),
            mtx: Mutex::new(
                rt,
                Registry {
                    ams: BTreeMap::new(),
                    cfgs: BTreeMap::new(),
                    shutting_down: false,
                },
            ),
            store: Mutex::new(rt, BTreeMap::new()),
            state: Atomic::new(rt, RUNNING),
            next_id: AtomicU64::new(1),
            created: StdMutex::new(Vec::new()),
            at_stopping: StdMutex::new(None),
        })
    }

    /// `setConfig` (§3.4): create or reconfigure one tenant, under the registry mutex.
    pub async fn set_config(&self, tenant: &str, raw: &str) -> Result<(), SetConfigError> {
        let mut reg = self.mtx.lock().await;
        if self.fixes.shutdown_gate && reg.shutting_down {
            return Err(SetConfigError::ShuttingDown); // step 3 (fix)
        }
        if raw.is_empty() && self.fallback.is_none() {
            return Err(SetConfigError::NoFallback);
        }
        match reg.ams.get(tenant).cloned() {
            None => {
                let id = self.next_id.fetch_add(1, Ordering::SeqCst);
                let am =
                    TenantAlertmanager::new(&self.rt, tenant, id, self.options.clone(), self.fixes);
                am.apply_config().await;
                self.created
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(am.clone());
                reg.ams.insert(tenant.to_string(), am);
            }
            Some(am) => {
                if reg.cfgs.get(tenant).map(String::as_str) != Some(raw) {
                    am.apply_config().await;
                }
            }
        }
        reg.cfgs.insert(tenant.to_string(), raw.to_string());
        Ok(())
    }

    /// `syncConfigs` (§3.4): apply every config, then remove and stop the tenants absent from
    /// `cfgs` (stopped outside the lock).
    pub async fn sync_configs(&self, cfgs: &[(&str, &str)]) {
        for (tenant, raw) in cfgs {
            let _ = self.set_config(tenant, raw).await; // errors only set metrics
        }
        let removed: Vec<_> = {
            let mut reg = self.mtx.lock().await;
            let gone: Vec<String> = reg
                .ams
                .keys()
                .filter(|t| !cfgs.iter().any(|(c, _)| c == t))
                .cloned()
                .collect();
            gone.iter()
                .filter_map(|t| {
                    reg.cfgs.remove(t);
                    reg.ams.remove(t)
                })
                .collect()
        };
        for am in removed {
            am.stop_and_wait().await;
        }
    }

    /// The service's shutdown: `run()` returns (Stopping), `stopping()`, Terminated.
    pub async fn shutdown(&self) {
        self.state.store(STOPPING).await;
        self.stopping().await;
        self.state.store(TERMINATED).await;
    }

    /// `stopping()` (§3.4): under the mutex, set the gate (with the fix) and stop every tenant.
    async fn stopping(&self) {
        let mut reg = self.mtx.lock().await;
        if self.fixes.shutdown_gate {
            reg.shutting_down = true;
        }
        *self.at_stopping.lock().unwrap_or_else(|p| p.into_inner()) = Some(AtStopping {
            in_map: reg.ams.values().map(|am| am.id()).collect(),
            next_id: self.next_id.load(Ordering::SeqCst),
        });
        for am in reg.ams.values() {
            am.stop_and_wait().await;
        }
    }

    /// `ServeHTTP` (§3.4): 503 unless the service is Running, then [`Self::serve_request`].
    pub async fn serve_http(&self, tenant: &str, ctx: &CancellationToken<R>) -> ServeOutcome {
        if self.state.load().await != RUNNING {
            return outcome(Status::Unavailable, None, "not ready");
        }
        self.serve_request(tenant, ctx).await
    }

    /// `serveRequest` (§3.4), also reached from gRPC `HandleRequest` with no state check: look
    /// the tenant up, or create it from the fallback config; the API then reads its groups.
    pub async fn serve_request(&self, tenant: &str, ctx: &CancellationToken<R>) -> ServeOutcome {
        let found = self.mtx.lock().await.ams.get(tenant).cloned();
        let am = match found {
            Some(am) => am,
            None if self.fallback.is_none() => {
                return outcome(Status::NotFound, None, "no Alertmanager for this tenant")
            }
            None => match self.create_from_fallback(tenant).await {
                Ok(am) => am,
                Err(Some(SetConfigError::ShuttingDown)) => {
                    return outcome(Status::Unavailable, None, "shutting down")
                }
                Err(_) => return outcome(Status::Internal, None, "fallback create failed"),
            },
        };
        let _ = am.group_func(ctx).await;
        outcome(Status::Ok, Some(am.id()), "served")
    }

    /// `alertmanagerFromFallbackConfig` (§3.4). `Err(None)`: the tenant vanished between the
    /// create and the final read (the nil dereference of spec §6).
    async fn create_from_fallback(
        &self,
        tenant: &str,
    ) -> Result<Arc<TenantAlertmanager<R>>, Option<SetConfigError>> {
        if self.fixes.shutdown_gate && self.mtx.lock().await.shutting_down {
            return Err(Some(SetConfigError::ShuttingDown)); // best-effort early check
        }
        self.store
            .lock()
            .await
            .insert(tenant.to_string(), String::new()); // [IO] upload the empty config
        self.set_config(tenant, "").await.map_err(Some)?;
        let am = self.mtx.lock().await.ams.get(tenant).cloned();
        am.ok_or(None)
    }

    /// Tenants in the map (takes the mutex).
    pub async fn tenants(&self) -> Vec<String> {
        self.mtx.lock().await.ams.keys().cloned().collect()
    }

    /// Every Alertmanager instance created so far (oracle bookkeeping).
    pub fn created(&self) -> Vec<Arc<TenantAlertmanager<R>>> {
        self.created
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// What stopping() saw when it took the mutex; `None` before shutdown.
    pub fn at_stopping(&self) -> Option<AtStopping> {
        self.at_stopping
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Whether shutdown finished (no scheduling point; for oracles).
    pub fn is_terminated(&self) -> bool {
        self.state.peek() == TERMINATED
    }
}

fn outcome(status: Status, served_by: Option<u64>, reason: &'static str) -> ServeOutcome {
    ServeOutcome {
        status,
        served_by,
        reason,
    }
}
