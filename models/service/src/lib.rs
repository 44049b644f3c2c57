//! # weft-config-api: the config store over real object stores
//!
//! The real side of issue 14: Mimir's Alertmanager config store with ETag / If-Match
//! (`shared/specs/config-concurrency.md`), served on tokio. This part holds the object stores
//! behind weft-models' backend-free store contract ([`weft_models::mimir::store::Bucket`],
//! §2.1), one file per concept:
//!
//! - [`store_spec`]: `--store memory|file:DIR|s3:BUCKET`, parsed into a [`StoreSpec`];
//! - [`key`]: which keys the real stores accept (none can leave the store's prefix);
//! - [`file_store`]: [`FileBucket`], a directory, atomic across processes on one host;
//! - [`s3_store`]: [`S3Bucket`], an S3-compatible server (SeaweedFS in CI), and
//!   [`s3_answers`], how its answers map onto the contract;
//! - [`ignore_conditions`]: [`IgnoreConditions`], any store with its conditions dropped (the
//!   profile `broken` of §7.1), for the capability probe's refusal;
//! - [`clock`]: the wall clock and version tokens (the crate's only real time and entropy).
//!
//! And the service itself, the binary `weft-config-api` (`src/main.rs`, thin):
//!
//! - [`cli`]: its command line (clap);
//! - [`any_store`]: the store `--store` named, as one type;
//! - [`serve`]: start-up (open, capability probe, protocol, bind) and graceful shutdown;
//! - [`router`]: HTTP on axum, mapped onto the handler's `Request` / `Response`;
//! - [`http_client`]: the §1.6 client's `Transport` over HTTP, for the load tests.
//!
//! `memory` is weft-models' [`LocalBucket`](weft_models::mimir::memstore::LocalBucket).
//! The tests in `tests/` run one contract suite against all three stores.
//!
//! ## The S3 client, and what it costs CI
//! `rusty-s3` signs requests (SigV4 presigned URLs; no I/O of its own) and hyper's client
//! sends them: every header is ours, so `DELETE` with `If-Match` is as easy as `PUT`, and
//! axum (the HTTP server to come) shares hyper. `object_store`'s `AmazonS3` does conditional
//! puts but no conditional delete, so that request would need a signer anyway, and its
//! rustls stack compiles aws-lc. Clean debug builds at 2 jobs of this crate's dependency tree
//! (weft-models, tokio) measured: 9 s alone; 28 s with rusty-s3 + hyper (92 crates); 20 s
//! with axum, 35 s with axum + rusty-s3 + hyper (106 crates); 104 s with `object_store`
//! (`aws`, 211 crates). The price of this choice: `http://` endpoints only (no TLS).
//!
//! ## The HTTP server, and what it costs CI
//! axum 0.8 without default features (`http1`, `tokio`: no json, form or query), on the hyper
//! the S3 client already builds. Measured on clean debug builds at 2 jobs of a scratch crate
//! with this crate's tokio / hyper / hyper-util set, without and with axum, twice on a shared
//! machine (load average 7): 35.9 and 35.7 s (19.4 and 20.4 s CPU) without, 57.0 and 65.1 s
//! (31.2 and 32.8 s CPU) with: about 12 s of CPU and 12 more crates, 7 of them new to this
//! crate (axum, axum-core, tower, tower-layer, matchit, mime, sync_wrapper; httpdate, memchr,
//! percent-encoding, serde_core and slab it already had).

pub mod any_store;
pub mod cli;
pub mod clock;
pub mod file_store;
pub mod http_client;
pub mod ignore_conditions;
pub mod key;
pub mod router;
pub mod s3_answers;
pub mod s3_store;
pub mod serve;
pub mod store_spec;

pub use file_store::FileBucket;
pub use ignore_conditions::IgnoreConditions;
pub use s3_store::{S3Auth, S3Bucket};
pub use store_spec::StoreSpec;
