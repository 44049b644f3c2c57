//! Which fixes a model runs with: the code before Cortex PR 7618, the PR itself, and the one
//! fix the PR left open.

/// Fix toggles, chosen at run time by the scenario's variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Fixes {
    /// PR 7618 barrier (§3.3 steps 9'-12'): start the inhibitor and wait for its loading, then
    /// start the dispatcher and wait for its loading, before ApplyConfig returns (fixes B1, B2,
    /// B3).
    pub barrier: bool,
    /// PR 7618 gate (§3.4): `shuttingDown` set in stopping()'s critical section and checked
    /// first in setConfig's, mapped to 503 (fixes B4).
    pub shutdown_gate: bool,
    /// Upstream's protocol for the API's dispatcher pointer (§4 B6 fix shape): an atomic pointer
    /// stored only after the dispatcher loaded. Still open in Cortex.
    pub atomic_dispatcher: bool,
}

impl Fixes {
    /// The code before PR 7618.
    pub const PRE_7618: Fixes = Fixes {
        barrier: false,
        shutdown_gate: false,
        atomic_dispatcher: false,
    };
    /// Cortex as merged (PR 7618): barrier and gate, the racy dispatcher read still there.
    pub const PR_7618: Fixes = Fixes {
        barrier: true,
        shutdown_gate: true,
        atomic_dispatcher: false,
    };
    /// Every fix, including B6's atomic pointer.
    pub const ALL: Fixes = Fixes {
        barrier: true,
        shutdown_gate: true,
        atomic_dispatcher: true,
    };
}
