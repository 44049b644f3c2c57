//! `FileBucket` beyond the shared contract: keys never leave the store's directory, a write
//! that times out is Unknown (and may still land), a damaged object file is an error, not a
//! panic, and the layout is the one its module docs describe.

use std::path::Path;
use std::time::Duration;

use weft_config_api::key::KeyError;
use weft_config_api::FileBucket;
use weft_models::mimir::store::{Bucket, Cond, StoreError, StoreVersion};

/// Every file and directory under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir") {
            let path = entry.expect("entry").path();
            out.push(path.strip_prefix(dir).expect("under").display().to_string());
            if path.is_dir() {
                stack.push(path);
            }
        }
    }
    out.sort();
    out
}

const ESCAPES: &[(&str, KeyError)] = &[
    ("", KeyError::Empty),
    ("..", KeyError::DotSegment),
    ("../outside", KeyError::DotSegment),
    ("alerts/../../outside", KeyError::DotSegment),
    ("alerts/./t", KeyError::DotSegment),
    ("/etc/passwd", KeyError::EmptySegment),
    ("alerts//t", KeyError::EmptySegment),
    ("alerts/", KeyError::EmptySegment),
    ("alerts/t\0", KeyError::ControlByte),
    ("alerts/t\n", KeyError::ControlByte),
    ("alerts/..\\..\\x", KeyError::Backslash),
    ("alerts/.hidden", KeyError::Reserved),
    ("alerts/@lock", KeyError::Reserved),
    ("alerts/t/@object", KeyError::Reserved),
];

#[tokio::test]
async fn keys_never_escape_the_directory() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let bucket = FileBucket::open(dir.path().join("store")).expect("file store");
    let long_segment = format!("alerts/{}", "a".repeat(256));
    let long_key = "ab/".repeat(400);
    let mut cases: Vec<(&str, KeyError)> = ESCAPES.to_vec();
    cases.push((&long_segment, KeyError::SegmentTooLong(256)));
    cases.push((&long_key, KeyError::TooLong(1200)));
    let mut answers = Vec::new();
    for (key, _) in &cases {
        answers.push((key, "get", bucket.get(key).await.map(drop)));
        answers.push((key, "head", bucket.head(key).await.map(drop)));
        for cond in [
            Cond::Always,
            Cond::IfAbsent,
            Cond::IfMatch(StoreVersion("x".into())),
        ] {
            answers.push((
                key,
                "put",
                bucket.put(key, b"x".to_vec(), cond).await.map(drop),
            ));
        }
        answers.push((key, "delete", bucket.delete(key, Cond::Always).await));
    }
    assert_eq!(tree(dir.path()), ["store"], "nothing written anywhere");
    for (key, op, got) in answers {
        match got {
            Err(StoreError::Unknown(text)) => assert!(
                text.starts_with("invalid store key"),
                "{op} {key:?}: {text}"
            ),
            other => panic!("{op} {key:?}: expected a refusal, got {other:?}"),
        }
    }
    for (key, why) in &cases {
        assert_eq!(bucket.key_dir(key).as_ref(), Err(why), "key {key:?}");
        let text = bucket.get(key).await.expect_err("refused").to_string();
        assert!(text.contains(&why.to_string()), "{text}");
    }
}

