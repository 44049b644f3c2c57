//! The benchmark workloads.

use std::sync::Arc;

use weft_core::sync::{mpsc, Mutex};
use weft_core::Runtime;

/// `tasks` tasks each increment a shared counter `increments` times under a mutex; the total
/// is checked at the end.
pub async fn weft_mutex_counter<R: Runtime>(rt: R, tasks: usize, increments: usize) {
    let m = Arc::new(Mutex::new(&rt, 0usize));
    let mut hs = Vec::with_capacity(tasks);
    for i in 0..tasks {
        let m = m.clone();
        hs.push(rt.spawn(&format!("t{i}"), async move {
            for _ in 0..increments {
                *m.lock().await += 1;
            }
        }));
    }
    for h in hs {
        h.join().await;
    }
    assert_eq!(*m.lock().await, tasks * increments);
}

/// Two tasks exchange `rounds` ping/pong messages over two bounded channels.
pub async fn weft_ping_pong<R: Runtime>(rt: R, rounds: u32) {
    let (ping_tx, mut ping_rx) = mpsc::channel::<R, u32>(&rt, 1);
    let (pong_tx, mut pong_rx) = mpsc::channel::<R, u32>(&rt, 1);
    let ponger = rt.spawn("ponger", async move {
        while let Some(v) = ping_rx.recv().await {
            pong_tx.send(v + 1000).await.unwrap();
        }
    });
    for i in 0..rounds {
        ping_tx.send(i).await.unwrap();
        assert_eq!(pong_rx.recv().await, Some(i + 1000));
    }
    drop(ping_tx);
    ponger.join().await;
}

/// The primitive-heavy production workload: `rounds` round trips, each a channel send, a
/// mutex increment on the other side, and a reply.
pub async fn weft_mutex_channel_round_trips<R: Runtime>(rt: R, rounds: u32) {
    let counter = Arc::new(Mutex::new(&rt, 0u32));
    let (req_tx, mut req_rx) = mpsc::channel::<R, u32>(&rt, 1);
    let (rep_tx, mut rep_rx) = mpsc::channel::<R, u32>(&rt, 1);
    let c = counter.clone();
    let server = rt.spawn("server", async move {
        while let Some(v) = req_rx.recv().await {
            *c.lock().await += 1;
            rep_tx.send(v).await.unwrap();
        }
    });
    for i in 0..rounds {
        req_tx.send(i).await.unwrap();
        assert_eq!(rep_rx.recv().await, Some(i));
    }
    drop(req_tx);
    server.join().await;
    assert_eq!(*counter.lock().await, rounds);
}

/// [`weft_mutex_channel_round_trips`] written directly against tokio.
pub async fn tokio_mutex_channel_round_trips(rounds: u32) {
    let counter = Arc::new(tokio::sync::Mutex::new(0u32));
    let (req_tx, mut req_rx) = tokio::sync::mpsc::channel::<u32>(1);
    let (rep_tx, mut rep_rx) = tokio::sync::mpsc::channel::<u32>(1);
    let c = counter.clone();
    let server = tokio::spawn(async move {
        while let Some(v) = req_rx.recv().await {
            *c.lock().await += 1;
            rep_tx.send(v).await.unwrap();
        }
    });
    for i in 0..rounds {
        req_tx.send(i).await.unwrap();
        assert_eq!(rep_rx.recv().await, Some(i));
    }
    drop(req_tx);
    server.await.unwrap();
    assert_eq!(*counter.lock().await, rounds);
}

