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
//! - [`ignore_conditions`]: [`IgnoreConditions`], any store with its conditions dropped (the
//!   profile `broken` of §7.1), for the capability probe's refusal;
//! - [`clock`]: the wall clock and version tokens (the crate's only real time and entropy).
//!
//! `memory` is weft-models' [`LocalBucket`](weft_models::mimir::memstore::LocalBucket).
//! The tests in `tests/` run one contract suite against the stores.

pub mod clock;
pub mod file_store;
pub mod ignore_conditions;
pub mod key;
pub mod store_spec;

pub use file_store::FileBucket;
pub use ignore_conditions::IgnoreConditions;
pub use store_spec::StoreSpec;
