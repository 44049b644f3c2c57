//! The store that `--store` named, chosen at run time: one type for the three kinds, so the
//! server is built once ([`AnyStore`]), and opening it from a [`StoreSpec`].

use weft_models::mimir::memstore::LocalBucket;
use weft_models::mimir::profile::Profile;
use weft_models::mimir::store::{Bucket, Cond, Meta, Object, StoreResult, StoreVersion};

use crate::clock::wall_now;
use crate::{FileBucket, S3Auth, S3Bucket, StoreSpec};

/// `memory`, `file:DIR` or `s3:BUCKET`.
#[derive(Clone, Debug)]
pub enum AnyStore {
    /// weft-models' reference store, profile `cas-full`, in this process only.
    Memory(LocalBucket),
    /// [`FileBucket`].
    File(FileBucket),
    /// [`S3Bucket`].
    S3(S3Bucket),
}

impl AnyStore {
    /// Opens the store of `spec` (`s3_endpoint` and the `AWS_*` variables for `s3:`); the
    /// error is one line. The test profile `ignore-conditions:` is the caller's to wrap:
    /// here it is refused.
    pub fn open(spec: &StoreSpec, s3_endpoint: Option<&str>) -> Result<AnyStore, String> {
        match spec {
            StoreSpec::Memory => Ok(AnyStore::Memory(LocalBucket::new(
                Profile::CasFull,
                wall_now,
            ))),
            StoreSpec::File(dir) => FileBucket::open(dir)
                .map(AnyStore::File)
                .map_err(|e| format!("cannot open the file store {}: {e}", dir.display())),
            StoreSpec::S3(bucket) => {
                let endpoint = s3_endpoint
                    .ok_or_else(|| format!("--store s3:{bucket} needs --s3-endpoint URL"))?;
                let auth = S3Auth::from_env().map_err(|e| e.to_string())?;
                S3Bucket::new(endpoint, bucket, auth)
                    .map(AnyStore::S3)
                    .map_err(|e| e.to_string())
            }
            StoreSpec::IgnoreConditions(_) => Err(format!(
                "{spec}: the test profile wraps a store, it is not one"
            )),
        }
    }
}

impl Bucket for AnyStore {
    async fn get(&self, key: &str) -> StoreResult<Object> {
        match self {
            AnyStore::Memory(b) => b.get(key).await,
            AnyStore::File(b) => b.get(key).await,
            AnyStore::S3(b) => b.get(key).await,
        }
    }

    async fn head(&self, key: &str) -> StoreResult<Meta> {
        match self {
            AnyStore::Memory(b) => b.head(key).await,
            AnyStore::File(b) => b.head(key).await,
            AnyStore::S3(b) => b.head(key).await,
        }
    }

    async fn put(&self, key: &str, bytes: Vec<u8>, cond: Cond) -> StoreResult<StoreVersion> {
        match self {
            AnyStore::Memory(b) => b.put(key, bytes, cond).await,
            AnyStore::File(b) => b.put(key, bytes, cond).await,
            AnyStore::S3(b) => b.put(key, bytes, cond).await,
        }
    }

    async fn delete(&self, key: &str, cond: Cond) -> StoreResult<()> {
        match self {
            AnyStore::Memory(b) => b.delete(key, cond).await,
            AnyStore::File(b) => b.delete(key, cond).await,
            AnyStore::S3(b) => b.delete(key, cond).await,
        }
    }
}
