//! Executions to the first failure, weft-sim's PCT against shuttle's PCT (through weft's
//! shuttle backend) on the same programs, over seeds 1..=10: the measurement behind the PCT
//! notes in `sim/src/strategy/pct.rs`.
//!
//! `cargo run --release -p weft-benches --example pct_vs_shuttle [SEEDS]`
//!
//! Each program is generic over the runtime, so both checkers run the same code. A row prints
//! the mean over the seeds that found it, then each seed's count (`-` when the budget of
//! 10,000 ran out; the first 10 seeds only).
//!
//! Measured (2026-12-05, `... pct_vs_shuttle 100`: mean executions to the first failure over
//! seeds 1..=100; `k` is the most scheduling decisions of one weft-sim execution):
//!
//! | program (PCT depth, weft's k)   | weft before | weft after | shuttle |
//! |---------------------------------|------------:|-----------:|--------:|
//! | lost_update noise=0 (2, k=8)    |        32.1 |        9.0 |    20.8 |
//! | lost_update noise=10 (2, k=28)  |        30.8 |       24.4 |    40.7 |
//! | window noise=0 (3, k=8)         |      1004.8 |       66.5 |   339.9 |
//! | window noise=5 (3, k=18)        |      1186.0 |      332.3 |   689.4 |
//! | window noise=20 (3, k=48)       |  2041.3 (99)| 2025.9 (99)| 2807.6 (95) |
//! | three_tasks noise=0 (3, k=11)   |       100.2 |       54.1 |    43.9 |
//! | three_tasks noise=3 (3, k=30)   |       112.1 |       86.3 |   109.3 |
//!
//! (In parentheses: seeds of 100 that found it within 10,000.) "Before" is weft's PCT with
//! `k` floored at 32 and counting data choices; "after" is the rule in
//! `sim/src/strategy/pct.rs` (`k` the most scheduling decisions of an execution). Both draw
//! change points independently over decisions `0..k`, as the paper does. The floor explains the
//! gap: with `k = 8` real decisions, a change point lands inside the execution with
//! probability 8/32, and a depth-3 bug needs two. Where `k` is above 32 anyway
//! (window noise=20) the two agree. shuttle's `k` counts its own scheduling decisions, which
//! its runtime makes at more places than weft-sim's for the same program, so its numbers are
//! not expected to equal weft's.

use std::sync::Arc;

use weft_core::backend::shuttle as wshuttle;
use weft_core::sync::Atomic;
use weft_core::Runtime;
use weft_sim::{Config, Sim, StrategyKind};

const BUDGET: u64 = 10_000;
/// Seeds 1..=SEEDS, unless the first argument names another count.
const SEEDS: u64 = 10;

/// Lost update (depth 2): two tasks load then store; `noise` atomic operations before.
async fn lost_update<R: Runtime>(rt: R, noise: usize) {
    let a = Arc::new(Atomic::new(&rt, 0u32));
    let scratch = Arc::new(Atomic::new(&rt, 0u32));
    let mut hs = Vec::new();
    for i in 0..2 {
        let (a, s) = (a.clone(), scratch.clone());
        hs.push(rt.spawn(&format!("inc{i}"), async move {
            for _ in 0..noise {
                s.load().await;
            }
            let v = a.load().await;
            a.store(v + 1).await;
        }));
    }
    for h in hs {
        h.join().await;
    }
    assert_eq!(a.load().await, 2, "lost update");
}

/// Window (depth 3): `raise` stores 1 then 0, `watch` loads twice and fails on 1 then 0;
/// each task first makes `noise` operations on an atomic of its own.
async fn window<R: Runtime>(rt: R, noise: usize) {
    let flag = Arc::new(Atomic::new(&rt, 0u8));
    let (f, s1, s2) = (
        flag.clone(),
        Arc::new(Atomic::new(&rt, 0u8)),
        Arc::new(Atomic::new(&rt, 0u8)),
    );
    let raise = rt.spawn("raise", async move {
        for _ in 0..noise {
            s1.load().await;
        }
        f.store(1).await;
        f.store(0).await;
    });
    let watch = rt.spawn("watch", async move {
        for _ in 0..noise {
            s2.load().await;
        }
        let first = flag.load().await;
        let second = flag.load().await;
        assert!(!(first == 1 && second == 0), "saw the window");
    });
    raise.join().await;
    watch.join().await;
}

