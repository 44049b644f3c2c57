//! Helpers shared by the test modules.

use weft_core::linearizability::{check, History, SequentialSpec, Witness, MAX_COLUMNS, MAX_LINES};

/// Asserts `h` is linearizable against `spec`.
pub fn linearizable<S: SequentialSpec>(spec: &S, h: &History<S>) {
    let v = check(spec, h);
    assert!(v.is_linearizable(), "expected linearizable, got:\n{v}");
}

/// Asserts `h` is not linearizable against `spec`, checks the report's size, and returns
/// the witness.
pub fn not_linearizable<S: SequentialSpec>(spec: &S, h: &History<S>) -> Witness<S> {
    let v = check(spec, h);
    let w = match v {
        weft_core::linearizability::Verdict::NotLinearizable(w) => *w,
        other => panic!("expected not linearizable, got {other:?}"),
    };
    fits_one_screen(&w.report());
    w
}

/// Asserts `report` fits the one-screen limits.
pub fn fits_one_screen(report: &str) {
    let lines: Vec<&str> = report.lines().collect();
    assert!(lines.len() <= MAX_LINES, "{} lines:\n{report}", lines.len());
    for l in &lines {
        assert!(l.chars().count() <= MAX_COLUMNS, "line too wide: {l:?}");
    }
}

/// A deterministic register history of `n` operations by `clients` clients, linearizable
/// (each operation takes effect at its response); with `stale_at`, the read answered at that
/// operation count returns the value before the last write instead.
pub fn register_history(
    n: usize,
    clients: usize,
    stale_at: Option<usize>,
) -> History<weft_core::linearizability::Register<i64>> {
    use weft_core::linearizability::{RegisterOp, RegisterRet};
    let mut b = History::builder();
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let (mut value, mut previous) = (0i64, 0i64);
    let mut open: Vec<Option<RegisterOp<i64>>> = vec![None; clients];
    let (mut invoked, mut answered) = (0, 0);
    while answered < n {
        let c = (next() % clients as u64) as usize;
        match open[c].take() {
            None if invoked < n => {
                let op = if next() % 2 == 0 {
                    RegisterOp::Read
                } else {
                    RegisterOp::Write(invoked as i64 + 1)
                };
                b.invoke(c, op.clone());
                open[c] = Some(op);
                invoked += 1;
            }
            None => {}
            Some(RegisterOp::Write(v)) => {
                (previous, value) = (value, v);
                b.respond(c, RegisterRet::Ok);
                answered += 1;
            }
            Some(RegisterOp::Read) => {
                let seen = if stale_at.is_some_and(|s| answered >= s) && previous != value {
                    let s = previous;
                    previous = value; // inject once
                    s
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
