//! Mimir's Alertmanager config store with optimistic concurrency (grafana/mimir#9383), from
//! `shared/specs/config-concurrency.md`: the object store (§2), the server's request handling
//! (§1.2-§1.5) over protocols A (§3), B as written and B' (§4.2, §4.3) and C (§4.5), the
//! startup capability probe (§2.4) and the client's retry loop (§1.6).
//!
//! The same handler code runs as a model under weft-sim (servers as nodes, the store behind the
//! network, crashes, pauses and lost responses) and as the real HTTP service
//! `weft-config-api` on tokio over a real object store.

pub mod cache;
pub mod client;
pub mod config;
pub mod etag;
pub mod fallback;
pub mod handler;
pub mod http;
pub mod memstore;
pub mod model;
pub mod probe;
pub mod profile;
pub mod protocol_a;
pub mod protocol_b;
pub mod protocol_c;
pub mod settings;
pub mod store;
pub mod tenant;
