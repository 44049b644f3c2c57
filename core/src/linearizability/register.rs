//! [`Register`]: a read/write register, the simplest shared object.
//!
//! `Write(v)` stores `v` and returns [`RegisterRet::Ok`]; `Read` returns the last value
//! written, or the register's initial value (`V::default()` unless given).

use std::fmt::Debug;

use super::spec::SequentialSpec;

/// A read/write register holding a `V`, initially `init`.
#[derive(Clone, Debug, Default)]
pub struct Register<V> {
    /// The value a read returns before any write.
    pub init: V,
}

impl<V> Register<V> {
    /// A register whose initial value is `init`.
    pub fn new(init: V) -> Self {
        Register { init }
    }
}

/// An operation on a [`Register`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegisterOp<V> {
    /// Returns the current value.
    Read,
    /// Stores a value.
    Write(V),
}

/// What a [`Register`] operation returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegisterRet<V> {
    /// A write's acknowledgement.
    Ok,
    /// A read's value.
    Value(V),
}

impl<V: Clone + Ord + Debug> SequentialSpec for Register<V> {
    type State = V;
    type Op = RegisterOp<V>;
    type Ret = RegisterRet<V>;
    type Key = ();

    fn init(&self) -> V {
        self.init.clone()
    }

    fn apply(&self, state: &V, op: &RegisterOp<V>) -> (V, RegisterRet<V>) {
        match op {
            RegisterOp::Read => (state.clone(), RegisterRet::Value(state.clone())),
            RegisterOp::Write(v) => (v.clone(), RegisterRet::Ok),
        }
    }
}
