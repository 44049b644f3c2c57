//! Bad input through real HTTP (issue 14 §4): one `weft-config-api` process, a stored config,
//! then hostile requests, each sent byte for byte over a socket (`support/raw_http.rs`), each
//! answered its §1.5 status with a one-line reason, and after each the stored config is the
//! same (byte-identical GET, same ETag). On `file:`, afterwards, the store directory holds
//! nothing outside its layout and nothing was written beside it: no tenant id escaped.

mod support;

use std::path::Path;

use support::hostile::{cases, Case, PATH, VALID};
use support::raw_http::{send, RawResponse};
use support::service::{file_store, s3_store, ServerProcess, TestStore};

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
