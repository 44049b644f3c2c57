//! Stable object names: the same object gets the same [`ObjectId`] in every execution,
//! whatever the interleaving.
//!
//! The executor numbers objects (primitives, task handles, timers) in creation order per
//! execution, so under another interleaving object 3 may be another object. Sleep sets and
//! wakeup trees keep accesses from earlier executions and compare them with the current
//! one's, so the events name objects by where they come from instead, like actors
//! ([`super::identity`]): an object is (the identity of the actor whose step created it
//! ([`Step::objects`](crate::strategy::Step::objects)), the ordinal of the creation among that
//! actor's creations). An actor creates objects in its own program order, so the names are
//! the same in every execution of a deterministic program. An object created outside any
//! step keeps its number (those are created before the first step, in a fixed order).
//!
//! Names are interned into small integers once per exploration (from 1, dense, so that
//! per-object tables stay small).

use std::collections::BTreeMap;

use weft_core::{ObjectId, Touch};

use super::identity::ActorId;

/// Where an object comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Origin {
    /// The `ordinal`-th object created by an actor's steps.
    Created(ActorId, u32),
    /// Created outside any step: its number in the execution.
    Unattributed(u32),
}

/// Object names of one exploration, and the current execution's mapping to them.
#[derive(Debug, Default)]
pub(super) struct ObjectNames {
    known: BTreeMap<Origin, ObjectId>,
    /// The name of each object number of the current execution (index: number minus one).
    current: Vec<Option<ObjectId>>,
    /// Objects each actor has created so far in the current execution.
    created: BTreeMap<ActorId, u32>,
    /// The names of objects numbered from [`SPARSE`] up (nodes' objects), by number.
    sparse: BTreeMap<u32, ObjectId>,
}

/// Object numbers from here up are not creation counts but fixed numbers
/// ([`crate::node_steps::node_object`]): named through a map, not the dense table.
const SPARSE: u32 = 1 << 24;

impl ObjectNames {
    /// A fresh execution.
    pub(super) fn reset(&mut self) {
        self.current.clear();
        self.created.clear();
        self.sparse.clear();
    }

    fn intern(&mut self, origin: Origin) -> ObjectId {
        let next = self.known.len() as u32 + 1;
        *self
            .known
            .entry(origin)
            .or_insert_with(|| ObjectId::new(next).unwrap_or(ObjectId::FIRST))
    }

    /// A step of `actor` created `objects`, in order.
    pub(super) fn created(&mut self, actor: ActorId, objects: &[ObjectId]) {
        for &o in objects {
            let ordinal = self.created.entry(actor).or_insert(0);
            let origin = Origin::Created(actor, *ordinal);
            *ordinal += 1;
            let name = self.intern(origin);
            if o.get() >= SPARSE {
                self.sparse.insert(o.get(), name);
                continue;
            }
            let i = o.get() as usize - 1;
            if self.current.len() <= i {
                self.current.resize(i + 1, None);
            }
            self.current[i] = Some(name);
        }
    }

    /// The stable name of object `o` of the current execution.
    pub(super) fn name(&mut self, o: ObjectId) -> ObjectId {
        if let Some(name) = self.sparse.get(&o.get()) {
            return *name;
        }
        match self.current.get(o.get() as usize - 1) {
            Some(Some(name)) => *name,
            _ => self.intern(Origin::Unattributed(o.get())),
        }
    }

    /// `touch` with its object renamed.
    pub(super) fn rename(&mut self, touch: Touch) -> Touch {
        match touch {
            Touch::Object(o, kind) => Touch::Object(self.name(o), kind),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use weft_core::AccessKind;

    /// Two executions that create the same objects in another order name them alike.
    #[test]
    fn objects_are_named_by_their_creator_not_their_number() {
        use super::super::identity::{Identities, Mapping};
        use crate::strategy::Candidate;
        let at = |n| ObjectId::new(n).unwrap();
        let (mut ids, mut m) = (Identities::default(), Mapping::default());
        m.reset();
        m.spawned(&mut ids, 0, 1);
        let (root, child) = (
            m.of(Candidate::Task(0)).unwrap(),
            m.of(Candidate::Task(1)).unwrap(),
        );
        let mut names = ObjectNames::default();
        names.reset();
        let before = names.name(at(1));
        names.created(root, &[at(2)]);
        names.created(child, &[at(3)]);
        let (x, y) = (names.name(at(2)), names.name(at(3)));
        assert_ne!(x, y);
        // Another interleaving: the child creates its object first.
        names.reset();
        assert_eq!(names.name(at(1)), before);
        names.created(child, &[at(2)]);
        names.created(root, &[at(3)]);
        assert_eq!(names.name(at(2)), y);
        assert_eq!(
            names.rename(Touch::Object(at(3), AccessKind::Write)),
            Touch::Object(x, AccessKind::Write)
        );
        assert_eq!(names.rename(Touch::Unknown), Touch::Unknown);
    }
}
