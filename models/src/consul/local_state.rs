//! Consul's agent-local state (`agent/local/state.go`; `shared/specs/consul-alias.md` §1.1,
//! §1.2, §2.1-§2.6): the checks map, the alias notify map, and their operations.
//!
//! - The `RWMutex` `L` is a weft [`Mutex`]. Every critical section of `L` in this code is
//!   short and never blocks, and its happens-before edges are the ones the race check needs
//!   (a writer's unlock → a later reader's lock, a reader's unlock → a later writer's lock).
//!   A mutex adds reader → reader edges, which order only reads, so no data race is hidden
//!   (spec §3.1, §9).
//! - A check's status lives in a [`SharedCell`] inside a shared [`HealthCheck`], so reading it
//!   after `L` is released, unordered with an in-place write, is a detected data race (bug 1).
//!   With [`Fixes::deep_clone`], readers get private copies made under `L`; with
//!   [`Fixes::copy_on_write`], writers never touch an installed `HealthCheck`.
//! - The notify map has one slot per (aliased service, alias check): a capacity-1 channel
//!   whose sends never block (a failed send is dropped: a token is already pending).
//!   Registering overwrites the slot, removing deletes it whoever filled it (spec §2.5).

use std::collections::BTreeMap;
use std::sync::Arc;

use weft_core::sync::{mpsc, Mutex, SharedCell};
use weft_core::Runtime;

use super::probe::Probe;
use super::status::{mirrors, worst, Status};
use super::Fixes;

/// A health check record (`structs.HealthCheck`, reduced to what the alias reads).
pub struct HealthCheck<R: Runtime> {
    /// `CheckID`.
    pub id: String,
    /// `ServiceID` (`""`: a node-level check).
    pub service: String,
    status: SharedCell<R, Status>,
}

impl<R: Runtime> std::fmt::Debug for HealthCheck<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HealthCheck")
            .field("id", &self.id)
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

impl<R: Runtime> HealthCheck<R> {
    fn new(rt: &R, id: &str, service: &str, status: Status) -> Self {
        HealthCheck {
            id: id.to_string(),
            service: service.to_string(),
            status: SharedCell::new(rt, status),
        }
    }

    /// Reads `Status` (a checked plain read: `[U! r HC.Status]` when the record is shared).
    #[track_caller]
    pub fn status(&self) -> Status {
        self.status.get()
    }

    /// `HealthCheck.Clone`: a one-level copy (reads `Status`).
    fn copy(&self, rt: &R) -> Self {
        HealthCheck::new(rt, &self.id, &self.service, self.status.get())
    }
}

/// A check registration: what `AddCheck` installs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckDef {
    /// `CheckID`.
    pub id: String,
    /// `ServiceID`.
    pub service: String,
    /// Its initial status (critical for a new service check, and for checks restored from
    /// disk: spec §2.3 step 3).
    pub status: Status,
    /// For an alias check: the service it mirrors.
    pub alias_of: Option<String>,
}

/// `local.CheckState`: the installed record and its deletion mark.
struct CheckState<R: Runtime> {
    check: Arc<HealthCheck<R>>,
    deleted: bool,
}

/// One notify slot: the registered channel and which alias task registered it.
struct Slot<R: Runtime> {
    tx: mpsc::Sender<R, ()>,
    task: u64,
}

struct Inner<R: Runtime> {
    checks: BTreeMap<String, CheckState<R>>,
    /// `checkAliases`: aliased service → alias check → slot.
    aliases: BTreeMap<String, BTreeMap<String, Slot<R>>>,
}

/// The local state; see the module documentation.
pub struct State<R: Runtime> {
    rt: R,
    fixes: Fixes,
    inner: Mutex<R, Inner<R>>,
    probe: Arc<Probe<R>>,
}

impl<R: Runtime> std::fmt::Debug for State<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("fixes", &self.fixes)
            .finish_non_exhaustive()
    }
}

impl<R: Runtime> State<R> {
    /// An empty local state.
    pub fn new(rt: &R, fixes: Fixes, probe: Arc<Probe<R>>) -> Self {
        State {
            rt: rt.clone(),
            fixes,
            inner: Mutex::new(
                rt,
                Inner {
                    checks: BTreeMap::new(),
                    aliases: BTreeMap::new(),
                },
            ),
            probe,
        }
    }

    /// `notifyIfAliased` (spec §2.1), with `L` held: a non-blocking send to every alias
    /// registered for `service`. BTreeMap order stands for Go's random map order: with one
    /// slot per (S, A) and one alias per model, the order changes nothing.
    fn notify_if_aliased(&self, inner: &Inner<R>, service: &str) {
        for slot in inner
            .aliases
            .get(service)
            .into_iter()
            .flat_map(|m| m.values())
        {
            if slot.tx.try_send(()).is_ok() {
                self.probe.token_sent(slot.task);
            }
        }
    }

    fn install(&self, inner: &mut Inner<R>, def: &CheckDef) {
        let check = HealthCheck::new(&self.rt, &def.id, &def.service, def.status);
        inner.checks.insert(
            def.id.clone(),
            CheckState {
                check: Arc::new(check),
                deleted: false,
            },
        );
        self.probe.installed(&def.id, &def.service, def.status);
        self.notify_if_aliased(inner, &def.service);
    }

