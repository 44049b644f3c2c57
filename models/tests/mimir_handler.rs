//! The config API's sequential contract (`config-concurrency.md` §1.3-§1.5, §2.4), the same
//! under every protocol and ETag scheme: one client, one server, the in-process model store,
//! on tokio. The races are the scenarios' business; this is what each request answers alone.

use weft_core::backend::tokio::TokioRuntime;
use weft_core::node::WallTime;
use weft_models::mimir::config::UserConfig;
use weft_models::mimir::etag::Scheme;
use weft_models::mimir::handler::Server;
use weft_models::mimir::http::{Method, Request, Response, Status};
use weft_models::mimir::memstore::LocalBucket;
use weft_models::mimir::probe::probe;
use weft_models::mimir::profile::Profile;
use weft_models::mimir::settings::{LockRules, Protocol, Settings};

mod support;

use support::block_on;

fn server(protocol: Protocol, scheme: Scheme) -> Server<TokioRuntime, LocalBucket> {
    let store = LocalBucket::new(Profile::CasFull, || WallTime(0));
    let settings = Settings {
        scheme,
        ..Settings::DEFAULT.with_protocol(protocol)
    };
    Server::new(TokioRuntime::new(), store, "s1", settings)
}

/// Protocol B as written is left out: its 412 leaks the lock (§5 R4, tested below).
const PROTOCOLS: [Protocol; 4] = [
    Protocol::A,
    Protocol::Lock(LockRules::REPAIRED),
    Protocol::Lock(LockRules::REPAIRED_UNFENCED),
    Protocol::C,
];

fn body(receivers: &[&str]) -> Vec<u8> {
    let mut c = UserConfig::initial();
    for r in receivers {
        c = c.with_receiver(r);
    }
    c.to_bytes()
}

fn etag(r: &Response) -> String {
    r.etag.as_ref().expect("an ETag").header()
}

async fn post(s: &Server<TokioRuntime, LocalBucket>, req: Request) -> Response {
    s.handle(req).await
}

#[test]
fn read_modify_write_under_every_protocol_and_scheme() {
    for protocol in PROTOCOLS {
        for scheme in [Scheme::Hash, Scheme::Version] {
            let what = format!("protocol {} scheme {}", protocol.name(), scheme.name());
            block_on(async {
                let s = server(protocol, scheme);
                let get = s.handle(Request::new(Method::Get, "team-a")).await;
                assert_eq!(get.status, Status::NOT_FOUND, "{what}: nothing stored yet");
                assert!(get.etag.is_none(), "{what}: a 404 carries no ETag");

                let create = Request::new(Method::Post, "team-a")
                    .if_none_match("*")
                    .body(body(&["x"]));
                let r = post(&s, create.clone()).await;
                assert_eq!(r.status, Status::CREATED, "{what}: create: {}", r.text());
                let t1 = etag(&r);
                let again = post(&s, create.body(body(&["y"]))).await;
                assert_eq!(
                    again.status,
                    Status::PRECONDITION_FAILED,
                    "{what}: create twice"
                );

                let get = s.handle(Request::new(Method::Get, "team-a")).await;
                assert_eq!(get.status, Status::OK, "{what}");
                assert_eq!(
                    etag(&get),
                    t1,
                    "{what}: GET names the version the 201 named"
                );
                assert_eq!(
                    get.body,
                    body(&["x"]),
                    "{what}: GET returns the stored config"
                );

                let update = Request::new(Method::Post, "team-a")
                    .if_match(&t1)
                    .body(body(&["x", "z"]));
                let r = post(&s, update.clone()).await;
                assert_eq!(r.status, Status::CREATED, "{what}: update: {}", r.text());
                let t2 = etag(&r);
                assert_ne!(t1, t2, "{what}: a new version gets a new tag");

                // A stale tag, with a body that differs from what is stored: 412.
                let stale = Request::new(Method::Post, "team-a")
                    .if_match(&t1)
                    .body(body(&["w"]));
                let r = post(&s, stale).await;
                assert_eq!(r.status, Status::PRECONDITION_FAILED, "{what}: stale tag");
                // A weak tag never matches, even the current one.
                let weak = Request::new(Method::Post, "team-a")
                    .if_match(&format!("W/{t2}"))
                    .body(body(&["w"]));
                assert_eq!(
                    post(&s, weak).await.status,
                    Status::PRECONDITION_FAILED,
                    "{what}"
                );
                // A list holding the current tag matches; `*` matches an existing config.
                let list = Request::new(Method::Post, "team-a")
                    .if_match(&format!("\"nope\", {t2}"))
                    .body(body(&["x", "z", "l"]));
                let r = post(&s, list).await;
                assert_eq!(r.status, Status::CREATED, "{what}: list: {}", r.text());
                let any = Request::new(Method::Post, "team-a")
                    .if_match("*")
                    .body(body(&["x", "z", "l", "a"]));
                let r = post(&s, any).await;
                assert_eq!(r.status, Status::CREATED, "{what}: *: {}", r.text());
                // Both headers can never hold.
                let both = Request::new(Method::Post, "team-a")
                    .if_match("*")
                    .if_none_match("*")
                    .body(body(&["b"]));
                assert_eq!(
                    post(&s, both).await.status,
                    Status::PRECONDITION_FAILED,
                    "{what}"
                );
                // Stale tag + invalid body: the body is checked first (§1.4): 400.
                let invalid = Request::new(Method::Post, "team-a")
                    .if_match(&t1)
                    .body("alertmanager_config: ''\n");
                assert_eq!(
                    post(&s, invalid).await.status,
                    Status::BAD_REQUEST,
                    "{what}"
                );
                // Another tenant is another object.
                let other = s.handle(Request::new(Method::Get, "team-b")).await;
                assert_eq!(other.status, Status::NOT_FOUND, "{what}");
                let final_get = s.handle(Request::new(Method::Get, "team-a")).await;
                assert_eq!(final_get.body, body(&["x", "z", "l", "a"]), "{what}");
            });
        }
    }
}

