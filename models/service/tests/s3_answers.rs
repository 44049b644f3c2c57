//! `S3Bucket`'s requests and how it reads each answer (module docs of `s3_store.rs`, spec
//! §2.1 and §2.3), against a scripted HTTP server on loopback: the answers SeaweedFS never
//! gives (409, 429, 501, 503, AWS's 404 for a missing key under If-Match), timeouts and
//! refused connections. Each server answers a fixed number of connections, then stops.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use weft_config_api::{S3Auth, S3Bucket};
use weft_models::mimir::store::{Bucket, Cond, StoreError, StoreVersion};

/// One scripted answer.
#[derive(Clone, Debug)]
struct Answer {
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: String,
}

fn answer(status: u16, code: Option<&str>) -> Answer {
    let body = code.map_or(String::new(), |c| {
        format!("<?xml version=\"1.0\"?><Error><Code>{c}</Code><Message>m</Message></Error>")
    });
    Answer {
        status,
        headers: vec![],
        body,
    }
}

fn ok_with(headers: Vec<(&'static str, &'static str)>, body: &str) -> Answer {
    Answer {
        status: 200,
        headers,
        body: body.to_owned(),
    }
}

/// Reads one request: its head (lower-cased header names) and body.
async fn read_request(stream: &mut BufReader<TcpStream>) -> Option<String> {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if stream.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let len = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(str::to_owned)
        })
        .and_then(|n| n.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    stream.read_exact(&mut body).await.ok()?;
    Some(head)
}

/// A server answering `answers` in order, one connection each; the request heads it saw.
async fn serve(answers: Vec<Answer>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        for a in answers {
            let (stream, _) = listener.accept().await.expect("accept");
            let mut stream = BufReader::new(stream);
            let Some(head) = read_request(&mut stream).await else {
                return;
            };
            let is_head = head.starts_with("HEAD ");
            log.lock().expect("log").push(head);
            let mut out = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", a.status);
            for (name, value) in &a.headers {
                out.push_str(&format!("{name}: {value}\r\n"));
            }
            out.push_str(&format!("Content-Length: {}\r\n\r\n", a.body.len()));
            if !is_head {
                out.push_str(&a.body);
            }
            let _ = stream.get_mut().write_all(out.as_bytes()).await;
            let _ = stream.get_mut().shutdown().await;
        }
    });
    (endpoint, seen)
}

fn anonymous() -> S3Auth {
    S3Auth::from_vars(|_| None).expect("no variables: anonymous")
}

fn signed() -> S3Auth {
    S3Auth::from_vars(|name| match name {
        "AWS_ACCESS_KEY_ID" => Some("weft-test".to_owned()),
        "AWS_SECRET_ACCESS_KEY" => Some("weft-test-secret".to_owned()),
        _ => None,
    })
    .expect("key pair")
}

fn ver(s: &str) -> StoreVersion {
    StoreVersion(s.to_owned())
}

#[derive(Clone, Debug)]
enum Op {
    Get,
    Head,
    Put(Cond),
    Delete(Cond),
}

async fn run(bucket: &S3Bucket, op: &Op) -> Result<(), StoreError> {
    match op {
        Op::Get => bucket.get("alerts/t1").await.map(drop),
        Op::Head => bucket.head("alerts/t1").await.map(drop),
        Op::Put(cond) => bucket
            .put("alerts/t1", b"cfg".to_vec(), cond.clone())
            .await
            .map(drop),
        Op::Delete(cond) => bucket.delete("alerts/t1", cond.clone()).await,
    }
}

