//! Which pairs of events bounded POR treats as races: the classic DPOR detection (Flanagan and
//! Godefroid, POPL 2005) that Coons et al.'s bounded algorithm builds on, over
//! [`super::super::events`]' dependency and happens-before.
//!
//! Classic DPOR looks, at every prefix of the execution, at each actor's next event `e'`, and
//! takes the last event `e` before it that is dependent with `e'` and does not happen before
//! the actor (its previous event, or the event that enabled it). In a finished execution the
//! actor's next event is the same from the prefix where it became enabled up to the position
//! where it ran, so the pairs are: every such `e` after the actor became enabled, and the last
//! one before. Unbounded DPOR needs only the *direct* races ([`Events::finish`]): reversing the
//! last one exposes the earlier ones in a later execution. Under a bound that later execution
//! may be out of reach, so bounded POR takes them all here.

use smallvec::SmallVec;

use super::super::events::{dependent, Events};

/// The race pairs `(e, e')`, `e < e'` (positions), of the finished execution `events` (its
/// clocks computed by [`Events::finish`]).
pub(super) fn pairs(events: &Events) -> Vec<(u32, u32)> {
    let list = &events.list;
    let mut out = Vec::new();
    let mut last: Vec<Option<u32>> = Vec::new();
    for (j, ev) in list.iter().enumerate() {
        let d = ev.dense as usize;
        if last.len() <= d {
            last.resize(d + 1, None);
        }
        let base: SmallVec<[u32; 2]> = last[d].into_iter().chain(ev.enabler).collect();
        last[d] = Some(j as u32);
        if ev.accesses.is_empty() {
            continue;
        }
        // The first prefix where the actor's next event is this one.
        let enabled_from = base.iter().max().map_or(0, |b| *b as usize + 1);
        for i in (0..j).rev() {
            let other = &list[i];
            if other.actor == ev.actor
                || !dependent(&other.accesses, &ev.accesses)
                || base.iter().any(|&b| events.hb(i, b as usize))
            {
                continue;
            }
            out.push((i as u32, j as u32));
            if i < enabled_from {
                break;
            }
        }
    }
    out
}
