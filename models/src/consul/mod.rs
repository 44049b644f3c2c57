//! Consul's node-local alias checks and the agent-local state they read
//! (`shared/specs/consul-alias.md`), with PR 5876's three fixes, and the correction of its
//! third (PR 8346), toggled at run time by [`Fixes`].
//!
//! - [`State`]: the checks map and the alias notify map (§1.1, §2.1-§2.6).
//! - [`CheckAlias`]: `Start`, `Stop` and the mirroring task `runLocal` (§2.7, §2.8).
//! - [`Agent`]: service registration with alias re-registration and the deferred restore, and
//!   shutdown (§2.9).
//! - [`Probe`]: what the oracles O-alive, O-slot, O-final and O-bound see (§6.4, §5).

mod agent;
mod alias;
mod fixes;
mod local_state;
mod probe;
mod status;

use std::time::Duration;

pub use agent::{Agent, AgentOptions, ServiceDef};
pub use alias::CheckAlias;
pub use fixes::{Fixes, Lifetime};
pub use local_state::{CheckDef, HealthCheck, State};
pub use probe::{Oracles, Phase, Probe, O_ALIVE, O_BOUND, O_SLOT};
pub use status::{mirrors, worst, Status};

/// Fix 2's reconcile interval: the alias re-reads its inputs this long after its last update
/// (spec §5; the duration PR 5876 borrowed from remote aliases).
pub const RECONCILE: Duration = Duration::from_secs(60);
