//! The FIFO wait list every blocking primitive is built on.
//!
//! A waiter registers once (getting an id) and keeps its place while it re-polls. A signaller
//! marks the oldest unsignalled waiter and wakes it; the waiter consumes the signal on its next
//! poll. Wake order is therefore decided, and tested, once.
//!
//! **Hand-off after cancellation.** A waiter can be dropped (a lost `select`, a timeout, an
//! aborted task) after a signal chose it and before it took the signal. A single-waiter signal
//! ([`Signal::One`]: a mutex hand-off, a `notify_one`, a freed channel slot) stands for
//! something only one waiter may have, so it must not be lost with the waiter: the waiter
//! leaves through [`WaitList::give_up`], which passes the signal on to the oldest unsignalled
//! waiter, or, if nobody else waits, reports it [`HandOff::Unclaimed`] so that the primitive
//! takes the grant back (unlocks, stores the permit; a free slot stays free). Signallers use
//! the same step ([`WaitList::pass_on`]), so a wake-up handed on after a cancellation goes
//! exactly where a fresh one would. A broadcast ([`Signal::All`]) wakes everyone anyway and is
//! not handed on. The batch-permit queue of the semaphore and the rwlock follows the same
//! rule with permits (`batch::Permits::cancel`): a waiter that gives up returns what it was
//! granted to the queue's head.

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

/// What a single-waiter signal became when it was passed on; see "Hand-off after
/// cancellation" in the module documentation.
#[must_use = "a passed signal must be woken, an unclaimed one taken back by the primitive"]
#[derive(Debug)]
pub(crate) enum HandOff {
    /// There was no single-waiter signal to pass on.
    Nothing,
    /// The next waiter has it: wake this waker after releasing the lock.
    Passed(Waker),
    /// Nobody waits: the primitive takes back what the signal granted.
    Unclaimed,
}

impl From<Option<Waker>> for HandOff {
    /// The waker of the waiter a signal went to, or `None` if nobody waited.
    fn from(signalled: Option<Waker>) -> Self {
        match signalled {
            Some(w) => HandOff::Passed(w),
            None => HandOff::Unclaimed,
        }
    }
}

impl HandOff {
    /// Wakes the waiter the signal was passed to, if any (call after releasing the lock).
    pub(crate) fn wake(self) {
        if let HandOff::Passed(w) = self {
            w.wake();
        }
    }
}

impl WaitList {
    /// Gives a single-waiter signal to the oldest unsignalled waiter (a signaller's step, and
    /// the hand-off of a waiter that gave up).
    pub(crate) fn pass_on(&mut self) -> HandOff {
        HandOff::from(self.signal_one())
    }

    /// [`WaitList::pass_on`] to the newest unsignalled waiter (tokio's `notify_last`).
    pub(crate) fn pass_on_last(&mut self) -> HandOff {
        HandOff::from(self.signal_last())
    }

    /// Waiter `id` gives up without taking its signal (it was dropped or cancelled): it leaves
    /// the list, and a single-waiter signal it held is passed on ([`WaitList::pass_on`]).
    /// `Nothing` if it held none (or only a broadcast).
    pub(crate) fn give_up(&mut self, id: Option<u64>) -> HandOff {
        match self.remove(id) {
            Signal::One => self.pass_on(),
            Signal::None | Signal::All => HandOff::Nothing,
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

    #[test]
    fn a_waiter_that_gives_up_hands_its_signal_on() {
        let w = Waker::noop();
        let mut list = WaitList::default();
        let (mut a, mut b, mut c) = (None, None, None);
        list.register(&mut a, w);
        list.register(&mut b, w);
        assert!(list.signal_one().is_some());
        assert!(
            matches!(list.give_up(a), HandOff::Passed(_)),
            "a's signal goes to b"
        );
        assert_eq!(list.take_signal(b), Signal::One);
        list.register(&mut c, w);
        assert!(
            matches!(list.give_up(c), HandOff::Nothing),
            "c held nothing"
        );
        list.register(&mut c, w);
        assert!(list.signal_one().is_some());
        assert!(
            matches!(list.give_up(c), HandOff::Unclaimed),
            "nobody left to take it"
        );
        list.register(&mut a, w);
        list.register(&mut b, w);
        assert_eq!(list.signal_all().len(), 2);
        assert!(
            matches!(list.give_up(a), HandOff::Nothing),
            "a broadcast is not handed on"
        );
    }
}
