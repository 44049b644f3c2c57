//! The store as a node of the model (`config-concurrency.md` §7.1 "Store", §7.3): one
//! [`MemStore`] served over the network, and [`RemoteBucket`], the servers' handle on it.
//!
//! Protocol. Each store operation is a call on the storage network from the request's own
//! address (`s1#7` for request 7 on server `s1`) to `store`: the request's delivery is a
//! scheduling point, the store applies the operation atomically when it takes the request
//! from its inbox (store time τ, the runtime's clock), and the response travels back as a
//! message of its own. So a server crash after sending leaves the operation deliverable (a
//! zombie write, §7.2), a lost or late response leaves the server with an unknown outcome
//! after [`STORE_OP_TIMEOUT`] (§7.6), and an ambiguous fault may apply it or not; all of them
//! surface to the handler as [`StoreError::Unknown`]. The store keeps, beside the ghost
//! history of writes, a log of which version each request read (for O7).

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use weft_core::net::rpc::Request as RpcRequest;
use weft_core::net::rpc::RpcNetwork;
use weft_core::net::Endpoint;
use weft_core::node::WallTime;
use weft_core::{BoxFuture, Runtime};

use crate::mimir::memstore::{MemStore, StoreOp, StoreReply, Writer};
use crate::mimir::store::{Bucket, Cond, Meta, Object, StoreError, StoreResult, StoreVersion};

/// The store's address and node name.
pub const STORE: &str = "store";
/// How long a server waits for a store operation (§7.6).
pub const STORE_OP_TIMEOUT: Duration = Duration::from_secs(5);

/// A store operation on the wire.
#[derive(Clone, Debug)]
pub struct StoreCall {
    /// The key.
    pub key: String,
    /// The operation.
    pub op: StoreOp,
    /// The request it is made for.
    pub writer: Writer,
}

/// The storage network.
pub type StorageNet<R> = RpcNetwork<R, StoreCall, StoreResult<StoreReply>>;
type Port<R> = Endpoint<R, RpcRequest<R, StoreCall, StoreResult<StoreReply>>>;

/// One read a request made: who, which key, which version (`None`: absent).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Read {
    /// The request.
    pub reader: Writer,
    /// The key.
    pub key: String,
    /// The version it got.
    pub version: Option<StoreVersion>,
    /// How many writes the ghost history held then.
    pub at: usize,
}

/// What the store node holds: the store and its read log.
#[derive(Debug)]
pub struct StoreState {
    /// The store, with its ghost history.
    pub mem: MemStore,
    /// Every `get` and `head`, in order.
    pub reads: Vec<Read>,
}

/// Shared access to the store's state (for oracles, which read it after or between steps).
#[derive(Clone, Debug)]
pub struct SharedStore(Arc<Mutex<StoreState>>);

impl SharedStore {
    /// A store with `mem` in it.
    pub fn new(mem: MemStore) -> SharedStore {
        SharedStore(Arc::new(Mutex::new(StoreState {
            mem,
            reads: Vec::new(),
        })))
    }

    /// Locks it.
    pub fn lock(&self) -> MutexGuard<'_, StoreState> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The store node's body: serve the inbox, one operation at a time.
pub fn store_node<R: Runtime>(rt: R, net: StorageNet<R>, state: SharedStore) -> BoxFuture {
    let mut inbox: Port<R> = net.bind(STORE);
    Box::pin(async move {
        while let Some(envelope) = inbox.recv().await {
            let request = envelope.msg;
            let StoreCall { key, op, writer } = request.body.clone();
            let name = op.name();
            let now = WallTime(rt.now().since_epoch().as_nanos() as i128);
            let reply = {
                let mut s = state.lock();
                let read = matches!(op, StoreOp::Get | StoreOp::Head);
                let cond = match &op {
                    StoreOp::Put {
                        cond: Cond::IfMatch(v),
                        ..
                    }
                    | StoreOp::Delete {
                        cond: Cond::IfMatch(v),
                    } => format!(" if {v}"),
                    _ => String::new(),
                };
                let r = s.mem.apply(&key, op, writer, now, false);
                let outcome = match &r {
                    Ok(StoreReply::Object(o)) => format!("version {}", o.meta.version),
                    Ok(StoreReply::Meta(m)) => format!("version {}", m.version),
                    Ok(StoreReply::Put(v)) => format!("wrote version {v}"),
                    Ok(StoreReply::Deleted) => "deleted".to_owned(),
                    Err(e) => e.to_string(),
                };
                tracing::debug!("request {writer}: {name}{cond} {key} -> {outcome}");
                if read {
                    let version = match &r {
                        Ok(StoreReply::Object(o)) => Some(o.meta.version.clone()),
                        Ok(StoreReply::Meta(m)) => Some(m.version.clone()),
                        _ => None,
                    };
                    let at = s.mem.history().len();
                    s.reads.push(Read {
                        reader: writer,
                        key,
                        version,
                        at,
                    });
                }
                r
            };
            request.respond(reply);
        }
    })
}

/// A server request's handle on the store node (module docs).
#[derive(Clone)]
pub struct RemoteBucket<R: Runtime> {
    port: Arc<Port<R>>,
    writer: Writer,
}

impl<R: Runtime> std::fmt::Debug for RemoteBucket<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteBucket")
            .field("writer", &self.writer)
            .finish_non_exhaustive()
    }
}

impl<R: Runtime> RemoteBucket<R> {
    /// A handle for request `writer`, calling from `addr`.
    pub fn new(net: &StorageNet<R>, addr: &str, writer: Writer) -> RemoteBucket<R> {
        RemoteBucket {
            port: Arc::new(net.bind(addr)),
            writer,
        }
    }

    async fn call(&self, key: &str, op: StoreOp) -> StoreResult<StoreReply> {
        let call = StoreCall {
            key: key.to_owned(),
            op,
            writer: self.writer,
        };
        match self.port.call(STORE, call, STORE_OP_TIMEOUT).await {
            Ok(reply) => reply,
            Err(e) => Err(StoreError::Unknown(e.as_str().to_owned())),
        }
    }
}

fn unexpected<T>(op: &str, reply: StoreReply) -> StoreResult<T> {
    Err(StoreError::Unknown(format!("{op} answered {reply:?}")))
}

impl<R: Runtime> Bucket for RemoteBucket<R> {
    async fn get(&self, key: &str) -> StoreResult<Object> {
        match self.call(key, StoreOp::Get).await? {
            StoreReply::Object(o) => Ok(o),
            other => unexpected("get", other),
        }
    }

    async fn head(&self, key: &str) -> StoreResult<Meta> {
        match self.call(key, StoreOp::Head).await? {
            StoreReply::Meta(m) => Ok(m),
            other => unexpected("head", other),
        }
    }

    async fn put(&self, key: &str, bytes: Vec<u8>, cond: Cond) -> StoreResult<StoreVersion> {
        match self.call(key, StoreOp::Put { bytes, cond }).await? {
            StoreReply::Put(v) => Ok(v),
            other => unexpected("put", other),
        }
    }

    async fn delete(&self, key: &str, cond: Cond) -> StoreResult<()> {
        match self.call(key, StoreOp::Delete { cond }).await? {
            StoreReply::Deleted => Ok(()),
            other => unexpected("delete", other),
        }
    }
}
