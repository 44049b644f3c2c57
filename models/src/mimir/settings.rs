//! The server's settings: which write protocol, which ETag scheme, the limits and the timing
//! parameters (`config-concurrency.md` §1.4, §1.5, §4.2-§4.5, §7.6). One value, shared by the
//! model and the service; each default lives here once.

use std::time::Duration;

use super::config::Limits;
use super::etag::Scheme;

/// How a conditional write is made safe (§3, §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// Mimir today (§1.1): no ETag handling at all; preconditions are ignored and every write
    /// is a blind `put` (§5 R1).
    Unconditional,
    /// The naive check: `get`, evaluate the precondition, then a blind `put`; the check and
    /// the write are not one atomic step (§5 R2).
    CheckThenPut,
    /// Protocol A (§3): the store's own conditional put.
    A,
    /// Protocols B (as written, §4.2) and B' (repaired, §4.3): a check under a lock object
    /// built from `put_if_absent`; the rules pick which.
    Lock(LockRules),
    /// Alternative C (§4.5): an immutable version log written with `put_if_absent`.
    C,
    /// The probe found no usable conditions (§2.4): conditional writes are answered 501.
    Refuse,
}

impl Protocol {
    /// The spec's name of the protocol (`B` or `B'` for the two rule presets).
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Unconditional => "none",
            Protocol::CheckThenPut => "check-then-put",
            Protocol::A => "A",
            Protocol::Lock(rules) if rules == LockRules::AS_WRITTEN => "B",
            Protocol::Lock(rules) if rules == LockRules::REPAIRED => "B'",
            Protocol::Lock(rules) if rules == LockRules::REPAIRED_UNFENCED => "B' unfenced",
            Protocol::Lock(_) => "B (variant)",
            Protocol::C => "C",
            Protocol::Refuse => "refuse",
        }
    }
}

/// When a lock is judged stale (§4.2 B3, §4.3 B'2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Staleness {
    /// Never: a crashed holder's lock stays forever (§5 R5).
    Never,
    /// The rule: the checker's wall clock minus the lock's creation stamp (the
    /// holder's wall clock) exceeds `T_stale` (§4.2 B2-B3; skew breaks it, §5 R8).
    WallClock,
    /// B'2: the same lock version is still there after `T_stale` of the observer's own
    /// monotonic clock (only drift matters).
    Observed,
}

/// How a stale lock is removed (§4.2 B3, §4.3 B'3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Steal {
    /// An unconditional `delete`: may delete a fresh lock taken meanwhile (§5 R6).
    Delete,
    /// `delete_if_match` on the version judged stale.
    DeleteIfMatch,
}

/// How and when the holder releases the lock (§4.2 B7, §4.3 B'7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Release {
    /// As the issue reads: an unconditional `delete` after a write; a 412 returns without
    /// releasing (§5 R4).
    AfterWriteOnly,
    /// `delete_if_match` on the version this acquisition created, on every exit path.
    EveryExit,
}

/// What an acquire whose outcome is unknown means (§4.3 B'1, §5 R9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ambiguous {
    /// Treat it as "not acquired" and try again: the holder may wait for its own lock to go
    /// stale (§5 R9 a, the self-stall).
    Retry,
    /// Treat it as held, without checking (§5 R9 a's other half, and R9 b for a 409).
    AssumeHeld,
    /// B'1: read the lock and compare the token in its body with ours.
    CheckToken,
}

/// The rules of a lock protocol: protocol B as written and B' are two points of this space,
/// and each race of §5 flips one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LockRules {
    /// Staleness rule.
    pub stale: Staleness,
    /// Takeover of a stale lock.
    pub steal: Steal,
    /// Release.
    pub release: Release,
    /// An acquire with an unknown outcome.
    pub ambiguous: Ambiguous,
    /// B'6: refuse to write (503) when more than `T_safe` passed since the acquire.
    pub lease_check: bool,
    /// B'6 with `put_if_match`: the config write is fenced by the version read under the lock.
    pub fence: bool,
}

impl LockRules {
    /// Protocol B as the issue writes it (§4.2).
    pub const AS_WRITTEN: LockRules = LockRules {
        stale: Staleness::WallClock,
        steal: Steal::Delete,
        release: Release::AfterWriteOnly,
        ambiguous: Ambiguous::Retry,
        lease_check: false,
        fence: false,
    };

    /// Protocol B' (§4.3), fenced.
    pub const REPAIRED: LockRules = LockRules {
        stale: Staleness::Observed,
        steal: Steal::DeleteIfMatch,
        release: Release::EveryExit,
        ambiguous: Ambiguous::CheckToken,
        lease_check: true,
        fence: true,
    };

    /// Protocol B' with a plain `put` on the config (§4.4: safe only under timing bounds).
    pub const REPAIRED_UNFENCED: LockRules = LockRules {
        fence: false,
        ..LockRules::REPAIRED
    };
}

/// The timing parameters of §7.6.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    /// `T_stale`: a lock older than this may be taken over.
    pub t_stale: Duration,
    /// `T_safe`: a holder does not write later than this after its acquire.
    pub t_safe: Duration,
    /// `D_acq`: give up acquiring (503) after this.
    pub d_acq: Duration,
    /// Lock back-off: full jitter from `backoff_base`, doubling to `backoff_cap`.
    pub backoff_base: Duration,
    /// See `backoff_base`.
    pub backoff_cap: Duration,
    /// How often a conflicting (409) or throttled store operation, or a write whose outcome
    /// was unknown and nothing changed, is retried before 503 / 500.
    pub store_retries: u32,
}

impl Timing {
    /// §7.6's defaults.
    pub const DEFAULT: Timing = Timing {
        t_stale: Duration::from_secs(60),
        t_safe: Duration::from_secs(20),
        d_acq: Duration::from_secs(10),
        backoff_base: Duration::from_millis(50),
        backoff_cap: Duration::from_secs(2),
        store_retries: 3,
    };
}

/// Everything a server is configured with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The write protocol.
    pub protocol: Protocol,
    /// The ETag scheme.
    pub scheme: Scheme,
    /// 428 mode (§1.4 step 3, RFC 6585 §3): a write without a precondition is refused.
    pub require_preconditions: bool,
    /// §1.5's recommendation: a write whose precondition is false but whose body is what is
    /// stored is answered 201 with the current tag (a retry whose first answer was lost).
    pub already_applied: bool,
    /// Whether the store's `delete_if_match` can be trusted (what the probe found, §2.4);
    /// `false`: a DELETE with `If-Match` is answered 501 without reaching the store (a store
    /// that ignores the condition would delete whatever is there, §5 R14).
    pub delete_if_match: bool,
    /// Body limits.
    pub limits: Limits,
    /// Timing.
    pub timing: Timing,
}

impl Settings {
    /// Protocol A with version tags, the defaults of §7.6 and §1.5.
    pub const DEFAULT: Settings = Settings {
        protocol: Protocol::A,
        scheme: Scheme::Version,
        require_preconditions: false,
        already_applied: true,
        delete_if_match: true,
        limits: Limits::DEFAULT,
        timing: Timing::DEFAULT,
    };

    /// The same settings with `protocol`.
    pub fn with_protocol(self, protocol: Protocol) -> Settings {
        Settings { protocol, ..self }
    }
}
