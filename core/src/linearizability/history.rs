//! [`History`]: what clients did to a shared object, as a sequence of invocations and
//! responses, and [`HistoryBuilder`], which writes one down.
//!
//! Every invocation and response is an event with a time: its index in the history's total
//! order of events (0, 1, 2, ...). An operation is *complete* when its response was recorded,
//! and *pending* when it never was (the client crashed, timed out, or the run ended first);
//! a pending operation may or may not have taken effect (Herlihy and Wing, 1990). Operation
//! `a` precedes `b` in real time when `a`'s response comes before `b`'s invocation: the order
//! every linearization must respect.
//!
//! The protocol, per client: a client is sequential, so it invokes one operation, then
//! responds to it, then may invoke the next. A client that gives up on an operation (a timeout,
//! a lost response) [abandons](HistoryBuilder::abandon) it instead of responding: the
//! operation stays pending for good (it may take effect at any time after its invocation, even
//! after the client's later operations, as a request still in flight can), and the client may
//! invoke the next one, as Jepsen's histories let a process with an indeterminate operation go
//! on under a new process id. The builder rejects anything else as a typed [`HistoryError`]
//! (returned by [`HistoryBuilder::build`]), never a panic: a response or an abandonment from a
//! client with no open operation, or a second invocation while one is open.

use std::collections::BTreeMap;
use std::fmt;

use super::spec::SequentialSpec;

/// A client: one sequential thread of operations (a task, a connection).
pub type ClientId = usize;

/// One operation of a history.
pub struct Operation<S: SequentialSpec> {
    /// Who invoked it.
    pub client: ClientId,
    /// What was invoked.
    pub op: S::Op,
    /// The time of its invocation.
    pub call: u64,
    /// The time of its response and what it returned; `None` while pending.
    pub ret: Option<(u64, S::Ret)>,
}

impl<S: SequentialSpec> Operation<S> {
    /// Whether it never responded.
    pub fn is_pending(&self) -> bool {
        self.ret.is_none()
    }

    /// Whether it responded before `other` was invoked (real-time order).
    pub fn precedes(&self, other: &Operation<S>) -> bool {
        matches!(self.ret, Some((t, _)) if t < other.call)
    }
}

impl<S: SequentialSpec> Clone for Operation<S> {
    fn clone(&self) -> Self {
        Operation {
            client: self.client,
            op: self.op.clone(),
            call: self.call,
            ret: self.ret.clone(),
        }
    }
}

impl<S: SequentialSpec> fmt::Debug for Operation<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "c{} {:?} @{}", self.client, self.op, self.call)?;
        match &self.ret {
            Some((t, r)) => write!(f, "..{t} -> {r:?}"),
            None => write!(f, ".. pending"),
        }
    }
}

/// A well-formed history: operations in invocation order. Build one with [`History::builder`]
/// or record one with [`Recorder`](super::Recorder).
pub struct History<S: SequentialSpec> {
    ops: Vec<Operation<S>>,
}

impl<S: SequentialSpec> Clone for History<S> {
    fn clone(&self) -> Self {
        History {
            ops: self.ops.clone(),
        }
    }
}

impl<S: SequentialSpec> fmt::Debug for History<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.ops).finish()
    }
}

impl<S: SequentialSpec> History<S> {
    /// An empty builder.
    pub fn builder() -> HistoryBuilder<S> {
        HistoryBuilder::default()
    }

    /// The operations, in invocation order.
    pub fn ops(&self) -> &[Operation<S>] {
        &self.ops
    }

    /// The number of operations.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether it has no operation.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// The clients that invoked something, in increasing order.
    pub fn clients(&self) -> Vec<ClientId> {
        let mut c: Vec<ClientId> = self.ops.iter().map(|o| o.client).collect();
        c.sort_unstable();
        c.dedup();
        c
    }

    /// The sub-history of the operations at indexes `keep` (increasing), times unchanged.
    /// Removing operations keeps a history well formed.
    pub fn subset(&self, keep: &[usize]) -> History<S> {
        History {
            ops: keep.iter().map(|&i| self.ops[i].clone()).collect(),
        }
    }

    /// The prefix up to time `t`: the operations invoked before `t`, those answered at or
    /// after `t` made pending. Linearizability is prefix-closed: a prefix of a linearizable
    /// history is linearizable.
    pub fn prefix(&self, t: u64) -> History<S> {
        let ops = self
            .ops
            .iter()
            .filter(|o| o.call < t)
            .map(|o| Operation {
                ret: o.ret.clone().filter(|(r, _)| *r < t),
                ..o.clone()
            })
            .collect();
        History { ops }
    }

