//! Per-key partitioning.

use weft_core::linearizability::{
    check, Checker, History, Keyed, Register, RegisterOp::*, RegisterRet::*, Verdict,
};

use crate::support::{linearizable, not_linearizable};

type K = Keyed<&'static str, Register<i32>>;

fn spec() -> K {
    Keyed::new(Register::new(0))
}

#[test]
fn keys_are_independent() {
    // Sequentially, c1 reads 0 at key b after c0 wrote 1 at key a: fine.
    let h = History::<K>::builder()
        .call(0, ("a", Write(1)), Ok)
        .call(1, ("b", Read), Value(0))
        .call(1, ("a", Read), Value(1))
        .build()
        .unwrap();
    linearizable(&spec(), &h);
}

#[test]
fn the_witness_names_the_failing_key_and_holds_only_its_operations() {
    let h = History::<K>::builder()
        .call(0, ("a", Write(1)), Ok)
        .call(1, ("b", Write(2)), Ok)
        .call(2, ("a", Read), Value(1))
        .call(2, ("b", Read), Value(0))
        .build()
        .unwrap();
    let w = not_linearizable(&spec(), &h);
    assert_eq!(w.partition, Some("b"));
    assert_eq!(
        w.original_len, 2,
        "only key b's operations were checked together"
    );
    assert!(w.history.ops().iter().all(|o| o.op.0 == "b"));
    assert!(w.report().contains("partition \"b\""), "{}", w.report());
}

#[test]
fn partitioning_makes_wide_histories_cheap() {
    // 40 keys, each with 5 clients whose writes all overlap, then a read: unpartitioned,
    // 200 mutually concurrent writes; per key, 5.
    let mut b = History::<Keyed<u32, Register<i32>>>::builder();
    for k in 0..40u32 {
        for c in 0..5 {
            b.invoke(k as usize * 5 + c, (k, Write(c as i32 + 1)));
        }
    }
    for k in 0..40u32 {
        for c in 0..5 {
            b.respond(k as usize * 5 + c, Ok);
        }
        b.call(1000, (k, Read), Value(3));
    }
    let h = b.build().unwrap();
    let spec = Keyed::new(Register::new(0));
    // A budget far below what one unpartitioned search would need, enough for 40 small ones.
    let v = Checker::new().max_steps(10_000).check(&spec, &h);
    assert!(v.is_linearizable(), "{v}");
    assert!(check(&spec, &h).is_linearizable());
}

#[test]
fn an_exhausted_budget_is_inconclusive_not_a_verdict() {
    let mut b = History::<Register<i32>>::builder();
    for c in 0..12 {
        b.invoke(c, Write(c as i32));
    }
    for c in 0..12 {
        b.respond(c, Ok);
    }
    b.call(20, Read, Value(99));
    let h = b.build().unwrap();
    let v = Checker::new().max_steps(50).check(&Register::new(0), &h);
    assert!(
        matches!(v, Verdict::Inconclusive { max_steps: 50 }),
        "{v:?}"
    );
    assert!(v.fault(weft_core::linearizability::LINEARIZABLE).is_none());
}