/// The mutex counter with shuttle's own threads and mutex.
pub fn shuttle_mutex_counter(tasks: usize, increments: usize) {
    let m = shuttle::sync::Arc::new(shuttle::sync::Mutex::new(0usize));
    let hs: Vec<_> = (0..tasks)
        .map(|_| {
            let m = m.clone();
            shuttle::thread::spawn(move || {
                for _ in 0..increments {
                    *m.lock().unwrap() += 1;
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    assert_eq!(*m.lock().unwrap(), tasks * increments);
}

/// The mutex counter with loom's own threads and mutex.
pub fn loom_mutex_counter(tasks: usize, increments: usize) {
    let m = loom::sync::Arc::new(loom::sync::Mutex::new(0usize));
    let hs: Vec<_> = (0..tasks)
        .map(|_| {
            let m = m.clone();
            loom::thread::spawn(move || {
                for _ in 0..increments {
                    *m.lock().unwrap() += 1;
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    assert_eq!(*m.lock().unwrap(), tasks * increments);
}

/// Ping-pong with shuttle's async tasks; channels are one-slot mailboxes on shuttle's mutex
/// and wakers (shuttle ships no async channel), as in the recorded baselines.
pub fn shuttle_ping_pong(rounds: u32) {
    use shuttle::sync::Mutex as SMutex;
    let ping = Arc::new(Mailbox::<SMutex<Slot>>::new());
    let pong = Arc::new(Mailbox::<SMutex<Slot>>::new());
    let (p2, q2) = (ping.clone(), pong.clone());
    let ponger = shuttle::future::spawn(async move {
        for _ in 0..rounds {
            let v = p2.recv().await;
            q2.send(v + 1000).await;
        }
    });
    shuttle::future::block_on(async move {
        for i in 0..rounds {
            ping.send(i).await;
            assert_eq!(pong.recv().await, i + 1000);
        }
        ponger.await.unwrap();
    });
}

/// Ping-pong with loom: two threads, each driving its side with `loom::future::block_on`.
pub fn loom_ping_pong(rounds: u32) {
    use loom::sync::Mutex as LMutex;
    let ping = loom::sync::Arc::new(Mailbox::<LMutex<Slot>>::new());
    let pong = loom::sync::Arc::new(Mailbox::<LMutex<Slot>>::new());
    let (p2, q2) = (ping.clone(), pong.clone());
    let ponger = loom::thread::spawn(move || {
        loom::future::block_on(async move {
            for _ in 0..rounds {
                let v = p2.recv().await;
                q2.send(v + 1000).await;
            }
        })
    });
    loom::future::block_on(async move {
        for i in 0..rounds {
            ping.send(i).await;
            assert_eq!(pong.recv().await, i + 1000);
        }
    });
    ponger.join().unwrap();
}

/// A one-slot mailbox's state: the value, and the waker of whoever waits.
#[derive(Default, Debug)]
pub struct Slot {
    value: Option<u32>,
    waker: Option<std::task::Waker>,
}

/// A lock the mailbox can use: shuttle's or loom's mutex.
pub trait SlotLock: Send + Sync {
    /// A new lock around an empty slot.
    fn make() -> Self;
    /// Runs `f` with the slot locked.
    fn with<U>(&self, f: impl FnOnce(&mut Slot) -> U) -> U;
}

impl SlotLock for shuttle::sync::Mutex<Slot> {
    fn make() -> Self {
        shuttle::sync::Mutex::new(Slot::default())
    }
    fn with<U>(&self, f: impl FnOnce(&mut Slot) -> U) -> U {
        f(&mut self.lock().unwrap())
    }
}

impl SlotLock for loom::sync::Mutex<Slot> {
    fn make() -> Self {
        loom::sync::Mutex::new(Slot::default())
    }
    fn with<U>(&self, f: impl FnOnce(&mut Slot) -> U) -> U {
        f(&mut self.lock().unwrap())
    }
}

/// A one-slot async mailbox over a checker's mutex.
#[derive(Debug)]
pub struct Mailbox<L> {
    lock: L,
}

impl<L: SlotLock> Default for Mailbox<L> {
    fn default() -> Self {
        Self::new()
    }
}

impl<L: SlotLock> Mailbox<L> {
    /// An empty mailbox.
    pub fn new() -> Self {
        Mailbox { lock: L::make() }
    }

    /// Waits for the slot to be empty, then fills it.
    pub async fn send(&self, v: u32) {
        std::future::poll_fn(|cx| {
            self.lock.with(|s| {
                if s.value.is_some() {
                    s.waker = Some(cx.waker().clone());
                    return std::task::Poll::Pending;
                }
                s.value = Some(v);
                if let Some(w) = s.waker.take() {
                    w.wake();
                }
                std::task::Poll::Ready(())
            })
        })
        .await
    }

    /// Waits for a value and takes it.
    pub async fn recv(&self) -> u32 {
        std::future::poll_fn(|cx| {
            self.lock.with(|s| match s.value.take() {
                Some(v) => {
                    if let Some(w) = s.waker.take() {
                        w.wake();
                    }
                    std::task::Poll::Ready(v)
                }
                None => {
                    s.waker = Some(cx.waker().clone());
                    std::task::Poll::Pending
                }
            })
        })
        .await
    }
}
