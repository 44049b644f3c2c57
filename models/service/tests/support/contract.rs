//! The store contract (`config-concurrency.md` §2.1, `weft_models::mimir::store`) as one
//! suite of checks, each an `async fn(&Backend<B>)` on keys of its own.
//! [`contract_suite!`](crate::contract_suite) turns the list into one test per check for a
//! backend.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use weft_config_api::clock::wall_now;
use weft_models::mimir::store::{Bucket, Cond, StoreError, StoreVersion};

use super::backends::Backend;

/// One test per check of this module for the backend that `$make` returns (an
/// `Option<Backend<_>>`; `None` means skipped, see `backends`).
#[macro_export]
macro_rules! contract_suite {
    ($make:expr) => {
        $crate::contract_suite!(@each $make;
            get_missing_is_not_found,
            head_missing_is_not_found,
            put_then_get_and_head,
            put_overwrites,
            empty_and_binary_bytes_round_trip,
            unicode_key_round_trips,
            put_if_absent_creates,
            put_if_absent_on_existing_is_exists,
            put_if_match_current_replaces,
            put_if_match_stale_is_mismatch,
            put_if_match_missing_is_absent,
            delete_existing,
            delete_missing_is_not_found,
            delete_if_match_current_deletes,
            delete_if_match_stale_is_mismatch,
            delete_if_match_missing_is_absent,
            delete_if_absent_is_unsupported,
            versions_unique_per_write,
            concurrent_put_if_match_loses_nothing
        );
    };
    (@each $make:expr; $($check:ident),*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $check() {
                let Some(backend) = $make else { return };
                $crate::support::contract::$check(&backend).await;
            }
        )*
    };
}

fn v(s: &str) -> StoreVersion {
    StoreVersion(s.to_owned())
}

/// The current bytes of `key` (panics if absent).
async fn bytes_of<B: Bucket>(b: &Backend<B>, key: &str) -> Vec<u8> {
    match b.bucket.get(key).await {
        Ok(o) => o.bytes,
        Err(e) => panic!("{}: get {key}: {e}", b.name),
    }
}

async fn put_ok<B: Bucket>(b: &Backend<B>, key: &str, bytes: &[u8], cond: Cond) -> StoreVersion {
    match b.bucket.put(key, bytes.to_vec(), cond.clone()).await {
        Ok(v) => v,
        Err(e) => panic!("{}: put {key} {cond:?}: {e}", b.name),
    }
}

pub async fn get_missing_is_not_found<B: Bucket>(b: &Backend<B>) {
    let key = b.key("get-missing");
    assert_eq!(
        b.bucket.get(&key).await,
        Err(StoreError::NotFound),
        "{}",
        b.name
    );
}

pub async fn head_missing_is_not_found<B: Bucket>(b: &Backend<B>) {
    let key = b.key("head-missing");
    assert_eq!(
        b.bucket.head(&key).await,
        Err(StoreError::NotFound),
        "{}",
        b.name
    );
}

pub async fn put_then_get_and_head<B: Bucket>(b: &Backend<B>) {
    let key = b.key("put-get-head");
    let before = wall_now();
    let ver = put_ok(b, &key, b"route: {receiver: a}\n", Cond::Always).await;
    let object = b.bucket.get(&key).await.expect("get");
    assert_eq!(object.bytes, b"route: {receiver: a}\n", "{}", b.name);
    assert_eq!(
        object.meta.version, ver,
        "{}: get's version is put's",
        b.name
    );
    let meta = b.bucket.head(&key).await.expect("head");
    assert_eq!(meta, object.meta, "{}: head agrees with get", b.name);
    // HTTP dates have whole seconds; allow for that and a little clock difference.
    let lag = meta.last_modified.nanos_since(before);
    assert!(
        lag.abs() < Duration::from_secs(60).as_nanos() as i128,
        "{}: last_modified {lag} ns from the write",
        b.name
    );
}

pub async fn put_overwrites<B: Bucket>(b: &Backend<B>) {
    let key = b.key("overwrite");
    let first = put_ok(b, &key, b"one", Cond::Always).await;
    let second = put_ok(b, &key, b"two", Cond::Always).await;
    assert_ne!(first, second, "{}", b.name);
    assert_eq!(bytes_of(b, &key).await, b"two", "{}", b.name);
    assert_eq!(b.bucket.head(&key).await.expect("head").version, second);
}

