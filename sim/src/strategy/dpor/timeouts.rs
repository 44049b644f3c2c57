//! A task's own timer against the other events that wake it (a `timeout` whose inner future
//! can complete): the two cases the paper's model leaves out besides the wake of
//! [`super::races::timer_reversals`], where a step enables or disables a timer's effect.
//!
//! - **Woken otherwise** ([`woken_otherwise`]): the task's step `e'` was woken by its own timer
//!   firing `w`, and a later event `e` of another actor is dependent with `e'` (a notify of
//!   the notified it waits on, a send to its receive). Had `w` not fired before `e`, `e` would
//!   have woken the task instead, and the task would run without its timer having fired: a
//!   different class. The reversal is inserted before `w`: the events after `w` that do not
//!   happen after it, up to `e'` (so `e` among them), then `e'`.
//! - **Disabled timer** ([`disabled_timers`]): the task's step `e'` ran while one of its own
//!   timers was due (a candidate there) and that timer never fired afterwards: the step
//!   dropped it. Firing the timer just before `e'` is another class (the timer's firing is an
//!   event that happens, unordered with the task's step). The sequence is that timer's firing
//!   alone, inserted before `e'`; its accesses are [`Touch::Unknown`] (it did not run in `E`),
//!   so only the timer itself asleep there covers it.
//!
//! Both were found by the differential test (seed 97: a `timeout` on a `Notified` that a
//! spawned task's `notify_waiters` may reach before or after the timeout's timer fires).

use weft_core::Touch;

use super::events::{Accesses, Events};
use super::identity::Identities;
use super::wakeup::Seq;

/// For race `(e, e')`: if `e'` was woken by its task's own timer firing `w` before `e`, and
/// `e` does not happen after `w`, the sequence that runs `e` (and `e'`) before `w`, with `w`'s
/// position.
pub(super) fn woken_otherwise<'a>(
    events: &'a Events,
    ids: &Identities,
    e: u32,
    e2: u32,
) -> Option<(u32, Seq<'a>)> {
    let list = &events.list;
    let second = &list[e2 as usize];
    let w = second.enabler.filter(|&w| w < e && !second.timer)?;
    let waker = &list[w as usize];
    if !waker.timer || ids.armed_by(waker.actor) != Some(second.actor) {
        return None;
    }
    if events.hb(w as usize, e as usize) {
        return None;
    }
    let mut items: Vec<u32> = ((w + 1)..e2)
        .filter(|&k| !events.hb(w as usize, k as usize))
        .collect();
    items.push(e2);
    let due = |k: &u32| {
        let ev = &list[*k as usize];
        !ev.timer || waker.enabled.contains(&ev.actor)
    };
    if !items.iter().all(due) {
        return None;
    }
    Some((
        w,
        Seq {
            events,
            items,
            tail: Vec::new(),
        },
    ))
}

/// For task event `e'`: the firing of each of its task's own timers that was due at `e'`
/// and never fired after it, inserted before `e'` (see the module documentation).
pub(super) fn disabled_timers<'a>(
    events: &'a Events,
    ids: &Identities,
    e2: u32,
) -> Vec<(u32, Seq<'a>)> {
    let list = &events.list;
    let second = &list[e2 as usize];
    if second.timer {
        return Vec::new();
    }
    second
        .enabled
        .iter()
        .filter(|&&t| t != second.actor && ids.armed_by(t) == Some(second.actor))
        .filter(|&&t| !list[e2 as usize..].iter().any(|ev| ev.actor == t))
        .map(|&t| {
            let tail = vec![(t, Accesses::from_slice(&[Touch::Unknown]))];
            (
                e2,
                Seq {
                    events,
                    items: Vec::new(),
                    tail,
                },
            )
        })
        .collect()
}
