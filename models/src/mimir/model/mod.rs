//! The config store as a distributed model (`config-concurrency.md` §7): clients, servers and
//! the object store as tasks and nodes on two networks, with the ghost state the oracles of §6
//! read.
//!
//! Protocol. [`World::start`] starts the store node (`store`, never crashed: the object store
//! is the one linearizable component, §2.2) and one node per server ([`ServerSpec`]: name,
//! settings, clocks, restart). Clients are plain tasks that get a [`ClientPort`] from
//! [`World::client`] and run the shared client loop ([`crate::mimir::client::transact`]) or
//! single requests over it. Events, as §7.4 counts them: each request and response delivery
//! on the client network, each store request and reply delivery on the storage network (the
//! store applies an operation when it takes the request), each timer (back-offs, timeouts).
//! Faults are the runtime's: crash and pause at the handler's crash points, loss, delay and
//! ambiguous outcomes on both networks, per the scenario's budget.
//!
//! After the run, [`World::check`] evaluates the oracles the scenario arms ([`super::oracles`])
//! on the exchange log (every request a client sent, with its answer and where the ghost
//! history stood at its start and end) and on the store's ghost history.

mod client_port;
mod fallback_actor;
pub mod oracles;
mod server_node;
mod store_node;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use weft_core::linearizability::{ClientId, Recorder, VersionedRegister};
use weft_core::net::{NetConfig, Network};
use weft_core::node::{Clocks, NodeSpec};
use weft_core::time::Instant;
use weft_core::Runtime;

pub use client_port::{ClientPort, Route};
pub use server_node::{HttpCall, HttpNet};
pub use store_node::{
    Read, RemoteBucket, SharedStore, StorageNet, StoreCall, StoreState, STORE, STORE_OP_TIMEOUT,
};

use super::client::TxReport;
use super::etag::ETag;
use super::http::{Request, Response};
use super::memstore::{Effect, MemStore};
use super::profile::Profile;
use super::settings::{Protocol, Settings};

/// How long a client waits for a response (§7.6's request timeout).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The tenant every model client writes.
pub const TENANT: &str = "t1";

