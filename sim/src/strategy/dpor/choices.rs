//! Data choices as part of the event: `choose(n)` makes one of `n` sibling events of its
//! actor, and sleep sets are kept per value.
//!
//! A step that calls `choose` is not one event but one per vector of values it can choose
//! (`(n, value)` for each call, in order): the same actor in the same state with other values
//! is a different event, with its own accesses, and no reordering turns one value into
//! another. So (as in Optimal-DPOR with data nondeterminism, where each value is a distinct
//! next event of the actor):
//!
//! - an event is named by its actor *and* its values ([`Sleeper`], the wakeup tree's nodes);
//!   a reversal's step runs exactly the values it ran in the execution the race was found in;
//! - where the search picks an actor freely (no wakeup branch), every value vector of its step
//!   that is not asleep is explored, one sibling subtree each ([`first_open`]);
//! - a value vector explored from a prefix goes to sleep there with the accesses of *that*
//!   value's step, and stays asleep below while the events run are independent of them. A
//!   sleeper put to sleep under one value never suppresses another value: the actor is
//!   asleep as a whole only when every value vector of its step is ([`covered`]).
//!
//! A step is deterministic given its prefix and its values, so a sleeper whose vector is the
//! one being chosen (same values, same length) stands for exactly that step. So does a sleeper
//! whose vector is a proper prefix of it: its step stopped choosing there, and the actor's
//! step at that prefix with those first values asks for no more (a reversal made from the
//! step that completed a lock, which chose, run where the sleeper's failed attempt at the lock
//! ran, which chose nothing, is that failed attempt: differential seeds 103 and 220).

use smallvec::SmallVec;

use super::events::Accesses;
use super::identity::ActorId;

/// The data choices of one step, `(n, value)` per `choose(n)`, in order.
pub(super) type Values = SmallVec<[(u32, u32); 2]>;

/// An event asleep at a prefix: an actor, the values of its step, and the step's accesses.
#[derive(Clone, Debug)]
pub(super) struct Sleeper {
    pub(super) actor: ActorId,
    pub(super) values: Values,
    pub(super) accesses: Accesses,
}

/// Whether every step of `actor` whose values start with `prefix` is asleep in `sleep`: one
/// sleeper has exactly these values, or the next choice (its `n` known from a sleeper that
/// went further) has every value covered.
pub(super) fn covered(sleep: &[Sleeper], actor: ActorId, prefix: &[(u32, u32)]) -> bool {
    let mut longer = None;
    for s in sleep.iter().filter(|s| s.actor == actor) {
        // Equal values; or fewer, that `prefix` extends: the sleeper's step stopped choosing
        // there, so the actor's step with these values is that step (see below).
        if prefix.starts_with(&s.values) {
            return true;
        }
        if s.values.len() > prefix.len() && s.values.starts_with(prefix) {
            longer = Some(s.values[prefix.len()].0);
        }
    }
    let Some(n) = longer else {
        return false;
    };
    let mut next: Values = prefix.iter().copied().collect();
    (0..n).all(|v| {
        next.push((n, v));
        let all = covered(sleep, actor, &next);
        next.pop();
        all
    })
}

/// The first value of a `choose(n)` made after `prefix` by `actor`'s step whose steps are not
/// all asleep, if any.
pub(super) fn first_open(
    sleep: &[Sleeper],
    actor: ActorId,
    prefix: &[(u32, u32)],
    n: u32,
) -> Option<u32> {
    let mut next: Values = prefix.iter().copied().collect();
    (0..n).find(|&v| {
        next.push((n, v));
        let open = !covered(sleep, actor, &next);
        next.pop();
        open
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sleeper(actor: ActorId, values: &[(u32, u32)]) -> Sleeper {
        Sleeper {
            actor,
            values: values.iter().copied().collect(),
            accesses: Accesses::new(),
        }
    }

    #[test]
    fn an_actor_is_asleep_only_when_every_value_is() {
        let p = ActorId::ROOT;
        let mut sleep = vec![sleeper(p, &[(3, 0)])];
        assert!(!covered(&sleep, p, &[]), "values 1 and 2 are awake");
        assert_eq!(first_open(&sleep, p, &[], 3), Some(1));
        sleep.push(sleeper(p, &[(3, 2)]));
        assert_eq!(first_open(&sleep, p, &[], 3), Some(1));
        sleep.push(sleeper(p, &[(3, 1), (2, 0)]));
        assert!(!covered(&sleep, p, &[]), "(1, 1) is awake");
        assert_eq!(first_open(&sleep, p, &[(3, 1)], 2), Some(1));
        sleep.push(sleeper(p, &[(3, 1), (2, 1)]));
        assert!(covered(&sleep, p, &[]));
        assert_eq!(first_open(&sleep, p, &[], 3), None);
        // A step without choices is asleep by one sleeper with no values.
        assert!(!covered(&[], p, &[]));
        assert!(covered(&[sleeper(p, &[])], p, &[]));
        // A sleeper's step that stopped choosing (a failed attempt that chose nothing) is
        // the actor's step whatever values follow: they are never asked for.
        assert!(covered(&[sleeper(p, &[])], p, &[(2, 0)]));
        assert!(covered(&[sleeper(p, &[(3, 1)])], p, &[(3, 1), (2, 1)]));
        assert!(!covered(&[sleeper(p, &[(3, 1)])], p, &[(3, 2), (2, 1)]));
    }
}