pub async fn empty_and_binary_bytes_round_trip<B: Bucket>(b: &Backend<B>) {
    let key = b.key("bytes");
    put_ok(b, &key, b"", Cond::Always).await;
    assert_eq!(bytes_of(b, &key).await, b"", "{}: empty object", b.name);
    let binary: Vec<u8> = (0..=255u8)
        .chain(b"\n\nweft-object 1 x 0\n".iter().copied())
        .collect();
    put_ok(b, &key, &binary, Cond::Always).await;
    assert_eq!(
        bytes_of(b, &key).await,
        binary,
        "{}: every byte value",
        b.name
    );
}

/// Tenant ids may be any UTF-8 the handler accepts; the key is the store's to encode.
pub async fn unicode_key_round_trips<B: Bucket>(b: &Backend<B>) {
    let key = b.key("tenant-ünï-コード-😀 x+y%z");
    let ver = put_ok(b, &key, b"unicode", Cond::IfAbsent).await;
    let object = b.bucket.get(&key).await.expect("get");
    assert_eq!(
        (object.bytes.as_slice(), &object.meta.version),
        (&b"unicode"[..], &ver)
    );
    assert_eq!(b.bucket.head(&key).await.expect("head").version, ver);
    b.bucket
        .delete(&key, Cond::IfMatch(ver))
        .await
        .expect("delete_if_match");
    assert_eq!(
        b.bucket.get(&key).await,
        Err(StoreError::NotFound),
        "{}",
        b.name
    );
}

pub async fn put_if_absent_creates<B: Bucket>(b: &Backend<B>) {
    let key = b.key("if-absent-new");
    let ver = put_ok(b, &key, b"created", Cond::IfAbsent).await;
    let object = b.bucket.get(&key).await.expect("get");
    assert_eq!(
        (object.bytes.as_slice(), object.meta.version),
        (&b"created"[..], ver)
    );
}

pub async fn put_if_absent_on_existing_is_exists<B: Bucket>(b: &Backend<B>) {
    let key = b.key("if-absent-existing");
    let ver = put_ok(b, &key, b"first", Cond::Always).await;
    let second = b.bucket.put(&key, b"second".to_vec(), Cond::IfAbsent).await;
    assert_eq!(second, Err(StoreError::Exists), "{}", b.name);
    let object = b.bucket.get(&key).await.expect("get");
    assert_eq!(object.bytes, b"first", "{}: not applied", b.name);
    assert_eq!(object.meta.version, ver, "{}: not applied", b.name);
}

pub async fn put_if_match_current_replaces<B: Bucket>(b: &Backend<B>) {
    let key = b.key("if-match-current");
    let old = put_ok(b, &key, b"old", Cond::Always).await;
    let new = put_ok(b, &key, b"new", Cond::IfMatch(old.clone())).await;
    assert_ne!(old, new, "{}", b.name);
    let object = b.bucket.get(&key).await.expect("get");
    assert_eq!(
        (object.bytes.as_slice(), object.meta.version),
        (&b"new"[..], new)
    );
}

pub async fn put_if_match_stale_is_mismatch<B: Bucket>(b: &Backend<B>) {
    let key = b.key("if-match-stale");
    let stale = put_ok(b, &key, b"one", Cond::Always).await;
    let current = put_ok(b, &key, b"two", Cond::Always).await;
    // The last three are no store's tokens and cannot even be sent as an HTTP entity-tag
    // (a client's `If-Match: "v-00"` decodes to the first): still a plain mismatch.
    let unsendable = [v("\0"), v("a\"b"), v("a b")];
    let wrong = [stale, v("0123456789abcdef0123456789abcdef"), v("x")];
    for wrong in wrong.into_iter().chain(unsendable) {
        let got = b
            .bucket
            .put(&key, b"three".to_vec(), Cond::IfMatch(wrong.clone()))
            .await;
        assert_eq!(
            got,
            Err(StoreError::Mismatch),
            "{}: If-Match {wrong}",
            b.name
        );
    }
    let object = b.bucket.get(&key).await.expect("get");
    assert_eq!(
        (object.bytes.as_slice(), object.meta.version),
        (&b"two"[..], current)
    );
}

