//! A store that silently ignores conditions: the real-store twin of the model's profile
//! `broken` (§7.1, §5 R14), for showing the capability probe (§2.4) refusing such a store.
//!
//! [`IgnoreConditions`] wraps any [`Bucket`] and, like [`Profile::Broken`] in
//! [`MemStore::apply`], turns every put's condition (`IfAbsent`, `IfMatch`) into
//! [`Cond::Always`] and a delete's `IfMatch` into an unconditional delete; a delete's
//! `IfAbsent` is passed on (every store refuses it). Reads pass through unchanged. It answers
//! success where a real store would have answered Exists, Mismatch or Absent: exactly the
//! silent failure the probe exists to detect.
//!
//! [`Profile::Broken`]: weft_models::mimir::profile::Profile::Broken
//! [`MemStore::apply`]: weft_models::mimir::memstore::MemStore::apply

use weft_models::mimir::store::{Bucket, Cond, Meta, Object, StoreResult, StoreVersion};

/// `B` with its conditions dropped (module docs).
#[derive(Clone, Debug)]
pub struct IgnoreConditions<B> {
    inner: B,
}

impl<B: Bucket> IgnoreConditions<B> {
    /// Wraps `inner`.
    pub fn new(inner: B) -> Self {
        IgnoreConditions { inner }
    }

    /// The wrapped store.
    pub fn inner(&self) -> &B {
        &self.inner
    }
}

impl<B: Bucket> Bucket for IgnoreConditions<B> {
    async fn get(&self, key: &str) -> StoreResult<Object> {
        self.inner.get(key).await
    }

    async fn head(&self, key: &str) -> StoreResult<Meta> {
        self.inner.head(key).await
    }

    async fn put(&self, key: &str, bytes: Vec<u8>, _cond: Cond) -> StoreResult<StoreVersion> {
        self.inner.put(key, bytes, Cond::Always).await
    }

    async fn delete(&self, key: &str, cond: Cond) -> StoreResult<()> {
        let cond = match cond {
            Cond::IfMatch(_) => Cond::Always,
            other => other,
        };
        self.inner.delete(key, cond).await
    }
}
