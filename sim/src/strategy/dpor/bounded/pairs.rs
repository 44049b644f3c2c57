//! Which pairs of events bounded POR treats as races, over [`super::super::events`]'
//! dependency and happens-before: every pair `(e, e')` of dependent events of different actors
//! where `e` does not happen before the event that precedes `e'` in its actor, nor before the
//! event that enabled `e'` (so only their own dependency orders them).
//!
//! This is more than unbounded DPOR takes. Classic DPOR (Flanagan and Godefroid, POPL 2005),
//! which Coons et al.'s bounded algorithm builds on, takes at each prefix each actor's next
//! event against the last dependent event before it; optimal DPOR takes only the direct races
//! ([`Events::finish`]). Both rely on a later execution exposing the earlier races, which a
//! bound may put out of reach; the differential test found programs where either choice misses
//! an outcome under a bound (see the parent module).

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
        for i in (0..j).rev() {
            let other = &list[i];
            if other.actor == ev.actor
                || !dependent(&other.accesses, &ev.accesses)
                || base.iter().any(|&b| events.hb(i, b as usize))
            {
                continue;
            }
            out.push((i as u32, j as u32));
        }
    }
    out
}
