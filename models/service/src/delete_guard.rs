//! Conditional deletes on a store whose `delete_if_match` the capability probe did not trust
//! (`config-concurrency.md` §2.3, §2.4).
//!
//! A store may honour `If-Match` on puts and ignore it on deletes (MinIO, minio#21677; the
//! model's profile `minio-like`). The probe then picks protocol A for writes ("A, with
//! conditional DELETEs answered 501", `weft_models::mimir::probe`), but the handler has no
//! setting for the delete half: it would send `delete_if_match` and the store would delete
//! whatever is there. [`DeleteGuard`] closes that gap in the service: when the probe found
//! no working `delete_if_match`, a delete with [`Cond::IfMatch`] is answered
//! [`StoreError::Unsupported`] without reaching the store, which the handler answers 501.
//! Every other operation passes through.

use weft_models::mimir::store::{
    Bucket, Cond, Meta, Object, StoreError, StoreResult, StoreVersion,
};

/// `B`, with conditional deletes refused unless the probe found them working (module docs).
#[derive(Clone, Debug)]
pub struct DeleteGuard<B> {
    inner: B,
    delete_if_match: bool,
}

impl<B: Bucket> DeleteGuard<B> {
    /// Wraps `inner`; `delete_if_match` is what the probe found.
    pub fn new(inner: B, delete_if_match: bool) -> Self {
        DeleteGuard {
            inner,
            delete_if_match,
        }
    }

    /// The wrapped store.
    pub fn inner(&self) -> &B {
        &self.inner
    }
}

impl<B: Bucket> Bucket for DeleteGuard<B> {
    async fn get(&self, key: &str) -> StoreResult<Object> {
        self.inner.get(key).await
    }

    async fn head(&self, key: &str) -> StoreResult<Meta> {
        self.inner.head(key).await
    }

    async fn put(&self, key: &str, bytes: Vec<u8>, cond: Cond) -> StoreResult<StoreVersion> {
        self.inner.put(key, bytes, cond).await
    }

    async fn delete(&self, key: &str, cond: Cond) -> StoreResult<()> {
        if matches!(cond, Cond::IfMatch(_)) && !self.delete_if_match {
            return Err(StoreError::Unsupported);
        }
        self.inner.delete(key, cond).await
    }
}