#[test]
fn a_retry_whose_first_answer_was_lost_gets_201_not_412() {
    // §1.5 and §5 R12: the write landed, its answer was lost, the client resends it.
    block_on(async {
        let s = server(Protocol::A, Scheme::Version);
        let r = post(&s, Request::new(Method::Post, "t").body(body(&[]))).await;
        let t0 = etag(&r);
        let req = Request::new(Method::Post, "t")
            .if_match(&t0)
            .body(body(&["r"]));
        let first = post(&s, req.clone()).await;
        assert_eq!(first.status, Status::CREATED);
        let resent = post(&s, req).await;
        assert_eq!(resent.status, Status::CREATED, "{}", resent.text());
        assert_eq!(
            etag(&resent),
            etag(&first),
            "the current tag, which is the write's"
        );
    });
}

#[test]
fn malformed_and_hostile_requests_get_their_status_and_change_nothing() {
    block_on(async {
        let s = server(Protocol::A, Scheme::Version);
        let r = post(&s, Request::new(Method::Post, "t").body(body(&["keep"]))).await;
        let tag = etag(&r);
        let cases: Vec<(&str, Request, Status)> = vec![
            (
                "no tenant",
                Request {
                    tenant: None,
                    ..Request::new(Method::Post, "t").body(body(&[]))
                },
                Status::UNAUTHORIZED,
            ),
            (
                "tenant ../",
                Request::new(Method::Post, "../t").body(body(&[])),
                Status::UNAUTHORIZED,
            ),
            (
                "tenant with /",
                Request::new(Method::Post, "a/b").body(body(&[])),
                Status::UNAUTHORIZED,
            ),
            (
                "tenant with NUL",
                Request::new(Method::Post, "a\0b").body(body(&[])),
                Status::UNAUTHORIZED,
            ),
            (
                "unicode tenant",
                Request::new(Method::Post, "tenänt").body(body(&[])),
                Status::UNAUTHORIZED,
            ),
            (
                "1 KB tenant",
                Request::new(Method::Post, &"a".repeat(1024)).body(body(&[])),
                Status::UNAUTHORIZED,
            ),
            (
                "tenant ..",
                Request::new(Method::Post, "..").body(body(&[])),
                Status::UNAUTHORIZED,
            ),
            (
                "unquoted If-Match",
                Request::new(Method::Post, "t")
                    .if_match("abc")
                    .body(body(&[])),
                Status::BAD_REQUEST,
            ),
            (
                "If-Match with a control byte",
                Request::new(Method::Post, "t")
                    .if_match("\"a\u{1}\"")
                    .body(body(&[])),
                Status::BAD_REQUEST,
            ),
            (
                "empty If-Match",
                Request::new(Method::Post, "t")
                    .if_match(" , ")
                    .body(body(&[])),
                Status::BAD_REQUEST,
            ),
            (
                "If-None-Match with a tag",
                Request::new(Method::Post, "t")
                    .if_none_match(&tag)
                    .body(body(&[])),
                Status::BAD_REQUEST,
            ),
            (
                "empty body",
                Request::new(Method::Post, "t").if_match(&tag),
                Status::BAD_REQUEST,
            ),
            (
                "invalid YAML",
                Request::new(Method::Post, "t").if_match(&tag).body("a: [b"),
                Status::BAD_REQUEST,
            ),
            (
                "not UTF-8",
                Request::new(Method::Post, "t")
                    .if_match(&tag)
                    .body(vec![0xff, 0xfe]),
                Status::BAD_REQUEST,
            ),
            (
                "a *_file field",
                Request::new(Method::Post, "t").if_match(&tag).body(
                    "alertmanager_config: |\n  global:\n    smtp_auth_password_file: /etc/passwd\n",
                ),
                Status::BAD_REQUEST,
            ),
            (
                "a route to nowhere",
                Request::new(Method::Post, "t")
                    .if_match(&tag)
                    .body("alertmanager_config: |\n  route:\n    receiver: ghost\n"),
                Status::BAD_REQUEST,
            ),
            (
                "a bad template name",
                Request::new(Method::Post, "t")
                    .if_match(&tag)
                    .body("template_files:\n  ../x: hi\nalertmanager_config: |\n  route: {}\n"),
                Status::BAD_REQUEST,
            ),
            (
                "body over the limit",
                Request::new(Method::Post, "t")
                    .if_match(&tag)
                    .body(vec![b'#'; (1 << 20) + 1]),
                Status::BAD_REQUEST,
            ),
            (
                "a weak tag",
                Request::new(Method::Post, "t")
                    .if_match(&format!("W/{tag}"))
                    .body(body(&["x"])),
                Status::PRECONDITION_FAILED,
            ),
            (
                "a tag of another scheme",
                Request::new(Method::Post, "t")
                    .if_match("\"h-00\"")
                    .body(body(&["x"])),
                Status::PRECONDITION_FAILED,
            ),
            (
                "an undecodable v tag",
                Request::new(Method::Post, "t")
                    .if_match("\"v-zz\"")
                    .body(body(&["x"])),
                Status::PRECONDITION_FAILED,
            ),
            (
                "no method",
                Request {
                    method: None,
                    ..Request::new(Method::Post, "t")
                },
                Status::METHOD_NOT_ALLOWED,
            ),
        ];
        for (what, req, want) in cases {
            let r = s.handle(req).await;
            assert_eq!(r.status, want, "{what}: {}", r.text());
            assert!(
                !r.text().contains('\n'),
                "{what}: one-line reason, got {:?}",
                r.text()
            );
            let get = s.handle(Request::new(Method::Get, "t")).await;
            assert_eq!(
                (get.status, etag(&get)),
                (Status::OK, tag.clone()),
                "{what}: unchanged"
            );
        }
    });
}

