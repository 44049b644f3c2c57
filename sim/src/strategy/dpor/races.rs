//! Which races are reversed, and into what sequence (Optimal-DPOR's race detection, JACM
//! 2017, Algorithm 2, lines 2-6).
//!
//! For a race `(e, e')` of a finished execution `E` (see [`super::events`]), the reversal is
//! `v = notdep(e, E').e'`: the events between `e` and `e'` that do not happen after `e`, in
//! order, then `e'`. Run from the prefix before `e`, `v` reaches a state where `e'` has run
//! and `e` has not. (The paper takes `notdep` over the whole of `E`; the events after `e'` that
//! do not happen after `e` commute with `e'`, so the full sequence is equivalent to this one
//! followed by them, and this one is a weak prefix of it. Taking the shorter one matters for
//! virtual time: a timer that fires after `e'` need not be due before `e` for the reversal
//! to run, as Nidhugg's implementation of the algorithm does.) A race is reversed only if `v`
//! can run there:
//!
//! - every actor of `v` is runnable before `e` or made runnable inside `v` (this holds by
//!   construction: an enabling step that follows `e` and is not after it is in `v`);
//! - every timer firing in `v` was due before `e`. Virtual time moves only when no task can
//!   run, and `e`'s actor can run before `e`; so a timer that became due later cannot fire
//!   before `e`;
//! - the later event is not an await's completion that would be idle there (readiness,
//!   [`super::blocking`]).
//!
//! A wake is an enabling edge, not a race: the woken task could not run before its waker.
//! Unless it could be woken otherwise. Its own timer (a `sleep`, a `timeout`) that was due
//! before the waking event `e` can fire there instead: then the task runs before `e` (a
//! `timeout` elapses where it was notified). That timer's firing is not an event of `E` (the
//! task's step after the wake dropped it), so the reversal is `notdep(e, E)`, then the timer,
//! then the task ([`timer_reversals`]): two steps that did not run in `E`, whose accesses are
//! taken as [`Touch::Unknown`] (the task's step after the timer differs from `e'`), so no
//! sleeping actor or wakeup branch covers them by commuting. This is the disabling case the
//! paper's model leaves out (an enabled actor, the timer, that never runs because another
//! step disabled it); found by the differential test (seed 2947).

use weft_core::Touch;

use super::blocking::cannot_precede;
use super::events::{Accesses, Events};
use super::identity::{ActorId, Identities};
use super::wakeup::Seq;

/// The reversal of race `(e, e')`, or `None` if the race is not reversible.
pub(super) fn reversal(events: &Events, e: u32, e2: u32) -> Option<Seq<'_>> {
    let list = &events.list;
    let (first, second) = (&list[e as usize], &list[e2 as usize]);
    let seq = sequence(events, e, e2)?;
    let between = &seq.items[..seq.items.len() - 1];
    let before = (0..e)
        .chain(between.iter().copied())
        .map(|k| list[k as usize].accesses.as_slice());
    if cannot_precede(&first.accesses, second.completes, before) {
        return None;
    }
    Some(seq)
}

/// The sequence `notdep(e, E').e'` of race `(e, e')`, or `None` if it cannot run before `e`
/// (a timer in it was not due there); whether the race is worth reversing is the caller's
/// ([`reversal`]).
pub(super) fn sequence(events: &Events, e: u32, e2: u32) -> Option<Seq<'_>> {
    if events.list[e as usize].scheduled {
        return None;
    }
    let mut items: Vec<u32> = ((e + 1)..e2)
        .filter(|&k| !events.hb(e as usize, k as usize))
        .collect();
    items.push(e2);
    if !runnable(events, e, &items) {
        // Only what `e'` needs: the other events commute with it (a node paused at `e` let
        // time move on while a task that could run before `e` waited).
        let len = items.len();
        items.retain(|&k| k == e2 || events.hb(k as usize, e2 as usize));
        if items.len() == len || !runnable(events, e, &items) {
            return None;
        }
    }
    Some(Seq {
        events,
        items,
        tail: Vec::new(),
    })
}

/// Whether `items` can run in order from the prefix before event `e`: no node step (applied
/// when its instant comes, never moved); every timer due there; every task's first event in
/// it by an actor that can run there (a candidate at `e`) or that an earlier event of
/// `items` made runnable, unless its node is paused there; and no task event after an event
/// of `items` that crashed or paused the task's node (a resume would be needed).
pub(super) fn runnable(events: &Events, e: u32, items: &[u32]) -> bool {
    let list = &events.list;
    let enabled = &list[e as usize].enabled;
    items.iter().enumerate().all(|(i, &k)| {
        let ev = &list[k as usize];
        let before = &items[..i];
        if ev.scheduled
            || before
                .iter()
                .any(|&j| list[j as usize].disabled.contains(&ev.actor))
        {
            return false;
        }
        enabled.contains(&ev.actor)
            || !ev.timer
                && (before.iter().any(|&j| list[j as usize].actor == ev.actor)
                    || ev.enabler.is_some_and(|w| before.contains(&w))
                        && !paused_at(events, e, ev.actor))
    })
}

/// Whether task `actor` is paused (or crashed) at event `e`: the last event before `e` that
/// disabled it ([`super::disabling`]) is not followed by the node step (a resume) it enabled.
fn paused_at(events: &Events, e: u32, actor: ActorId) -> bool {
    let list = &events.list;
    let Some(j) = (0..e)
        .rev()
        .find(|&j| list[j as usize].disabled.contains(&actor))
    else {
        return false;
    };
    !(j + 1..e).any(|r| list[r as usize].scheduled && list[r as usize].enabler == Some(j))
}

/// The reversals of the wake that enabled task event `e'`, for each timer of `e'`'s task that
/// was due before the wake (see the module documentation), with the waking event's position.
pub(super) fn timer_reversals<'a>(
    events: &'a Events,
    ids: &Identities,
    e2: u32,
) -> Vec<(u32, Seq<'a>)> {
    let list = &events.list;
    let second = &list[e2 as usize];
    let Some(e) = second.enabler.filter(|_| !second.timer) else {
        return Vec::new();
    };
    let first = &list[e as usize];
    if first.actor == second.actor || first.enabled.contains(&second.actor) {
        return Vec::new();
    }
    let items: Vec<u32> = ((e + 1)..e2)
        .filter(|&k| !events.hb(e as usize, k as usize))
        .collect();
    let due = |k: &u32| {
        let ev = &list[*k as usize];
        !ev.scheduled && (!ev.timer || first.enabled.contains(&ev.actor))
    };
    if first.scheduled || !items.iter().all(due) {
        return Vec::new();
    }
    let unknown = || Accesses::from_slice(&[Touch::Unknown]);
    first
        .enabled
        .iter()
        .filter(|&&t| t != first.actor && ids.armed_by(t) == Some(second.actor))
        .map(|&t| {
            let tail = vec![(t, unknown()), (second.actor, unknown())];
            let items = items.clone();
            (
                e,
                Seq {
                    events,
                    items,
                    tail,
                },
            )
        })
        .collect()
}
