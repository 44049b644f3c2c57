//! B'7's release when its outcome is unknown (`config-concurrency.md` §4.3 B'7, §5 R9 c): the
//! release `delete_if_match(K_lock, vL)` times out without being applied; B' sends it again
//! (it is idempotent), so no lock is left for the next writer to wait out. Sequential, on
//! tokio, over the in-process model store wrapped so that the first release is lost.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use weft_core::backend::tokio::TokioRuntime;
use weft_core::node::WallTime;
use weft_models::mimir::config::UserConfig;
use weft_models::mimir::etag::Scheme;
use weft_models::mimir::handler::Server;
use weft_models::mimir::http::{Method, Request, Status};
use weft_models::mimir::memstore::LocalBucket;
use weft_models::mimir::profile::Profile;
use weft_models::mimir::settings::{LockRules, Protocol, Settings};
use weft_models::mimir::store::{
    Bucket, Cond, Meta, Object, StoreError, StoreResult, StoreVersion,
};

mod support;

use support::block_on;

/// The store, except that the first `lost` conditional deletes of the lock time out without
/// being applied.
#[derive(Clone, Debug)]
struct LosesReleases {
    inner: LocalBucket,
    lost: Arc<AtomicU32>,
}

impl Bucket for LosesReleases {
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
        let lock = key.starts_with("alertmanager-locks/");
        let take = |n: u32| n.checked_sub(1);
        if lock
            && self
                .lost
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, take)
                .is_ok()
        {
            return Err(StoreError::Unknown("timed out".into()));
        }
        self.inner.delete(key, cond).await
    }
}

fn post(receiver: &str) -> Request {
    Request::new(Method::Post, "t").body(UserConfig::initial().with_receiver(receiver).to_bytes())
}

#[test]
fn an_unknown_release_is_sent_again_and_no_lock_is_left() {
    block_on(async {
        let inner = LocalBucket::new(Profile::CasFull, || WallTime(0));
        let lost = Arc::new(AtomicU32::new(1));
        let store = LosesReleases {
            inner: inner.clone(),
            lost: lost.clone(),
        };
        let settings = Settings {
            scheme: Scheme::Version,
            ..Settings::DEFAULT.with_protocol(Protocol::Lock(LockRules::REPAIRED))
        };
        let s = Server::new(TokioRuntime::new(), store, "s1", settings);
        let r = s.handle(post("a")).await;
        assert_eq!(r.status, Status::CREATED, "{}", r.text());
        assert_eq!(lost.load(Ordering::SeqCst), 0, "the first release was lost");
        let locks = inner.inspect(|m| {
            m.keys()
                .filter(|k| k.starts_with("alertmanager-locks/"))
                .count()
        });
        assert_eq!(locks, 0, "the release was sent again");
        // And so the next writer gets the lock at once, not a 503 after D_acq.
        let r = s.handle(post("b")).await;
        assert_eq!(r.status, Status::CREATED, "{}", r.text());
    });
}
