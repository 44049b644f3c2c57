//! The simulator's own trace names the object each operation touched.

use std::time::Duration;

use weft_core::sync::Mutex;
use weft_core::Runtime;
use weft_sim::{Config, Sim};

#[test]
fn the_sims_trace_shows_each_operations_object() {
    let err = Sim::new(Config::default().iterations(1))
        .run(|rt| async move {
            let m = Mutex::new(&rt, 0);
            *m.lock().await += 1;
            rt.yield_now().await;
            rt.sleep(Duration::from_secs(1)).await;
            panic!("the end");
        })
        .unwrap_err();
    let trace = &err.failure().expect("a failure").trace_report();
    assert!(trace.contains("mutex.lock #1 at "), "{trace}");
    assert!(trace.contains("sleep #2 at "), "{trace}");
    // A yield touches nothing: no id.
    assert!(trace.contains("  yield_now at "), "{trace}");
    // The per-task line, compactly.
    assert!(
        trace.contains("mutex.lock #1 (trace_objects.rs:"),
        "{trace}"
    );
}
