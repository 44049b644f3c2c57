//! # weft-models: the real systems whose lifecycle bugs started weft
//!
//! Each model is generic over [`weft_core::Runtime`] and never names a backend: the caller
//! (a test, the `weft` CLI) picks one. Models follow the behavioural specs in `shared/specs/`
//! step by step; each scheduling point of a spec (`[LOCK]`, `[SEND]`, `[ATOMIC]`, ...) is an
//! await on a weft-core primitive.
//!
//! - [`alertmanager`]: Alertmanager's alert provider, dispatcher, inhibitor and notification
//!   pipeline (`shared/specs/alertmanager.md` §2, §3.1, §3.2).
//! - [`consul`]: Consul's agent-local state, node-local alias checks and the agent's
//!   registration path (`shared/specs/consul-alias.md`), with PR 5876's fixes as run-time
//!   toggles.
//! - [`cortex`]: Cortex's per-tenant Alertmanager and tenant registry (§3.3, §3.4), with PR
//!   7618's fixes as run-time toggles.
//! - [`mimir`]: Mimir's Alertmanager config store with ETag / If-Match over object storage
//!   (`shared/specs/config-concurrency.md`), shared by the model and the real service.
//! - [`scenario`], [`registry`], [`scenarios`]: each bug as a named scenario (setup, workload,
//!   oracles, variants) that any backend can run; the `weft` CLI runs them.

pub mod alertmanager;
pub mod consul;
pub mod cortex;
pub mod mimir;
pub mod oracle;
pub mod registry;
pub mod scenario;
pub mod scenarios;