pub async fn put_if_match_missing_is_absent<B: Bucket>(b: &Backend<B>) {
    let key = b.key("if-match-missing");
    let got = b
        .bucket
        .put(&key, b"x".to_vec(), Cond::IfMatch(v("abc")))
        .await;
    let err = got.expect_err("If-Match on a missing key must fail");
    assert!(
        b.absent.contains(&err),
        "{}: answered {err:?}, expected one of {:?}",
        b.name,
        b.absent
    );
    assert_eq!(
        b.bucket.get(&key).await,
        Err(StoreError::NotFound),
        "{}: not applied",
        b.name
    );
}

pub async fn delete_existing<B: Bucket>(b: &Backend<B>) {
    let key = b.key("delete");
    put_ok(b, &key, b"doomed", Cond::Always).await;
    b.bucket.delete(&key, Cond::Always).await.expect("delete");
    assert_eq!(
        b.bucket.get(&key).await,
        Err(StoreError::NotFound),
        "{}",
        b.name
    );
    assert_eq!(
        b.bucket.head(&key).await,
        Err(StoreError::NotFound),
        "{}",
        b.name
    );
}

pub async fn delete_missing_is_not_found<B: Bucket>(b: &Backend<B>) {
    let key = b.key("delete-missing");
    assert_eq!(
        b.bucket.delete(&key, Cond::Always).await,
        Err(StoreError::NotFound)
    );
    put_ok(b, &key, b"x", Cond::Always).await;
    b.bucket.delete(&key, Cond::Always).await.expect("delete");
    assert_eq!(
        b.bucket.delete(&key, Cond::Always).await,
        Err(StoreError::NotFound),
        "{}: deleted twice",
        b.name
    );
}

pub async fn delete_if_match_current_deletes<B: Bucket>(b: &Backend<B>) {
    let key = b.key("delete-if-match");
    let ver = put_ok(b, &key, b"doomed", Cond::Always).await;
    b.bucket
        .delete(&key, Cond::IfMatch(ver))
        .await
        .expect("delete_if_match");
    assert_eq!(
        b.bucket.get(&key).await,
        Err(StoreError::NotFound),
        "{}",
        b.name
    );
}

pub async fn delete_if_match_stale_is_mismatch<B: Bucket>(b: &Backend<B>) {
    let key = b.key("delete-if-match-stale");
    let stale = put_ok(b, &key, b"one", Cond::Always).await;
    let current = put_ok(b, &key, b"two", Cond::Always).await;
    for wrong in [stale, v("\0"), v("a\"b"), v("a b")] {
        let got = b.bucket.delete(&key, Cond::IfMatch(wrong.clone())).await;
        assert_eq!(
            got,
            Err(StoreError::Mismatch),
            "{}: If-Match {wrong:?}",
            b.name
        );
    }
    let object = b.bucket.get(&key).await.expect("still there");
    assert_eq!(
        (object.bytes.as_slice(), object.meta.version),
        (&b"two"[..], current)
    );
}

pub async fn delete_if_match_missing_is_absent<B: Bucket>(b: &Backend<B>) {
    let key = b.key("delete-if-match-missing");
    let err = b
        .bucket
        .delete(&key, Cond::IfMatch(v("abc")))
        .await
        .expect_err("must fail");
    assert!(
        b.absent.contains(&err),
        "{}: answered {err:?}, expected one of {:?}",
        b.name,
        b.absent
    );
}

pub async fn delete_if_absent_is_unsupported<B: Bucket>(b: &Backend<B>) {
    let key = b.key("delete-if-absent");
    put_ok(b, &key, b"x", Cond::Always).await;
    assert_eq!(
        b.bucket.delete(&key, Cond::IfAbsent).await,
        Err(StoreError::Unsupported)
    );
    assert_eq!(bytes_of(b, &key).await, b"x", "{}: not applied", b.name);
}

