//! The linearizability checker (`weft_core::linearizability::check`) on generated histories.
//!
//! - `register/{n}ops_{c}clients/{ok,stale}`: a register history of `n` operations by `c`
//!   clients, each taking effect at its response (linearizable), or with one read after half
//!   the operations, invoked after a write returned, answering the initial value (`stale`: the
//!   check finds it and shrinks the witness, which is part of the timed call).
//! - `queue/{n}ops_{c}clients/{ok,stale}`: a FIFO queue history in the same manner (`stale`:
//!   one dequeue after half the operations answers a value already dequeued).
//!
//! The verdict of each case is printed once, from a probe with a budget of `PROBE_STEPS`; a
//! case inconclusive within it is reported and not timed. Since the search tries the
//! candidate with the earliest response first, every linearizable queue case is decided (the
//! 100-operation one with 4 clients had no verdict after 50M steps when it tried them in
//! invocation order); `queue/1000ops_4clients/stale` is not: proving that no linearization
//! exists explores every one the memo cannot merge.
//! Histories come from a fixed xorshift seed.

use std::collections::VecDeque;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use weft_core::linearizability::{
    check, Checker, History, Queue, QueueOp, QueueRet, Register, RegisterOp, RegisterRet,
    SequentialSpec, Verdict,
};

/// A fixed-seed xorshift64 stream.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A register history of `n` operations by `clients` clients (unique written values); with
/// `stale`, the first read answered after `n / 2` responses and invoked after some write had
/// returned answers the initial value 0 (which nothing writes: not linearizable).
fn register_history(n: usize, clients: usize, stale: bool) -> History<Register<i64>> {
    let mut rng = Xorshift(0x2545_f491_4f6c_dd1d);
    let mut b = History::builder();
    let mut value = 0i64;
    // Per client: the open operation and whether a write had returned when it was invoked.
    let mut open: Vec<Option<(RegisterOp<i64>, bool)>> = vec![None; clients];
    let (mut invoked, mut answered, mut injected, mut written) = (0, 0, !stale, false);
    while answered < n {
        let c = (rng.next() % clients as u64) as usize;
        match open[c].take() {
            None if invoked < n => {
                let op = if rng.next().is_multiple_of(2) {
                    RegisterOp::Read
                } else {
                    RegisterOp::Write(invoked as i64 + 1)
                };
                b.invoke(c, op.clone());
                open[c] = Some((op, written));
                invoked += 1;
            }
            None => {}
            Some((RegisterOp::Write(v), _)) => {
                value = v;
                written = true;
                b.respond(c, RegisterRet::Ok);
                answered += 1;
            }
            Some((RegisterOp::Read, after_a_write)) => {
                let seen = if !injected && answered >= n / 2 && after_a_write {
                    injected = true;
                    0
                } else {
                    value
                };
                b.respond(c, RegisterRet::Value(seen));
                answered += 1;
            }
        }
    }
    b.build().expect("well formed")
}

/// A queue history of `n` operations by `clients` clients (unique values enqueued); with
/// `stale`, the first dequeue answered after `n / 2` responses and invoked after an earlier
/// dequeue of a value had returned answers that value again (not linearizable).
fn queue_history(n: usize, clients: usize, stale: bool) -> History<Queue<u32>> {
    let mut rng = Xorshift(0x9e37_79b9_7f4a_7c15);
    let mut b = History::builder();
    let mut queue: VecDeque<u32> = VecDeque::new();
    // Per client: the open operation and the last value dequeued when it was invoked.
    let mut open: Vec<Option<(QueueOp<u32>, Option<u32>)>> = vec![None; clients];
    let (mut invoked, mut answered, mut injected) = (0, 0, !stale);
    let mut last_dequeued: Option<u32> = None;
    while answered < n {
        let c = (rng.next() % clients as u64) as usize;
        match open[c].take() {
            None if invoked < n => {
                let op = if rng.next().is_multiple_of(2) {
                    QueueOp::Dequeue
                } else {
                    QueueOp::Enqueue(invoked as u32 + 1)
                };
                b.invoke(c, op.clone());
                open[c] = Some((op, last_dequeued));
                invoked += 1;
            }
            None => {}
            Some((QueueOp::Enqueue(v), _)) => {
                queue.push_back(v);
                b.respond(c, QueueRet::Ok);
                answered += 1;
            }
            Some((QueueOp::Dequeue, before)) => {
                let got = match before {
                    Some(v) if !injected && answered >= n / 2 => {
                        injected = true;
                        Some(v)
                    }
                    _ => queue.pop_front(),
                };
                if got.is_some() {
                    last_dequeued = got;
                }
                b.respond(c, QueueRet::Dequeued(got));
                answered += 1;
            }
        }
    }
    b.build().expect("well formed")
}

fn kind<S: SequentialSpec>(v: &Verdict<S>) -> String {
    match v {
        Verdict::NotLinearizable(w) => format!(
            "not linearizable, witness of {} ops (from {})",
            w.history.len(),
            w.original_len
        ),
        other if other.is_linearizable() => "linearizable".to_string(),
        other => format!("{other}"),
    }
}

/// The probe's budget: a case whose check is inconclusive within it is reported, not timed.
const PROBE_STEPS: u64 = 2_000_000;

fn bench_case<S: SequentialSpec>(
    c: &mut Criterion,
    group: &str,
    id: &str,
    spec: &S,
    h: &History<S>,
) {
    let probe = Checker::new().max_steps(PROBE_STEPS).check(spec, h);
    eprintln!("{group}/{id}: {}", kind(&probe));
    if matches!(probe, Verdict::Inconclusive { .. }) {
        eprintln!("{group}/{id}: not timed (inconclusive within {PROBE_STEPS} steps)");
        return;
    }
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Elements(h.len() as u64));
    g.bench_with_input(BenchmarkId::from_parameter(id), h, |b, h| {
        b.iter(|| check(spec, h))
    });
    g.finish();
}

fn register(c: &mut Criterion) {
    for n in [100, 1_000, 10_000] {
        for clients in [4, 8] {
            for stale in [false, true] {
                let id = format!(
                    "{n}ops_{clients}clients/{}",
                    if stale { "stale" } else { "ok" }
                );
                let h = register_history(n, clients, stale);
                bench_case(c, "register", &id, &Register::new(0), &h);
            }
        }
    }
}

fn queue(c: &mut Criterion) {
    for n in [100, 1_000] {
        for clients in [2, 4] {
            for stale in [false, true] {
                let id = format!(
                    "{n}ops_{clients}clients/{}",
                    if stale { "stale" } else { "ok" }
                );
                let h = queue_history(n, clients, stale);
                bench_case(c, "queue", &id, &Queue::new(), &h);
            }
        }
    }
}

criterion_group!(benches, register, queue);
criterion_main!(benches);
