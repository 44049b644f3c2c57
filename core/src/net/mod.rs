//! A small typed network between nodes: messages whose delivery is a scheduling event, and
//! that the checker may delay, lose or cut off under the fault budget ([`crate::faults`]).
//!
//! A [`Network<R, M>`] carries messages of type `M` between named [`Addr`]esses. Protocol:
//!
//! 1. **Bind.** [`Network::bind`] gives an [`Endpoint`]: the address's inbox, from which
//!    [`Endpoint::recv`] takes messages in arrival order. Binding an address again (a restarted
//!    node's new incarnation) replaces its inbox; a dropped endpoint (its node crashed) leaves
//!    the address unbound until then.
//! 2. **Send.** [`Endpoint::send`] never waits and never fails: the message goes on the wire,
//!    a task of no node ([`Runtime::spawn_outside_nodes`](crate::Runtime::spawn_outside_nodes)) named `net FROM->TO`. What a node
//!    sent stays on the wire when the node crashes.
//! 3. **Deliver.** When the scheduler runs that task, the message arrives, and that step is
//!    the delivery: two messages in flight arrive in either order (the scheduler explores
//!    both), so the network reorders by default, as UDP or separate connections do. In that
//!    step, in this order, each decision under the budget:
//!    - [`FaultKind::Partition`](crate::faults::FaultKind::Partition): the link between the two addresses (both directions) is cut
//!      for [`NetConfig::partition_for`] from now, and this message is lost; while a link is cut,
//!      every message on it is lost without a decision;
//!    - [`FaultKind::Loss`](crate::faults::FaultKind::Loss): the message is lost;
//!    - [`FaultKind::Delay`](crate::faults::FaultKind::Delay): the message arrives [`NetConfig::long_delay`] later.
//!
//!    A message that survives waits [`NetConfig::latency`] (zero by default), then is put into
//!    the inbox bound to its destination at that moment, if any (an address no endpoint is
//!    bound to loses it, as a closed port does).
//! 4. **Happens-before.** A send happens-before the receive that takes the message (the inbox
//!    is a [`crate::sync::mpsc`] channel); nothing else is ordered by the network.
//! 5. **Close.** [`Network::close`] unbinds every address for good: each endpoint's inbox
//!    ends once drained (its `recv` returns `None`, so a server loop ends), and whatever is
//!    delivered later is lost. An endpoint keeps its network alive (it can send), so a
//!    network whose scenario is done is closed explicitly, as a server is shut down.
//!
//! Request and response on top of it, with a timeout on the caller's clock and unknown
//! outcomes, are [`rpc`].
//!
//! Backends: the simulator explores every decision above; tokio delivers every message at
//! once, in a task of its own (no faults); loom and shuttle run the couriers as their tasks
//! (no faults, no clock: a delay or latency is a yield there).

mod network;
pub mod rpc;
mod wire;

pub use network::{Endpoint, Envelope, Network};
pub use wire::NetConfig;

use std::fmt;
use std::sync::Arc;

/// A network address: a name such as `s1` or `store`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Addr(Arc<str>);

impl Addr {
    /// The address called `name`.
    pub fn new(name: &str) -> Addr {
        Addr(Arc::from(name))
    }

    /// Its name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Addr {
    fn from(name: &str) -> Addr {
        Addr::new(name)
    }
}

impl fmt::Display for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", &*self.0)
    }
}