/// Every write makes a version no earlier write had, on the key and across keys; after a
/// delete and a re-create, a token from before the delete no longer matches. Stores with
/// content-derived tokens are held to that over distinct bytes only (§1.2: ABA is theirs).
pub async fn versions_unique_per_write<B: Bucket>(b: &Backend<B>) {
    let (key, other) = (b.key("versions"), b.key("versions-other"));
    let mut seen = BTreeSet::new();
    let mut expect_new = |ver: StoreVersion, what: &str| {
        assert!(
            seen.insert(ver.clone()),
            "{}: {what} reused version {ver}",
            b.name
        );
    };
    let first = put_ok(b, &key, b"a", Cond::IfAbsent).await;
    expect_new(first.clone(), "put_if_absent");
    let mut cur = first.clone();
    for i in 0..8 {
        let bytes = format!("distinct {i}");
        cur = put_ok(b, &key, bytes.as_bytes(), Cond::IfMatch(cur)).await;
        expect_new(cur.clone(), "put_if_match");
        // Equal bytes on two keys: distinct versions unless tokens derive from the bytes.
        let on_other = if b.content_versions {
            format!("other {i}")
        } else {
            bytes.clone()
        };
        expect_new(
            put_ok(b, &other, on_other.as_bytes(), Cond::Always).await,
            "another key",
        );
    }
    b.bucket
        .delete(&key, Cond::IfMatch(cur))
        .await
        .expect("delete_if_match");
    if b.content_versions {
        return;
    }
    // The same bytes again: still new versions.
    let again = put_ok(b, &key, b"a", Cond::IfAbsent).await;
    expect_new(again.clone(), "re-create with the first bytes");
    let same = put_ok(b, &key, b"a", Cond::IfMatch(again)).await;
    expect_new(same, "rewrite of equal bytes");
    let got = b
        .bucket
        .put(&key, b"b".to_vec(), Cond::IfMatch(first))
        .await;
    assert_eq!(
        got,
        Err(StoreError::Mismatch),
        "{}: a token from before the delete",
        b.name
    );
}

/// Tasks: each adds its own entries by get / put_if_match, retrying on Mismatch (and on the
/// retryable Conflict and Throttled). Nothing is lost: the final object holds every entry
/// once, and there were exactly as many successful writes as entries.
pub async fn concurrent_put_if_match_loses_nothing<B: Bucket>(b: &Backend<B>) {
    const TASKS: usize = 4;
    const EACH: usize = 10;
    let key = b.key("counter");
    put_ok(b, &key, b"", Cond::IfAbsent).await;
    let wins = Arc::new(AtomicU64::new(0));
    let retries = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for t in 0..TASKS {
        let (bucket, key) = (b.bucket.clone(), key.clone());
        let (wins, retries) = (Arc::clone(&wins), Arc::clone(&retries));
        tasks.push(tokio::spawn(async move {
            for i in 0..EACH {
                let entry = format!("t{t}-{i}\n");
                for attempt in 0.. {
                    assert!(attempt < 500, "task {t}: no progress");
                    let cur = bucket.get(&key).await.expect("get");
                    let mut bytes = cur.bytes;
                    bytes.extend_from_slice(entry.as_bytes());
                    match bucket
                        .put(&key, bytes, Cond::IfMatch(cur.meta.version))
                        .await
                    {
                        Ok(_) => break,
                        Err(
                            StoreError::Mismatch | StoreError::Conflict | StoreError::Throttled,
                        ) => {
                            retries.fetch_add(1, Ordering::Relaxed);
                            tokio::task::yield_now().await;
                        }
                        Err(e) => panic!("task {t}: put_if_match: {e}"),
                    }
                }
                wins.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
    let text = String::from_utf8(bytes_of(b, &key).await).expect("utf-8");
    let entries: Vec<&str> = text.lines().collect();
    let unique: BTreeSet<&str> = entries.iter().copied().collect();
    assert_eq!(
        (entries.len(), unique.len()),
        (TASKS * EACH, TASKS * EACH),
        "{}: every entry exactly once ({} retries)",
        b.name,
        retries.load(Ordering::Relaxed)
    );
    assert_eq!(wins.load(Ordering::Relaxed), (TASKS * EACH) as u64);
}
