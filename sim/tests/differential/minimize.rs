//! Shrinks a program that shows a mismatch: remove one leaf task, or one instruction (spawns
//! and joins go with their task; removals that would break the mutex discipline are not
//! tried), or the objects nothing names, while the mismatch persists, until no single removal
//! keeps it.

use super::program::{Instr, Program};

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

/// The removals the minimizer tries.
impl Program {
    /// This program without instruction `at` of task `task`, or `None` if removing it makes
    /// the program ill-formed (a `MutexAdd` or `Unlock` that would run without the lock).
    pub fn without(&self, task: usize, at: usize) -> Option<Program> {
        let mut p = self.clone();
        p.tasks[task].instrs.remove(at);
        p.well_formed().then_some(p)
    }

    /// This program without task `k` (a leaf: it spawns nothing), its spawn and its join, and
    /// with the later tasks renumbered; `None` for the root, a task that spawns, or a
    /// channel's receiver.
    pub fn without_task(&self, k: usize) -> Option<Program> {
        let leaf = k > 0
            && !self.tasks.iter().any(|t| t.parent == Some(k))
            && !self.channels.iter().any(|c| c.receiver == k);
        if !leaf {
            return None;
        }
        let renumber = |t: usize| if t > k { t - 1 } else { t };
        let mut p = self.clone();
        p.tasks.remove(k);
        for task in &mut p.tasks {
            task.parent = task.parent.map(renumber);
            task.instrs
                .retain(|i| !matches!(i, Instr::Spawn(t) | Instr::Join(t) if *t == k));
            for i in &mut task.instrs {
                match i {
                    Instr::Spawn(t) | Instr::Join(t) => *t = renumber(*t),
                    _ => {}
                }
            }
        }
        for c in &mut p.channels {
            c.receiver = renumber(c.receiver);
        }
        Some(p)
    }

    /// This program without the objects no instruction names (renumbered), or `None` if
    /// every object is named.
    pub fn without_unused_objects(&self) -> Option<Program> {
        let mut used: [Vec<bool>; 5] = [
            vec![false; self.mutexes],
            vec![false; self.channels.len()],
            vec![false; self.atomics],
            vec![false; self.cells],
            vec![false; self.notifies],
        ];
        let all = self.tasks.iter().flat_map(|t| &t.instrs);
        for i in all.clone() {
            if let Some((kind, n)) = i.object() {
                used[kind][n] = true;
            }
        }
        if used.iter().all(|u| u.iter().all(|x| *x)) {
            return None;
        }
        let new = |kind: usize, n: usize| used[kind][..n].iter().filter(|x| **x).count();
        let mut p = self.clone();
        p.mutexes = used[0].iter().filter(|x| **x).count();
        p.channels = (0..self.channels.len())
            .filter(|c| used[1][*c])
            .map(|c| self.channels[c])
            .collect();
        p.atomics = used[2].iter().filter(|x| **x).count();
        p.cells = used[3].iter().filter(|x| **x).count();
        p.notifies = used[4].iter().filter(|x| **x).count();
        for task in &mut p.tasks {
            for i in &mut task.instrs {
                i.renumber(new);
            }
        }
        Some(p)
    }

    /// The generator's invariants on mutexes (what removal may break).
    fn well_formed(&self) -> bool {
        self.tasks.iter().all(|task| {
            let mut held = Vec::new();
            task.instrs.iter().all(|i| match *i {
                Instr::Lock(m) if held.contains(&m) => false,
                Instr::Lock(m) => {
                    held.push(m);
                    true
                }
                Instr::Unlock(m) | Instr::MutexAdd(m, _) if !held.contains(&m) => false,
                Instr::Unlock(m) => {
                    held.retain(|h| *h != m);
                    true
                }
                _ => true,
            })
        })
    }
}

impl Instr {
    /// The object it names: (kind, index), kinds numbered mutex, channel, atomic, cell,
    /// notify.
    fn object(&self) -> Option<(usize, usize)> {
        match *self {
            Instr::Lock(m) | Instr::Unlock(m) | Instr::MutexAdd(m, _) => Some((0, m)),
            Instr::Send(c, _) | Instr::Recv(c) | Instr::RecvTimeout(c, _) => Some((1, c)),
            Instr::Load(a) | Instr::Store(a, _) | Instr::FetchAdd(a, _) | Instr::Cas(a, ..) => {
                Some((2, a))
            }
            Instr::CellRead(s) | Instr::CellWrite(s, _) => Some((3, s)),
            Instr::NotifyOne(n)
            | Instr::NotifyWaiters(n)
            | Instr::Notified(n)
            | Instr::NotifiedTimeout(n, _) => Some((4, n)),
            _ => None,
        }
    }

    /// Renames the object it names with `f(kind, index)`.
    fn renumber(&mut self, f: impl Fn(usize, usize) -> usize) {
        if let Some((kind, _)) = self.object() {
            match self {
                Instr::Lock(x)
                | Instr::Unlock(x)
                | Instr::MutexAdd(x, _)
                | Instr::Send(x, _)
                | Instr::Recv(x)
                | Instr::RecvTimeout(x, _)
                | Instr::Load(x)
                | Instr::Store(x, _)
                | Instr::FetchAdd(x, _)
                | Instr::Cas(x, ..)
                | Instr::CellRead(x)
                | Instr::CellWrite(x, _)
                | Instr::NotifyOne(x)
                | Instr::NotifyWaiters(x)
                | Instr::Notified(x)
                | Instr::NotifiedTimeout(x, _) => *x = f(kind, *x),
                _ => {}
            }
        }
    }
}
