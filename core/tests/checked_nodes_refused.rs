//! loom and shuttle cannot model nodes: a model that starts one fails its execution with a
//! one-line refusal (the check layer refuses such scenarios before they run); they inject no
//! faults (no budget, a crash point is a no-op).

use weft_core::backend::{loom, shuttle};
use weft_core::faults::FaultKind;
use weft_core::node::NodeSpec;
use weft_core::{FailureKind, Runtime};

async fn starts_a_node<R: Runtime>(rt: R) {
    assert!(rt.budget().is_zero());
    assert_eq!(rt.fault(FaultKind::Crash, 1), None);
    rt.crash_point("p").await;
    rt.start_node(NodeSpec::new("s1", || Box::pin(async {})));
}

fn one_line_refusal(fault: &weft_core::Fault, backend: &str) {
    assert_eq!(fault.kind, FailureKind::Panic);
    let text = fault.to_string();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.contains(&format!("backend {backend} cannot model node \"s1\"")),
        "{text}"
    );
}

#[test]
fn loom_refuses_a_node_with_one_line() {
    let found = loom::try_model(starts_a_node).unwrap_err();
    one_line_refusal(&found.fault, "loom");
}

#[test]
fn shuttle_refuses_a_node_with_one_line() {
    let found = shuttle::try_check_random(starts_a_node, 1, 10).unwrap_err();
    one_line_refusal(&found.fault, "shuttle");
}
