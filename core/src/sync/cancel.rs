//! A cancellation token with Go `context` cancel semantics.
//!
//! [`CancellationToken::cancel`] is idempotent and cascades to every child token. A cancel
//! happens-before every observation of it ([`CancellationToken::cancelled`] completing, or
//! [`CancellationToken::is_cancelled`] returning `true`). A child of a cancelled token starts
//! cancelled. A token can be cancelled before anyone waits on it.

use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::sync::{Arc, Weak};
use std::task::{Context, Poll};

use super::select::{Arm, ArmFuture};
use super::waitlist::{wake_all, WaitList};
use crate::object::{AccessKind, ObjectId};
use crate::runtime::{Op, RawLock, Runtime};

struct State<R: Runtime> {
    cancelled: bool,
    waiters: WaitList,
    children: Vec<Weak<Node<R>>>,
    clock: R::Clock,
}

struct Node<R: Runtime> {
    rt: R,
    /// The root token's id, shared by every child: cancelling a parent cancels its children.
    object: ObjectId,
    state: R::Lock<State<R>>,
}

/// A Go `context` cancel: see the module documentation. Clones share the same token.
pub struct CancellationToken<R: Runtime> {
    node: Arc<Node<R>>,
}

impl<R: Runtime> Clone for CancellationToken<R> {
    fn clone(&self) -> Self {
        CancellationToken {
            node: self.node.clone(),
        }
    }
}

impl<R: Runtime> fmt::Debug for CancellationToken<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CancellationToken").finish_non_exhaustive()
    }
}

impl<R: Runtime> CancellationToken<R> {
    /// A new, uncancelled root token.
    pub fn new(rt: &R) -> Self {
        CancellationToken {
            node: Arc::new(Self::node(rt, rt.object())),
        }
    }

    fn node(rt: &R, object: ObjectId) -> Node<R> {
        Node {
            rt: rt.clone(),
            object,
            state: R::Lock::new(State {
                cancelled: false,
                waiters: WaitList::default(),
                children: Vec::new(),
                clock: R::Clock::default(),
            }),
        }
    }

    /// A token cancelled when this one is (and also cancellable on its own).
    #[track_caller]
    pub fn child_token(&self) -> CancellationToken<R> {
        let rt = &self.node.rt;
        let object = self.node.object;
        rt.note(Op::on(
            "cancel.child_token",
            object,
            AccessKind::Observe,
            Location::caller(),
        ));
        let child = Arc::new(Self::node(rt, object));
        let parent_cancelled = self.node.state.with(|s| {
            s.children.retain(|c| c.strong_count() > 0);
            if s.cancelled {
                rt.acquire(&s.clock);
            } else {
                s.children.push(Arc::downgrade(&child));
            }
            s.cancelled
        });
        if parent_cancelled {
            cancel_node(&child);
        }
        CancellationToken { node: child }
    }

    /// Cancels this token and its children. Idempotent.
    #[track_caller]
    pub fn cancel(&self) {
        self.node.rt.note(Op::on(
            "cancel.cancel",
            self.node.object,
            AccessKind::Cancel,
            Location::caller(),
        ));
        cancel_node(&self.node);
    }

    /// Whether the token is cancelled; `true` is a synchronizing read of the cancel.
    #[track_caller]
    pub fn is_cancelled(&self) -> bool {
        let rt = &self.node.rt;
        rt.note(Op::on(
            "cancel.is_cancelled",
            self.node.object,
            AccessKind::Observe,
            Location::caller(),
        ));
        self.node.state.with(|s| {
            if s.cancelled {
                rt.acquire(&s.clock);
            }
            s.cancelled
        })
    }

    /// Completes once the token is cancelled. A scheduling point.
    #[track_caller]
    pub fn cancelled(&self) -> impl Future<Output = ()> + Send + '_ {
        let op = Op::on(
            "cancel.cancelled",
            self.node.object,
            AccessKind::Observe,
            Location::caller(),
        );
        async move {
            self.node.rt.point(op).await;
            ArmFuture(Some(self.cancelled_arm())).await
        }
    }

    /// [`CancellationToken::cancelled`] as a [`select`](crate::sync::select2) arm.
    pub fn cancelled_arm(&self) -> Cancelled<'_, R> {
        Cancelled {
            node: &self.node,
            id: None,
            ready: false,
        }
    }
}

fn cancel_node<R: Runtime>(node: &Arc<Node<R>>) {
    let mut stack = vec![node.clone()];
    while let Some(n) = stack.pop() {
        let (wakers, children) = n.state.with(|s| {
            if s.cancelled {
                return (Vec::new(), Vec::new());
            }
            s.cancelled = true;
            n.rt.release(&mut s.clock);
            (s.waiters.signal_all(), std::mem::take(&mut s.children))
        });
        wake_all(wakers);
        stack.extend(children.iter().filter_map(Weak::upgrade));
    }
}

/// A wait for cancellation; an [`Arm`].
pub struct Cancelled<'a, R: Runtime> {
    node: &'a Node<R>,
    id: Option<u64>,
    ready: bool,
}

impl<R: Runtime> fmt::Debug for Cancelled<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cancelled")
            .field("ready", &self.ready)
            .finish()
    }
}

impl<R: Runtime> Arm for Cancelled<'_, R> {
    type Output = ();

    fn poll_arm(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.ready {
            return Poll::Ready(());
        }
        let id = &mut self.id;
        let cancelled = self.node.state.with(|s| {
            if !s.cancelled {
                s.waiters.register(id, cx.waker());
            } else {
                s.waiters.remove(*id);
            }
            s.cancelled
        });
        if cancelled {
            self.ready = true;
            self.id = None;
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }

    fn take(&mut self) {
        let node = self.node;
        node.state.with(|s| node.rt.acquire(&s.clock));
    }
}

impl<R: Runtime> Drop for Cancelled<'_, R> {
    fn drop(&mut self) {
        if self.id.is_some() {
            self.node.state.with(|s| s.waiters.remove(self.id));
        }
    }
}
