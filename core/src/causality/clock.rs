//! [`VectorClock`]: one logical counter per task, small and allocation-free for up to 8 tasks.

use std::fmt;

use smallvec::SmallVec;

/// A task's position in its own history: the value of its own clock component.
pub type Epoch = u32;

/// A vector clock indexed by dense task index. Missing components are zero.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct VectorClock {
    // Invariant: no trailing zero components (so equality is structural).
    entries: SmallVec<[Epoch; 8]>,
}

impl VectorClock {
    /// The empty clock (every component zero).
    pub const fn new() -> Self {
        VectorClock {
            entries: SmallVec::new_const(),
        }
    }

    /// Component `task`.
    #[inline]
    pub fn get(&self, task: usize) -> Epoch {
        self.entries.get(task).copied().unwrap_or(0)
    }

    /// Sets component `task` to `value`.
    pub fn set(&mut self, task: usize, value: Epoch) {
        if task >= self.entries.len() {
            if value == 0 {
                return;
            }
            self.entries.resize(task + 1, 0);
        }
        self.entries[task] = value;
        self.trim();
    }

    /// Increments component `task` and returns the new value.
    pub fn increment(&mut self, task: usize) -> Epoch {
        let next = self.get(task) + 1;
        self.set(task, next);
        next
    }

    /// Component-wise maximum: `self := self ⊔ other`.
    pub fn join(&mut self, other: &VectorClock) {
        if other.entries.len() > self.entries.len() {
            self.entries.resize(other.entries.len(), 0);
        }
        for (mine, theirs) in self.entries.iter_mut().zip(other.entries.iter()) {
            if *theirs > *mine {
                *mine = *theirs;
            }
        }
    }

    /// `self ≤ other` component-wise: everything `self` has seen, `other` has seen.
    pub fn le(&self, other: &VectorClock) -> bool {
        self.entries
            .iter()
            .enumerate()
            .all(|(i, v)| *v <= other.get(i))
    }

    /// Whether the access at epoch `epoch` of task `task` happens-before a point with this clock.
    #[inline]
    pub fn has_seen(&self, task: usize, epoch: Epoch) -> bool {
        epoch <= self.get(task)
    }

    /// Resets to the empty clock, keeping the allocation.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    fn trim(&mut self) {
        while self.entries.last() == Some(&0) {
            self.entries.pop();
        }
    }
}

impl fmt::Debug for VectorClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, v) in self.entries.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{v}")?;
        }
        f.write_str("]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_and_order() {
        let mut a = VectorClock::new();
        a.increment(0);
        let mut b = a.clone();
        b.increment(1);
        assert!(a.le(&b));
        assert!(!b.le(&a));
        a.increment(0);
        assert!(!a.le(&b) && !b.le(&a), "concurrent");
        b.join(&a);
        assert!(a.le(&b));
        assert_eq!(format!("{b:?}"), "[2 1]");
    }

    #[test]
    fn trailing_zeros_do_not_matter() {
        let mut a = VectorClock::new();
        a.set(5, 0);
        assert_eq!(a, VectorClock::new());
        a.set(3, 1);
        a.set(3, 0);
        assert_eq!(a, VectorClock::new());
    }
}
