//! The tokio primitives users port (`watch`, `JoinSet`, `timeout`, `interval`) on tokio: the
//! shared bodies (also run under loom, shuttle and weft-sim), and weft's version side by side
//! with tokio's own on a paused-clock current-thread runtime, where tokio's documented
//! behaviour is deterministic.

mod support;

use std::time::Duration;

use support::tokio_rt::{multi_thread, paused};
use support::{join_set, time, watch};
use weft_core::Runtime;

#[test]
fn shared_bodies_pass_on_tokio() {
    multi_thread(|rt| async move {
        watch::all(rt.clone()).await;
        join_set::all(rt.clone()).await;
        time::all(rt.clone()).await;
        assert!(rt.panics().is_empty(), "{:?}", rt.panics());
    });
    // With a paused clock the instants are exact, as under the simulator.
    paused(|rt| async move {
        time::all(rt).await;
    });
}

#[test]
fn timeout_matches_tokio() {
    paused(|rt| async move {
        let secs = Duration::from_secs;
        let t0 = tokio::time::Instant::now();
        let theirs = tokio::time::timeout(secs(5), tokio::time::sleep(secs(10))).await;
        let their_wait = t0.elapsed();
        let w0 = rt.now();
        let ours = weft_core::time::timeout(&rt, secs(5), rt.sleep(secs(10))).await;
        assert_eq!(theirs.is_err(), ours.is_err());
        assert_eq!(their_wait, secs(5));
        assert_eq!(rt.now() - w0, their_wait, "elapses at the same instant");

        // Deadline taken at the call, not at the first poll.
        let theirs = tokio::time::timeout(secs(5), tokio::time::sleep(secs(4)));
        let ours = weft_core::time::timeout(&rt, secs(5), rt.sleep(secs(4)));
        tokio::time::sleep(secs(2)).await;
        assert_eq!(theirs.await.is_ok(), ours.await.is_ok());
        // An inner future that starts its 4 s sleep only when first polled, 3 s after the
        // call: it would end at 7 s, after the deadline of 5 s fixed at the call.
        let theirs = tokio::time::timeout(secs(5), async { tokio::time::sleep(secs(4)).await });
        let r = rt.clone();
        let ours = weft_core::time::timeout(&rt, secs(5), async move { r.sleep(secs(4)).await });
        tokio::time::sleep(secs(3)).await;
        let t1 = tokio::time::Instant::now();
        let (a, b) = tokio::join!(theirs, ours);
        assert_eq!(a.is_err(), b.is_err());
        assert!(b.is_err(), "the deadline is fixed at the call");
        assert_eq!(t1.elapsed(), secs(2), "both elapse 5 s after the call");
    });
}

#[test]
fn interval_matches_tokio() {
    paused(|rt| async move {
        let p = Duration::from_millis(100);
        let start = tokio::time::Instant::now();
        let w0 = rt.now();
        let mut theirs = tokio::time::interval(p);
        let mut ours = weft_core::time::interval(&rt, p);
        // Stalls after some ticks: 0, 0, 350 ms (a burst), 0, 0, 0, 120 ms.
        for stall_ms in [0u64, 0, 350, 0, 0, 0, 120, 0] {
            tokio::time::sleep(Duration::from_millis(stall_ms)).await;
            let t = theirs.tick().await - start;
            let their_now = start.elapsed();
            let o = ours.tick().await - w0;
            assert_eq!(t, o, "the same scheduled instant");
            assert_eq!(rt.now() - w0, their_now, "completes at the same time");
        }
    });
}

