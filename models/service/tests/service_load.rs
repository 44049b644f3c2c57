//! Load (issue 14 §4): two `weft-config-api` processes on one store, 8 clients × 50
//! read-modify-write transactions through the §1.6 loop over HTTP (`support/load.rs`), each
//! adding one unique receiver, against `file:` and against SeaweedFS (`s3:`, a tenant of its
//! own per run). The final config holds all 400 receivers exactly once, and every receiver
//! whose POST was answered 201 is in it. The figures are printed (past the capture).
//!
//! The two tests take turns (one lock): each measures its own wall time on 2 cores.

mod support;

use std::sync::Mutex;
use std::time::Duration;

use support::load::{check_final, final_config, run_clients, CLIENTS, REQUEST_TIMEOUT};
use support::service::{file_store, s3_store, TestStore};
use weft_config_api::http_client::{HttpTransport, Targets};

/// The whole load's bound.
const LIMIT: Duration = Duration::from_secs(50);

static SERIAL: Mutex<()> = Mutex::new(());

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

async fn load(store: &TestStore) {
    let servers = [store.server(&[], "server-0"), store.server(&[], "server-1")];
    let targets = Targets::new(servers.iter().map(|s| s.url.clone()).collect());
    let report = tokio::time::timeout(LIMIT, run_clients(&targets, &store.tenant))
        .await
        .unwrap_or_else(|_| panic!("{}: the load ran over {LIMIT:?}", store.name));
    report.print(&format!(
        "load {} (2 servers, {CLIENTS} clients)",
        store.name
    ));

    let reader = HttpTransport::new(targets, 0).with_timeout(REQUEST_TIMEOUT);
    let (receivers, _, _) = final_config(&reader, &store.tenant).await;
    check_final(store.name, &receivers, &report);
}

#[test]
fn load_file() {
    let _turn = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let store = file_store("load");
    runtime().block_on(load(&store));
}

#[test]
fn load_s3() {
    let _turn = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let Some(store) = s3_store("load") else {
        return;
    };
    runtime().block_on(load(&store));
}
