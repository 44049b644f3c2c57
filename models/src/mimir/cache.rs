//! A caching bucket: the read cache that must **not** sit on protocol B's read path
//! (`config-concurrency.md` §2.2, §5 R10).
//!
//! Mimir can wrap an object-store client in a caching bucket (after Thanos' `CachingBucket`):
//! `get` of a configured key prefix is answered from a cache filled by earlier reads, for a
//! TTL, without asking the store. That is fine for immutable
//! objects and wrong for a read that a precondition check relies on: a server holding the
//! config lock may read a version another server has already overwritten (R10), and a
//! protocol B' without the fence then overwrites it.
//!
//! Protocol. [`CachingBucket`] wraps a [`Bucket`]:
//!
//! 1. `get(k)` of a key under the cached prefix: answered from the cache if it holds `k`,
//!    else read from the store and remembered (a `NotFound` is not cached);
//! 2. `put(k)` and `delete(k)` go to the store, and drop this cache's entry for `k` whatever
//!    their outcome; other servers' caches are not told. (The kindest choice for the cache:
//!    a server never reads past its own write, so the stale read needs another server's.)
//! 3. `head`, and `get` of any other key (the lock), go to the store.
//!
//! The cache never expires: the model's runs are shorter than any TTL worth configuring, so
//! a cached entry is stale from the first foreign write on. One cache per server incarnation
//! ([`ReadCache`], shared by that server's request tasks); a restart starts empty.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::store::{Bucket, Cond, Meta, Object, StoreResult, StoreVersion};

/// One server's cache: key → the object its store returned (module docs).
#[derive(Clone, Debug, Default)]
pub struct ReadCache(Arc<Mutex<BTreeMap<String, Object>>>);

impl ReadCache {
    /// An empty cache.
    pub fn new() -> ReadCache {
        ReadCache::default()
    }

    fn get(&self, key: &str) -> Option<Object> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
            .cloned()
    }

    fn insert(&self, key: &str, obj: Object) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key.to_owned(), obj);
    }

    fn forget(&self, key: &str) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }
}

/// A [`Bucket`] whose `get`s under `prefix` go through a [`ReadCache`] (module docs).
#[derive(Clone, Debug)]
pub struct CachingBucket<S: Bucket> {
    inner: S,
    cache: ReadCache,
    prefix: &'static str,
}

impl<S: Bucket> CachingBucket<S> {
    /// `inner`, with `get`s of keys starting with `prefix` cached in `cache`.
    pub fn new(inner: S, cache: ReadCache, prefix: &'static str) -> CachingBucket<S> {
        CachingBucket {
            inner,
            cache,
            prefix,
        }
    }

    fn cached(&self, key: &str) -> bool {
        key.starts_with(self.prefix)
    }
}

impl<S: Bucket> Bucket for CachingBucket<S> {
    async fn get(&self, key: &str) -> StoreResult<Object> {
        if !self.cached(key) {
            return self.inner.get(key).await;
        }
        if let Some(obj) = self.cache.get(key) {
            return Ok(obj);
        }
        let obj = self.inner.get(key).await?;
        self.cache.insert(key, obj.clone());
        Ok(obj)
    }

    async fn head(&self, key: &str) -> StoreResult<Meta> {
        self.inner.head(key).await
    }

    async fn put(&self, key: &str, bytes: Vec<u8>, cond: Cond) -> StoreResult<StoreVersion> {
        let r = self.inner.put(key, bytes, cond).await;
        self.cache.forget(key);
        r
    }

    async fn delete(&self, key: &str, cond: Cond) -> StoreResult<()> {
        let r = self.inner.delete(key, cond).await;
        self.cache.forget(key);
        r
    }
}
