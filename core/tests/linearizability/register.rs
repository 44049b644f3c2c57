//! Read/write and compare-and-set registers.

use weft_core::linearizability::{
    CasOp, CasRegister, CasRet, History, Register, RegisterOp::*, RegisterRet::*,
};

use crate::support::{linearizable, not_linearizable};

type R = Register<i32>;

#[test]
fn overlapping_write_and_reads_may_see_either_value() {
    // c0 writes 1 while c1 reads 0 and c2 reads 1: both reads overlap the write.
    let h = History::<R>::builder()
        .invoke(0, Write(1))
        .invoke(1, Read)
        .invoke(2, Read)
        .respond(2, Value(1))
        .respond(1, Value(0))
        .respond(0, Ok)
        .build()
        .unwrap();
    linearizable(&R::new(0), &h);
}

#[test]
fn a_stale_read_after_the_write_returned_is_not_linearizable() {
    let h = History::<R>::builder()
        .call(0, Write(1), Ok)
        .call(1, Read, Value(0))
        .build()
        .unwrap();
    let w = not_linearizable(&R::new(0), &h);
    assert_eq!(w.history.len(), 2);
    assert_eq!(w.unordered(), vec![1], "the stale read cannot be placed");
}

#[test]
fn new_old_inversion_is_not_linearizable() {
    // While c0's write of 1 is in flight, c1 reads 1 and then c2 reads 0 (after c1 returned).
    let h = History::<R>::builder()
        .invoke(0, Write(1))
        .call(1, Read, Value(1))
        .call(2, Read, Value(0))
        .respond(0, Ok)
        .build()
        .unwrap();
    not_linearizable(&R::new(0), &h);
}

#[test]
fn a_read_of_a_value_never_written_is_not_linearizable() {
    let h = History::<R>::builder()
        .call(0, Write(1), Ok)
        .call(0, Read, Value(7))
        .build()
        .unwrap();
    not_linearizable(&R::new(0), &h);
}

#[test]
fn the_empty_history_is_linearizable() {
    linearizable(&R::new(0), &History::<R>::builder().build().unwrap());
}

type C = CasRegister<i32>;

#[test]
fn concurrent_cas_one_wins() {
    let h = History::<C>::builder()
        .invoke(0, CasOp::Cas { expect: 0, new: 1 })
        .invoke(1, CasOp::Cas { expect: 0, new: 2 })
        .respond(1, CasRet::Cas(false))
        .respond(0, CasRet::Cas(true))
        .call(2, CasOp::Read, CasRet::Value(1))
        .build()
        .unwrap();
    linearizable(&C::new(0), &h);
}

#[test]
fn a_lost_update_two_cas_from_the_same_value_both_win() {
    let h = History::<C>::builder()
        .invoke(0, CasOp::Cas { expect: 0, new: 1 })
        .invoke(1, CasOp::Cas { expect: 0, new: 2 })
        .respond(1, CasRet::Cas(true))
        .respond(0, CasRet::Cas(true))
        .call(2, CasOp::Read, CasRet::Value(2))
        .build()
        .unwrap();
    let w = not_linearizable(&C::new(0), &h);
    // Minimal: the two winning CASes alone cannot be ordered.
    assert_eq!(w.history.len(), 2, "{}", w.report());
    assert!(w
        .history
        .ops()
        .iter()
        .all(|o| matches!(o.op, CasOp::Cas { .. })));
}

#[test]
fn a_failed_cas_must_see_a_different_value() {
    // c0's CAS fails though the register held its expected value throughout.
    let h = History::<C>::builder()
        .call(1, CasOp::Write(5), CasRet::Ok)
        .call(0, CasOp::Cas { expect: 5, new: 6 }, CasRet::Cas(false))
        .build()
        .unwrap();
    not_linearizable(&C::new(0), &h);
}
