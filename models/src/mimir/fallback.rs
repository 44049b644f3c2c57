//! The fallback-config upload (`config-concurrency.md` §5 R3): Mimir's
//! `alertmanagerFromFallbackConfig` (`pkg/alertmanager/multitenant.go`) runs when an
//! Alertmanager replica finds a tenant without a config: it reads the config and, when none is
//! stored, uploads a default one. It is a writer of `K_cfg` that does not go through the HTTP
//! handler, so whatever protocol the handler runs, the upload must use the same store
//! conditions or it bypasses them.
//!
//! Protocol, for one tenant:
//! 1. **[SP]** `get(K_cfg)`: a config is stored → nothing to do ([`FallbackOutcome::Present`]);
//! 2. **[SP]** the upload of the default config, by [`FallbackWrite`]:
//!    - [`FallbackWrite::Unconditional`] (Mimir today): a blind `put`. A client's write that
//!      lands between 1 and 2 is overwritten, and its 201 was a lie (§5 R3: "its own comment
//!      admits the window", PR #224);
//!    - [`FallbackWrite::IfAbsent`] (the fix of §3, last line of A2b): `put_if_absent`; "exists"
//!      means another writer created the config meanwhile, which is what step 1 wanted anyway
//!      ([`FallbackOutcome::Present`]).
//!
//! An unknown outcome is reported as such ([`FallbackOutcome::Failed`]); the caller retries
//! from step 1 (the get shows whether the upload landed). Backend-free: any [`Bucket`].

use super::store::{Bucket, Cond, StoreError, StoreVersion};
use super::tenant::Tenant;

/// How step 2 writes (module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FallbackWrite {
    /// A blind `put` after the check (Mimir today, §5 R3).
    Unconditional,
    /// `put_if_absent` (the fix).
    IfAbsent,
}

/// What the upload did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FallbackOutcome {
    /// The default config was stored as this version.
    Uploaded(StoreVersion),
    /// A config was already there (at step 1, or, with `put_if_absent`, at step 2).
    Present,
    /// A store operation failed; the outcome of the upload may be unknown.
    Failed(StoreError),
}

/// Uploads `default` as `tenant`'s config if none is stored (module docs).
pub async fn upload_fallback<S: Bucket>(
    store: &S,
    tenant: &Tenant,
    default: Vec<u8>,
    how: FallbackWrite,
) -> FallbackOutcome {
    let key = tenant.config_key();
    match store.get(&key).await {
        Ok(_) => return FallbackOutcome::Present,
        Err(StoreError::NotFound) => {}
        Err(e) => return FallbackOutcome::Failed(e),
    }
    let cond = match how {
        FallbackWrite::Unconditional => Cond::Always,
        FallbackWrite::IfAbsent => Cond::IfAbsent,
    };
    match store.put(&key, default, cond).await {
        Ok(v) => FallbackOutcome::Uploaded(v),
        Err(StoreError::Exists) => FallbackOutcome::Present,
        Err(e) => FallbackOutcome::Failed(e),
    }
}
