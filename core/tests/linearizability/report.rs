//! The report fits one screen: at most 40 lines of 100 columns.

use weft_core::linearizability::{
    History, Register, RegisterOp::*, RegisterRet::*, Witness, LINEARIZABLE,
};
use weft_core::FailureKind;

use crate::support::{fits_one_screen, not_linearizable};

#[test]
fn a_lost_update_report_is_a_per_client_table() {
    let h = History::<Register<i32>>::builder()
        .invoke(0, Write(1))
        .invoke(1, Write(2))
        .respond(0, Ok)
        .respond(1, Ok)
        .call(2, Read, Value(1))
        .call(2, Read, Value(2))
        .build()
        .unwrap();
    let w = not_linearizable(&Register::new(0), &h);
    let r = w.report();
    println!("{r}");
    let lines: Vec<&str> = r.lines().collect();
    assert!(lines[0].starts_with("not linearizable: "), "{r}");
    assert!(
        lines[1].contains("client 0") && lines[1].contains("client 2"),
        "{r}"
    );
    assert!(
        r.contains("! Read -> Value(2)") || r.contains("! Read -> Value(1)"),
        "{r}"
    );
    assert!(r.contains("longest linearization: "), "{r}");
}

/// A witness rendered as is (not shrunk): `ops` operations by `clients` clients, each
/// writing a long string.
fn big_witness(ops: usize, clients: usize) -> Witness<Register<String>> {
    let mut b = History::<Register<String>>::builder();
    for i in 0..ops {
        b.invoke(i % clients, Write(format!("{i}-{}", "x".repeat(150))));
        if i % clients == clients - 1 {
            for c in 0..clients {
                b.respond(c, Ok);
            }
        }
    }
    Witness {
        partition: None,
        history: b.build().unwrap(),
        linearized: vec![0, 1],
        original_len: ops,
    }
}

#[test]
fn a_wide_witness_is_cut_to_100_columns() {
    let r = big_witness(120, 60).report();
    fits_one_screen(&r);
    assert!(r.lines().count() >= 30, "{r}");
}

#[test]
fn a_long_witness_is_cut_to_40_lines() {
    let r = big_witness(300, 4).report();
    fits_one_screen(&r);
    assert!(r.contains("... 266 more operations"), "{r}");
}

#[test]
fn a_failed_verdict_is_an_assertion_fault_naming_the_oracle() {
    let h = History::<Register<i32>>::builder()
        .call(0, Write(1), Ok)
        .call(1, Read, Value(0))
        .build()
        .unwrap();
    let v = weft_core::linearizability::check(&Register::new(0), &h);
    let f = v.fault(LINEARIZABLE).expect("a fault");
    assert_eq!(f.kind, FailureKind::Assertion);
    assert_eq!(f.oracle, Some(LINEARIZABLE));
    assert!(
        f.to_string()
            .starts_with("oracle linearizable: not linearizable"),
        "{f}"
    );
}
