//! The network (`weft_core::net`) under weft-sim: delivery is a scheduling event (two messages
//! in flight arrive in either order), and each fault of the budget (partition, loss, delay,
//! ambiguous outcome) is a decision DFS explores exactly: every outcome it allows is reached,
//! and none it does not. A message outlives its sender's crash; a crashed node's inbox loses
//! what arrives until a new incarnation binds it. Calls time out on the caller's clock.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use weft_core::faults::{Budget, FaultKind};
use weft_core::net::rpc::{CallError, RpcNetwork};
use weft_core::net::{Addr, Network};
use weft_core::node::{Clocks, NodeSpec};
use weft_core::time::timeout;
use weft_core::{FailureKind, Runtime};
use weft_sim::{Config, Sim, SimRuntime, StrategyKind};

/// The outcomes a run collects, one per execution.
type Seen<T> = Arc<StdMutex<BTreeSet<T>>>;

/// Every outcome `strategy` reaches under `budget`, and its executions; the run must exhaust
/// clean.
fn explore<T, F, Fut>(strategy: StrategyKind, budget: Budget, body: &F) -> (BTreeSet<T>, u64)
where
    T: Ord + Send + 'static,
    F: Fn(SimRuntime, Seen<T>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let seen = Arc::new(StdMutex::new(BTreeSet::new()));
    let config = Config::default()
        .strategy(strategy)
        .iterations(100_000)
        .faults(budget);
    let report = Sim::new(config)
        .run(|rt| body(rt, seen.clone()))
        .expect("runs clean");
    assert_eq!(report.exhausted, Some(true), "{strategy}");
    let seen = std::mem::take(&mut *seen.lock().unwrap());
    (seen, report.executions)
}

/// Every outcome DFS reaches under `budget`. DPOR, which explores the network's faults as
/// data choices of the steps that meet them, must reach exactly the same outcomes, in no more
/// executions.
fn outcomes<T, F, Fut>(budget: Budget, body: F) -> BTreeSet<T>
where
    T: Ord + Send + std::fmt::Debug + 'static,
    F: Fn(SimRuntime, Seen<T>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (dfs, dfs_runs) = explore(StrategyKind::Dfs, budget, &body);
    let (dpor, dpor_runs) = explore(StrategyKind::Dpor, budget, &body);
    assert_eq!(dpor, dfs, "dpor reaches what dfs does");
    assert!(dpor_runs <= dfs_runs, "dpor {dpor_runs}, dfs {dfs_runs}");
    dfs
}

/// `a` and `b` each send one message to `c`, which records the arrival order.
async fn two_senders(rt: SimRuntime, seen: Seen<Vec<String>>) {
    let net: Network<SimRuntime, u32> = Network::new(&rt);
    let mut c = net.bind("c");
    let (a, b) = (net.bind("a"), net.bind("b"));
    a.send("c", 1);
    b.send("c", 2);
    let mut order = Vec::new();
    for _ in 0..2 {
        let m = c.recv().await.unwrap();
        order.push(format!("{}:{}", m.from, m.msg));
    }
    seen.lock().unwrap().insert(order);
}

#[test]
fn two_messages_in_flight_arrive_in_either_order() {
    let seen = outcomes(Budget::NONE, two_senders);
    let want: BTreeSet<Vec<String>> = [vec!["a:1", "b:2"], vec!["b:2", "a:1"]]
        .into_iter()
        .map(|v| v.into_iter().map(String::from).collect())
        .collect();
    assert_eq!(seen, want);
}

/// `a` sends 1 then 2 to `b`; `b` waits up to 5 s for each. The outcome: what arrived, in
/// order, with the time of each arrival in seconds.
async fn one_link(rt: SimRuntime, seen: Seen<Vec<(u32, u64)>>) {
    let net: Network<SimRuntime, u32> = Network::new(&rt);
    let mut b = net.bind("b");
    let a = net.bind("a");
    a.send("b", 1);
    a.send("b", 2);
    let mut got = Vec::new();
    while let Ok(Some(m)) = timeout(&rt, Duration::from_secs(20), b.recv()).await {
        got.push((m.msg, rt.now().since_epoch().as_secs()));
    }
    seen.lock().unwrap().insert(got);
}

fn set<T: Ord + Clone>(items: &[T]) -> BTreeSet<T> {
    items.iter().cloned().collect()
}

#[test]
fn without_a_budget_every_message_arrives_at_once_in_either_order() {
    let seen = outcomes(Budget::NONE, one_link);
    assert_eq!(seen, set(&[vec![(1, 0), (2, 0)], vec![(2, 0), (1, 0)]]));
}

#[test]
fn one_loss_loses_either_message_or_none() {
    let seen = outcomes(Budget::NONE.with(FaultKind::Loss, 1), one_link);
    assert_eq!(
        seen,
        set(&[
            vec![(1, 0), (2, 0)],
            vec![(2, 0), (1, 0)],
            vec![(1, 0)],
            vec![(2, 0)],
        ])
    );
}