/// Ordering (depth 3): three tasks, `c` fails if it runs after `b` but `b` ran before `a`
/// finished its two steps; `noise` extra tasks make operations of their own.
async fn three_tasks<R: Runtime>(rt: R, noise: usize) {
    let x = Arc::new(Atomic::new(&rt, 0u32));
    let mut hs = Vec::new();
    let xa = x.clone();
    hs.push(rt.spawn("a", async move {
        xa.store(1).await;
        xa.store(2).await;
    }));
    let xb = x.clone();
    hs.push(rt.spawn("b", async move {
        if xb.load().await == 1 {
            xb.store(10).await;
        }
    }));
    let xc = x.clone();
    hs.push(rt.spawn("c", async move {
        assert_ne!(xc.load().await, 10, "b saw a's first step only");
    }));
    for i in 0..noise {
        let s = Arc::new(Atomic::new(&rt, 0u8));
        hs.push(rt.spawn(&format!("noise{i}"), async move {
            for _ in 0..4 {
                s.load().await;
            }
        }));
    }
    for h in hs {
        h.join().await;
    }
}

fn weft(depth: usize, seed: u64, body: fn(weft_sim::SimRuntime) -> Fut) -> Option<u64> {
    let config = Config::default()
        .strategy(StrategyKind::pct(depth).unwrap())
        .seed(seed)
        .iterations(BUDGET)
        .summary(false)
        .progress(None);
    match Sim::new(config).run(body) {
        Ok(_) => None,
        Err(e) => Some(e.failure().expect("a failure").execution),
    }
}

type Fut = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

fn shuttle(depth: usize, seed: u64, body: fn(wshuttle::ShuttleRuntime) -> Fut) -> Option<u64> {
    match wshuttle::try_check_pct(body, seed, BUDGET as usize, depth) {
        Ok(_) => None,
        Err(found) => Some(found.execution),
    }
}

fn row(name: &str, counts: Vec<Option<u64>>) {
    let found: Vec<u64> = counts.iter().flatten().copied().collect();
    let mean = if found.is_empty() {
        "-".to_string()
    } else {
        format!(
            "{:.1}",
            found.iter().sum::<u64>() as f64 / found.len() as f64
        )
    };
    let cells: Vec<String> = counts
        .iter()
        .map(|c| c.map_or("-".into(), |n| n.to_string()))
        .collect();
    println!(
        "{name:<18} found {:>3}/{}  mean {mean:>8}  [{}]",
        found.len(),
        counts.len(),
        cells[..cells.len().min(10)].join(" ")
    );
}

macro_rules! program {
    ($f:ident, $noise:expr) => {
        (
            concat!(stringify!($f), " noise=", stringify!($noise)),
            (|rt| Box::pin($f(rt, $noise)) as Fut) as fn(weft_sim::SimRuntime) -> Fut,
            (|rt| Box::pin($f(rt, $noise)) as Fut) as fn(wshuttle::ShuttleRuntime) -> Fut,
        )
    };
}

fn main() {
    let seeds: u64 = match std::env::args().nth(1) {
        Some(n) => n.parse().expect("SEEDS: a number"),
        None => SEEDS,
    };
    let programs = [
        (2, program!(lost_update, 0)),
        (2, program!(lost_update, 10)),
        (3, program!(window, 0)),
        (3, program!(window, 5)),
        (3, program!(window, 20)),
        (3, program!(three_tasks, 0)),
        (3, program!(three_tasks, 3)),
    ];
    for (depth, (name, sim_body, shuttle_body)) in programs {
        println!("{name} (pct depth {depth})");
        row(
            "  weft-sim pct",
            (1..=seeds).map(|s| weft(depth, s, sim_body)).collect(),
        );
        row(
            "  shuttle pct",
            (1..=seeds)
                .map(|s| shuttle(depth, s, shuttle_body))
                .collect(),
        );
    }
}
