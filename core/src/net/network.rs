//! [`Network`] and [`Endpoint`]: addresses, inboxes, send and receive (rules 1 to 4 of
//! [`crate::net`]).

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

use super::wire::Wire;
use super::{Addr, NetConfig};
use crate::runtime::{RawLock, Runtime};
use crate::sync::mpsc::{self, Receiver, UnboundedSender};

/// A message as it arrives: who sent it, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope<M> {
    /// The sender's address.
    pub from: Addr,
    /// The message.
    pub msg: M,
}

struct Inner<R: Runtime, M: Send + 'static> {
    wire: Arc<Wire<R>>,
    /// The inbox bound to each address.
    inboxes: R::Lock<BTreeMap<Addr, UnboundedSender<R, Envelope<M>>>>,
}

/// A network carrying messages of type `M`; see [`crate::net`]. Clones share it.
pub struct Network<R: Runtime, M: Send + 'static> {
    inner: Arc<Inner<R, M>>,
}

impl<R: Runtime, M: Send + 'static> Clone for Network<R, M> {
    fn clone(&self) -> Self {
        Network {
            inner: self.inner.clone(),
        }
    }
}

impl<R: Runtime, M: Send + 'static> fmt::Debug for Network<R, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Network").finish_non_exhaustive()
    }
}

impl<R: Runtime, M: Send + 'static> Network<R, M> {
    /// A network with the default timing ([`NetConfig::default`]).
    pub fn new(rt: &R) -> Network<R, M> {
        Network::with_config(rt, NetConfig::default())
    }

    /// A network with this timing.
    pub fn with_config(rt: &R, config: NetConfig) -> Network<R, M> {
        Network {
            inner: Arc::new(Inner {
                wire: Arc::new(Wire::new(rt, config)),
                inboxes: R::Lock::new(BTreeMap::new()),
            }),
        }
    }

    /// Binds `addr` to a new inbox and returns its endpoint (rule 1): messages that arrive
    /// for `addr` from now on go to it. An endpoint bound to `addr` before sees its inbox end
    /// once it has taken what had already arrived.
    #[track_caller]
    pub fn bind(&self, addr: impl Into<Addr>) -> Endpoint<R, M> {
        let addr = addr.into();
        let (tx, inbox) = mpsc::unbounded(&self.inner.wire.rt);
        let old = self.inner.inboxes.with(|map| map.insert(addr.clone(), tx));
        // Dropped outside the lock: closing a channel is an operation of its own.
        drop(old);
        Endpoint {
            addr,
            net: self.clone(),
            inbox,
        }
    }

    pub(crate) fn wire(&self) -> &Arc<Wire<R>> {
        &self.inner.wire
    }

    /// Puts `msg` on the wire from `from` to `to` (rules 2 and 3).
    pub(crate) fn send_from(&self, from: &Addr, to: &Addr, msg: M) {
        let net = self.clone();
        let envelope = Envelope {
            from: from.clone(),
            msg,
        };
        let dest = to.clone();
        self.inner
            .wire
            .carry(from, to, move || net.deliver(&dest, envelope));
    }

    /// Puts `envelope` into the inbox bound to `to` now, if any (the end of rule 3).
    pub(crate) fn deliver(&self, to: &Addr, envelope: Envelope<M>) {
        let inbox = self.inner.inboxes.with(|map| map.get(to).cloned());
        if let Some(inbox) = inbox {
            // A dropped endpoint (its node crashed) loses it, as a closed port does.
            let _ = inbox.send(envelope);
        }
    }
}

/// An address's end of a [`Network`]: its inbox, and sending from it.
pub struct Endpoint<R: Runtime, M: Send + 'static> {
    addr: Addr,
    net: Network<R, M>,
    inbox: Receiver<R, Envelope<M>>,
}

impl<R: Runtime, M: Send + 'static> fmt::Debug for Endpoint<R, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl<R: Runtime, M: Send + 'static> Endpoint<R, M> {
    /// The address it is bound to.
    pub fn addr(&self) -> &Addr {
        &self.addr
    }

    /// The network it belongs to.
    pub fn network(&self) -> &Network<R, M> {
        &self.net
    }

    /// Sends `msg` to `to` (rule 2): it never waits and never fails; whether and when it
    /// arrives is the network's.
    pub fn send(&self, to: impl Into<Addr>, msg: M) {
        self.net.send_from(&self.addr, &to.into(), msg);
    }

    /// The next message that arrived, in arrival order; waits for one. `None` once the
    /// address has been bound again elsewhere and this inbox is drained.
    #[track_caller]
    pub fn recv(&mut self) -> impl Future<Output = Option<Envelope<M>>> + Send + '_ {
        self.inbox.recv()
    }
}
