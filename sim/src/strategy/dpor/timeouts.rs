//! A task woken by its own timer, that another event would have woken first (a `timeout`
//! whose inner future becomes ready too): the mirror of [`super::races::timer_reversals`].
//!
//! The task's step `e'` was woken by its own timer firing `w` ([`woken_otherwise`]), and a
//! later event `e` of another actor is dependent with `e'` (a notify of the notified it waits
//! on, a send to its receive). A wake is an enabling edge, not a race, so no race reverses
//! `w` and `e`; yet had `w` not fired before `e`, `e` would have woken the task, which then
//! runs without its timer ever firing (the step drops it): another class. The sequence is
//! inserted before `w`: the events after `w` that do not happen after it, up to `e'` (so `e`
//! among them), then `e'`. Found by the differential test (seed 97: a `timeout` on a
//! `Notified` that a spawned task's `notify_waiters` may reach before or after the timer
//! fires).

use super::events::Events;
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
        !ev.scheduled && (!ev.timer || waker.enabled.contains(&ev.actor))
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
