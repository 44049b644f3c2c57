//! What the lock-family scenarios (`config-concurrency.md` §5 R4-R10) share: the server
//! settings of a lock protocol, the model's shortened timings, the recovery bound of O4 and
//! the world of two servers. Each scenario's `plan(variant)` is public so that the protocol
//! matrix (§7.5) can reuse its rows.

use std::time::Duration;

use crate::mimir::model::{ServerSpec, WorldSpec};
use crate::mimir::profile::Profile;
use crate::mimir::settings::{LockRules, Protocol, Settings, Timing};

/// `k·RTT` of O4's bound `D_acq + k·RTT` (§6): the model's networks have zero latency, so
/// every round trip takes no time and any `k` gives zero; one second of slack keeps the bound
/// from depending on that.
pub const RTT_SLACK: Duration = Duration::from_secs(1);

/// ρ of §4.4 and §6 O4: the largest drift a model clock has (§7.2's ±1e-3).
pub const RHO_PPM: u64 = 1_000;

/// The server settings of lock protocol `rules` (§4.2, §4.3) with `timing`.
pub fn settings(rules: LockRules, timing: Timing) -> Settings {
    Settings {
        timing,
        ..Settings::DEFAULT.with_protocol(Protocol::Lock(rules))
    }
}

/// O4's bound on the recovery write: `D_acq + k·RTT` (§6).
pub fn recovery_bound(timing: &Timing) -> Duration {
    timing.d_acq + RTT_SLACK
}

/// How long after a crash O4's recovery write may start at the earliest:
/// `T_stale·(1+ρ) + B_cap` (§6 O4, §5 R5).
pub fn after_crash(timing: &Timing) -> Duration {
    timing.t_stale + timing.t_stale / 1_000_000 * RHO_PPM as u32 + timing.backoff_cap
}

/// Servers `s1` and `s2` with `settings`, over a `profile` store.
pub fn two_servers(profile: Profile, settings: Settings) -> WorldSpec {
    WorldSpec::new(
        profile,
        vec![
            ServerSpec::new("s1", settings),
            ServerSpec::new("s2", settings),
        ],
    )
}
