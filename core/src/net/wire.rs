//! The wire: carries one message from its sender to its delivery, deciding on the way whether
//! it is cut off, lost or delayed (rule 3 of [`crate::net`]).

use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;

use super::Addr;
use crate::faults::FaultKind;
use crate::object::{AccessKind, ObjectId};
use crate::runtime::{Op, RawLock, Runtime};
use crate::time::Instant;

/// How late a delayed message arrives unless a [`NetConfig`] says otherwise: longer than the
/// timeouts models use, so that a delayed response arrives after its caller gave up.
pub const DEFAULT_LONG_DELAY: Duration = Duration::from_secs(10);

/// How long a partition lasts unless a [`NetConfig`] says otherwise.
pub const DEFAULT_PARTITION: Duration = Duration::from_secs(10);

/// The network's timing: the one home of its defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetConfig {
    /// How long every message takes on the wire (zero: it arrives in the step that delivers
    /// it).
    pub latency: Duration,
    /// How much later a message arrives when the checker delays it ([`FaultKind::Delay`]).
    pub long_delay: Duration,
    /// How long a link stays cut when the checker partitions it ([`FaultKind::Partition`]).
    pub partition_for: Duration,
}

impl Default for NetConfig {
    fn default() -> Self {
        NetConfig {
            latency: Duration::ZERO,
            long_delay: DEFAULT_LONG_DELAY,
            partition_for: DEFAULT_PARTITION,
        }
    }
}

/// A cut link: both directions between `a` and `b`, until `until`.
struct Cut {
    a: Addr,
    b: Addr,
    until: Instant,
}

impl Cut {
    fn separates(&self, from: &Addr, to: &Addr, now: Instant) -> bool {
        now < self.until && (self.a == *from && self.b == *to || self.a == *to && self.b == *from)
    }
}

/// What every message of one network shares: the runtime, the timing, the cut links.
pub(crate) struct Wire<R: Runtime> {
    pub(crate) rt: R,
    config: NetConfig,
    cuts: R::Lock<Vec<Cut>>,
    /// The cut links as an object of the dependency relation: a message's delivery reads
    /// them, a partition writes them.
    links: ObjectId,
}

impl<R: Runtime> Wire<R> {
    pub(crate) fn new(rt: &R, config: NetConfig) -> Wire<R> {
        Wire {
            rt: rt.clone(),
            config,
            cuts: R::Lock::new(Vec::new()),
            links: rt.object(),
        }
    }

    /// Whether the link between `from` and `to` is cut now. A read of the cut links, unless
    /// none is cut and none can be (no partition left in the budget): then the answer is
    /// fixed.
    #[track_caller]
    fn is_cut(&self, from: &Addr, to: &Addr) -> bool {
        let now = self.rt.now();
        let (any, cut) = self.cuts.with(|cuts| {
            let cut = cuts.iter().any(|c| c.separates(from, to, now));
            (!cuts.is_empty(), cut)
        });
        if any || self.rt.budget().get(FaultKind::Partition) > 0 {
            let op = Op::on(
                "net.links",
                self.links,
                AccessKind::Read,
                Location::caller(),
            );
            self.rt.note(op);
        }
        cut
    }

    /// Puts a message from `from` to `to` on the wire: a task of no node that, when the
    /// scheduler runs it, decides the message's faults and calls `deliver` if it arrives.
    /// `deliver` runs in the delivery step; it is dropped unrun if the message is lost.
    pub(crate) fn carry(
        self: &Arc<Self>,
        from: &Addr,
        to: &Addr,
        deliver: impl FnOnce() + Send + 'static,
    ) {
        let wire = self.clone();
        let (from, to) = (from.clone(), to.clone());
        let name = format!("net {from}->{to}");
        self.rt.spawn_outside_nodes(
            &name,
            Box::pin(async move {
                if wire.arrives(&from, &to).await {
                    deliver();
                }
            }),
        );
    }

    /// The faults of one message, in the order of rule 3; `true` if it arrives (after its
    /// latency or long delay has passed).
    async fn arrives(&self, from: &Addr, to: &Addr) -> bool {
        let rt = &self.rt;
        if self.is_cut(from, to) {
            return false;
        }
        if rt.fault(FaultKind::Partition, 1).is_some() {
            let until = rt.now() + self.config.partition_for;
            let cut = Cut {
                a: from.clone(),
                b: to.clone(),
                until,
            };
            self.cuts.with(|cuts| cuts.push(cut));
            let op = Op::on(
                "net.partition",
                self.links,
                AccessKind::Update,
                Location::caller(),
            );
            rt.note(op);
            return false;
        }
        if rt.fault(FaultKind::Loss, 1).is_some() {
            return false;
        }
        let wait = if rt.fault(FaultKind::Delay, 1).is_some() {
            self.config.long_delay
        } else {
            self.config.latency
        };
        if !wait.is_zero() {
            rt.sleep(wait).await;
            // A partition that began while it was on the wire cuts it off too.
            if self.is_cut(from, to) {
                return false;
            }
        }
        true
    }

    /// The fault decision of an ambiguous outcome (rule 2 of [`super::rpc`]): `None` for no
    /// fault, `Some(true)` if the request is applied anyway, `Some(false)` if it is not.
    pub(crate) fn ambiguous(&self) -> Option<bool> {
        self.rt.fault(FaultKind::Ambiguous, 2).map(|o| o == 0)
    }
}
