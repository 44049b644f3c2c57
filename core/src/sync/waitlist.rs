//! The FIFO wait list every blocking primitive is built on.
//!
//! A waiter registers once (getting an id) and keeps its place while it re-polls. A signaller
//! marks the oldest unsignalled waiter and wakes it; the waiter consumes the signal on its next
//! poll. A waiter dropped after being signalled hands the signal on (see each primitive), so a
//! wake-up is never lost to cancellation. Wake order is therefore decided, and tested, once.

use std::collections::VecDeque;
use std::task::Waker;

/// What a signal granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Signal {
    /// Not signalled yet.
    None,
    /// Signalled by a single-waiter wake (mutex hand-off, `notify_one`, a freed slot).
    One,
    /// Signalled by a broadcast (`notify_waiters`, cancel, WaitGroup reaching zero).
    All,
}

#[derive(Debug)]
struct Entry {
    id: u64,
    waker: Waker,
    signal: Signal,
}

#[derive(Debug, Default)]
pub(crate) struct WaitList {
    next_id: u64,
    entries: VecDeque<Entry>,
}

impl WaitList {
    /// Registers the waiter `slot` (assigning an id on first use) or refreshes its waker.
    pub(crate) fn register(&mut self, slot: &mut Option<u64>, waker: &Waker) {
        if let Some(id) = *slot {
            if let Some(e) = self.entries.iter_mut().find(|e| e.id == id) {
                if !e.waker.will_wake(waker) {
                    e.waker = waker.clone();
                }
                return;
            }
        }
        let id = self.next_id;
        self.next_id += 1;
        *slot = Some(id);
        self.entries.push_back(Entry {
            id,
            waker: waker.clone(),
            signal: Signal::None,
        });
    }

    /// Signals the oldest unsignalled waiter; returns its waker, or `None` if nobody waits.
    pub(crate) fn signal_one(&mut self) -> Option<Waker> {
        let e = self.entries.iter_mut().find(|e| e.signal == Signal::None)?;
        e.signal = Signal::One;
        Some(e.waker.clone())
    }

    /// Signals the newest unsignalled waiter (tokio's `notify_last`); returns its waker.
    pub(crate) fn signal_last(&mut self) -> Option<Waker> {
        let e = self
            .entries
            .iter_mut()
            .rev()
            .find(|e| e.signal == Signal::None)?;
        e.signal = Signal::One;
        Some(e.waker.clone())
    }

    /// Signals every unsignalled waiter; returns their wakers.
    pub(crate) fn signal_all(&mut self) -> Vec<Waker> {
        self.entries
            .iter_mut()
            .filter(|e| e.signal == Signal::None)
            .map(|e| {
                e.signal = Signal::All;
                e.waker.clone()
            })
            .collect()
    }

    /// If waiter `id` has been signalled, removes it and returns the signal.
    pub(crate) fn take_signal(&mut self, id: Option<u64>) -> Signal {
        let Some(id) = id else { return Signal::None };
        match self.entries.iter().position(|e| e.id == id) {
            Some(i) if self.entries[i].signal != Signal::None => {
                self.entries.remove(i).map_or(Signal::None, |e| e.signal)
            }
            _ => Signal::None,
        }
    }

    /// Removes waiter `id` (it gave up) and returns the signal it held, if any.
    pub(crate) fn remove(&mut self, id: Option<u64>) -> Signal {
        let Some(id) = id else { return Signal::None };
        match self.entries.iter().position(|e| e.id == id) {
            Some(i) => self.entries.remove(i).map_or(Signal::None, |e| e.signal),
            None => Signal::None,
        }
    }
}

/// Wakes every waker in `wakers` (call after releasing the lock).
pub(crate) fn wake_all(wakers: Vec<Waker>) {
    for w in wakers {
        w.wake();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::Waker;

    #[test]
    fn fifo_signalling_and_hand_back() {
        let w = Waker::noop();
        let mut list = WaitList::default();
        let (mut a, mut b) = (None, None);
        list.register(&mut a, w);
        list.register(&mut b, w);
        list.register(&mut a, w); // re-registering keeps the place
        assert!(list.signal_one().is_some());
        assert_eq!(list.take_signal(b), Signal::None, "b is second in line");
        assert_eq!(list.take_signal(a), Signal::One);
        assert_eq!(list.signal_all().len(), 1);
        assert_eq!(list.remove(b), Signal::All);
    }
}