/// A config's value in the linearizability history: its receivers, `[a, b]` (the clients'
/// intents change nothing else), or the bytes as text if they do not parse.
pub fn value_of(bytes: &[u8]) -> String {
    match super::config::UserConfig::from_stored(bytes) {
        Ok(c) => format!("[{}]", c.receivers().join(", ")),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// The client id of the store's seed in the linearizability history: the seed is a write
/// that completed before any client started.
pub const SEED_CLIENT: ClientId = 99;

/// One server of the model.
#[derive(Clone, Debug)]
pub struct ServerSpec {
    /// Its node name and address.
    pub name: &'static str,
    /// Its settings.
    pub settings: Settings,
    /// Its clocks: one, or a set the checker chooses from (§7.2).
    pub clocks: Vec<Clocks>,
    /// Whether, and how soon, it restarts after a crash.
    pub restart: Option<Duration>,
    /// Whether its reads of the config go through a caching bucket
    /// ([`crate::mimir::cache`], §5 R10's stale read; `false`: straight to the store).
    pub cached_reads: bool,
    /// Whether each incarnation runs the startup capability probe (§2.4) and serves with
    /// the protocol it picks, instead of `settings.protocol` as given.
    pub probe: bool,
}

impl ServerSpec {
    /// Server `name` with `settings`, exact clocks, no restart.
    pub fn new(name: &'static str, settings: Settings) -> ServerSpec {
        ServerSpec {
            name,
            settings,
            clocks: vec![Clocks::EXACT],
            restart: None,
            cached_reads: false,
            probe: false,
        }
    }

    /// Running the capability probe at startup (§2.4, §5 R14).
    pub fn probed(mut self) -> ServerSpec {
        self.probe = true;
        self
    }

    /// With clocks the checker chooses from `set` (§7.2's clock faults).
    pub fn clocks_from(mut self, set: Vec<Clocks>) -> ServerSpec {
        self.clocks = set;
        self
    }

    /// With its config reads served by a caching bucket (§5 R10).
    pub fn cached_reads(mut self) -> ServerSpec {
        self.cached_reads = true;
        self
    }
}

/// The model's shape.
#[derive(Clone, Debug)]
pub struct WorldSpec {
    /// The store's backend profile.
    pub profile: Profile,
    /// The servers.
    pub servers: Vec<ServerSpec>,
    /// The networks' timing.
    pub net: NetConfig,
    /// A client's request timeout.
    pub request_timeout: Duration,
}

impl WorldSpec {
    /// `servers` over a `profile` store, default network and timeout.
    pub fn new(profile: Profile, servers: Vec<ServerSpec>) -> WorldSpec {
        WorldSpec {
            profile,
            servers,
            net: NetConfig::default(),
            request_timeout: REQUEST_TIMEOUT,
        }
    }
}

/// One request a client sent, as the oracles see it.
#[derive(Clone, Debug)]
pub struct Exchange {
    /// The request id (the writer id in the ghost history).
    pub id: u64,
    /// The client.
    pub client: Arc<str>,
    /// The server it went to.
    pub server: &'static str,
    /// The request.
    pub request: Request,
    /// The answer (`None`: none came in time).
    pub response: Option<Response>,
    /// Ghost history length when it was sent.
    pub start: usize,
    /// When it was sent.
    pub at_start: Instant,
    /// Ghost history length when its answer (or its timeout) came.
    pub end: usize,
    /// When its answer (or its timeout) came.
    pub at_end: Instant,
}

/// What one client transaction reported (see [`World::report`]).
#[derive(Clone, Debug)]
pub struct Reported {
    /// The client.
    pub client: Arc<str>,
    /// Exchanges in the log when the transaction began.
    pub since: usize,
    /// Its report.
    pub report: TxReport,
}

/// The running model (module docs). Clones share it.
#[derive(Clone)]
pub struct World<R: Runtime> {
    pub(super) rt: R,
    http: HttpNet<R>,
    storage: StorageNet<R>,
    pub(super) store: SharedStore,
    pub(super) log: Arc<Mutex<Vec<Exchange>>>,
    reports: Arc<Mutex<Vec<Reported>>>,
    pub(super) recorder: Arc<Recorder<R, VersionedRegister<String>>>,
    next_id: Arc<AtomicU64>,
    pub(super) spec: Arc<WorldSpec>,
}

impl<R: Runtime> std::fmt::Debug for World<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("World").finish_non_exhaustive()
    }
}

impl<R: Runtime> World<R> {
    /// Starts the store and the servers.
    pub fn start(rt: &R, spec: WorldSpec) -> World<R> {
        let http: HttpNet<R> = Network::with_config(rt, spec.net);
        let storage: StorageNet<R> = Network::with_config(rt, spec.net);
        let store = SharedStore::new(MemStore::new(spec.profile));
        {
            let (rt2, storage, store) = (rt.clone(), storage.clone(), store.clone());
            rt.start_node(NodeSpec::new(STORE, move || {
                store_node::store_node(rt2.clone(), storage.clone(), store.clone())
            }));
        }
        for server in &spec.servers {
            let (rt2, http, storage) = (rt.clone(), http.clone(), storage.clone());
            let (name, settings): (Arc<str>, Settings) = (server.name.into(), server.settings);
            let (cached, probe) = (server.cached_reads, server.probe);
            let mut node = NodeSpec::new(server.name, move || {
                server_node::server_node(
                    rt2.clone(),
                    name.clone(),
                    settings,
                    cached,
                    probe,
                    http.clone(),
                    storage.clone(),
                )
            })
            .clocks_from(server.clocks.clone());
            if let Some(delay) = server.restart {
                node = node.restart_after(delay);
            }
            rt.start_node(node);
        }
        World {
            rt: rt.clone(),
            http,
            storage,
            store,
            log: Arc::new(Mutex::new(Vec::new())),
            reports: Arc::new(Mutex::new(Vec::new())),
            recorder: Arc::new(Recorder::new(rt)),
            next_id: Arc::new(AtomicU64::new(1)),
            spec: Arc::new(spec),
        }
    }

    /// A client port for client `name` (its id `lin` in the linearizability history), whose
    /// requests go by `route`.
    pub fn client(&self, name: &str, lin: ClientId, route: Route) -> ClientPort<R> {
        ClientPort {
            world: self.clone(),
            name: name.into(),
            lin: client_port::LinId::new(lin),
            port: self.http.bind(name),
            route,
            timeout: self.spec.request_timeout,
        }
    }