#[test]
fn one_delay_makes_either_message_arrive_ten_seconds_late() {
    let seen = outcomes(Budget::NONE.with(FaultKind::Delay, 1), one_link);
    assert_eq!(
        seen,
        set(&[
            vec![(1, 0), (2, 0)],
            vec![(2, 0), (1, 0)],
            vec![(1, 0), (2, 10)],
            vec![(2, 0), (1, 10)],
        ])
    );
}

#[test]
fn a_partition_cuts_the_link_for_every_later_message_until_it_heals() {
    // The first message to reach the wire's decision may cut the link: then the other is lost
    // too, without a decision of its own (one partition in the budget is enough).
    let seen = outcomes(Budget::NONE.with(FaultKind::Partition, 1), one_link);
    assert_eq!(
        seen,
        set(&[
            vec![(1, 0), (2, 0)],
            vec![(2, 0), (1, 0)],
            vec![(1, 0)],
            vec![(2, 0)],
            vec![],
        ])
    );
}

/// After a partition heals (10 s), the link carries messages again: the first message cut
/// off, the second, sent 15 s later, arrives (`[2]`). (`[1]` is the second message's own
/// partition.)
#[test]
fn a_partition_heals() {
    let seen = outcomes(
        Budget::NONE.with(FaultKind::Partition, 1),
        |rt: SimRuntime, seen: Seen<Vec<u32>>| async move {
            let net: Network<SimRuntime, u32> = Network::new(&rt);
            let mut b = net.bind("b");
            let a = net.bind("a");
            a.send("b", 1);
            let first = timeout(&rt, Duration::from_secs(5), b.recv()).await;
            rt.sleep(Duration::from_secs(10)).await;
            a.send("b", 2);
            let second = timeout(&rt, Duration::from_secs(5), b.recv()).await;
            let got = [first, second]
                .into_iter()
                .filter_map(|m| m.ok().flatten().map(|m| m.msg))
                .collect();
            seen.lock().unwrap().insert(got);
        },
    );
    assert_eq!(seen, set(&[vec![1, 2], vec![1], vec![2]]));
}

/// A node sends, then crashes in the same step: its message is on the wire and arrives. A
/// message sent to it while it is down is lost; its next incarnation binds the address again
/// and receives what arrives after that.
#[test]
fn messages_outlive_their_senders_crash_and_a_restart_binds_again() {
    // DFS only: DPOR does not follow a node's restart yet (the new incarnation is spawned
    // between steps, by no actor it knows).
    let (seen, _) = explore(StrategyKind::Dfs, Budget::NONE, &|rt: SimRuntime,
                                                               seen: Seen<
        Vec<String>,
    >| async move {
        let net: Network<SimRuntime, String> = Network::new(&rt);
        let mut client = net.bind("client");
        let spec = {
            let (rt, net) = (rt, net.clone());
            NodeSpec::new("server", move || {
                let (rt, net) = (rt, net.clone());
                Box::pin(async move {
                    let mut ep = net.bind("server");
                    ep.send(
                        "client",
                        format!("up at {}", rt.now().since_epoch().as_secs()),
                    );
                    if rt.now().since_epoch().is_zero() {
                        rt.crash(rt.current_node().unwrap());
                        return;
                    }
                    while let Some(m) = ep.recv().await {
                        ep.send("client", format!("echo {}", m.msg));
                    }
                })
            })
            .restart_after(Duration::from_secs(2))
        };
        rt.start_node(spec);
        let mut got = Vec::new();
        // Sent while the server is down: lost.
        rt.sleep(Duration::from_secs(1)).await;
        client.send("server", "lost".to_string());
        rt.sleep(Duration::from_secs(2)).await;
        client.send("server", "kept".to_string());
        while let Ok(Some(m)) = timeout(&rt, Duration::from_secs(5), client.recv()).await {
            got.push(m.msg);
        }
        seen.lock().unwrap().insert(got);
    });
    assert_eq!(
        seen,
        set(&[vec!["up at 0", "up at 2", "echo kept"]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()])
    );
}

/// A counter server; the client calls `add 1` once with a 3 s timeout. The outcome: what the
/// call returned, and how many adds the server applied.
async fn one_call(rt: SimRuntime, seen: Seen<(Result<u32, CallError>, u32)>) {
    let net: RpcNetwork<SimRuntime, u32, u32> = Network::new(&rt);
    let applied = Arc::new(StdMutex::new(0u32));
    {
        let (net, applied) = (net.clone(), applied.clone());
        rt.start_node(NodeSpec::new("server", move || {
            let mut server = net.bind("server");
            let applied = applied.clone();
            Box::pin(async move {
                while let Some(req) = server.recv().await {
                    let total = {
                        let mut n = applied.lock().unwrap();
                        *n += req.msg.body;
                        *n
                    };
                    req.msg.respond(total);
                }
            })
        }));
    }
    let client = net.bind("client");
    let answer = client.call("server", 1, Duration::from_secs(3)).await;
    // Long enough for a late request to be applied.
    rt.sleep(Duration::from_secs(30)).await;
    let applied = *applied.lock().unwrap();
    seen.lock().unwrap().insert((answer, applied));
}

