//! [`Network`] and [`Endpoint`]: addresses, inboxes, send and receive (rules 1 to 4 of
//! [`crate::net`]).

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::sync::Arc;

use super::wire::Wire;
use super::{Addr, NetConfig};
use crate::object::{AccessKind, ObjectId};
use crate::runtime::{Op, RawLock, Runtime};
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
    table: R::Lock<Table<R, M>>,
    /// Whether the network is open, as an object of the dependency relation: a bind reads
    /// it, a close writes it (a bind before the close gets an inbox the close ends; after
    /// it, an ended one).
    open: ObjectId,
}

/// An address's binding: its object, and its inbox if bound.
type Binding<R, M> = (ObjectId, Option<UnboundedSender<R, Envelope<M>>>);

/// Who receives what arrives for each address.
struct Table<R: Runtime, M: Send + 'static> {
    /// Each address ever bound or sent to: its binding as an object of the dependency
    /// relation (a delivery reads it; a bind and a close write it), and its inbox, if bound.
    /// One object per address, so that binds of different addresses commute, as do
    /// deliveries to an address and binds of another.
    addrs: BTreeMap<Addr, Binding<R, M>>,
    /// Whether the network is closed (rule 5).
    closed: bool,
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
                table: R::Lock::new(Table {
                    addrs: BTreeMap::new(),
                    closed: false,
                }),
                open: rt.object(),
            }),
        }
    }

    /// Binds `addr` to a new inbox and returns its endpoint (rule 1): messages that arrive
    /// for `addr` from now on go to it. An endpoint bound to `addr` before sees its inbox end
    /// once it has taken what had already arrived. On a closed network (rule 5) the new
    /// inbox is already ended.
    #[track_caller]
    pub fn bind(&self, addr: impl Into<Addr>) -> Endpoint<R, M> {
        let addr = addr.into();
        let rt = &self.inner.wire.rt;
        let (tx, inbox) = mpsc::unbounded(rt);
        let fresh = rt.object();
        let (object, replaced) = self.inner.table.with(|table| {
            if table.closed {
                return (None, Some(tx));
            }
            let (object, bound) = table.addrs.entry(addr.clone()).or_insert((fresh, None));
            (Some(*object), bound.replace(tx))
        });
        let site = Location::caller();
        rt.note(Op::on("net.bind", self.inner.open, AccessKind::Read, site));
        if let Some(object) = object {
            rt.note(Op::on("net.bind", object, AccessKind::Write, site));
        }
        // Dropped outside the lock: closing a channel is an operation of its own.
        drop(replaced);
        Endpoint {
            addr,
            net: self.clone(),
            inbox,
        }
    }

    /// Closes the network (rule 5): every address is unbound, so each endpoint's
    /// [`Endpoint::recv`] returns `None` once it has taken what had already arrived, and
    /// every message delivered from now on (in flight or sent later) is lost, as on a
    /// network whose every port is closed. A server loop `while let Some(m) = ep.recv().await`
    /// ends, on every backend. Closing again does nothing.
    #[track_caller]
    pub fn close(&self) {
        let closed = self.inner.table.with(|table| {
            if table.closed {
                return None;
            }
            table.closed = true;
            let objects: Vec<ObjectId> = table.addrs.values().map(|(o, _)| *o).collect();
            let inboxes: Vec<_> = table
                .addrs
                .values_mut()
                .filter_map(|(_, b)| b.take())
                .collect();
            Some((objects, inboxes))
        });
        let Some((objects, inboxes)) = closed else {
            return;
        };
        let rt = &self.inner.wire.rt;
        for object in objects.into_iter().chain([self.inner.open]) {
            rt.note(Op::on(
                "net.close",
                object,
                AccessKind::Write,
                Location::caller(),
            ));
        }
        // Dropped outside the lock, as in `bind`.
        drop(inboxes);
    }

    /// Whether [`Network::close`] has been called.
    pub fn is_closed(&self) -> bool {
        self.inner.table.with(|table| table.closed)
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

    /// Puts `envelope` into the inbox bound to `to` now, if any (the end of rule 3): a read
    /// of `to`'s binding.
    ///
    /// The send happens under the table's lock rather than through a clone of the sender: a
    /// clone dropped by the courier would be a channel operation of its own (a sender drop,
    /// credited to the `bind` that made the channel), in every trace and in every
    /// dependency the reduction computes. Lock order: the table, then the channel's.
    pub(crate) fn deliver(&self, to: &Addr, envelope: Envelope<M>) {
        let known = self.inner.table.with(|table| {
            let (object, inbox) = table.addrs.get(to)?;
            if let Some(inbox) = inbox {
                // A dropped endpoint (its node crashed) loses it, as a closed port does.
                let _ = inbox.send(envelope);
            }
            Some(*object)
        });
        let rt = &self.inner.wire.rt;
        // An address never bound nor sent to gets its object now, in this step: a later bind
        // of it is what would have received this message.
        let object = known.unwrap_or_else(|| {
            let fresh = rt.object();
            self.inner
                .table
                .with(|table| table.addrs.entry(to.clone()).or_insert((fresh, None)).0)
        });
        rt.note(Op::on(
            "net.deliver",
            object,
            AccessKind::Read,
            Location::caller(),
        ));
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