    /// The store (for oracles and for scenarios that seed it).
    pub fn store(&self) -> &SharedStore {
        &self.store
    }

    /// The exchanges so far.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// How many exchanges the log holds (a transaction's requests are those of its client
    /// from here on).
    pub fn exchange_count(&self) -> usize {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Files what one transaction of client `client`, begun when the log held `since`
    /// exchanges, reported when it ended (read by the `reported-outcome` oracle).
    pub fn report(&self, client: &str, since: usize, report: TxReport) {
        self.reports
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Reported {
                client: client.into(),
                since,
                report,
            });
    }

    /// The transactions' reports so far, in the order they ended.
    pub fn reports(&self) -> Vec<Reported> {
        self.reports
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The shape it was started with.
    pub fn spec(&self) -> &WorldSpec {
        &self.spec
    }

    /// The linearizability recorder.
    pub fn recorder(&self) -> &Recorder<R, VersionedRegister<String>> {
        &self.recorder
    }

    fn next_request(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }

    /// The config's versions in the ghost history, in order (module docs of
    /// [`super::oracles`]): puts of `alerts/t1`, or under protocol C the version slots.
    pub fn config_versions(&self) -> Vec<ConfigVersion> {
        config_versions(&self.spec, &self.store.lock().mem)
    }

    /// The ghost version (1 for the first version of the config, ...) the ETag `tag` names:
    /// the latest version with that tag.
    pub fn vid_of(&self, tag: &ETag) -> Option<u64> {
        self.config_versions()
            .iter()
            .rev()
            .find(|v| &v.tag == tag)
            .map(|v| v.vid)
    }

    /// The ghost version request `id` wrote, if it wrote one.
    pub fn vid_written_by(&self, id: u64) -> Option<u64> {
        self.config_versions()
            .iter()
            .find(|v| v.writer == id)
            .map(|v| v.vid)
    }
}

/// One version of the tenant's config in the ghost history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigVersion {
    /// 1 for the first, in order.
    pub vid: u64,
    /// Its index in the ghost history.
    pub position: usize,
    /// The request that wrote it.
    pub writer: u64,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Its ETag, as the servers name it.
    pub tag: ETag,
    /// The tag of the version it replaced (`None`: the config was absent).
    pub pred: Option<ETag>,
}

/// See [`World::config_versions`].
pub fn config_versions(spec: &WorldSpec, mem: &MemStore) -> Vec<ConfigVersion> {
    let tenant = super::tenant::Tenant::parse(Some(TENANT.as_bytes())).expect("a valid id");
    let Some(first) = spec.servers.first() else {
        return Vec::new();
    };
    let scheme = first.settings.scheme;
    let log_prefix = tenant.version_key(0);
    let log_prefix = &log_prefix[..log_prefix.len() - 20];
    let cfg = tenant.config_key();
    let mut out: Vec<ConfigVersion> = Vec::new();
    // The current version of the config key, by store version.
    let mut current: Option<ETag> = None;
    for (position, a) in mem.history().iter().enumerate() {
        if first.settings.protocol == Protocol::C {
            let Some(slot) = a.key.strip_prefix(log_prefix) else {
                continue;
            };
            let Ok(n) = slot.parse::<u64>() else { continue };
            if let Effect::Put(bytes) = &a.effect {
                out.push(ConfigVersion {
                    vid: out.len() as u64 + 1,
                    position,
                    writer: a.writer,
                    bytes: bytes.clone(),
                    tag: ETag(format!("s-{n}")),
                    pred: (n > 1).then(|| ETag(format!("s-{}", n - 1))),
                });
            }
            continue;
        }
        if a.key != cfg {
            continue;
        }
        match (&a.effect, &a.version) {
            (Effect::Put(bytes), Some(v)) => {
                let tag = scheme.tag(bytes, v);
                out.push(ConfigVersion {
                    vid: out.len() as u64 + 1,
                    position,
                    writer: a.writer,
                    bytes: bytes.clone(),
                    tag: tag.clone(),
                    pred: current.replace(tag),
                });
            }
            _ => current = None,
        }
    }
    out
}
