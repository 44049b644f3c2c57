//! A network's end under weft-sim (rule 5 of `weft_core::net`): closing it ends every server
//! loop, under every order of deliveries and the close, so a run whose servers wait on their
//! inboxes ends clean instead of leaking them; and a delivery step is the send into the inbox
//! alone (no sender handle of the courier's own, dropped and credited to the `bind` line).

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex as StdMutex};

use weft_core::net::Network;
use weft_core::Runtime;
use weft_sim::{Config, Sim, SimRuntime, StrategyKind};

/// A client sends 1 and 2 to a server task that serves its inbox until it ends; the root
/// closes the network once the client is done. Records what the server took.
async fn serve_then_close(rt: SimRuntime, seen: Arc<StdMutex<BTreeSet<Vec<u32>>>>) {
    let net: Network<SimRuntime, u32> = Network::new(&rt);
    let mut server = net.bind("server");
    let client = net.bind("client");
    let served = rt.spawn("server", async move {
        let mut got = Vec::new();
        while let Some(m) = server.recv().await {
            got.push(m.msg);
        }
        got
    });
    let client = rt.spawn("client", async move {
        client.send("server", 1);
        client.send("server", 2);
    });
    client.join().await;
    net.close();
    let got = served.join().await;
    seen.lock().unwrap().insert(got);
}

#[test]
fn closing_the_network_ends_the_server_loop_in_every_order() {
    for strategy in [StrategyKind::Dfs, StrategyKind::Dpor] {
        let seen = Arc::new(StdMutex::new(BTreeSet::new()));
        let report = Sim::new(Config::default().strategy(strategy).iterations(10_000))
            .run({
                let seen = seen.clone();
                move |rt| serve_then_close(rt, seen.clone())
            })
            .unwrap_or_else(|e| panic!("{strategy}: every execution ends clean: {e}"));
        assert_eq!(report.exhausted, Some(true), "{strategy}");
        // The close comes before both deliveries, between them, or after both (in either
        // arrival order).
        let want: BTreeSet<Vec<u32>> = [vec![], vec![1], vec![2], vec![1, 2], vec![2, 1]]
            .into_iter()
            .collect();
        assert_eq!(*seen.lock().unwrap(), want, "{strategy}");
    }
}

#[test]
fn a_delivery_step_is_the_send_alone() {
    let err = Sim::new(Config::default().iterations(1))
        .run(|rt| async move {
            let net: Network<SimRuntime, u32> = Network::new(&rt);
            let mut server = net.bind("server");
            net.bind("client").send("server", 7);
            assert_eq!(server.recv().await.map(|m| m.msg), Some(7));
            panic!("the end");
        })
        .unwrap_err();
    let trace = err.failure().expect("a failure").trace_report();
    // The courier's line of the per-task summary.
    let courier = trace
        .lines()
        .find(|l| l.trim_start().starts_with("net client->server:"))
        .unwrap_or_else(|| panic!("a courier line:\n{trace}"));
    assert!(courier.contains("mpsc.send"), "{trace}");
    assert!(
        !courier.contains("sender_drop"),
        "the courier drops no sender of its own:\n{trace}"
    );
}
