//! The command line of `weft-config-api` (clap), parsed into [`Options`].

use std::net::SocketAddr;

use clap::Parser;

use crate::serve::Options;
use crate::StoreSpec;

/// Mimir's Alertmanager config API (`GET/POST/DELETE /api/v1/alerts`) with ETag / If-Match
/// optimistic concurrency, over an object store.
#[derive(Debug, Parser)]
#[command(name = "weft-config-api", version)]
pub struct Args {
    /// Address to listen on (port 0: any free port). Once listening, the bound address is
    /// printed on stdout as one line: `listening on http://ADDR`.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The object store: `memory` (this process only), `file:DIR` (a directory, safe for
    /// several processes on one host) or `s3:BUCKET` (with --s3-endpoint and AWS_ACCESS_KEY_ID,
    /// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION). Test profile:
    /// `ignore-conditions:SPEC`, the store SPEC with every condition dropped (the probe must
    /// refuse it).
    #[arg(long)]
    pub store: StoreSpec,
    /// The S3 endpoint, `http://host:port` (path-style; no TLS in this build).
    #[arg(long, value_name = "URL")]
    pub s3_endpoint: Option<String>,
    /// Refuse writes that carry neither If-Match nor If-None-Match with 428 (never enabled
    /// when the probe finds that the store ignores conditions).
    #[arg(long)]
    pub require_preconditions: bool,
    /// This server's id, for lock tokens and the probe's scratch key: 1 to 64 of
    /// `A-Z a-z 0-9 . _ -`, not starting with `.` [default: pid-<process id>]
    #[arg(long, value_name = "NAME", value_parser = parse_id)]
    pub id: Option<String>,
    /// Log level on stderr: error, warn, info or debug (debug: one line per request).
    #[arg(long, default_value = "info")]
    pub log_level: tracing::Level,
}

impl Args {
    /// The service's options (the default id filled in).
    pub fn options(&self) -> Options {
        Options {
            listen: self.listen,
            store: self.store.clone(),
            s3_endpoint: self.s3_endpoint.clone(),
            require_preconditions: self.require_preconditions,
            id: self
                .id
                .clone()
                .unwrap_or_else(|| format!("pid-{}", std::process::id())),
        }
    }
}

/// `--id`'s rule (see its help): it becomes one segment of a store key.
fn parse_id(id: &str) -> Result<String, String> {
    let ok = (1..=64).contains(&id.len())
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if ok {
        Ok(id.to_owned())
    } else {
        Err("expected 1 to 64 of A-Z a-z 0-9 . _ -, not starting with '.'".to_owned())
    }
}
