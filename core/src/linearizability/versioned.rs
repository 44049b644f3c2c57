//! [`VersionedRegister`]: a register with versions and conditional writes, the sequential spec
//! of an ETag / If-Match config store.
//!
//! It follows `shared/specs/config-concurrency.md`: §1.3 (If-Match / If-None-Match `*`
//! preconditions), §2.1 (the store's `get`, `put`, `put_if_absent`, `put_if_match`, `delete`,
//! `delete_if_match`), §2.2 (a conditional operation's check and effect are one linearization
//! point) and §6 O1 (c) (the client-visible history, with timeouts and 5xx as pending
//! operations, is linearizable against a versioned register with compare-and-set on the tag).
//!
//! Versions are the ghost counter `vid` of §6 (the `n`-th applied write or delete has version
//! `n`), not the store's opaque ETags: the harness that records a history maps each ETag it
//! sees to the `vid` of the version it names (the model store keeps both). An absent object
//! has no version; a delete creates none, and a later write gets the next `vid`.

use std::fmt::Debug;
use std::marker::PhantomData;

use super::spec::SequentialSpec;

/// A version: the ghost `vid` of §6.
pub type Version = u64;

/// A versioned register of `V`, initially absent.
#[derive(Clone, Debug, Default)]
pub struct VersionedRegister<V>(PhantomData<V>);

impl<V> VersionedRegister<V> {
    /// The spec.
    pub fn new() -> Self {
        VersionedRegister(PhantomData)
    }
}

/// A write's or delete's precondition (§1.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precondition {
    /// None: a blind write ("unconditional set", §3).
    Always,
    /// `If-Match`: the current version must be this one (false when absent).
    Match(Version),
    /// `If-None-Match: *`: the object must be absent.
    Absent,
}

/// An operation on a [`VersionedRegister`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionedOp<V> {
    /// `GET`: the value and its version, or absent (404).
    Read,
    /// `POST` / `put*`: stores `value` if `when` holds.
    Write {
        /// The new value.
        value: V,
        /// The precondition.
        when: Precondition,
    },
    /// `DELETE` / `delete_if_match`: removes the object if `when` holds.
    Delete {
        /// The precondition.
        when: Precondition,
    },
}

/// What a [`VersionedRegister`] operation returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionedRet<V> {
    /// A read's answer: the value and its version, or `None` (404).
    Value(Option<(V, Version)>),
    /// A write stored a new version (201, with its tag).
    Written(Version),
    /// A delete removed the object (200).
    Deleted,
    /// A blind delete of an absent object (404).
    NotFound,
    /// The precondition was false; nothing changed (412).
    PreconditionFailed,
}

/// The state: the current value and version (if present), and the last version handed out.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct VersionedState<V> {
    /// The stored value and its version; `None` when absent.
    pub current: Option<(V, Version)>,
    /// The last `vid` used.
    pub last: Version,
}

fn holds<V>(when: Precondition, current: &Option<(V, Version)>) -> bool {
    match (when, current) {
        (Precondition::Always, _) => true,
        (Precondition::Match(want), Some((_, have))) => want == *have,
        (Precondition::Match(_), None) => false,
        (Precondition::Absent, current) => current.is_none(),
    }
}

impl<V: Clone + Ord + Debug> SequentialSpec for VersionedRegister<V> {
    type State = VersionedState<V>;
    type Op = VersionedOp<V>;
    type Ret = VersionedRet<V>;
    type Key = ();

    fn init(&self) -> VersionedState<V> {
        VersionedState {
            current: None,
            last: 0,
        }
    }

    fn apply(&self, s: &VersionedState<V>, op: &VersionedOp<V>) -> (Self::State, Self::Ret) {
        match op {
            VersionedOp::Read => (s.clone(), VersionedRet::Value(s.current.clone())),
            VersionedOp::Write { when, .. } | VersionedOp::Delete { when }
                if !holds(*when, &s.current) =>
            {
                (s.clone(), VersionedRet::PreconditionFailed)
            }
            VersionedOp::Write { value, .. } => {
                let v = s.last + 1;
                let next = VersionedState {
                    current: Some((value.clone(), v)),
                    last: v,
                };
                (next, VersionedRet::Written(v))
            }
            VersionedOp::Delete { .. } if s.current.is_none() => {
                (s.clone(), VersionedRet::NotFound)
            }
            VersionedOp::Delete { .. } => {
                let next = VersionedState {
                    current: None,
                    last: s.last,
                };
                (next, VersionedRet::Deleted)
            }
        }
    }
}
