//! A failure travels as a value from `Runtime::fail` to `Failure`: its kind, oracle and site
//! are fields, never recovered from text; a panic of the model's own is a panic whatever its
//! message says.

use std::panic::Location;

use weft_core::{FailureKind, Fault, OracleId, Runtime};
use weft_sim::{Config, Sim, SimRuntime};

const LIMIT: OracleId = OracleId::new("group-limit");

#[test]
fn an_oracle_fault_keeps_its_oracle_and_site() {
    let site = Location::caller();
    let err = Sim::new(Config::default())
        .run(move |rt: SimRuntime| async move {
            rt.fail(Fault::oracle(LIMIT, "3 members, limit 2").at(site));
        })
        .unwrap_err();
    let f = err.failure().unwrap();
    assert_eq!(f.kind, FailureKind::Assertion, "{f}");
    assert_eq!(f.oracle, Some(LIMIT));
    assert_eq!(f.site, Some(site));
    assert_eq!(f.message, "3 members, limit 2");
    assert_eq!(
        f.fault(),
        Fault::oracle(LIMIT, "3 members, limit 2").at(site)
    );
    assert!(
        f.to_string()
            .contains("\n  oracle group-limit: 3 members, limit 2\n"),
        "{f}"
    );
}

#[test]
fn a_panic_whose_text_looks_like_a_tag_is_a_panic() {
    let err = Sim::new(Config::default())
        .run(|_rt: SimRuntime| async move {
            panic!("[weft:deadlock] not really");
        })
        .unwrap_err();
    let f = err.failure().unwrap();
    assert_eq!(f.kind, FailureKind::Panic, "{f}");
    assert_eq!(f.oracle, None);
}
