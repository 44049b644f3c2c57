//! The witness is a minimal non-linearizable sub-history.

use weft_core::linearizability::{check, Register, RegisterOp, RegisterRet, Verdict};

use crate::support::{linearizable, not_linearizable, register_history};

#[test]
fn generated_histories_are_linearizable() {
    for clients in [2, 4, 8] {
        linearizable(&Register::new(0), &register_history(300, clients, None));
    }
}

#[test]
fn the_witness_of_a_long_history_is_small_and_1_minimal() {
    let h = register_history(400, 4, Some(250));
    let spec = Register::new(0);
    let w = not_linearizable(&spec, &h);
    assert!(w.history.len() <= 6, "{}", w.report());
    assert_eq!(w.original_len, 400);
    // Every witness operation comes from the history (same client, operation and call time;
    // answered as in the history, or made pending by the prefix).
    for o in w.history.ops() {
        let orig = h
            .ops()
            .iter()
            .find(|p| p.call == o.call)
            .expect("from the history");
        assert_eq!((orig.client, &orig.op), (o.client, &o.op));
        assert!(o.ret.is_none() || o.ret == orig.ret);
    }
    // 1-minimal as documented: removing any one operation makes it linearizable, or leaves
    // a read of a value no remaining operation writes (the removed write was its cause).
    for i in 0..w.history.len() {
        let keep: Vec<usize> = (0..w.history.len()).filter(|&j| j != i).collect();
        let sub = w.history.subset(&keep);
        let explained_a_read = match &w.history.ops()[i].op {
            RegisterOp::Write(v) => sub.ops().iter().any(|o| {
                o.ret
                    .as_ref()
                    .is_some_and(|(_, r)| *r == RegisterRet::Value(*v))
                    && !sub.ops().iter().any(|p| p.op == RegisterOp::Write(*v))
            }),
            RegisterOp::Read => false,
        };
        assert!(
            explained_a_read || matches!(check(&spec, &sub), Verdict::Linearizable),
            "removing operation {i} keeps it failing:\n{}",
            w.report()
        );
    }
    assert!(!w.unordered().is_empty());
}

#[test]
fn shrinking_is_deterministic() {
    let h = register_history(300, 8, Some(120));
    let a = not_linearizable(&Register::new(0), &h).report();
    let b = not_linearizable(&Register::new(0), &h).report();
    assert_eq!(a, b);
}
