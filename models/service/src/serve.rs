//! Starting the service: open the store, run the capability probe, pick the protocol, bind,
//! serve until told to stop (`config-concurrency.md` §2.4, §3).
//!
//! Protocol of [`Service::start`]:
//! 1. open the store of `--store` (the test profile `ignore-conditions:` wraps it in
//!    [`IgnoreConditions`]);
//! 2. run the probe (`weft_models::mimir::probe`) on it as server `--id`; an error (an
//!    unknown outcome, a store that cannot be reached) stops the start: the protocol is
//!    never guessed;
//! 3. log one line with the capabilities and the protocol they give
//!    ([`Capabilities::protocol`]): A where the store has conditional puts, C with
//!    `put_if_absent` only, refuse (501 for every conditional write) with neither; in the
//!    refusing case also a warning, and 428 mode stays off whatever `--require-preconditions`
//!    says (a client could never satisfy it);
//! 4. build the handler over the store with the settings those capabilities allow
//!    ([`Capabilities::settings`], the rule the model's servers follow too: conditional
//!    DELETEs answered 501 when the probe found `delete_if_match` wanting);
//! 5. bind `--listen`.
//!
//! Then [`Service::serve`] answers requests until its shutdown future resolves, and lets the
//! requests in flight finish.

use std::fmt;
use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use tokio::net::TcpListener;
use weft_core::backend::tokio::TokioRuntime;
use weft_models::mimir::handler::Server;
use weft_models::mimir::probe::{probe, Capabilities};
use weft_models::mimir::settings::{Protocol, Settings};
use weft_models::mimir::store::Bucket;

use crate::any_store::AnyStore;
use crate::router::router;
use crate::{IgnoreConditions, StoreSpec};

/// What the service is started with (the command line, parsed).
#[derive(Clone, Debug)]
pub struct Options {
    /// Where to listen (port 0: any free port; [`Service::addr`] tells which).
    pub listen: SocketAddr,
    /// Which store.
    pub store: StoreSpec,
    /// The S3 endpoint, for `s3:`.
    pub s3_endpoint: Option<String>,
    /// 428 mode (§1.4 step 3), unless the probe refuses the store.
    pub require_preconditions: bool,
    /// This server's id: the probe's scratch key and lock tokens are named after it.
    pub id: String,
}

/// Why the service did not start; `Display` is one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartError(pub String);

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

/// A started service: probed, bound, not yet serving.
#[derive(Debug)]
pub struct Service {
    listener: TcpListener,
    addr: SocketAddr,
    app: Router,
    capabilities: Capabilities,
    settings: Settings,
}

impl Service {
    /// Steps 1-5 of the module docs. Call it inside a tokio runtime.
    pub async fn start(opts: &Options) -> Result<Service, StartError> {
        let fail = |e: String| StartError(e);
        match &opts.store {
            StoreSpec::IgnoreConditions(inner) => {
                let store = AnyStore::open(inner, opts.s3_endpoint.as_deref()).map_err(fail)?;
                Service::start_on(IgnoreConditions::new(store), opts).await
            }
            spec => {
                let store = AnyStore::open(spec, opts.s3_endpoint.as_deref()).map_err(fail)?;
                Service::start_on(store, opts).await
            }
        }
    }

    async fn start_on<B: Bucket>(store: B, opts: &Options) -> Result<Service, StartError> {
        let capabilities = probe(&store, &opts.id)
            .await
            .map_err(|e| StartError(format!("capability probe on {} failed: {e}", opts.store)))?;
        let protocol = capabilities.protocol();
        tracing::info!(store = %opts.store, id = %opts.id, "capabilities: {capabilities}");
        let refused = protocol == Protocol::Refuse;
        if refused {
            tracing::warn!(
                store = %opts.store,
                "the store ignores conditional writes: refusing conditions, every conditional \
                 write is answered 501"
            );
            if opts.require_preconditions {
                tracing::warn!("--require-preconditions ignored: no precondition can be honoured");
            }
        }
        let settings = capabilities.settings(Settings {
            require_preconditions: opts.require_preconditions,
            ..Settings::DEFAULT
        });
        let server = Server::new(TokioRuntime::new(), store, &opts.id, settings);
        let listener = TcpListener::bind(opts.listen)
            .await
            .map_err(|e| StartError(format!("cannot listen on {}: {e}", opts.listen)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| StartError(format!("cannot read the bound address: {e}")))?;
        Ok(Service {
            listener,
            addr,
            app: router(server),
            capabilities,
            settings,
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// What the probe found.
    pub fn capabilities(&self) -> Capabilities {
        self.capabilities
    }

    /// The handler's settings (the protocol the probe picked).
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Serves until `shutdown` resolves, then lets the requests in flight finish.
    pub async fn serve(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), StartError> {
        axum::serve(self.listener, self.app)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(|e| StartError(format!("serving on {}: {e}", self.addr)))
    }
}

/// Resolves on SIGTERM or ctrl-c (SIGINT).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("ctrl-c: shutting down"),
        () = term => tracing::info!("SIGTERM: shutting down"),
    }
}
