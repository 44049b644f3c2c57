//! `IgnoreConditions` is profile `broken` (§7.1) over a real store: the same operations on
//! `IgnoreConditions<LocalBucket cas-full>` and on `LocalBucket broken` give the same answers,
//! and over `FileBucket` every conditional write the file store refuses goes through.

use weft_config_api::clock::wall_now;
use weft_config_api::{FileBucket, IgnoreConditions};
use weft_models::mimir::memstore::LocalBucket;
use weft_models::mimir::profile::Profile;
use weft_models::mimir::store::{Bucket, Cond, StoreError, StoreVersion};

fn ver(s: &str) -> StoreVersion {
    StoreVersion(s.to_owned())
}

/// A script of operations and what each answered (reads with their bytes).
async fn script<B: Bucket>(b: &B) -> Vec<String> {
    let mut log = Vec::new();
    let k = "alerts/t1";
    let put =
        |bytes: &'static [u8], cond: Cond| async move { b.put(k, bytes.to_vec(), cond).await };
    log.push(format!(
        "{:?}",
        put(b"one", Cond::IfMatch(ver("nope"))).await
    ));
    log.push(format!("{:?}", put(b"two", Cond::IfAbsent).await));
    log.push(format!("{:?}", put(b"three", Cond::IfAbsent).await));
    log.push(format!("{:?}", put(b"four", Cond::IfMatch(ver("1"))).await));
    log.push(format!("{:?}", b.get(k).await.map(|o| o.bytes)));
    log.push(format!(
        "{:?}",
        b.delete(k, Cond::IfMatch(ver("nope"))).await
    ));
    log.push(format!(
        "{:?}",
        b.delete(k, Cond::IfMatch(ver("nope"))).await
    ));
    log.push(format!("{:?}", b.delete(k, Cond::IfAbsent).await));
    log.push(format!("{:?}", b.head(k).await));
    log
}

#[tokio::test]
async fn it_answers_like_profile_broken() {
    let wrapped = IgnoreConditions::new(LocalBucket::new(Profile::CasFull, wall_now));
    let broken = LocalBucket::new(Profile::Broken, wall_now);
    let honest = LocalBucket::new(Profile::CasFull, wall_now);
    let (w, b, h) = (
        script(&wrapped).await,
        script(&broken).await,
        script(&honest).await,
    );
    assert_eq!(w, b);
    assert_ne!(w, h, "the honest store refuses some of it");
}

#[tokio::test]
async fn over_the_file_store_conditions_are_gone() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = FileBucket::open(dir.path()).expect("file store");
    let blind = IgnoreConditions::new(file.clone());
    let k = "alerts/t1";
    let first = file
        .put(k, b"a".to_vec(), Cond::IfAbsent)
        .await
        .expect("put");
    assert_eq!(
        file.put(k, b"b".to_vec(), Cond::IfAbsent).await,
        Err(StoreError::Exists)
    );
    blind
        .put(k, b"b".to_vec(), Cond::IfAbsent)
        .await
        .expect("create over an existing key");
    assert_eq!(
        file.put(k, b"c".to_vec(), Cond::IfMatch(first.clone()))
            .await,
        Err(StoreError::Mismatch)
    );
    blind
        .put(k, b"c".to_vec(), Cond::IfMatch(first.clone()))
        .await
        .expect("stale If-Match");
    assert_eq!(blind.get(k).await.expect("get").bytes, b"c");
    assert_eq!(
        file.delete(k, Cond::IfMatch(first.clone())).await,
        Err(StoreError::Mismatch)
    );
    blind
        .delete(k, Cond::IfMatch(first))
        .await
        .expect("stale delete_if_match");
    assert_eq!(blind.inner().get(k).await, Err(StoreError::NotFound));
}
