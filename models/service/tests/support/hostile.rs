//! The hostile requests of `service_bad_input.rs`, as a table: each with the §1.5 status it
//! must get from a server holding a config for tenant `t` whose ETag is `etag`.

use weft_models::mimir::config::Limits;

/// The API's path.
pub const PATH: &str = "/api/v1/alerts";

/// The stored config.
pub const VALID: &[u8] =
    b"alertmanager_config: |\n  route:\n    receiver: a\n  receivers:\n    - name: a\n";
/// A valid config that differs from it: what a hostile request tries to store.
pub const OTHER: &[u8] =
    b"alertmanager_config: |\n  route:\n    receiver: b\n  receivers:\n    - name: b\n";

/// One hostile request and the status it must get.
#[derive(Debug)]
pub struct Case {
    /// What it tries, for the report.
    pub what: String,
    /// The method.
    pub method: &'static str,
    /// The path.
    pub path: &'static str,
    /// Header lines, raw.
    pub headers: Vec<(&'static str, Vec<u8>)>,
    /// The body.
    pub body: Vec<u8>,
    /// The status it must get.
    pub status: u16,
}

/// A case on [`PATH`].
pub fn case(
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

/// A header line.
pub fn h(name: &'static str, value: impl AsRef<[u8]>) -> (&'static str, Vec<u8>) {
    (name, value.as_ref().to_vec())
}

/// The table.
pub fn cases(t: &str, etag: &str) -> Vec<Case> {
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