#[test]
fn precondition_required_mode_answers_428_with_how_to_fix_it() {
    block_on(async {
        let store = LocalBucket::new(Profile::CasFull, || WallTime(0));
        let settings = Settings {
            require_preconditions: true,
            ..Settings::DEFAULT
        };
        let s = Server::new(TokioRuntime::new(), store, "s1", settings);
        let r = s
            .handle(Request::new(Method::Post, "t").body(body(&[])))
            .await;
        assert_eq!(r.status, Status::PRECONDITION_REQUIRED);
        assert!(r.text().contains("If-Match"), "{}", r.text());
        let r = s
            .handle(
                Request::new(Method::Post, "t")
                    .if_none_match("*")
                    .body(body(&[])),
            )
            .await;
        assert_eq!(r.status, Status::CREATED);
    });
}

#[test]
fn deletes_blind_and_conditional() {
    block_on(async {
        let s = server(Protocol::A, Scheme::Version);
        let r = s.handle(Request::new(Method::Delete, "t")).await;
        assert_eq!(r.status, Status::OK, "a blind delete of nothing is 200");
        let t = etag(&post(&s, Request::new(Method::Post, "t").body(body(&[]))).await);
        let r = s
            .handle(Request::new(Method::Delete, "t").if_match("\"v-3939\""))
            .await;
        assert_eq!(r.status, Status::PRECONDITION_FAILED, "wrong tag");
        let r = s
            .handle(Request::new(Method::Delete, "t").if_match(&t))
            .await;
        assert_eq!(r.status, Status::OK);
        let r = s
            .handle(Request::new(Method::Delete, "t").if_match(&t))
            .await;
        assert_eq!(
            r.status,
            Status::PRECONDITION_FAILED,
            "If-Match on a missing config"
        );
        assert_eq!(
            s.handle(Request::new(Method::Get, "t")).await.status,
            Status::NOT_FOUND
        );
    });
}

