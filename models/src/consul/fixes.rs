//! Which fixes a Consul model runs with (`shared/specs/consul-alias.md` §9 flags).

/// Fix 3's three forms: how the alias task's lifetime is ordered with its successor's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lifetime {
    /// Before PR 5876: `Stop` closes the stop channel and returns; the old task may outlive
    /// its replacement (spec §6).
    #[default]
    Off,
    /// PR 5876 as merged (40336fd): `Stop` waits on a WaitGroup whose `Add(1)` is the first
    /// statement of the task. A task stopped before it ran is not waited for (spec §6.5).
    Merged,
    /// Commit 1910e2a (PR 8346): `Add(1)` in `Start`, before the spawn.
    Corrected,
}

/// Fix toggles, chosen at run time by a scenario's variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Fixes {
    /// Fix 1a (spec §4): `CheckState.Clone` deep-copies the `HealthCheck`, inside the read
    /// lock, so `Checks()` hands out private copies.
    pub deep_clone: bool,
    /// Fix 1b (spec §4): `UpdateCheck` writes a private clone and installs it (copy-on-write);
    /// an installed `HealthCheck` is never written again, so `Check(id)`'s live pointer is safe.
    pub copy_on_write: bool,
    /// Fix 2 (spec §5): the alias task re-reads its inputs 60 s after its last update
    /// ([`RECONCILE`](super::RECONCILE), virtual time under the simulator).
    pub reconcile_timer: bool,
    /// Fix 3 (spec §6.5).
    pub lifetime: Lifetime,
}

impl Fixes {
    /// The code before PR 5876 (6b31482).
    pub const PRE_5876: Fixes = Fixes {
        deep_clone: false,
        copy_on_write: false,
        reconcile_timer: false,
        lifetime: Lifetime::Off,
    };
    /// PR 5876 as merged (40336fd): all three fixes, fix 3 with its late `Add`.
    pub const PR_5876: Fixes = Fixes {
        deep_clone: true,
        copy_on_write: true,
        reconcile_timer: true,
        lifetime: Lifetime::Merged,
    };
    /// PR 5876 plus the corrected `Add` of PR 8346: what Consul runs today.
    pub const CORRECTED: Fixes = Fixes {
        lifetime: Lifetime::Corrected,
        ..Fixes::PR_5876
    };
    /// Fix 1 alone (both halves).
    pub const CLONE_ONLY: Fixes = Fixes {
        deep_clone: true,
        copy_on_write: true,
        ..Fixes::PRE_5876
    };
}
