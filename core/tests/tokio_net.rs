//! The network on tokio: every message arrives (no faults there), a call gets its response,
//! a silent server makes a call time out on the caller's clock, and a message sent by a
//! node just before its crash still arrives (it is carried outside the node's task group).

use std::time::Duration;

use weft_core::backend::tokio::TokioRuntime;
use weft_core::net::rpc::{CallError, RpcNetwork};
use weft_core::net::Network;
use weft_core::node::NodeSpec;
use weft_core::Runtime;

#[tokio::test(start_paused = true)]
async fn calls_get_their_responses() {
    let rt = TokioRuntime::new();
    let net: RpcNetwork<TokioRuntime, u32, u32> = Network::new(&rt);
    let mut server = net.bind("server");
    rt.spawn("server", async move {
        while let Some(req) = server.recv().await {
            let doubled = req.msg.body * 2;
            req.msg.respond(doubled);
        }
    });
    let client = net.bind("client");
    for i in 0..100 {
        let answer = client.call("server", i, Duration::from_secs(1)).await;
        assert_eq!(answer, Ok(i * 2));
    }
}

#[tokio::test(start_paused = true)]
async fn a_silent_server_times_the_call_out() {
    let rt = TokioRuntime::new();
    let net: RpcNetwork<TokioRuntime, (), ()> = Network::new(&rt);
    let _silent = net.bind("server");
    let client = net.bind("client");
    let start = rt.now();
    let answer = client.call("server", (), Duration::from_secs(3)).await;
    assert_eq!(answer, Err(CallError::TimedOut));
    assert!(rt.now() - start >= Duration::from_secs(3));
}

#[tokio::test(start_paused = true)]
async fn a_message_sent_before_a_crash_arrives() {
    let rt = TokioRuntime::new();
    let net: Network<TokioRuntime, String> = Network::new(&rt);
    let mut client = net.bind("client");
    let spec = {
        let (rt, net) = (rt.clone(), net.clone());
        NodeSpec::new("server", move || {
            let (rt, net) = (rt.clone(), net.clone());
            Box::pin(async move {
                let ep = net.bind("server");
                ep.send("client", "last words".to_string());
                rt.crash(rt.current_node().unwrap());
                // Aborted at its next await.
                rt.sleep(Duration::from_secs(1)).await;
                ep.send("client", "never sent".to_string());
            })
        })
    };
    rt.start_node(spec);
    let first = tokio::time::timeout(Duration::from_secs(5), client.recv())
        .await
        .expect("the message sent before the crash arrives")
        .unwrap();
    assert_eq!(
        (first.from.as_str(), first.msg.as_str()),
        ("server", "last words")
    );
    let more = tokio::time::timeout(Duration::from_secs(5), client.recv()).await;
    assert!(more.is_err(), "nothing else arrives: {more:?}");
}

/// A server loop `while let Some(m) = ep.recv().await` ends once the network is closed, after
/// taking what had already arrived; what is sent after the close is lost, and an address bound
/// after it has an ended inbox. Without [`Network::close`] the loop waits for good: the
/// network keeps every inbox's sender, and an endpoint keeps its network.
#[tokio::test(start_paused = true)]
async fn closing_the_network_ends_every_server_loop() {
    let rt = TokioRuntime::new();
    let net: Network<TokioRuntime, u32> = Network::new(&rt);
    let mut server = net.bind("server");
    let client = net.bind("client");
    client.send("server", 1);
    client.send("server", 2);
    let served = rt.spawn("server", async move {
        let mut got = Vec::new();
        while let Some(m) = server.recv().await {
            got.push(m.msg);
        }
        got
    });
    // Both messages arrive before the close (tokio delivers at once, in a task of its own).
    tokio::time::sleep(Duration::from_millis(1)).await;
    assert!(!net.is_closed());
    net.close();
    assert!(net.is_closed());
    client.send("server", 3);
    let got = tokio::time::timeout(Duration::from_secs(5), served.join())
        .await
        .expect("the server loop ends once the network is closed");
    assert_eq!(got, vec![1, 2]);
    let mut late = net.bind("late");
    assert_eq!(late.recv().await, None);
    net.close();
}
