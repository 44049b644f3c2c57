//! `FileBucket`'s conditional writes are atomic across processes (module docs of
//! `file_store.rs`, rule 1): several processes on one directory each add their own entries
//! to one object by get / put_if_match, retrying on Mismatch, and none is lost.
//!
//! The processes are this test binary itself, run again on the ignored test
//! [`child_adds_entries`] with [`CHILD_VAR`] set: no extra binary to build.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use weft_config_api::FileBucket;
use weft_models::mimir::store::{Bucket, Cond, StoreError};

const CHILD_VAR: &str = "WEFT_FILE_STORE_CHILD";
const PROCESSES: usize = 4;
const EACH: usize = 40;
const KEY: &str = "alerts/tenant-1";
const GO_FILE: &str = "go";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

#[allow(
    clippy::disallowed_methods,
    reason = "a real-time bound on child processes, not model time"
)]
fn now() -> Instant {
    Instant::now()
}

fn wait_bounded(mut child: Child, limit: Duration) -> std::process::Output {
    let start = now();
    while child.try_wait().expect("try_wait").is_none() {
        if now().duration_since(start) > limit {
            let _ = child.kill();
            panic!("a child process ran over {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("child output")
}

#[test]
fn put_if_match_across_processes_loses_nothing() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = dir.path().join("store");
    let bucket = FileBucket::open(&store).expect("file store");
    runtime()
        .block_on(bucket.put(KEY, Vec::new(), Cond::IfAbsent))
        .expect("create the object");
    let exe = std::env::current_exe().expect("this test binary");
    let children: Vec<Child> = (0..PROCESSES)
        .map(|p| {
            Command::new(&exe)
                .args(["child_adds_entries", "--exact", "--ignored", "--nocapture"])
                .env(CHILD_VAR, format!("{p} {}", store.display()))
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn a child")
        })
        .collect();
    // All start at once, so that their writes overlap.
    std::fs::write(dir.path().join(GO_FILE), b"").expect("go file");
    let mut retries = 0;
    for (p, child) in children.into_iter().enumerate() {
        let out = wait_bounded(child, Duration::from_secs(120));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "child {p} failed: {}\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        retries += stdout
            .lines()
            .find_map(|l| l.strip_prefix("retries="))
            .and_then(|n| n.trim().parse::<usize>().ok())
            .unwrap_or_else(|| panic!("child {p} printed no retries= line:\n{stdout}"));
    }
    let object = runtime().block_on(bucket.get(KEY)).expect("get");
    let text = String::from_utf8(object.bytes).expect("utf-8");
    let mut entries: Vec<&str> = text.lines().collect();
    let written = entries.len();
    entries.sort_unstable();
    entries.dedup();
    assert_eq!(
        (written, entries.len()),
        (PROCESSES * EACH, PROCESSES * EACH),
        "every entry exactly once ({retries} Mismatch retries)"
    );
    eprintln!("{PROCESSES} processes x {EACH} writes, {retries} Mismatch retries");
}

/// One child of [`put_if_match_across_processes_loses_nothing`]; run only by it.
#[test]
#[ignore = "a child process of put_if_match_across_processes_loses_nothing, run by it"]
fn child_adds_entries() {
    let spec = std::env::var(CHILD_VAR)
        .expect("run by put_if_match_across_processes_loses_nothing only (it sets the variable)");
    let (p, store) = spec.split_once(' ').expect("'<index> <dir>'");
    let store = Path::new(store);
    let start = now();
    while !store.parent().expect("parent").join(GO_FILE).exists() {
        assert!(
            now().duration_since(start) < Duration::from_secs(30),
            "no go file"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let bucket = FileBucket::open(store).expect("file store");
    let retries = runtime().block_on(async {
        let mut retries = 0;
        for i in 0..EACH {
            loop {
                let cur = bucket.get(KEY).await.expect("get");
                let mut bytes = cur.bytes;
                bytes.extend_from_slice(format!("p{p}-{i}\n").as_bytes());
                match bucket
                    .put(KEY, bytes, Cond::IfMatch(cur.meta.version))
                    .await
                {
                    Ok(_) => break,
                    Err(StoreError::Mismatch) => retries += 1,
                    Err(e) => panic!("put_if_match: {e}"),
                }
            }
        }
        retries
    });
    println!("retries={retries}");
}