    /// `AddCheck` (spec §2.3): installs a new record for `def.id`, replacing any old one (its
    /// holders keep the old, now stale, object), and notifies the check's service's aliases.
    pub async fn add_check(&self, def: &CheckDef) {
        let mut inner = self.inner.lock().await;
        self.install(&mut inner, def);
    }

    /// `AddServiceWithChecks` (spec §2.3): every check under one hold of `L`.
    pub async fn add_service_with_checks(&self, defs: &[CheckDef]) {
        let mut inner = self.inner.lock().await;
        for def in defs {
            self.install(&mut inner, def);
        }
    }

    /// `UpdateCheck` (spec §2.2). Dropped if the check is missing or deleted; a no-op if the
    /// status is unchanged. Notifies the check's service's aliases, then writes the status:
    /// in place on the installed `HealthCheck` (before PR 5876), or on a private clone that
    /// replaces it before `L` is released ([`Fixes::copy_on_write`]).
    pub async fn update_check(&self, id: &str, status: Status) {
        let mut inner = self.inner.lock().await;
        let Some(entry) = inner.checks.get(id).filter(|c| !c.deleted) else {
            return;
        };
        let installed = entry.check.clone();
        if installed.status() == status {
            return;
        }
        let target = if self.fixes.copy_on_write {
            Arc::new(installed.copy(&self.rt))
        } else {
            installed
        };
        self.notify_if_aliased(&inner, &target.service);
        target.status.set(status);
        if self.fixes.copy_on_write {
            if let Some(entry) = inner.checks.get_mut(id) {
                entry.check = target;
            }
        }
        self.probe.status_written(id, status);
    }

    /// `RemoveCheck` (spec §2.4): notifies, then marks the record deleted (in place).
    pub async fn remove_check(&self, id: &str) -> Result<(), String> {
        let mut inner = self.inner.lock().await;
        let service = match inner.checks.get(id) {
            Some(c) if !c.deleted => c.check.service.clone(),
            _ => return Err(format!("check {id:?} does not exist")),
        };
        self.notify_if_aliased(&inner, &service);
        if let Some(entry) = inner.checks.get_mut(id) {
            entry.deleted = true;
        }
        self.probe.deleted(id);
        Ok(())
    }

    /// `Checks()` (spec §2.6): every live check, cloned under `L`. Before fix 1a the clone
    /// shares the live `HealthCheck`, so reading a returned status races with `UpdateCheck`.
    pub async fn checks(&self) -> BTreeMap<String, Arc<HealthCheck<R>>> {
        let inner = self.inner.lock().await;
        inner
            .checks
            .iter()
            .filter(|(_, c)| !c.deleted)
            .map(|(id, c)| {
                let check = if self.fixes.deep_clone {
                    Arc::new(c.check.copy(&self.rt))
                } else {
                    c.check.clone()
                };
                (id.clone(), check)
            })
            .collect()
    }

    /// `Check(id)` (spec §2.6): the **live** record, before and after the PR. Safe to read
    /// only with copy-on-write.
    pub async fn check(&self, id: &str) -> Option<Arc<HealthCheck<R>>> {
        let inner = self.inner.lock().await;
        inner
            .checks
            .get(id)
            .filter(|c| !c.deleted)
            .map(|c| c.check.clone())
    }

    /// `AddAliasCheck` (spec §2.5): slot (`aliased`, `alias`) := `tx`, whatever it held.
    /// `task` is the registering alias task's generation (for O-slot).
    pub async fn add_alias_check(
        &self,
        alias: &str,
        aliased: &str,
        task: u64,
        tx: mpsc::Sender<R, ()>,
    ) {
        let mut inner = self.inner.lock().await;
        inner
            .aliases
            .entry(aliased.to_string())
            .or_default()
            .insert(alias.to_string(), Slot { tx, task });
        self.probe.registered(task);
        self.probe.slot_changed(Some(task));
    }

    /// `RemoveAliasCheck` (spec §2.5): deletes slot (`aliased`, `alias`) **whoever filled it**.
    pub async fn remove_alias_check(&self, alias: &str, aliased: &str) {
        let mut inner = self.inner.lock().await;
        if let Some(slots) = inner.aliases.get_mut(aliased) {
            slots.remove(alias);
            if slots.is_empty() {
                inner.aliases.remove(aliased);
            }
        }
        self.probe.slot_changed(None);
    }

    /// For O-final: the alias check's installed status and the status its inputs call for,
    /// read under `L` (`None` if the alias check is not installed).
    pub async fn alias_view(&self, alias: &str, aliased: &str) -> Option<(Status, Status)> {
        let inner = self.inner.lock().await;
        let own = inner
            .checks
            .get(alias)
            .filter(|c| !c.deleted)?
            .check
            .status();
        let inputs = worst(
            inner
                .checks
                .values()
                .filter(|c| !c.deleted && mirrors(aliased, &c.check.service))
                .map(|c| c.check.status()),
        );
        Some((own, inputs))
    }
}
