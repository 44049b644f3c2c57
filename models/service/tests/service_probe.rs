//! The startup capability probe through the binary (`config-concurrency.md` §2.4): over a
//! store that ignores conditions (the test profile `--store ignore-conditions:SPEC`) the
//! server logs that it refuses conditions and answers every conditional write 501, and 428
//! mode stays off; over an honest store it picks protocol A and 428 mode works; a probe that
//! cannot reach its store stops the start with one line. And over a store whose deletes ignore
//! `If-Match` (profile `minio-like`), a conditional DELETE is 501 with the settings the probe
//! gives (`Capabilities::settings`), where with conditional deletes trusted it deletes a
//! config it should not.

mod support;

use std::process::Command;
use std::time::Duration;

use support::raw_http::send;
use support::service::{file_store, s3_store, TestStore, BINARY};
use weft_config_api::clock::wall_now;
use weft_config_api::http_client::{HttpTransport, Targets};
use weft_config_api::router::router;
use weft_core::backend::tokio::TokioRuntime;
use weft_models::mimir::client::Transport;
use weft_models::mimir::handler::Server;
use weft_models::mimir::http::{Method, Request, Status};
use weft_models::mimir::memstore::LocalBucket;
use weft_models::mimir::probe::probe;
use weft_models::mimir::profile::Profile;
use weft_models::mimir::settings::{Protocol, Settings};

const PATH: &str = "/api/v1/alerts";
const VALID: &[u8] =
    b"alertmanager_config: |\n  route:\n    receiver: a\n  receivers:\n    - name: a\n";

fn post(addr: &str, tenant: &str, header: Option<(&str, &[u8])>) -> (u16, String) {
    let mut headers: Vec<(&str, &[u8])> = vec![("X-Scope-OrgID", tenant.as_bytes())];
    headers.extend(header);
    let r = send(addr, "POST", PATH, &headers, VALID);
    (r.status, r.text())
}

fn refused_over(store: &TestStore) {
    let spec = format!("ignore-conditions:{}", store.arg);
    let server = support::service::ServerProcess::start(
        &store.launch(&spec),
        &["--require-preconditions"],
        "ignoring",
    );
    let log = server.log_text();
    assert!(
        log.contains("capabilities: put_if_absent no, put_if_match no, delete_if_match no => protocol refuse"),
        "{log}"
    );
    assert!(log.contains("refusing conditions"), "{log}");
    assert!(log.contains("--require-preconditions ignored"), "{log}");
    let t = &store.tenant;
    let unsupported = "conditional updates unsupported by this storage backend";
    assert_eq!(
        post(&server.addr, t, Some(("If-None-Match", b"*"))),
        (501, unsupported.into())
    );
    assert_eq!(
        post(&server.addr, t, Some(("If-Match", b"\"v-00\""))),
        (501, unsupported.into())
    );
    assert_eq!(
        post(&server.addr, t, Some(("If-Match", b"*"))),
        (501, unsupported.into())
    );
    // 428 mode is off: a blind write goes through, as in Mimir today.
    assert_eq!(post(&server.addr, t, None).0, 201);
    let deleted = send(
        &server.addr,
        "DELETE",
        PATH,
        &[("X-Scope-OrgID", t.as_bytes()), ("If-Match", b"\"v-00\"")],
        b"",
    );
    assert_eq!(deleted.status, 501, "{}", deleted.text());
    let got = send(
        &server.addr,
        "GET",
        PATH,
        &[("X-Scope-OrgID", t.as_bytes())],
        b"",
    );
    assert_eq!(got.status, 200, "the blind write is there: {}", got.text());
}

#[test]
fn a_store_ignoring_conditions_is_refused_file() {
    refused_over(&file_store("probe"));
}

#[test]
fn a_store_ignoring_conditions_is_refused_s3() {
    if let Some(store) = s3_store("probe") {
        refused_over(&store);
    }
}

#[test]
fn an_honest_store_gets_protocol_a_and_428_mode() {
    let store = file_store("honest");
    let server = store.server(&["--require-preconditions"], "honest");
    let log = server.log_text();
    assert!(
        log.contains(
            "capabilities: put_if_absent yes, put_if_match yes, delete_if_match yes => protocol A"
        ),
        "{log}"
    );
    let t = &store.tenant;
    let (status, reason) = post(&server.addr, t, None);
    assert_eq!(status, 428, "{reason}");
    assert!(
        reason.contains("If-Match") && !reason.contains('\n'),
        "{reason}"
    );
    assert_eq!(post(&server.addr, t, Some(("If-None-Match", b"*"))).0, 201);
    // The same create again is "already applied" (§1.5): 201; another body is 412.
    assert_eq!(post(&server.addr, t, Some(("If-None-Match", b"*"))).0, 201);
    let other: &[u8] =
        b"alertmanager_config: |\n  route:\n    receiver: b\n  receivers:\n    - name: b\n";
    let headers: [(&str, &[u8]); 2] = [("X-Scope-OrgID", t.as_bytes()), ("If-None-Match", b"*")];
    assert_eq!(
        send(&server.addr, "POST", PATH, &headers, other).status,
        412
    );
}

#[test]
fn a_probe_that_cannot_reach_its_store_stops_the_start_in_one_line() {
    let out = Command::new(BINARY)
        .args(["--listen", "127.0.0.1:0", "--store", "s3:no-such-bucket"])
        .args(["--s3-endpoint", "http://127.0.0.1:1"])
        .output()
        .expect("run weft-config-api");
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "it never listened");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("weft-config-api: capability probe on s3:no-such-bucket failed: "),
        "{stderr}"
    );
}

/// DELETE with a stale `If-Match` over profile `minio-like`, with the settings the probe
/// gives (`as_probed`) or with conditional deletes trusted anyway: the status, and whether
/// the config survived.
async fn stale_delete_over_minio_like(as_probed: bool) -> (Status, bool) {
    let store = LocalBucket::new(Profile::MinioLike, wall_now);
    let caps = probe(&store, "test").await.expect("probe");
    assert_eq!(caps.protocol(), Protocol::A);
    assert!(!caps.delete_if_match, "minio-like deletes ignore If-Match");
    let probed = caps.settings(Settings::DEFAULT);
    assert_eq!(probed.protocol, Protocol::A);
    let settings = if as_probed {
        probed
    } else {
        Settings {
            delete_if_match: true,
            ..probed
        }
    };
    let server = Server::new(TokioRuntime::new(), store, "test", settings);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let serving = tokio::spawn(async move { axum::serve(listener, router(server)).await });
    let client =
        HttpTransport::new(Targets::new(vec![url]), 0).with_timeout(Duration::from_secs(10));
    let create = Request::new(Method::Post, "t1")
        .if_none_match("*")
        .body(VALID);
    assert_eq!(
        client.send(create).await.expect("create").status,
        Status::CREATED
    );
    let stale = Request::new(Method::Delete, "t1").if_match("\"v-00\"");
    let status = client.send(stale).await.expect("delete").status;
    let after = client
        .send(Request::new(Method::Get, "t1"))
        .await
        .expect("get")
        .status;
    serving.abort();
    (status, after == Status::OK)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conditional_delete_the_store_would_ignore_is_501() {
    assert_eq!(
        stale_delete_over_minio_like(true).await,
        (Status::NOT_IMPLEMENTED, true)
    );
    // What the probe's settings prevent: the store deletes on a stale tag, and the server
    // says 200.
    assert_eq!(
        stale_delete_over_minio_like(false).await,
        (Status::OK, false)
    );
}
