//! The agent-level paths around alias checks (`agent/agent.go`; `shared/specs/consul-alias.md`
//! §1.3, §2.9): service registration with its alias re-registration and the deferred restore
//! of check state, and shutdown.
//!
//! `a.stateLock` serializes every registration and shutdown; here it is the mutex around the
//! agent's alias map (`a.checkAliases`), held for the whole operation, including `Stop`'s wait.

use std::collections::BTreeMap;
use std::sync::Arc;

use weft_core::sync::Mutex;
use weft_core::Runtime;

use super::alias::CheckAlias;
use super::local_state::{CheckDef, State};
use super::probe::Probe;
use super::Fixes;

/// A service registration: the service's checks (its alias checks among them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceDef {
    /// `ServiceID`.
    pub id: String,
    /// Its checks, each with `ServiceID` = `id`.
    pub checks: Vec<CheckDef>,
}

/// How the agent registers services.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AgentOptions {
    /// `addServiceInternal`'s deferred `restoreCheckState(snapshot)` (spec §2.9 step 7), which
    /// PR 6144 later removed: after registering, write back every check's status from a
    /// snapshot taken before. It can revert an alias write made meanwhile (hazard H1, §8).
    pub restore_after_register: bool,
}

/// The agent; see the module documentation.
pub struct Agent<R: Runtime> {
    rt: R,
    fixes: Fixes,
    options: AgentOptions,
    state: Arc<State<R>>,
    /// `a.stateLock` + `a.checkAliases`.
    aliases: Mutex<R, BTreeMap<String, Arc<CheckAlias<R>>>>,
    probe: Arc<Probe<R>>,
}

impl<R: Runtime> std::fmt::Debug for Agent<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Agent")
            .field("fixes", &self.fixes)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<R: Runtime> Agent<R> {
    /// An agent over local state `state`.
    pub fn new(
        rt: &R,
        fixes: Fixes,
        options: AgentOptions,
        state: Arc<State<R>>,
        probe: Arc<Probe<R>>,
    ) -> Arc<Self> {
        Arc::new(Agent {
            rt: rt.clone(),
            fixes,
            options,
            state,
            aliases: Mutex::new(rt, BTreeMap::new()),
            probe,
        })
    }

    /// The local state.
    pub fn state(&self) -> &Arc<State<R>> {
        &self.state
    }

    /// `addServiceInternal` (spec §2.9), under `a.stateLock`: snapshot the checks (if the
    /// restore is on), install the service's checks, then for each alias check stop the old
    /// `CheckAlias` (and delete it from the agent's map) and start a new one; last, the
    /// deferred restore writes every snapshot status back with `UpdateCheck`. Loading services
    /// from disk at start-up takes the same path.
    pub async fn add_service(&self, service: &ServiceDef) {
        let mut aliases = self.aliases.lock().await;
        let snapshot = if self.options.restore_after_register {
            Some(self.state.checks().await)
        } else {
            None
        };
        self.state.add_service_with_checks(&service.checks).await;
        for def in &service.checks {
            let Some(aliased) = &def.alias_of else {
                continue;
            };
            if let Some(old) = aliases.remove(&def.id) {
                old.stop().await;
            }
            let alias = CheckAlias::new(
                &self.rt,
                &def.id,
                aliased,
                self.fixes,
                self.state.clone(),
                self.probe.clone(),
            );
            alias.start().await;
            aliases.insert(def.id.clone(), alias);
        }
        // `restoreCheckState`: reads each snapshot record's status (before fix 1a, a live
        // record, read without `L`) and writes it back.
        for (id, check) in snapshot.into_iter().flatten() {
            let status = check.status();
            self.state.update_check(&id, status).await;
        }
    }

    /// `Shutdown` (spec §2.9): stops every alias check (each `Stop` waits, with fix 3).
    pub async fn shutdown(&self) {
        let mut aliases = self.aliases.lock().await;
        for (_, alias) in std::mem::take(&mut *aliases) {
            alias.stop().await;
        }
    }
}