#[tokio::test]
async fn valid_keys_stay_under_the_root() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let bucket = FileBucket::open(dir.path().join("store")).expect("file store");
    let unicode = "alerts/tenant-ünï-コード";
    let max_segment = format!("alerts/{}", "a".repeat(255));
    for key in [
        "t",
        "alerts/tenant-1",
        "a/b/c/d",
        "alerts/t..x",
        unicode,
        &max_segment,
    ] {
        let key_dir = bucket.key_dir(key).expect("valid key");
        assert!(
            key_dir.starts_with(bucket.root()) && key_dir != bucket.root(),
            "{key}"
        );
        let ver = bucket
            .put(key, key.as_bytes().to_vec(), Cond::IfAbsent)
            .await
            .expect("put");
        let object = bucket.get(key).await.expect("get");
        assert_eq!(
            (object.bytes, object.meta.version),
            (key.as_bytes().to_vec(), ver)
        );
    }
    // A key and a key under it do not collide (a file would not be a directory too).
    let object = bucket.get("a/b/c/d").await.expect("get");
    bucket
        .put("a/b", b"parent".to_vec(), Cond::IfAbsent)
        .await
        .expect("put a/b");
    assert_eq!(bucket.get("a/b/c/d").await.expect("get"), object);
    assert!(tree(dir.path()).iter().all(|p| p.starts_with("store")));
}

#[tokio::test]
async fn layout_is_object_and_lock_per_key() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let bucket = FileBucket::open(dir.path()).expect("file store");
    let ver = bucket
        .put("alerts/t1", b"cfg".to_vec(), Cond::Always)
        .await
        .expect("put");
    assert_eq!(
        tree(dir.path()),
        [
            "alerts",
            "alerts/t1",
            "alerts/t1/@lock",
            "alerts/t1/@object"
        ]
    );
    let raw = std::fs::read(dir.path().join("alerts/t1/@object")).expect("read");
    let header = format!("weft-object 1 {} ", ver.0);
    assert!(raw.starts_with(header.as_bytes()) && raw.ends_with(b"\ncfg"));
    assert_eq!(ver.0.len(), 32, "128 bits in hex");
    bucket
        .delete("alerts/t1", Cond::IfMatch(ver))
        .await
        .expect("delete");
    assert_eq!(tree(dir.path()), ["alerts", "alerts/t1", "alerts/t1/@lock"]);
}

#[tokio::test]
async fn a_damaged_object_is_an_error() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let bucket = FileBucket::open(dir.path()).expect("file store");
    bucket
        .put("k", b"cfg".to_vec(), Cond::Always)
        .await
        .expect("put");
    for damage in [
        &b""[..],
        b"no header",
        b"weft-object 1 abc\n",
        b"weft-object 1 abc x\ncfg",
    ] {
        std::fs::write(dir.path().join("k/@object"), damage).expect("damage");
        for got in [
            bucket.get("k").await.map(drop),
            bucket.head("k").await.map(drop),
        ] {
            match got {
                Err(StoreError::Unknown(text)) => assert!(text.contains("corrupt object file")),
                other => panic!("{damage:?}: {other:?}"),
            }
        }
        let put = bucket.put("k", b"x".to_vec(), Cond::IfAbsent).await;
        assert!(matches!(put, Err(StoreError::Unknown(_))), "{put:?}");
    }
}

/// Rule 6: a write that cannot take the key's lock in time answers Unknown, and it may
/// still take effect afterwards (here it does, once the lock is free).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_past_its_timeout_is_unknown_and_may_still_land() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let bucket = FileBucket::open(dir.path())
        .expect("file store")
        .with_timeout(Duration::from_millis(200));
    let old = bucket
        .put("k", b"old".to_vec(), Cond::Always)
        .await
        .expect("put");
    // Another holder of the key's lock (flock: another open file, as another process).
    let holder = std::fs::File::open(dir.path().join("k/@lock")).expect("open lock");
    holder.lock().expect("lock");
    let got = bucket.put("k", b"new".to_vec(), Cond::IfMatch(old)).await;
    match &got {
        Err(e @ StoreError::Unknown(text)) => {
            assert!(text.contains("timed out") && e.maybe_applied(), "{text}")
        }
        other => panic!("expected Unknown, got {other:?}"),
    }
    assert_eq!(
        bucket.get("k").await.expect("get").bytes,
        b"old",
        "reads take no lock"
    );
    holder.unlock().expect("unlock");
    for _ in 0..100 {
        if bucket.get("k").await.expect("get").bytes == b"new" {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the timed-out write never landed");
}
