//! `weft list`: every scenario once, in order, and each scenario's declared oracles.

use serde_json::Value;

use crate::common::{stderr, stdout, weft};

const SCENARIOS: [&str; 47] = [
    "cortex/stop-before-run",
    "cortex/inhibitor-stop-ignored",
    "cortex/inhibit-order",
    "cortex/shutdown-vs-lazy-create",
    "cortex/group-limit",
    "cortex/groupfunc-dispatcher-read",
    "cortex/tenant-lifecycle",
    "consul/clone-race",
    "consul/alias-overlap",
    "consul/alias-no-reconcile",
    "consul/agent-restart",
    "consul/fix-combinations",
    "sct/atomicity",
    "sct/order-violation",
    "sct/lost-wakeup",
    "sct/abba-deadlock",
    "sct/dining-philosophers",
    "sct/bounded-buffer",
    "sct/rwlock-upgrade",
    "sct/double-checked-locking",
    "sct/aba-stack",
    "sct/work-stealing",
    "sct/seqlock-torn-read",
    "sct/bounded-retry",
    "sct/pool-overflow",
    "sct/data-choice",
    "sct/timeout-race",
    "sct/wait-group-misuse",
    "canary/wal-ack-before-durable",
    "canary/lease-lock-no-fencing",
    "canary/replica-read-lag",
    "canary/retry-duplicate-apply",
    "mimir/r1-blind-overwrite",
    "mimir/r2-check-then-put",
    "mimir/r3-bypass",
    "mimir/r4-lock-leak",
    "mimir/r5-holder-crash",
    "mimir/r6-double-steal",
    "mimir/r7-slow-holder",
    "mimir/r8-clock-skew",
    "mimir/r9-ambiguous-acquire",
    "mimir/r10-stale-read",
    "mimir/r11-blind-retry",
    "mimir/r12-lost-response",
    "mimir/r13-divergent-etag",
    "mimir/r14-ignored-condition",
    "mimir/protocol-matrix",
];

#[test]
fn list_names_every_scenario_once() {
    let o = weft(&["list", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let names: Vec<String> = stdout(&o)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["name"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(names, SCENARIOS);
}

/// `weft list --format json` shows each scenario's declared oracles, by name.
#[test]
fn list_json_shows_each_scenarios_oracles() {
    let o = weft(&["list", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for line in stdout(&o).lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let info = weft_models::registry::find(v["name"].as_str().unwrap()).unwrap();
        let declared: Vec<&str> = info.oracles.iter().map(|o| o.name()).collect();
        assert_eq!(v["oracles"], serde_json::json!(declared), "{line}");
    }
    let group_limit = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| v["name"] == "cortex/group-limit")
        .unwrap();
    assert_eq!(group_limit["oracles"], serde_json::json!(["group-limit"]));
}
