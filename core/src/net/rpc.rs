//! Request and response over a [`Network`]: a call with a timeout on the caller's clock,
//! whose outcome may be unknown.
//!
//! A network of [`Request<R, Req, Resp>`] messages is an RPC network. Protocol:
//!
//! 1. [`Endpoint::call`] puts a request on the wire (rules 2 and 3 of [`crate::net`]: it may
//!    be cut off, lost or delayed) and waits for the response, at most `timeout` as the
//!    caller's node measures it ([`crate::Runtime::node_clocks`]).
//! 2. When a request arrives, the checker may decide an **ambiguous outcome**
//!    ([`FaultKind::Ambiguous`](crate::faults::FaultKind::Ambiguous), two options): the
//!    connection fails after the request left, so the caller gets
//!    [`CallError::Ambiguous`] at once, and the request is applied (option 1) or is not
//!    (option 2). Otherwise it goes to the server's inbox.
//! 3. The server answers with [`Request::respond`]: the response goes back on the wire, with
//!    the same faults as any message; it completes the call if the caller still waits.
//! 4. A call that gets no response within its timeout returns [`CallError::TimedOut`]: the
//!    request may have been applied or not (it was lost, or its response was, or either is
//!    late, or the server crashed while handling it). A response that arrives after its call
//!    gave up is dropped.
//! 5. Happens-before: the request's send happens-before the server's receive, and the
//!    response's send happens-before the call's return.
//!
//! Both errors mean "unknown outcome": a caller that retries must make its request idempotent.

use std::fmt;
use std::future::pending;
use std::time::Duration;

use std::sync::Arc;

use super::wire::Wire;
use super::{Addr, Endpoint, Envelope, Network};
use crate::runtime::Runtime;
use crate::sync::mpsc::{self, UnboundedSender};
use crate::time::{timeout, Elapsed};

/// Why a call has no response; either way, the request may or may not have been applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CallError {
    /// No response within the timeout (rule 4).
    TimedOut,
    /// The connection failed after the request was sent (rule 2).
    Ambiguous,
}

impl CallError {
    /// Its name: `timed out` or `ambiguous`.
    pub fn as_str(self) -> &'static str {
        match self {
            CallError::TimedOut => "timed out",
            CallError::Ambiguous => "ambiguous",
        }
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the outcome is unknown", self.as_str())
    }
}

impl std::error::Error for CallError {}

/// What a call's waiting end receives.
type Answer<Resp> = Result<Resp, CallError>;

/// A request as the server receives it: its body, and the way back to its caller.
pub struct Request<R: Runtime, Req: Send + 'static, Resp: Send + 'static> {
    /// The request.
    pub body: Req,
    reply: Reply<R, Resp>,
}

impl<R: Runtime, Req: Send + 'static + fmt::Debug, Resp: Send + 'static> fmt::Debug
    for Request<R, Req, Resp>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("body", &self.body)
            .finish_non_exhaustive()
    }
}

/// The way back from a server to one call.
struct Reply<R: Runtime, Resp: Send + 'static> {
    wire: Arc<Wire<R>>,
    server: Addr,
    caller: Addr,
    answer: UnboundedSender<R, Answer<Resp>>,
}

impl<R: Runtime, Req: Send + 'static, Resp: Send + 'static> Request<R, Req, Resp> {
    /// Answers the call with `response` (rule 3).
    pub fn respond(self, response: Resp) {
        let Reply {
            wire,
            server,
            caller,
            answer,
        } = self.reply;
        wire.carry(&server, &caller, move || {
            // The call may have given up: then nobody waits for it.
            let _ = answer.send(Ok(response));
        });
    }
}

/// A network whose messages are requests with `Req` bodies and `Resp` responses.
pub type RpcNetwork<R, Req, Resp> = Network<R, Request<R, Req, Resp>>;

impl<R: Runtime, Req: Send + 'static, Resp: Send + 'static> Endpoint<R, Request<R, Req, Resp>> {
    /// Calls `to` with `body`, waiting at most `patience` of this node's clock (see the module
    /// documentation).
    pub async fn call(
        &self,
        to: impl Into<Addr>,
        body: Req,
        patience: Duration,
    ) -> Result<Resp, CallError> {
        let to = to.into();
        let net = self.network().clone();
        let rt = net.wire().rt.clone();
        let (answer, mut answers) = mpsc::unbounded::<R, Answer<Resp>>(&rt);
        let reset = answer.clone();
        let request = Request {
            body,
            reply: Reply {
                wire: net.wire().clone(),
                server: to.clone(),
                caller: self.addr().clone(),
                answer,
            },
        };
        let wire = net.wire().clone();
        let from = self.addr().clone();
        let (sender, dest) = (from.clone(), to.clone());
        wire.clone().carry(&from, &to, move || {
            let envelope = Envelope {
                from: sender,
                msg: request,
            };
            match wire.ambiguous() {
                None => net.deliver(&dest, envelope),
                Some(applied) => {
                    if applied {
                        net.deliver(&dest, envelope);
                    }
                    let _ = reset.send(Err(CallError::Ambiguous));
                }
            }
        });
        let wait = rt.node_clocks().unscale(patience);
        let first = async {
            match answers.recv().await {
                Some(answer) => answer,
                // Every way back is gone (the request or its server is): nothing will come,
                // and the caller only learns it from its timer.
                None => pending::<Answer<Resp>>().await,
            }
        };
        match timeout(&rt, wait, first).await {
            Ok(answer) => answer,
            Err(Elapsed) => Err(CallError::TimedOut),
        }
    }
}
