//! Crash (issue 14 §4): the load of `service_load.rs` while one of the two server processes
//! is killed with SIGKILL at seeded random points and restarted (on a new port; the clients'
//! target list follows), against `file:` and SeaweedFS. Clients whose requests get no answer
//! re-GET through the other server (the §1.6 loop; their transport fails over). Then: every
//! acknowledged (201) receiver is in the final config, every intent finished (each receiver
//! exactly once), and no lock object exists for the tenant (protocol A takes none).
//!
//! The seed is printed; `WEFT_CRASH_SEED=N` replays a schedule (the kill times and victims;
//! what was in flight at each kill is up to the OS).

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::load::{check_final, final_config, run_clients, Seeded, CLIENTS, REQUEST_TIMEOUT};
use support::service::{file_store, s3_store, ServerProcess, TestStore};
use weft_config_api::http_client::{HttpTransport, Targets};
use weft_models::mimir::store::{Bucket, StoreError};
use weft_models::mimir::tenant::Tenant;

/// The whole run's bound.
const LIMIT: Duration = Duration::from_secs(50);
/// Kills per run.
const KILLS: u32 = 5;

static SERIAL: Mutex<()> = Mutex::new(());

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn seed(default: u64) -> u64 {
    std::env::var("WEFT_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

type Servers = Arc<Mutex<Vec<Option<ServerProcess>>>>;

/// Kills a random server after a random pause, restarts it, [`KILLS`] times or until
/// `done`; returns how many kills happened while the load ran.
async fn killer(
    store_launch: support::service::Launch,
    servers: Servers,
    targets: Targets,
    done: Arc<AtomicBool>,
    seed: u64,
) -> u32 {
    let mut rng = Seeded::new(seed);
    let mut kills = 0;
    for k in 0..KILLS {
        tokio::time::sleep(rng.millis(300, 1500)).await;
        if done.load(Ordering::SeqCst) {
            break;
        }
        let i = (rng.next() % 2) as usize;
        let victim = servers.lock().unwrap_or_else(|p| p.into_inner())[i].take();
        if let Some(victim) = victim {
            victim.kill();
        }
        kills += 1;
        // Down for a while: its clients get refused connections and fail over.
        tokio::time::sleep(rng.millis(0, 400)).await;
        let launch = store_launch.clone();
        let name = format!("server-{i}-restart-{k}");
        let fresh = tokio::task::spawn_blocking(move || ServerProcess::start(&launch, &[], &name))
            .await
            .expect("restart");
        targets.set(i, fresh.url.clone());
        servers.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(fresh);
    }
    kills
}

async fn crash(store: &TestStore, seed: u64) {
    let servers: Servers = Arc::new(Mutex::new(vec![
        Some(store.server(&[], "server-0")),
        Some(store.server(&[], "server-1")),
    ]));
    let urls = servers
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .map(|s| s.as_ref().map(|s| s.url.clone()).unwrap_or_default())
        .collect();
    let targets = Targets::new(urls);
    let done = Arc::new(AtomicBool::new(false));
    let kills = tokio::spawn(killer(
        store.launch(&store.arg),
        servers.clone(),
        targets.clone(),
        done.clone(),
        seed,
    ));
    let report = tokio::time::timeout(LIMIT, run_clients(&targets, &store.tenant))
        .await
        .unwrap_or_else(|_| panic!("{}: the clients did not finish in {LIMIT:?}", store.name));
    done.store(true, Ordering::SeqCst);
    let kills = kills.await.expect("the killer");
    report.print(&format!(
        "crash {} (seed {seed}, {kills} kills -9 during the load, {CLIENTS} clients)",
        store.name
    ));
    assert!(
        kills > 0,
        "{}: no kill happened during the load",
        store.name
    );

    let reader = HttpTransport::new(targets, 0).with_timeout(REQUEST_TIMEOUT);
    let (receivers, _, _) = final_config(&reader, &store.tenant).await;
    check_final(store.name, &receivers, &report);
    let tenant = Tenant::parse(Some(store.tenant.as_bytes())).expect("tenant");
    assert_eq!(
        store.store.head(&tenant.lock_key()).await.map(|_| ()),
        Err(StoreError::NotFound),
        "{}: a lock object is left behind",
        store.name
    );
}

#[test]
fn crash_file() {
    let _turn = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let store = file_store("crash");
    runtime().block_on(crash(&store, seed(14)));
}

#[test]
fn crash_s3() {
    let _turn = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let Some(store) = s3_store("crash") else {
        return;
    };
    runtime().block_on(crash(&store, seed(9383)));
}
