//! A reusable barrier with `tokio::sync::Barrier`'s semantics.
//!
//! - [`Barrier::new`]`(n)` lets tasks through in generations of `n`: [`Barrier::wait`] returns
//!   once `n` tasks have called it since the last generation completed. `n == 0` behaves as
//!   `n == 1`, as tokio's does.
//! - Exactly one task per generation gets a [`BarrierWaitResult`] with
//!   [`is_leader`](BarrierWaitResult::is_leader) `true`: the one whose arrival completed it.
//! - An arrival counts from the first poll of `wait` (after its scheduling point); dropping a
//!   `wait` that has arrived does not take the arrival back (tokio's neither).
//! - Happens-before: every arrival of a generation happens-before every return of `wait` in that
//!   generation, and nothing more (a generation's departures are not ordered with the arrivals
//!   of the next).
//!
//! [`Barrier::wait`] is a scheduling point.

use std::collections::VecDeque;
use std::fmt;
use std::future::{poll_fn, Future};
use std::panic::Location;
use std::task::Poll;

use super::waitlist::{wake_all, WaitList};
use crate::object::{AccessKind, ObjectId};
use crate::runtime::{Op, RawLock, Runtime};

/// A completed generation whose waiters have not all departed.
struct Completed<C> {
    generation: u64,
    clock: C,
    /// Non-leader arrivals that have not yet departed (or been dropped).
    pending: usize,
}

struct State<R: Runtime> {
    arrived: usize,
    /// Arrivals of the current generation already dropped before it completed.
    dropped: usize,
    generation: u64,
    /// Arrivals of the current generation release here.
    clock: R::Clock,
    completed: VecDeque<Completed<R::Clock>>,
    waiters: WaitList,
}

/// A barrier for `n` tasks; see the module documentation.
pub struct Barrier<R: Runtime> {
    rt: R,
    object: ObjectId,
    n: usize,
    state: R::Lock<State<R>>,
}

impl<R: Runtime> fmt::Debug for Barrier<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Barrier")
            .field("n", &self.n)
            .finish_non_exhaustive()
    }
}

/// What [`Barrier::wait`] returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BarrierWaitResult(bool);

impl BarrierWaitResult {
    /// Whether this task completed its generation (exactly one per generation).
    pub fn is_leader(&self) -> bool {
        self.0
    }
}

impl<R: Runtime> Barrier<R> {
    /// A barrier releasing tasks in groups of `n` (`0` acts as `1`).
    pub fn new(rt: &R, n: usize) -> Self {
        Barrier {
            rt: rt.clone(),
            object: rt.object(),
            n: n.max(1),
            state: R::Lock::new(State {
                arrived: 0,
                dropped: 0,
                generation: 0,
                clock: R::Clock::default(),
                completed: VecDeque::new(),
                waiters: WaitList::default(),
            }),
        }
    }

    /// Arrives and waits until `n` tasks have arrived in this generation. A scheduling point.
    #[track_caller]
    pub fn wait(&self) -> impl Future<Output = BarrierWaitResult> + Send + '_ {
        let op = Op::on(
            "barrier.wait",
            self.object,
            AccessKind::Wait,
            Location::caller(),
        );
        async move {
            self.rt.point(op).await;
            let (generation, leader, wakers) = self.state.with(|s| {
                self.rt.release(&mut s.clock);
                s.arrived += 1;
                let generation = s.generation;
                if s.arrived < self.n {
                    return (generation, false, Vec::new());
                }
                let clock = std::mem::take(&mut s.clock);
                // The leader departs at once, so it acquires now.
                self.rt.acquire(&clock);
                let pending = self.n - 1 - s.dropped;
                if pending > 0 {
                    s.completed.push_back(Completed {
                        generation,
                        clock,
                        pending,
                    });
                }
                s.arrived = 0;
                s.dropped = 0;
                s.generation += 1;
                (generation, true, s.waiters.signal_all())
            });
            wake_all(wakers);
            if !leader {
                Departure {
                    barrier: self,
                    generation,
                    id: None,
                    departed: false,
                }
                .wait()
                .await;
            }
            BarrierWaitResult(leader)
        }
    }

    /// Marks one waiter of `generation` as gone; acquires its arrivals' clock if `acquire`.
    fn depart(&self, s: &mut State<R>, generation: u64, acquire: bool) {
        if generation == s.generation {
            // Dropped before its generation completed: it still counts as arrived.
            s.dropped += 1;
            return;
        }
        let Some(i) = s.completed.iter().position(|c| c.generation == generation) else {
            return;
        };
        if acquire {
            self.rt.acquire(&s.completed[i].clock);
        }
        s.completed[i].pending -= 1;
        if s.completed[i].pending == 0 {
            s.completed.remove(i);
        }
    }
}

/// A non-leader's wait for its generation to complete.
struct Departure<'a, R: Runtime> {
    barrier: &'a Barrier<R>,
    generation: u64,
    id: Option<u64>,
    departed: bool,
}

impl<R: Runtime> Departure<'_, R> {
    async fn wait(mut self) {
        poll_fn(|cx| {
            let b = self.barrier;
            let generation = self.generation;
            let id = &mut self.id;
            let done = b.state.with(|s| {
                if s.generation > generation {
                    s.waiters.remove(*id);
                    b.depart(s, generation, true);
                    true
                } else {
                    s.waiters.register(id, cx.waker());
                    false
                }
            });
            if done {
                self.id = None;
                self.departed = true;
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
        .await;
    }
}

impl<R: Runtime> Drop for Departure<'_, R> {
    fn drop(&mut self) {
        if self.departed {
            return;
        }
        let b = self.barrier;
        b.state.with(|s| {
            s.waiters.remove(self.id);
            b.depart(s, self.generation, false);
        });
    }
}
