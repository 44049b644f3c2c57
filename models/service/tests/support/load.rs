//! The load of issue 14 §4: [`CLIENTS`] clients × [`EACH`] read-modify-write transactions,
//! each adding one unique receiver to one tenant's config through the §1.6 loop
//! (`weft_models::mimir::client::transact`) over HTTP, spread over the servers of a
//! [`Targets`] list (client `c` starts at server `c mod n` and fails over on no response).
//!
//! A transaction that gives up (the loop's attempts spent: "surface the conflict") is run
//! again as a new transaction of the same intent, as its user would, at most
//! [`MAX_RERUNS`] times; the count is reported. An intent is done when a POST was answered
//! 201 (acknowledged) or a re-GET found it already in (an earlier attempt with an unknown
//! outcome landed).

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use weft_config_api::http_client::{HttpTransport, Targets};
use weft_core::backend::tokio::TokioRuntime;
use weft_models::mimir::client::{transact, ClientPolicy, NoResponse, Transport, TxOutcome};
use weft_models::mimir::config::UserConfig;
use weft_models::mimir::http::{Method, Request, Response, Status};

/// Clients.
pub const CLIENTS: usize = 8;
/// Transactions per client.
pub const EACH: usize = 50;
/// Most new transactions for one intent after the first gave up.
pub const MAX_RERUNS: u32 = 10;

/// The clients' policy: §1.6's loop and attempts, with a shorter back-off than §7.6's
/// (200 ms to 5 s) so that 400 transactions on one key fit the tests' time bound.
pub const POLICY: ClientPolicy = ClientPolicy {
    backoff_base: Duration::from_millis(50),
    backoff_cap: Duration::from_secs(2),
    attempts: 8,
    blind_retry: false,
    resend_unanswered: false,
};

/// The request timeout in the tests (§7.6's 30 s is the default).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// What the clients did.
#[derive(Debug, Default)]
pub struct LoadReport {
    /// Transactions run (reruns included).
    pub transactions: u32,
    /// Receivers whose POST was answered 201.
    pub committed: BTreeSet<String>,
    /// Receivers a re-GET found already in.
    pub already_in: BTreeSet<String>,
    /// HTTP requests sent (GETs and POSTs, answered or not).
    pub requests: u64,
    /// POSTs sent.
    pub posts: u64,
    /// 412 answers.
    pub precondition_failed: u64,
    /// Requests with no response, 500s and 503s.
    pub unknown: u64,
    /// Transactions that gave up and were run again.
    pub reruns: u32,
    /// Wall time of the whole load.
    pub wall: Duration,
}

impl LoadReport {
    /// Every intent that is done (module docs).
    pub fn done(&self) -> BTreeSet<String> {
        self.committed.union(&self.already_in).cloned().collect()
    }

    /// One line of figures, written past the test harness's capture.
    pub fn print(&self, what: &str) {
        let secs = self.wall.as_secs_f64();
        let line = format!(
            "{what}: {} transactions ({} committed, {} already in, {} reruns), {} requests \
             ({} POSTs), {} 412 retries, {} unknown outcomes, wall {secs:.2} s, {:.0} \
             requests/s, {:.0} transactions/s\n",
            self.transactions,
            self.committed.len(),
            self.already_in.len(),
            self.reruns,
            self.requests,
            self.posts,
            self.precondition_failed,
            self.unknown,
            self.requests as f64 / secs,
            self.transactions as f64 / secs,
        );
        let _ = std::io::stderr().write_all(line.as_bytes());
    }
}

/// The receiver of client `c`'s transaction `i`.
pub fn receiver(c: usize, i: usize) -> String {
    format!("c{c}-t{i}")
}

/// A transport that counts its requests.
struct Counting<'a> {
    inner: &'a HttpTransport,
    sent: &'a AtomicU64,
}

impl Transport for Counting<'_> {
    async fn send(&self, req: Request) -> Result<Response, NoResponse> {
        self.sent.fetch_add(1, Ordering::Relaxed);
        self.inner.send(req).await
    }
}

