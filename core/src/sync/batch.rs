//! The fair batch-permit queue [`Semaphore`](super::Semaphore) and [`RwLock`](super::RwLock) are
//! built on (tokio builds both on its batch semaphore the same way).
//!
//! Protocol, as tokio's: an acquire of `n` permits takes them at once if that many are free.
//! Otherwise it takes what is free and queues, FIFO, for the rest. Released permits go to the
//! queue's head first: the head accumulates them until it has all it asked for, and only then
//! does the next waiter get any. So while anyone waits no permit is free, and a large request at
//! the head holds back smaller ones behind it (no barging, no starvation). A waiter that gives
//! up returns what it had accumulated; closing fails every waiter and every later acquire.
//!
//! Pure bookkeeping: no runtime, no clocks. Callers hold it in their
//! [`Runtime::Lock`](crate::Runtime::Lock) and wake the returned wakers after releasing that lock.

use std::collections::VecDeque;
use std::task::Waker;

#[derive(Debug)]
struct Entry {
    id: u64,
    /// Permits still missing.
    missing: u32,
    /// Permits already handed to this waiter.
    held: u32,
    waker: Waker,
}

/// How a queued acquire stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Polled {
    /// It has all its permits; it is out of the queue.
    Granted,
    /// Still waiting.
    Waiting,
    /// The queue was closed before it got them all.
    Closed,
}

#[derive(Debug, Default)]
pub(crate) struct Permits {
    free: usize,
    closed: bool,
    next_id: u64,
    queue: VecDeque<Entry>,
    /// Ids that got all their permits and were dequeued, not yet told so.
    granted: Vec<u64>,
}

impl Permits {
    pub(crate) fn new(free: usize) -> Self {
        Permits {
            free,
            ..Permits::default()
        }
    }

    pub(crate) fn free(&self) -> usize {
        self.free
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed
    }

    /// Takes `n` permits if they are free now (with nobody queued, as then none are).
    pub(crate) fn try_take(&mut self, n: u32) -> bool {
        if self.free >= n as usize {
            self.free -= n as usize;
            true
        } else {
            false
        }
    }

    /// An acquire of `n` permits: takes them, or takes what is free and queues as `slot`.
    /// Called again with the same `slot`, it reports the queued acquire's state and refreshes
    /// its waker.
    pub(crate) fn poll(&mut self, slot: &mut Option<u64>, n: u32, waker: &Waker) -> Polled {
        if let Some(id) = *slot {
            if let Some(i) = self.granted.iter().position(|g| *g == id) {
                self.granted.swap_remove(i);
                *slot = None;
                return Polled::Granted;
            }
            if self.closed {
                return Polled::Closed;
            }
            if let Some(e) = self.queue.iter_mut().find(|e| e.id == id) {
                if !e.waker.will_wake(waker) {
                    e.waker = waker.clone();
                }
            }
            return Polled::Waiting;
        }
        if self.closed {
            return Polled::Closed;
        }
        if self.try_take(n) {
            return Polled::Granted;
        }
        let held = self.free as u32; // < n
        self.free = 0;
        let id = self.next_id;
        self.next_id += 1;
        *slot = Some(id);
        self.queue.push_back(Entry {
            id,
            missing: n - held,
            held,
            waker: waker.clone(),
        });
        Polled::Waiting
    }

    /// Returns `n` permits; hands them to the queue's head first. Returns the wakers of the
    /// waiters that now have all their permits.
    pub(crate) fn release(&mut self, n: usize) -> Vec<Waker> {
        self.free += n;
        let mut woken = Vec::new();
        while self.free > 0 {
            let Some(head) = self.queue.front_mut() else {
                break;
            };
            let give = head
                .missing
                .min(u32::try_from(self.free).unwrap_or(u32::MAX));
            head.missing -= give;
            head.held += give;
            self.free -= give as usize;
            if head.missing > 0 {
                break;
            }
            let e = self.queue.pop_front().expect("head exists");
            self.granted.push(e.id);
            woken.push(e.waker);
        }
        woken
    }

    /// A queued acquire of `n` gave up: returns every permit it held or was granted.
    pub(crate) fn cancel(&mut self, slot: Option<u64>, n: u32) -> Vec<Waker> {
        let Some(id) = slot else { return Vec::new() };
        if let Some(i) = self.granted.iter().position(|g| *g == id) {
            self.granted.swap_remove(i);
            return self.release(n as usize);
        }
        match self.queue.iter().position(|e| e.id == id) {
            Some(i) => {
                let e = self.queue.remove(i).expect("found");
                // Its leaving may let the new head (now first) take what is free: hand on.
                self.release(e.held as usize)
            }
            None => Vec::new(),
        }
    }

    /// Closes: every queued acquire fails (their held permits return to the pool) and every
    /// later one fails at once. Returns the queued waiters' wakers.
    pub(crate) fn close(&mut self) -> Vec<Waker> {
        self.closed = true;
        let queue = std::mem::take(&mut self.queue);
        queue
            .into_iter()
            .map(|e| {
                self.free += e.held as usize;
                e.waker
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_accumulates_and_blocks_smaller_requests() {
        let w = Waker::noop();
        let mut p = Permits::new(1);
        let (mut big, mut small) = (None, None);
        assert_eq!(p.poll(&mut big, 3, w), Polled::Waiting); // takes the 1 free, misses 2
        assert_eq!(p.free(), 0);
        assert_eq!(p.poll(&mut small, 1, w), Polled::Waiting);
        assert_eq!(
            p.release(1).len(),
            0,
            "the head gets it; small stays behind"
        );
        assert_eq!(p.poll(&mut small, 1, w), Polled::Waiting);
        assert_eq!(
            p.release(2).len(),
            2,
            "head completes with 1, small gets the other"
        );
        assert_eq!(p.poll(&mut big, 3, w), Polled::Granted);
        assert_eq!(p.poll(&mut small, 1, w), Polled::Granted);
        assert_eq!(p.free(), 0);
    }

    #[test]
    fn writer_holds_back_later_reader() {
        let (w, max) = (Waker::noop(), 100);
        let mut p = Permits::new(max as usize);
        assert!(p.try_take(1));
        let (mut writer, mut reader) = (None, None);
        assert_eq!(p.poll(&mut writer, max, w), Polled::Waiting);
        assert_eq!(p.poll(&mut reader, 1, w), Polled::Waiting);
        assert_eq!(p.release(1).len(), 1);
        assert_eq!(p.poll(&mut writer, max, w), Polled::Granted);
        assert_eq!(p.poll(&mut reader, 1, w), Polled::Waiting);
        assert_eq!(p.release(max as usize).len(), 1);
        assert_eq!(p.poll(&mut reader, 1, w), Polled::Granted);
    }

    #[test]
    fn cancel_returns_held_permits_and_close_fails_waiters() {
        let w = Waker::noop();
        let mut p = Permits::new(2);
        let (mut a, mut b) = (None, None);
        assert_eq!(p.poll(&mut a, 3, w), Polled::Waiting);
        assert_eq!(p.poll(&mut b, 2, w), Polled::Waiting);
        assert_eq!(p.cancel(a, 3).len(), 1, "a's 2 held permits go to b");
        assert_eq!(p.poll(&mut b, 2, w), Polled::Granted);
        let mut c = None;
        assert_eq!(p.poll(&mut c, 1, w), Polled::Waiting);
        assert_eq!(p.close().len(), 1);
        assert_eq!(p.poll(&mut c, 1, w), Polled::Closed);
        assert_eq!(p.poll(&mut None, 1, w), Polled::Closed);
    }
}