/// minio-like: a delete ignores `If-Match` (§2.3, §5 R14). With the probe's finding in the
/// settings, a conditional DELETE is answered 501 and the config stays.
#[test]
fn a_conditional_delete_the_probe_did_not_trust_is_501() {
    block_on(async {
        let store = LocalBucket::new(Profile::MinioLike, || WallTime(0));
        let caps = probe(&store, "s1").await.unwrap();
        let settings = Settings {
            delete_if_match: caps.delete_if_match,
            ..Settings::DEFAULT.with_protocol(caps.protocol())
        };
        let s = Server::new(TokioRuntime::new(), store, "s1", settings);
        post(&s, Request::new(Method::Post, "t").body(body(&["a"]))).await;
        let r = s
            .handle(Request::new(Method::Delete, "t").if_match("\"v-3939\""))
            .await;
        assert_eq!(r.status, Status::NOT_IMPLEMENTED, "{}", r.text());
        assert_eq!(
            s.handle(Request::new(Method::Get, "t")).await.status,
            Status::OK,
            "the config is still there"
        );
    });
}

#[test]
fn the_probe_picks_the_protocol_each_profile_supports() {
    let expect = [
        (Profile::CasFull, "A", true),
        (Profile::S3_2024_11, "A", false),
        (Profile::S3_2024_08, "C", false),
        (Profile::MinioLike, "A", false),
        (Profile::Broken, "refuse", false),
        (Profile::AzureCodes, "A", true),
        (Profile::S3Codes, "A", true),
    ];
    for (profile, protocol, delete_if_match) in expect {
        let caps = block_on(probe(&LocalBucket::new(profile, || WallTime(0)), "s1")).unwrap();
        assert_eq!(caps.protocol().name(), protocol, "{profile}: {caps}");
        assert_eq!(caps.delete_if_match, delete_if_match, "{profile}: {caps}");
    }
}

#[test]
fn a_store_that_ignores_conditions_gets_501_for_conditional_writes() {
    block_on(async {
        let store = LocalBucket::new(Profile::Broken, || WallTime(0));
        let caps = probe(&store, "s1").await.unwrap();
        let s = Server::new(
            TokioRuntime::new(),
            store,
            "s1",
            Settings::DEFAULT.with_protocol(caps.protocol()),
        );
        let r = s
            .handle(
                Request::new(Method::Post, "t")
                    .if_none_match("*")
                    .body(body(&[])),
            )
            .await;
        assert_eq!(r.status, Status::NOT_IMPLEMENTED, "{}", r.text());
        let r = s
            .handle(Request::new(Method::Post, "t").body(body(&[])))
            .await;
        assert_eq!(
            r.status,
            Status::CREATED,
            "an unconditional write is still served"
        );
    });
}

#[test]
fn protocol_b_as_written_leaks_its_lock_on_412_and_b_prime_does_not() {
    // §5 R4: B5 answers 412 without B7; the next writer waits for the lock to go stale and
    // gives up after D_acq (503). B' releases on every exit path.
    for (rules, want) in [
        (LockRules::AS_WRITTEN, Status::UNAVAILABLE),
        (LockRules::REPAIRED, Status::CREATED),
    ] {
        block_on(async {
            let s = server(Protocol::Lock(rules), Scheme::Version);
            let create = Request::new(Method::Post, "t").if_none_match("*");
            assert_eq!(
                post(&s, create.clone().body(body(&[]))).await.status,
                Status::CREATED
            );
            let r = post(&s, create.body(body(&["x"]))).await;
            assert_eq!(r.status, Status::PRECONDITION_FAILED);
            let r = post(&s, Request::new(Method::Post, "t").body(body(&["y"]))).await;
            assert_eq!(r.status, want, "{rules:?}: {}", r.text());
        });
    }
}
