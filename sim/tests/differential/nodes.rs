//! Random programs with nodes: some tasks run as nodes the checker may crash or pause at
//! their crash points, under a fault budget, and that may restart.
//!
//! [`Program::generate_with_nodes`] takes the program [`Program::generate`] makes of the seed
//! and turns one or two of its tasks (and so their descendants) into nodes:
//!
//! - the task's parent starts it with [`Instr::StartNode`] instead of spawning it, and does
//!   not join it (a node's task is a server's; it may outlive the root);
//! - one or two [`Instr::CrashPoint`]s go into each task of the node;
//! - the parent may also crash or pause the node itself ([`Instr::CrashNode`],
//!   [`Instr::PauseNode`]) somewhere after starting it;
//! - the budget ([`NodeFaults`]) allows up to one injected crash and up to one injected pause
//!   (at least one of them), pauses of 1 or 2 ms, and a restart after 0, 1 or 2 ms, or none.
//!
//! A restarted incarnation runs its task's instructions again from the start: its
//! observations are appended to the task's, a receiver the crashed incarnation dropped is
//! gone (a receive observes the channel closed), and a mutex it held was released by the
//! crash.

use std::fmt;
use std::time::Duration;

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use weft_core::faults::{Budget, FaultKind};

use super::program::{Instr, Program, Size};

/// The fault budget and restart delay of a program with nodes (none: no nodes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NodeFaults {
    /// Crashes the checker may inject at crash points.
    pub crashes: u32,
    /// Pauses the checker may inject at crash points.
    pub pauses: u32,
    /// How long an injected pause lasts, in ms.
    pub pause_ms: u64,
    /// Restart delay after a crash, in ms; `None`: a crashed node stays down.
    pub restart_ms: Option<u64>,
}

impl NodeFaults {
    /// The budget each execution starts with.
    pub fn budget(&self) -> Budget {
        Budget::NONE
            .with(FaultKind::Crash, self.crashes)
            .with(FaultKind::Pause, self.pauses)
            .pausing_for(Duration::from_millis(self.pause_ms.max(1)))
    }
}

impl fmt::Display for NodeFaults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "budget: {} crash, {} pause of {}ms; restart: ",
            self.crashes, self.pauses, self.pause_ms
        )?;
        match self.restart_ms {
            Some(ms) => write!(f, "after {ms}ms"),
            None => write!(f, "never"),
        }
    }
}

impl Program {
    /// The program of `seed` with one or two of its tasks made nodes (see the module docs).
    pub fn generate_with_nodes(seed: u64, size: Size) -> Program {
        let mut p = Program::generate(seed, size);
        let mut d = ChaCha8Rng::seed_from_u64(seed ^ 0x6e6f_6465);
        let mut below = |n: usize| (d.next_u64() % n as u64) as usize;
        let n = p.tasks.len();
        let nodes = 1 + below(2).min(n - 2);
        let mut chosen: Vec<usize> = Vec::new();
        for _ in 0..8 {
            if chosen.len() == nodes {
                break;
            }
            let t = 1 + below(n - 1);
            // Not inside another node chosen (its parent's node would own it twice).
            if !chosen.contains(&t) && !chosen.iter().any(|&c| p.descends(t, c) || p.descends(c, t))
            {
                chosen.push(t);
            }
        }
        for &t in &chosen {
            let parent = p.tasks[t].parent.expect("non-root");
            let list = &mut p.tasks[parent].instrs;
            list.retain(|i| *i != Instr::Join(t));
            let at = list
                .iter()
                .position(|i| *i == Instr::Spawn(t))
                .expect("spawned");
            list[at] = Instr::StartNode(t);
            match below(4) {
                0 => list.insert(at + 1 + below(list.len() - at), Instr::CrashNode(t)),
                1 => {
                    let ms = 1 + below(2) as u64;
                    list.insert(at + 1 + below(list.len() - at), Instr::PauseNode(t, ms));
                }
                _ => {}
            }
            for k in 0..n {
                if k == t || p.descends(k, t) {
                    let list = &mut p.tasks[k].instrs;
                    for _ in 0..1 + below(2) {
                        let at = below(list.len() + 1);
                        list.insert(at, Instr::CrashPoint);
                    }
                }
            }
        }
        let (crashes, pauses) = match below(3) {
            0 => (1, 0),
            1 => (0, 1),
            _ => (1, 1),
        };
        p.faults = NodeFaults {
            crashes,
            pauses,
            pause_ms: 1 + below(2) as u64,
            restart_ms: [None, Some(0), Some(1), Some(2)][below(4)],
        };
        p
    }

    /// Whether task `t` descends from task `a` (through parents; not `t == a`).
    pub fn descends(&self, t: usize, a: usize) -> bool {
        let mut at = self.tasks[t].parent;
        while let Some(p) = at {
            if p == a {
                return true;
            }
            at = self.tasks[p].parent;
        }
        false
    }

    /// Whether task `t` runs on a node: it, or one of its ancestors, is started as one.
    pub fn on_node(&self, t: usize) -> bool {
        let started = |k: usize| {
            self.tasks
                .iter()
                .any(|task| task.instrs.contains(&Instr::StartNode(k)))
        };
        started(t) || (0..self.tasks.len()).any(|a| started(a) && self.descends(t, a))
    }
}