#[test]
fn a_lost_request_or_response_leaves_the_caller_timed_out_either_way() {
    let seen = outcomes(Budget::NONE.with(FaultKind::Loss, 1), one_call);
    assert_eq!(
        seen,
        set(&[
            (Ok(1), 1),
            (Err(CallError::TimedOut), 0),
            (Err(CallError::TimedOut), 1)
        ])
    );
}

#[test]
fn a_delayed_request_is_applied_after_its_caller_gave_up() {
    let seen = outcomes(Budget::NONE.with(FaultKind::Delay, 1), one_call);
    assert_eq!(seen, set(&[(Ok(1), 1), (Err(CallError::TimedOut), 1)]));
}

#[test]
fn an_ambiguous_outcome_is_applied_or_not() {
    let seen = outcomes(Budget::NONE.with(FaultKind::Ambiguous, 1), one_call);
    assert_eq!(
        seen,
        set(&[
            (Ok(1), 1),
            (Err(CallError::Ambiguous), 0),
            (Err(CallError::Ambiguous), 1)
        ])
    );
}

/// A call's timeout is measured on the caller's clock: on a node whose clocks run fast by
/// 1e-3, a 1 s timeout fires when the runtime's clock has advanced 1/1.001 s (rounded up to a
/// nanosecond), and the node's own clock then reads at least 1 s (a timeout on the runtime's
/// clock would fire at 1 s of runtime, 1.001 s on the node's).
#[test]
fn a_call_times_out_on_the_callers_clock() {
    let seen = outcomes(
        Budget::NONE,
        |rt: SimRuntime, seen: Seen<(u128, u128)>| async move {
            let net: RpcNetwork<SimRuntime, (), ()> = Network::new(&rt);
            // Bound and never answered.
            let _silent = net.bind("server");
            let fast = Clocks {
                offset_ns: 0,
                drift_ppm: 1000,
            };
            let spec = {
                let (rt, net) = (rt, net.clone());
                NodeSpec::new("caller", move || {
                    let (rt, net, seen) = (rt, net.clone(), seen.clone());
                    Box::pin(async move {
                        let ep = net.bind("caller");
                        let local = rt.local_now();
                        let answer = ep.call("server", (), Duration::from_secs(1)).await;
                        assert_eq!(answer, Err(CallError::TimedOut));
                        let runtime = rt.now().since_epoch().as_nanos();
                        let on_node = (rt.local_now() - local).as_nanos();
                        seen.lock().unwrap().insert((runtime, on_node));
                    })
                })
                .clocks(fast)
            };
            rt.start_node(spec);
            rt.sleep(Duration::from_secs(2)).await;
        },
    );
    // ceil(1e9 / 1.001) ns of runtime; the node's clock, which truncates, then reads just
    // over 1 s (999_000_999 ns would read 999_999_999: too early).
    let runtime = 999_001_000;
    assert_eq!(seen, set(&[(runtime, 1_000_000_001)]));
    assert_eq!(
        Clocks {
            offset_ns: 0,
            drift_ppm: 1000
        }
        .unscale(Duration::from_secs(1))
        .as_nanos(),
        runtime
    );
}

/// The trace of a failure names the fault and the message it hit, and its schedule replays
/// byte for byte.
#[test]
fn a_lost_response_is_in_the_trace_and_replays() {
    let body = |rt: SimRuntime| async move {
        let net: RpcNetwork<SimRuntime, u32, u32> = Network::new(&rt);
        let served = net.clone();
        rt.start_node(NodeSpec::new("server", move || {
            let mut server = served.bind("server");
            Box::pin(async move {
                while let Some(req) = server.recv().await {
                    let v = req.msg.body;
                    req.msg.respond(v);
                }
            })
        }));
        let client = net.bind("client");
        let answer = client.call("server", 7, Duration::from_secs(3)).await;
        assert_eq!(answer, Ok(7), "the call failed");
    };
    let config = Config::default()
        .strategy(StrategyKind::Dfs)
        .iterations(1000)
        .faults(Budget::NONE.with(FaultKind::Loss, 1));
    let err = Sim::new(config.clone()).run(body).unwrap_err();
    let f = err.failure().unwrap();
    assert_eq!(f.kind, FailureKind::Panic, "{f}");
    let trace = f.trace_report();
    assert!(trace.contains("fault: loss"), "{trace}");
    assert!(trace.contains("net client->server"), "{trace}");
    let again = Sim::new(config.schedule(f.schedule.clone()))
        .run(body)
        .unwrap_err();
    assert_eq!(again.failure().unwrap().trace_report(), trace);
}

#[test]
fn addresses_print_their_names() {
    let a = Addr::new("s1");
    assert_eq!(a.to_string(), "s1");
    assert_eq!(format!("{a:?}"), "\"s1\"");
    assert_eq!(Addr::from("s1"), a);
}
