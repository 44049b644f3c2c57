//! The versioned register of the ETag / If-Match config store
//! (`shared/specs/config-concurrency.md` §6 O1 (c)).

use weft_core::linearizability::{
    History, Precondition::*, VersionedOp::*, VersionedRegister, VersionedRet::*,
};

use crate::support::{linearizable, not_linearizable};

type V = VersionedRegister<&'static str>;

#[test]
fn two_conditional_writes_from_one_version_one_gets_412() {
    let h = History::<V>::builder()
        .call(
            0,
            Write {
                value: "a",
                when: Absent,
            },
            Written(1),
        )
        .call(1, Read, Value(Some(("a", 1))))
        .call(2, Read, Value(Some(("a", 1))))
        .invoke(
            1,
            Write {
                value: "b",
                when: Match(1),
            },
        )
        .invoke(
            2,
            Write {
                value: "c",
                when: Match(1),
            },
        )
        .respond(2, PreconditionFailed)
        .respond(1, Written(2))
        .call(0, Read, Value(Some(("b", 2))))
        .build()
        .unwrap();
    linearizable(&V::new(), &h);
}

#[test]
fn a_lost_update_both_conditional_writes_succeed() {
    let h = History::<V>::builder()
        .call(
            0,
            Write {
                value: "a",
                when: Absent,
            },
            Written(1),
        )
        .invoke(
            1,
            Write {
                value: "b",
                when: Match(1),
            },
        )
        .invoke(
            2,
            Write {
                value: "c",
                when: Match(1),
            },
        )
        .respond(2, Written(2))
        .respond(1, Written(3))
        .build()
        .unwrap();
    let w = not_linearizable(&V::new(), &h);
    assert!(w.history.len() <= 3, "{}", w.report());
}

#[test]
fn a_timed_out_write_may_have_been_applied() {
    // §2.1: Unknown (timeout) may or may not have applied: both continuations pass.
    for seen in [Value(Some(("b", 2))), Value(Some(("a", 1)))] {
        let h = History::<V>::builder()
            .call(
                0,
                Write {
                    value: "a",
                    when: Always,
                },
                Written(1),
            )
            .invoke(
                1,
                Write {
                    value: "b",
                    when: Match(1),
                },
            )
            .call(0, Read, seen)
            .build()
            .unwrap();
        linearizable(&V::new(), &h);
    }
}

#[test]
fn deletes_and_recreation() {
    let h = History::<V>::builder()
        .call(
            0,
            Write {
                value: "a",
                when: Absent,
            },
            Written(1),
        )
        .call(0, Delete { when: Match(1) }, Deleted)
        .call(1, Delete { when: Always }, NotFound)
        .call(
            1,
            Write {
                value: "b",
                when: Match(1),
            },
            PreconditionFailed,
        )
        .call(
            1,
            Write {
                value: "b",
                when: Absent,
            },
            Written(2),
        )
        .build()
        .unwrap();
    linearizable(&V::new(), &h);
}
