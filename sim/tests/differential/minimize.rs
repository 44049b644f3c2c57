//! Shrinks a program that shows a mismatch: remove one leaf task, or one instruction (spawns
//! and joins go with their task; removals that would break the mutex discipline are not
//! tried), or the objects nothing names, while the mismatch persists, until no single removal
//! keeps it.

use super::program::Program;

/// The smallest program reachable from `p` by removing instructions one at a time, every step
/// of the way keeping `fails` true (which it must be for `p`).
pub fn minimize(p: &Program, fails: impl Fn(&Program) -> bool) -> Program {
    let mut current = p.clone();
    'shrink: loop {
        let tasks = (1..current.tasks.len())
            .rev()
            .filter_map(|k| current.without_task(k));
        let objects = current.without_unused_objects();
        for smaller in tasks.chain(objects) {
            if fails(&smaller) {
                current = smaller;
                continue 'shrink;
            }
        }
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
