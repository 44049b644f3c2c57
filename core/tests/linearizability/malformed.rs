//! Malformed input is a typed error with a one-line message, never a panic.

use weft_core::linearizability::{History, HistoryError, Register, RegisterOp::*, RegisterRet::*};

type R = Register<i32>;

fn one_line(e: &HistoryError) {
    let text = e.to_string();
    assert!(
        !text.contains('\n') && text.starts_with("malformed history: "),
        "{text}"
    );
}

#[test]
fn a_response_without_an_invocation() {
    let e = History::<R>::builder()
        .call(0, Write(1), Ok)
        .respond(1, Value(1))
        .build()
        .unwrap_err();
    assert_eq!(
        e,
        HistoryError::ResponseWithoutInvocation { client: 1, at: 2 }
    );
    one_line(&e);
}

#[test]
fn a_second_response() {
    let e = History::<R>::builder()
        .call(0, Write(1), Ok)
        .respond(0, Ok)
        .build()
        .unwrap_err();
    assert_eq!(
        e,
        HistoryError::ResponseWithoutInvocation { client: 0, at: 2 }
    );
}

#[test]
fn a_second_invocation_while_one_is_open() {
    let e = History::<R>::builder()
        .invoke(0, Write(1))
        .invoke(1, Read)
        .invoke(0, Read)
        .respond(0, Ok)
        .build()
        .unwrap_err();
    assert_eq!(
        e,
        HistoryError::SecondInvocation {
            client: 0,
            at: 2,
            open_since: 0
        }
    );
    one_line(&e);
}
