//! Shrinks a program that shows a mismatch: remove one instruction at a time (spawns and
//! joins stay; removals that would break the mutex discipline are not tried) while the
//! mismatch persists, until no single removal keeps it.

use super::program::Program;

/// The smallest program reachable from `p` by removing instructions one at a time, every step
/// of the way keeping `fails` true (which it must be for `p`).
pub fn minimize(p: &Program, fails: impl Fn(&Program) -> bool) -> Program {
    let mut current = p.clone();
    'shrink: loop {
        for (task, at) in current.positions() {
            if let Some(smaller) = current.without(task, at) {
                if fails(&smaller) {
                    current = smaller;
                    continue 'shrink;
                }
            }
        }
        return current;
    }
}
