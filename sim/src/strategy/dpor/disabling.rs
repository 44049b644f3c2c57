//! Crashes and pauses disable tasks: the reversal that runs such a task first.
//!
//! Optimal-DPOR's model (JACM 2017, section 3) has an enabled actor stay enabled until it
//! runs; races are between events that both ran. A crash or a pause (an event that writes a
//! node's object, [`crate::nodes`], rule 7) breaks this: a task of that node that was a
//! candidate before it cannot run after it, a crashed one never again, a paused one not until
//! its node resumes. If the task has an event after the crash or pause (a paused node's task
//! after the resume), that event reads the node's object, so the two race and the race's
//! reversal runs the task first. If it has none (it was crashed, or crashed while paused),
//! nothing races, and the class where the task ran first would be missed: so for each task
//! the event disabled ([`Step::disabled`](crate::strategy::Step::disabled)) that was a
//! candidate there and has no later event, the sequence that runs that task there is
//! inserted before the event. Its step did not run in the execution: its accesses are taken
//! as [`Touch::Unknown`], as in [`super::races::timer_reversals`]. Found by the node
//! differential test (seed 58: the root crashes a node whose first task has not run yet).

use weft_core::Touch;

use super::events::{Accesses, Events};
use super::wakeup::Seq;

/// The sequences that run, before event `e`, each task `e` disabled that could run there
/// and never ran after it.
pub(super) fn disabled_first(events: &Events, e: u32) -> Vec<Seq<'_>> {
    let list = &events.list;
    let ev = &list[e as usize];
    ev.disabled
        .iter()
        .filter(|&&t| t != ev.actor && ev.enabled.contains(&t))
        .filter(|&&t| !list[e as usize + 1..].iter().any(|x| x.actor == t))
        .map(|&t| Seq {
            events,
            items: Vec::new(),
            tail: vec![(t, Accesses::from_slice(&[Touch::Unknown]))],
        })
        .collect()
}