#[test]
fn watch_matches_tokio() {
    paused(|rt| async move {
        let (ttx, mut trx) = tokio::sync::watch::channel(0u32);
        let (wtx, mut wrx) = weft_core::sync::watch::channel(&rt, 0u32);
        assert_eq!(trx.has_changed().is_ok(), wrx.has_changed().is_ok());
        ttx.send(1).unwrap();
        wtx.send(1).unwrap();
        let mut tclone = trx.clone();
        let mut wclone = wrx.clone();
        assert_eq!(tclone.has_changed().unwrap(), wclone.has_changed().unwrap());
        assert_eq!(*trx.borrow_and_update(), *wrx.borrow_and_update());
        assert_eq!(trx.has_changed().unwrap(), wrx.has_changed().unwrap());
        assert_eq!(
            tclone.changed().await.is_ok(),
            wclone.changed().await.is_ok()
        );
        let tsub = ttx.subscribe();
        let wsub = wtx.subscribe();
        assert_eq!(tsub.has_changed().unwrap(), wsub.has_changed().unwrap());
        assert_eq!(ttx.receiver_count(), wtx.receiver_count());
        assert_eq!(ttx.send_replace(2), wtx.send_replace(2));
        ttx.send_modify(|v| *v += 1);
        wtx.send_modify(|v| *v += 1);
        assert_eq!(*ttx.borrow(), *wtx.borrow());
        drop((ttx, wtx));
        // An unseen value, then the sender's drop: Ok first, then Err.
        for _ in 0..2 {
            assert_eq!(trx.changed().await.is_ok(), wrx.changed().await.is_ok());
        }
        assert!(trx.has_changed().is_err() && wrx.has_changed().is_err());
        drop((tclone, wclone, tsub, wsub, trx, wrx));
        // No receivers: send fails and leaves the value.
        let (ttx, trx) = tokio::sync::watch::channel(5u8);
        let (wtx, wrx) = weft_core::sync::watch::channel(&rt, 5u8);
        drop((trx, wrx));
        assert_eq!(ttx.send(6).is_err(), wtx.send(6).is_err());
        assert_eq!(*ttx.borrow(), *wtx.borrow());
        ttx.closed().await;
        wtx.closed().await;
    });
}

#[test]
fn join_set_matches_tokio() {
    paused(|rt| async move {
        let mut theirs = tokio::task::JoinSet::new();
        let mut ours = weft_core::task::JoinSet::new(&rt);
        for (i, ms) in [30u64, 10, 20].into_iter().enumerate() {
            theirs.spawn(async move {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                i
            });
            let r = rt.clone();
            ours.spawn(&format!("t{i}"), async move {
                r.sleep(Duration::from_millis(ms)).await;
                i
            });
        }
        theirs.spawn(std::future::pending::<usize>());
        ours.spawn("pending", std::future::pending::<usize>());
        assert_eq!(theirs.len(), ours.len());
        for _ in 0..3 {
            let t = theirs.join_next().await.unwrap().unwrap();
            let o = ours.join_next().await.unwrap().unwrap();
            assert_eq!(t, o, "completion order");
        }
        theirs.abort_all();
        ours.abort_all();
        let t = theirs.join_next().await.unwrap().unwrap_err();
        let o = ours.join_next().await.unwrap().unwrap_err();
        assert_eq!(t.is_cancelled(), o.is_cancelled());
        assert!(theirs.join_next().await.is_none() && ours.join_next().await.is_none());

        // Several finish before anyone joins: still completion order.
        for (i, ms) in [30u64, 10, 20].into_iter().enumerate() {
            theirs.spawn(async move {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                i
            });
            let r = rt.clone();
            ours.spawn(&format!("t{i}"), async move {
                r.sleep(Duration::from_millis(ms)).await;
                i
            });
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let mut order = (Vec::new(), Vec::new());
        for _ in 0..3 {
            order.0.push(theirs.join_next().await.unwrap().unwrap());
            order.1.push(ours.join_next().await.unwrap().unwrap());
        }
        assert_eq!(order.0, order.1);
        assert_eq!(order.1, vec![1, 2, 0]);
    });
}

#[test]
fn a_panicking_task_is_a_panic_join_error() {
    multi_thread(|rt| async move {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let mut set = weft_core::task::JoinSet::new(&rt);
        set.spawn("boom", async { panic!("boom") });
        let err: weft_core::task::JoinError = set.join_next().await.unwrap().unwrap_err();
        std::panic::set_hook(prev);
        assert!(err.is_panic() && !err.is_cancelled(), "{err}");
        assert_eq!(
            err.to_string(),
            "task 'boom' panicked or was dropped unfinished"
        );
    });
}

#[test]
fn zero_interval_period_is_a_clear_error() {
    let msg = support::catch::panic_of(|| {
        paused(|rt| async move {
            let _ = weft_core::time::interval(&rt, Duration::ZERO);
        })
    })
    .expect("must panic");
    assert!(msg.contains("interval period must be non-zero"), "{msg}");
}
