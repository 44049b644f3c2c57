//! # weft-models: the real systems whose lifecycle bugs started weft
//!
//! Each model is generic over [`weft_core::Runtime`] and never names a backend: the caller
//! (a test, the `weft` CLI) picks one. Models follow the behavioural specs in `shared/specs/`
//! step by step; each scheduling point of a spec (`[LOCK]`, `[SEND]`, `[ATOMIC]`, ...) is an
//! await on a weft-core primitive.
//!
//! - [`alertmanager`]: Alertmanager's alert provider and dispatcher
//!   (`shared/specs/alertmanager.md` §2.1, §2.2, §3.1), the components of Cortex PR 7618.

pub mod alertmanager;
