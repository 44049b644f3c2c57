//! Consul PR 5876 and the races around it (`shared/specs/consul-alias.md` §4-§7, models §9).
//!
//! Every scenario runs the same system: service `web` with one check `web-check` (P), and its
//! sidecar `web-sidecar-proxy` whose alias check `web-sidecar-alias` (A) mirrors `web`. The
//! upstream task plays `web`'s HTTP checker (`UpdateCheck(P, ..)`), the registrar plays the
//! application re-registering its services through the agent's API. The root boots the agent
//! (loading both services, which starts the first alias task), runs the workload, waits for
//! quiescence, checks O-final, and shuts the agent down (which stops the last alias task: a
//! task left behind is the backend's leak check).

mod agent_restart;
mod alias_no_reconcile;
mod alias_overlap;
mod clone_race;
mod fix_combinations;

pub use agent_restart::{AgentRestart, AgentRestartVariant};
pub use alias_no_reconcile::{AliasNoReconcile, AliasNoReconcileVariant};
pub use alias_overlap::{AliasOverlap, AliasOverlapVariant};

/// The scenarios' workloads with every knob exposed, for tests.
pub mod workloads {
    pub use super::alias_no_reconcile::workload as alias_no_reconcile;
    pub use super::alias_overlap::workload as alias_overlap;
}
pub use clone_race::{CloneRace, CloneRaceVariant};
pub use fix_combinations::{fixes_of, FixCombinations, FixCombinationsVariant};

use std::sync::Arc;
use std::time::Duration;

use weft_core::{OracleId, Runtime};

use crate::consul::{
    Agent, AgentOptions, CheckDef, Fixes, Oracles, Probe, ServiceDef, State, Status, O_ALIVE,
    O_BOUND, O_SLOT, RECONCILE,
};
use crate::oracle;

const SYSTEM: &str = "Consul alias checks (PR 5876)";

/// O-final: at quiescence (or one reconcile interval after it) the alias's status is what
/// the checks of the service it mirrors say. Checked by [`World::settle_and_check`].
pub const O_FINAL: OracleId = OracleId::new("o-final");

/// The oracles a scenario arms that boots a [`World`] with [`Oracles::ALL`] and settles it.
const ORACLES: &[OracleId] = &[O_ALIVE, O_SLOT, O_FINAL, O_BOUND];

/// The aliased service S.
pub const WEB: &str = "web";
/// Its check P.
pub const WEB_CHECK: &str = "web-check";
/// The sidecar service.
pub const SIDECAR: &str = "web-sidecar-proxy";
/// The sidecar's alias check A, which mirrors [`WEB`].
pub const ALIAS: &str = "web-sidecar-alias";

/// How long after quiescence O-final looks, where fix 2's timer may have work to do: one
/// reconcile interval plus a margin, so that a timer due exactly at the interval has fired.
pub const WINDOW: Duration = RECONCILE.saturating_add(Duration::from_secs(1));

/// `web`'s registration; its check starts as `status` (critical for a new registration and
/// for a check restored from disk: spec §2.3 step 3).
pub fn web(status: Status) -> ServiceDef {
    ServiceDef {
        id: WEB.into(),
        checks: vec![CheckDef {
            id: WEB_CHECK.into(),
            service: WEB.into(),
            status,
            alias_of: None,
        }],
    }
}

/// The sidecar's registration: its alias check, installed critical.
pub fn sidecar() -> ServiceDef {
    ServiceDef {
        id: SIDECAR.into(),
        checks: vec![CheckDef {
            id: ALIAS.into(),
            service: SIDECAR.into(),
            status: Status::Critical,
            alias_of: Some(WEB.into()),
        }],
    }
}

/// A booted agent and what the oracles need.
#[derive(Debug)]
pub struct World<R: Runtime> {
    rt: R,
    /// The agent.
    pub agent: Arc<Agent<R>>,
    /// Its local state.
    pub state: Arc<State<R>>,
    /// The oracles' bookkeeping.
    pub probe: Arc<Probe<R>>,
}

impl<R: Runtime> World<R> {
    /// Boots an agent: loads `web` with its check at `web_status`, then the sidecar, which
    /// starts the first alias task.
    pub async fn boot(
        rt: &R,
        fixes: Fixes,
        options: AgentOptions,
        oracles: Oracles,
        web_status: Status,
    ) -> Self {
        let probe = Arc::new(Probe::new(rt, oracles, ALIAS, WEB));
        let state = Arc::new(State::new(rt, fixes, probe.clone()));
        let agent = Agent::new(rt, fixes, options, state.clone(), probe.clone());
        agent.add_service(&web(web_status)).await;
        agent.add_service(&sidecar()).await;
        World {
            rt: rt.clone(),
            agent,
            state,
            probe,
        }
    }

    /// Spawns the upstream checker: `UpdateCheck(P, s)` for each `s` in turn.
    pub fn upstream(&self, flaps: Vec<Status>) -> weft_core::JoinHandle<R, ()> {
        let state = self.state.clone();
        self.rt.spawn("upstream", async move {
            for status in flaps {
                state.update_check(WEB_CHECK, status).await;
            }
        })
    }

    /// Spawns the registrar: each registration in turn.
    pub fn registrar(&self, registrations: Vec<ServiceDef>) -> weft_core::JoinHandle<R, ()> {
        let agent = self.agent.clone();
        self.rt.spawn("registrar", async move {
            for service in &registrations {
                agent.add_service(service).await;
            }
        })
    }

    /// With the upstream and the registrar finished: waits for quiescence, then (`window`)
    /// lets one reconcile interval pass, checks O-final, and shuts the agent down.
    pub async fn settle_and_check(&self, window: bool) {
        self.probe.wait_settled().await;
        let when = if window {
            self.rt.sleep(WINDOW).await;
            self.probe.wait_settled().await;
            format!("{WINDOW:?} after quiescence")
        } else {
            "at quiescence".to_string()
        };
        match self.state.alias_view(ALIAS, WEB).await {
            None => oracle::violated(&self.rt, O_FINAL, "the alias check is not installed"),
            Some((own, inputs)) if own != inputs => {
                let since = self
                    .probe
                    .wrong_since()
                    .map(|t| format!(" (since {t}; now {})", self.rt.now()))
                    .unwrap_or_default();
                oracle::violated(
                    &self.rt,
                    O_FINAL,
                    format!(
                        "{when}, alias check {ALIAS:?} is {own} but the checks of \
                         {WEB:?} say {inputs}{since}"
                    ),
                )
            }
            Some(_) => {}
        }
        self.agent.shutdown().await;
    }
}