#[tokio::test]
async fn each_failure_status_maps_to_its_contract_result() {
    let unknown = |text: &str| StoreError::Unknown(text.to_owned());
    let if_match = || Cond::IfMatch(ver("v1"));
    let cases: Vec<(Op, Answer, StoreError)> = vec![
        (
            Op::Get,
            answer(404, Some("NoSuchKey")),
            StoreError::NotFound,
        ),
        (Op::Head, answer(404, None), StoreError::NotFound),
        (
            Op::Put(Cond::IfAbsent),
            answer(412, Some("PreconditionFailed")),
            StoreError::Exists,
        ),
        (
            Op::Put(if_match()),
            answer(412, Some("PreconditionFailed")),
            StoreError::Mismatch,
        ),
        (
            Op::Put(if_match()),
            answer(404, Some("NoSuchKey")),
            StoreError::Absent,
        ),
        (
            Op::Delete(if_match()),
            answer(412, None),
            StoreError::Mismatch,
        ),
        (
            Op::Delete(if_match()),
            answer(404, Some("NoSuchKey")),
            StoreError::Absent,
        ),
        (
            Op::Put(Cond::IfAbsent),
            answer(409, Some("ConditionalRequestConflict")),
            StoreError::Conflict,
        ),
        (Op::Put(if_match()), answer(409, None), StoreError::Conflict),
        (
            Op::Delete(if_match()),
            answer(409, None),
            StoreError::Conflict,
        ),
        (
            Op::Put(Cond::Always),
            answer(503, Some("SlowDown")),
            StoreError::Throttled,
        ),
        (
            Op::Put(if_match()),
            answer(429, None),
            StoreError::Throttled,
        ),
        (
            Op::Get,
            answer(503, Some("SlowDown")),
            StoreError::Throttled,
        ),
        (
            Op::Put(if_match()),
            answer(501, Some("NotImplemented")),
            StoreError::Unsupported,
        ),
        (
            Op::Delete(if_match()),
            answer(501, Some("NotImplemented")),
            StoreError::Unsupported,
        ),
        (
            Op::Put(Cond::Always),
            answer(500, Some("InternalError")),
            unknown("the store answered HTTP 500 InternalError"),
        ),
        (
            Op::Put(if_match()),
            answer(502, None),
            unknown("the store answered HTTP 502"),
        ),
        (
            Op::Get,
            answer(403, Some("AccessDenied")),
            unknown("the store answered HTTP 403 AccessDenied"),
        ),
        (
            Op::Put(if_match()),
            answer(404, Some("NoSuchBucket")),
            unknown("the store answered 404 NoSuchBucket"),
        ),
        (
            Op::Put(Cond::Always),
            answer(412, None),
            unknown("the store answered HTTP 412"),
        ),
        (
            Op::Put(Cond::Always),
            ok_with(vec![], ""),
            unknown("the store answered 200 OK without a readable ETag"),
        ),
        (
            Op::Get,
            ok_with(vec![("ETag", "\"e\"")], "cfg"),
            unknown("the store answered without a readable Last-Modified"),
        ),
    ];
    for (op, answer, expected) in cases {
        let (endpoint, _) = serve(vec![answer.clone()]).await;
        let bucket = S3Bucket::new(&endpoint, "weft", anonymous()).expect("bucket");
        let got = run(&bucket, &op).await;
        assert_eq!(
            got,
            Err(expected),
            "{op:?} answered {} {:?}",
            answer.status,
            answer.body
        );
    }
}

#[tokio::test]
async fn requests_carry_their_signed_conditions() {
    let etag = vec![("ETag", "\"9f86d0\"")];
    let (endpoint, seen) = serve(vec![
        ok_with(etag.clone(), ""),
        ok_with(etag.clone(), ""),
        ok_with(etag, ""),
        answer(204, None),
    ])
    .await;
    let bucket = S3Bucket::new(&endpoint, "weft", signed()).expect("bucket");
    let key = "alerts/t1";
    for cond in [Cond::Always, Cond::IfAbsent, Cond::IfMatch(ver("abc"))] {
        assert_eq!(
            bucket.put(key, b"cfg".to_vec(), cond).await,
            Ok(ver("9f86d0")),
            "quotes gone"
        );
    }
    bucket
        .delete(key, Cond::IfMatch(ver("abc")))
        .await
        .expect("delete_if_match");
    let seen = seen.lock().expect("log").clone();
    let expect = [
        ("PUT", "X-Amz-SignedHeaders=host&", None),
        (
            "PUT",
            "X-Amz-SignedHeaders=host%3Bif-none-match&",
            Some("if-none-match: *"),
        ),
        (
            "PUT",
            "X-Amz-SignedHeaders=host%3Bif-match&",
            Some("if-match: \"abc\""),
        ),
        (
            "DELETE",
            "X-Amz-SignedHeaders=host%3Bif-match&",
            Some("if-match: \"abc\""),
        ),
    ];
    assert_eq!(seen.len(), expect.len());
    for (head, (method, signed, header)) in seen.iter().zip(expect) {
        let line = head.lines().next().expect("request line");
        assert!(
            line.starts_with(&format!("{method} /weft/alerts/t1?")),
            "{line}"
        );
        assert!(line.contains("X-Amz-Algorithm=AWS4-HMAC-SHA256"), "{line}");
        assert!(line.contains(signed), "{line}");
        let lower = head.to_ascii_lowercase();
        if let Some(h) = header {
            assert!(lower.lines().any(|l| l == h), "{h} missing from\n{head}");
        } else {
            assert!(
                !lower.contains("if-match") && !lower.contains("if-none-match"),
                "{head}"
            );
        }
    }
}

