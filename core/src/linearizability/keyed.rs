//! [`Keyed`]: a map of independent objects, one per key, each following spec `S`.
//!
//! An operation is `(key, op)`; it runs `op` on the key's object (created at `S::init` on
//! first use). Operations on different keys commute, so the spec partitions per key
//! ([`SequentialSpec::partition`]) and the checker checks each key's sub-history on its own.

use std::collections::BTreeMap;
use std::fmt::Debug;

use super::spec::SequentialSpec;

/// A map from `K` to independent objects of spec `S`.
#[derive(Clone, Debug, Default)]
pub struct Keyed<K, S> {
    /// Each key's spec.
    pub spec: S,
    _key: std::marker::PhantomData<K>,
}

impl<K, S> Keyed<K, S> {
    /// A map whose objects follow `spec`.
    pub fn new(spec: S) -> Self {
        Keyed {
            spec,
            _key: std::marker::PhantomData,
        }
    }
}

impl<K: Clone + Ord + Debug, S: SequentialSpec> SequentialSpec for Keyed<K, S> {
    type State = BTreeMap<K, S::State>;
    type Op = (K, S::Op);
    type Ret = S::Ret;
    type Key = K;

    fn init(&self) -> Self::State {
        BTreeMap::new()
    }

    fn apply(&self, state: &Self::State, (key, op): &(K, S::Op)) -> (Self::State, S::Ret) {
        let before = state.get(key).cloned().unwrap_or_else(|| self.spec.init());
        let (after, ret) = self.spec.apply(&before, op);
        let mut next = state.clone();
        next.insert(key.clone(), after);
        (next, ret)
    }

    fn partition(&self, (key, _): &(K, S::Op)) -> Option<K> {
        Some(key.clone())
    }
}
