//! Bad input through real HTTP (issue 14 §4): one `weft-config-api` process, a stored config,
//! then hostile requests, each sent byte for byte over a socket (`support/raw_http.rs`), each
//! answered its §1.5 status with a one-line reason, and after each the stored config is the
//! same (byte-identical GET, same ETag). On `file:`, afterwards, the store directory holds
//! nothing outside its layout and nothing was written beside it: no tenant id escaped.

mod support;

use std::path::Path;

use support::raw_http::{send, RawResponse};
use support::service::{file_store, s3_store, ServerProcess, TestStore};
use weft_models::mimir::config::Limits;

const PATH: &str = "/api/v1/alerts";

const VALID: &[u8] =
    b"alertmanager_config: |\n  route:\n    receiver: a\n  receivers:\n    - name: a\n";
const OTHER: &[u8] =
    b"alertmanager_config: |\n  route:\n    receiver: b\n  receivers:\n    - name: b\n";

/// One hostile request and the status it must get.
struct Case {
    what: String,
    method: &'static str,
    path: &'static str,
    headers: Vec<(&'static str, Vec<u8>)>,
    body: Vec<u8>,
    status: u16,
}

fn case(
    what: &str,
    method: &'static str,
    headers: Vec<(&'static str, Vec<u8>)>,
    body: &[u8],
    status: u16,
) -> Case {
    Case {
        what: what.to_owned(),
        method,
        path: PATH,
        headers,
        body: body.to_vec(),
        status,
    }
}

fn h(name: &'static str, value: impl AsRef<[u8]>) -> (&'static str, Vec<u8>) {
    (name, value.as_ref().to_vec())
}

fn go(server: &ServerProcess, c: &Case) -> RawResponse {
    let headers: Vec<(&str, &[u8])> = c.headers.iter().map(|(n, v)| (*n, v.as_slice())).collect();
    send(&server.addr, c.method, c.path, &headers, &c.body)
}

fn get(server: &ServerProcess, tenant: &str) -> RawResponse {
    send(
        &server.addr,
        "GET",
        PATH,
        &[("X-Scope-OrgID", tenant.as_bytes())],
        b"",
    )
}

fn cases(t: &str, etag: &str) -> Vec<Case> {
    let org = |v: &str| h("X-Scope-OrgID", v);
    let over = vec![b'a'; Limits::DEFAULT.max_config_bytes + 1];
    let far_over = vec![b'a'; 3 * Limits::DEFAULT.max_config_bytes];
    let weak = format!("W/{etag}");
    let mut all = vec![
        case(
            "If-Match not quoted",
            "POST",
            vec![org(t), h("If-Match", "abc")],
            OTHER,
            400,
        ),
        case(
            "If-Match not UTF-8",
            "POST",
            vec![org(t), h("If-Match", b"\"\xff\"")],
            OTHER,
            400,
        ),
        case(
            "If-Match empty list",
            "POST",
            vec![org(t), h("If-Match", ",")],
            OTHER,
            400,
        ),
        case(
            "If-Match weak (current tag)",
            "POST",
            vec![org(t), h("If-Match", &weak)],
            OTHER,
            412,
        ),
        case(
            "If-Match stale",
            "POST",
            vec![org(t), h("If-Match", "\"v-00\"")],
            OTHER,
            412,
        ),
        case(
            "If-Match twice, both stale",
            "POST",
            vec![org(t), h("If-Match", "\"v-00\""), h("If-Match", "\"h-11\"")],
            OTHER,
            412,
        ),
        case(
            "If-Match twice, one malformed",
            "POST",
            vec![org(t), h("If-Match", etag), h("If-Match", "bad")],
            OTHER,
            400,
        ),
        case(
            "If-Match and If-None-Match: *",
            "POST",
            vec![org(t), h("If-Match", etag), h("If-None-Match", "*")],
            OTHER,
            412,
        ),
        case(
            "If-None-Match: * on an existing config",
            "POST",
            vec![org(t), h("If-None-Match", "*")],
            OTHER,
            412,
        ),
        case(
            "If-None-Match: a tag on a write",
            "POST",
            vec![org(t), h("If-None-Match", etag)],
            OTHER,
            400,
        ),
        case(
            "If-Match: * on a tenant with no config",
            "POST",
            vec![org(&format!("{t}-none")), h("If-Match", "*")],
            OTHER,
            412,
        ),
        case("no tenant", "POST", vec![h("If-Match", etag)], OTHER, 401),
        case(
            "empty tenant",
            "POST",
            vec![org(""), h("If-Match", etag)],
            OTHER,
            401,
        ),
        case(
            "tenant ../",
            "POST",
            vec![org(&format!("../{t}")), h("If-Match", etag)],
            OTHER,
            401,
        ),
        case(
            "tenant ..",
            "POST",
            vec![org(".."), h("If-Match", etag)],
            OTHER,
            401,
        ),
        case(
            "tenant with /",
            "POST",
            vec![org(&format!("{t}/x")), h("If-Match", etag)],
            OTHER,
            401,
        ),
        case(
            "tenant unicode",
            "POST",
            vec![org("ténant-ünïcode"), h("If-Match", etag)],
            OTHER,
            401,
        ),
        case(
            "tenant 1 KB",
            "POST",
            vec![org(&"a".repeat(1024)), h("If-Match", etag)],
            OTHER,
            401,
        ),
        case(
            "tenant raw 0xff byte",
            "POST",
            vec![h("X-Scope-OrgID", b"t\xff"), h("If-Match", etag)],
            OTHER,
            401,
        ),
        case(
            "tenant on GET, ../",
            "GET",
            vec![org("../alerts")],
            b"",
            401,
        ),
        // HTTP/1.1 forbids NUL in a header: hyper refuses the request before routing.
        case(
            "tenant with NUL (raw bytes)",
            "POST",
            vec![h("X-Scope-OrgID", b"t\x00x"), h("If-Match", etag)],
            OTHER,
            400,
        ),
        case(
            "empty body",
            "POST",
            vec![org(t), h("If-Match", etag)],
            b"",
            400,
        ),
        case(
            "body one byte over the limit",
            "POST",
            vec![org(t), h("If-Match", etag)],
            &over,
            400,
        ),
        case(
            "body three times the limit",
            "POST",
            vec![org(t), h("If-Match", etag)],
            &far_over,
            400,
        ),
        case(
            "invalid YAML",
            "POST",
            vec![org(t), h("If-Match", etag)],
            b"alertmanager_config: [unclosed\n",
            400,
        ),
        case(
            "body not UTF-8",
            "POST",
            vec![org(t), h("If-Match", etag)],
            b"\xff\xfe",
            400,
        ),
        case(
            "config with a *_file field",
            "POST",
            vec![org(t), h("If-Match", etag)],
            b"alertmanager_config: |\n  global:\n    smtp_auth_password_file: /etc/shadow\n",
            400,
        ),
        case(
            "config routing to no receiver",
            "POST",
            vec![org(t), h("If-Match", etag)],
            b"alertmanager_config: |\n  route:\n    receiver: nobody\n",
            400,
        ),
        case(
            "stale If-Match and invalid body (400 first, §1.4)",
            "POST",
            vec![org(t), h("If-Match", "\"v-00\"")],
            b"{",
            400,
        ),
        case(
            "DELETE with If-Match not quoted",
            "DELETE",
            vec![org(t), h("If-Match", "abc")],
            b"",
            400,
        ),
        case(
            "DELETE with If-Match stale",
            "DELETE",
            vec![org(t), h("If-Match", "\"v-00\"")],
            b"",
            412,
        ),
        case("DELETE with no tenant", "DELETE", vec![], b"", 401),
        case("PUT", "PUT", vec![org(t), h("If-Match", etag)], OTHER, 405),
        case("PATCH", "PATCH", vec![org(t)], OTHER, 405),
    ];
    for path in [
        "/api/v1/alert",
        "/alertmanager/api/v1/alerts",
        "/api/v1/alerts/x",
        "/",
    ] {
        all.push(Case {
            path,
            ..case(&format!("GET {path}"), "GET", vec![org(t)], b"", 404)
        });
    }
    all.push(Case {
        path: "/api/v1/alerts/..",
        ..case("POST /api/v1/alerts/..", "POST", vec![org(t)], OTHER, 404)
    });
    all
}

fn bad_input(store: &TestStore) {
    let server = store.server(&[], "server");
    let t = store.tenant.as_str();
    let created = send(
        &server.addr,
        "POST",
        PATH,
        &[("X-Scope-OrgID", t.as_bytes()), ("If-None-Match", b"*")],
        VALID,
    );
    assert_eq!(
        created.status,
        201,
        "{}: create: {}",
        store.name,
        created.text()
    );
    let before = get(&server, t);
    assert_eq!(before.status, 200);
    let etag = before.header("etag").expect("ETag").to_owned();
    let mut table = Vec::new();
    for c in cases(t, &etag) {
        let r = go(&server, &c);
        let reason = r.text();
        table.push(format!("{:<52} {} {}", c.what, r.status, reason.trim()));
        assert_eq!(
            r.status,
            c.status,
            "{}: {}: {reason}\n{}",
            store.name,
            c.what,
            server.log_text()
        );
        assert!(
            !reason.trim().contains('\n') && reason.len() <= 200,
            "{}: {}: not one short line: {reason:?}",
            store.name,
            c.what
        );
        if c.status == 405 {
            assert_eq!(
                r.header("allow"),
                Some("GET, HEAD, POST, DELETE"),
                "{}",
                c.what
            );
        }
        let after = get(&server, t);
        assert_eq!(after.status, 200, "{}: after {}", store.name, c.what);
        assert_eq!(
            after.body, before.body,
            "{}: {} changed the config",
            store.name, c.what
        );
        assert_eq!(
            after.header("etag"),
            Some(etag.as_str()),
            "{}: {} changed the ETag",
            store.name,
            c.what
        );
    }
    assert_eq!(
        get(&server, &format!("{t}-none")).status,
        404,
        "{}",
        store.name
    );
    let line = format!("bad input on {}:\n  {}\n", store.name, table.join("\n  "));
    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
}

/// Every path under `root`, relative, sorted.
fn tree(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            out.push(
                path.strip_prefix(root)
                    .expect("under root")
                    .display()
                    .to_string(),
            );
            if path.is_dir() {
                stack.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn bad_input_file() {
    let store = file_store("bad");
    bad_input(&store);
    let dir = store.dir.as_ref().expect("file store");
    let t = &store.tenant;
    for path in tree(dir) {
        let parts: Vec<&str> = path.split('/').collect();
        let ok = match parts.as_slice() {
            ["alerts"] | ["alertmanager-probe"] => true,
            ["alerts", tenant] => tenant == t,
            ["alerts", tenant, file] => tenant == t && (*file == "@object" || *file == "@lock"),
            ["alertmanager-probe", id] => id.starts_with("pid-"),
            ["alertmanager-probe", id, "@lock"] => id.starts_with("pid-"),
            _ => false,
        };
        assert!(
            ok,
            "the file store holds {path:?}, outside its layout: {:?}",
            tree(dir)
        );
    }
    for entry in tree(store.scratch.path()) {
        assert!(
            entry == "server.log" || entry == "store" || entry.starts_with("store/"),
            "written beside the store: {entry}"
        );
    }
}

#[test]
fn bad_input_s3() {
    let Some(store) = s3_store("bad") else {
        return;
    };
    bad_input(&store);
}