    pub(crate) fn from_ops(ops: Vec<Operation<S>>) -> History<S> {
        History { ops }
    }
}

/// Malformed input to a [`HistoryBuilder`]. `at` is the time the bad event would have had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HistoryError {
    /// A response from a client with no open operation.
    ResponseWithoutInvocation {
        /// The client.
        client: ClientId,
        /// The event's time.
        at: u64,
    },
    /// An abandonment by a client with no open operation.
    AbandonWithoutInvocation {
        /// The client.
        client: ClientId,
    },
    /// An invocation from a client whose previous operation is still open.
    SecondInvocation {
        /// The client.
        client: ClientId,
        /// The event's time.
        at: u64,
        /// When the open operation was invoked.
        open_since: u64,
    },
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HistoryError::ResponseWithoutInvocation { client, at } => write!(
                f,
                "malformed history: response by client {client} at time {at} with no open \
                 invocation"
            ),
            HistoryError::AbandonWithoutInvocation { client } => write!(
                f,
                "malformed history: client {client} abandons an operation but has none open"
            ),
            HistoryError::SecondInvocation {
                client,
                at,
                open_since,
            } => write!(
                f,
                "malformed history: client {client} invokes at time {at} while its operation \
                 invoked at time {open_since} is still open"
            ),
        }
    }
}

impl std::error::Error for HistoryError {}

/// Writes a history down, event by event; see the module documentation. The first malformed
/// event is kept and returned by [`build`](HistoryBuilder::build); events after it are
/// ignored.
pub struct HistoryBuilder<S: SequentialSpec> {
    ops: Vec<Operation<S>>,
    /// Each client's open operation (an index into `ops`).
    open: BTreeMap<ClientId, usize>,
    clock: u64,
    error: Option<HistoryError>,
}

impl<S: SequentialSpec> Default for HistoryBuilder<S> {
    fn default() -> Self {
        HistoryBuilder {
            ops: Vec::new(),
            open: BTreeMap::new(),
            clock: 0,
            error: None,
        }
    }
}

impl<S: SequentialSpec> fmt::Debug for HistoryBuilder<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HistoryBuilder")
            .field("ops", &self.ops)
            .field("clock", &self.clock)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl<S: SequentialSpec> HistoryBuilder<S> {
    fn tick(&mut self) -> u64 {
        let t = self.clock;
        self.clock += 1;
        t
    }

    /// `client` invokes `op`.
    pub fn invoke(&mut self, client: ClientId, op: S::Op) -> &mut Self {
        if self.error.is_some() {
            return self;
        }
        let at = self.tick();
        if let Some(&i) = self.open.get(&client) {
            let open_since = self.ops[i].call;
            self.error = Some(HistoryError::SecondInvocation {
                client,
                at,
                open_since,
            });
            return self;
        }
        self.open.insert(client, self.ops.len());
        self.ops.push(Operation {
            client,
            op,
            call: at,
            ret: None,
        });
        self
    }

    /// `client`'s open operation returns `ret`.
    pub fn respond(&mut self, client: ClientId, ret: S::Ret) -> &mut Self {
        if self.error.is_some() {
            return self;
        }
        let at = self.tick();
        match self.open.remove(&client) {
            Some(i) => self.ops[i].ret = Some((at, ret)),
            None => self.error = Some(HistoryError::ResponseWithoutInvocation { client, at }),
        }
        self
    }

    /// `client` gives up on its open operation: it stays pending (it may or may not take
    /// effect, at any time after its invocation) and `client` may invoke again. No event: an
    /// abandonment changes no real-time order.
    pub fn abandon(&mut self, client: ClientId) -> &mut Self {
        if self.error.is_some() {
            return self;
        }
        if self.open.remove(&client).is_none() {
            self.error = Some(HistoryError::AbandonWithoutInvocation { client });
        }
        self
    }

    /// `client` invokes `op`, which returns `ret` at once (no other event in between).
    pub fn call(&mut self, client: ClientId, op: S::Op, ret: S::Ret) -> &mut Self {
        self.invoke(client, op).respond(client, ret)
    }

    /// The history so far (operations still open are pending), or the first malformed event.
    pub fn build(&self) -> Result<History<S>, HistoryError> {
        match &self.error {
            Some(e) => Err(e.clone()),
            None => Ok(History::from_ops(self.ops.clone())),
        }
    }
}