/// Runs the load on `tenant` (module docs).
pub async fn run_clients(targets: &Targets, tenant: &str) -> LoadReport {
    let started = tokio::time::Instant::now();
    let sent = Arc::new(AtomicU64::new(0));
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (targets, tenant, sent) = (targets.clone(), tenant.to_owned(), sent.clone());
            tokio::spawn(async move { client(c, targets, &tenant, &sent).await })
        })
        .collect();
    let mut total = LoadReport::default();
    for task in tasks {
        let r = task.await.expect("a client panicked");
        total.transactions += r.transactions;
        total.committed.extend(r.committed);
        total.already_in.extend(r.already_in);
        total.posts += r.posts;
        total.precondition_failed += r.precondition_failed;
        total.unknown += r.unknown;
        total.reruns += r.reruns;
    }
    total.requests = sent.load(Ordering::Relaxed);
    total.wall = started.elapsed();
    total
}

async fn client(c: usize, targets: Targets, tenant: &str, sent: &AtomicU64) -> LoadReport {
    let rt = TokioRuntime::new();
    let http = HttpTransport::new(targets, c).with_timeout(REQUEST_TIMEOUT);
    let transport = Counting { inner: &http, sent };
    let mut report = LoadReport::default();
    for i in 0..EACH {
        let name = receiver(c, i);
        let mut runs = 0;
        loop {
            http.go_home();
            let r = transact(&rt, &transport, tenant, &POLICY, |cfg| {
                cfg.with_receiver(&name)
            })
            .await;
            report.transactions += 1;
            report.posts += u64::from(r.posts);
            report.precondition_failed += u64::from(r.precondition_failed);
            report.unknown += u64::from(r.unknown);
            match r.outcome {
                TxOutcome::Committed { .. } => {
                    report.committed.insert(name.clone());
                    break;
                }
                TxOutcome::AlreadyIn => {
                    report.already_in.insert(name.clone());
                    break;
                }
                TxOutcome::GaveUp(last) => {
                    runs += 1;
                    report.reruns += 1;
                    assert!(
                        runs <= MAX_RERUNS,
                        "{name}: {runs} transactions gave up, the last on {last:?}"
                    );
                }
            }
        }
    }
    report
}

/// The stored config of `tenant` through `transport`: its receivers (each as many times as
/// it occurs), raw bytes and ETag.
pub async fn final_config(
    transport: &HttpTransport,
    tenant: &str,
) -> (Vec<String>, Vec<u8>, Option<String>) {
    let r = transport
        .send(Request::new(Method::Get, tenant))
        .await
        .expect("the final GET got a response");
    assert_eq!(r.status, Status::OK, "final GET: {}", r.text());
    let config = UserConfig::from_stored(&r.body).expect("the stored config parses");
    (config.receivers(), r.body, r.etag.map(|t| t.header()))
}

/// The oracles on the final config's `receivers` after `report`'s load on store `what`:
/// every acknowledged (201) receiver is in it, and so is every intent the clients finished,
/// each exactly once, next to the initial `default` and nothing else.
pub fn check_final(what: &str, receivers: &[String], report: &LoadReport) {
    let lost: Vec<&String> = report
        .committed
        .iter()
        .filter(|name| !receivers.contains(name))
        .collect();
    assert!(
        lost.is_empty(),
        "{what}: {} of {} acknowledged (201) receivers are not in the final config, e.g. {:?}",
        lost.len(),
        report.committed.len(),
        &lost[..lost.len().min(5)]
    );
    let mut expected: Vec<String> = (0..CLIENTS)
        .flat_map(|c| (0..EACH).map(move |i| receiver(c, i)))
        .collect();
    expected.push("default".to_owned());
    expected.sort();
    let mut got = receivers.to_vec();
    got.sort();
    let missing = expected.iter().filter(|r| !got.contains(r)).count();
    let duplicated = got.windows(2).filter(|w| w[0] == w[1]).count();
    assert_eq!(
        got,
        expected,
        "{what}: the final config should hold the {} receivers once each ({missing} missing,          {duplicated} duplicated)",
        expected.len()
    );
    assert_eq!(
        report.done().len(),
        CLIENTS * EACH,
        "{what}: unfinished intents"
    );
}

/// A seeded generator (splitmix64) for the crash schedule: the same seed, the same kills.
#[derive(Debug)]
pub struct Seeded(u64);

impl Seeded {
    /// From `seed`.
    pub fn new(seed: u64) -> Seeded {
        Seeded(seed)
    }

    /// The next 64 bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..hi` milliseconds.
    pub fn millis(&mut self, lo: u64, hi: u64) -> Duration {
        Duration::from_millis(lo + self.next() % (hi - lo).max(1))
    }
}
