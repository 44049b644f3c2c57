//! [`CasRegister`]: a register with compare-and-set.
//!
//! `Read` returns the value; `Write(v)` stores it; `Cas { expect, new }` stores `new` and
//! returns `Cas(true)` if the value equals `expect`, and otherwise changes nothing and returns
//! `Cas(false)`. A lost update (two read-modify-writes that both read the same value) is the
//! classic history this spec rejects: two successful `Cas { expect: 0, .. }`.

use std::fmt::Debug;

use super::spec::SequentialSpec;

/// A compare-and-set register holding a `V`, initially `init`.
#[derive(Clone, Debug, Default)]
pub struct CasRegister<V> {
    /// The value a read returns before any write.
    pub init: V,
}

impl<V> CasRegister<V> {
    /// A register whose initial value is `init`.
    pub fn new(init: V) -> Self {
        CasRegister { init }
    }
}

/// An operation on a [`CasRegister`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CasOp<V> {
    /// Returns the current value.
    Read,
    /// Stores a value.
    Write(V),
    /// Stores `new` if the value is `expect`.
    Cas {
        /// The value the register must hold.
        expect: V,
        /// The value stored if it does.
        new: V,
    },
}

/// What a [`CasRegister`] operation returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CasRet<V> {
    /// A write's acknowledgement.
    Ok,
    /// A read's value.
    Value(V),
    /// Whether a compare-and-set stored its value.
    Cas(bool),
}

impl<V: Clone + Ord + Debug> SequentialSpec for CasRegister<V> {
    type State = V;
    type Op = CasOp<V>;
    type Ret = CasRet<V>;
    type Key = ();

    fn init(&self) -> V {
        self.init.clone()
    }

    fn apply(&self, state: &V, op: &CasOp<V>) -> (V, CasRet<V>) {
        match op {
            CasOp::Read => (state.clone(), CasRet::Value(state.clone())),
            CasOp::Write(v) => (v.clone(), CasRet::Ok),
            CasOp::Cas { expect, new } if expect == state => (new.clone(), CasRet::Cas(true)),
            CasOp::Cas { .. } => (state.clone(), CasRet::Cas(false)),
        }
    }
}