#[tokio::test]
async fn get_reads_bytes_version_and_time() {
    let headers = vec![
        ("ETag", "\"e1\""),
        ("Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"),
    ];
    let (endpoint, _) = serve(vec![
        ok_with(headers.clone(), "cfg\n"),
        ok_with(headers, ""),
    ])
    .await;
    let bucket = S3Bucket::new(&endpoint, "weft", anonymous()).expect("bucket");
    let object = bucket.get("k").await.expect("get");
    assert_eq!(object.bytes, b"cfg\n");
    assert_eq!(object.meta.version, ver("e1"));
    assert_eq!(object.meta.last_modified.0, 784_111_777 * 1_000_000_000);
    assert_eq!(bucket.head("k").await.expect("head"), object.meta);
}

/// S3 answers 204 to a DELETE of a missing key; the contract wants NotFound, so an
/// unconditional delete asks HEAD first and sends no DELETE for a missing key.
#[tokio::test]
async fn unconditional_delete_heads_first() {
    let (endpoint, seen) = serve(vec![answer(404, None)]).await;
    let bucket = S3Bucket::new(&endpoint, "weft", anonymous()).expect("bucket");
    assert_eq!(
        bucket.delete("k", Cond::Always).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(seen.lock().expect("log").len(), 1);
    let found = ok_with(
        vec![
            ("ETag", "\"e\""),
            ("Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"),
        ],
        "",
    );
    let (endpoint, seen) = serve(vec![found, answer(204, None)]).await;
    let bucket = S3Bucket::new(&endpoint, "weft", anonymous()).expect("bucket");
    assert_eq!(bucket.delete("k", Cond::Always).await, Ok(()));
    let methods: Vec<String> = seen
        .lock()
        .expect("log")
        .iter()
        .map(|h| h[..4].to_owned())
        .collect();
    assert_eq!(methods, ["HEAD", "DELE"]);
    assert_eq!(
        bucket.delete("k", Cond::IfAbsent).await,
        Err(StoreError::Unsupported)
    );
}

#[tokio::test]
async fn no_answer_in_time_is_unknown() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
    // Accepts and reads, never answers; ends with the test's runtime.
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let bucket = S3Bucket::new(&endpoint, "weft", anonymous())
        .expect("bucket")
        .with_timeout(Duration::from_millis(200));
    let got = bucket
        .put("k", b"x".to_vec(), Cond::IfMatch(ver("v")))
        .await;
    match got {
        Err(e @ StoreError::Unknown(_)) => {
            assert!(
                e.to_string().contains("no answer within 200ms") && e.maybe_applied(),
                "{e}"
            )
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_refused_connection_is_unknown() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let bucket = S3Bucket::new(&endpoint, "weft", anonymous()).expect("bucket");
    for cond in [Cond::Always, Cond::IfAbsent] {
        let got = bucket.put("k", b"x".to_vec(), cond).await;
        assert!(matches!(&got, Err(StoreError::Unknown(_))), "{got:?}");
    }
}

#[tokio::test]
async fn invalid_keys_are_refused_before_any_request() {
    let (endpoint, seen) = serve(vec![answer(200, None)]).await;
    let bucket = S3Bucket::new(&endpoint, "weft", anonymous()).expect("bucket");
    for key in ["../other-bucket/x", "/abs", "a//b", "a/\0", "a/..", ""] {
        match bucket.put(key, b"x".to_vec(), Cond::Always).await {
            Err(StoreError::Unknown(text)) => assert!(text.starts_with("invalid store key")),
            other => panic!("{key:?}: {other:?}"),
        }
    }
    assert!(seen.lock().expect("log").is_empty());
}

#[test]
fn configuration_errors_are_one_line() {
    let https = S3Bucket::new("https://s3.example.invalid", "weft", anonymous()).unwrap_err();
    assert_eq!(
        https.to_string(),
        "invalid --s3-endpoint \"https://s3.example.invalid\": only http:// is supported \
         (this build has no TLS)"
    );
    let junk = S3Bucket::new("not a url", "weft", anonymous()).unwrap_err();
    assert!(
        junk.to_string()
            .starts_with("invalid --s3-endpoint \"not a url\": "),
        "{junk}"
    );
    let half = S3Auth::from_vars(|n| (n == "AWS_ACCESS_KEY_ID").then(|| "k".to_owned()));
    assert_eq!(
        half.unwrap_err().to_string(),
        "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
    );
    let auth = S3Auth::from_vars(|n| (n == "AWS_REGION").then(|| "eu-west-1".to_owned()));
    let auth = auth.expect("region only");
    assert_eq!(
        (auth.region.as_str(), auth.credentials.is_none()),
        ("eu-west-1", true)
    );
    assert_eq!(anonymous().region, "us-east-1");
    for e in [https, junk] {
        assert!(!e.to_string().contains('\n'));
    }
}
