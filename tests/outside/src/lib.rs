//! A user's small models, written once against `weft-core` as a user would write them: a
//! shutdown flag polled without `.await` (a spin), two tasks that keep yielding to each other
//! (a livelock), and a counter whose fix can be switched on (a lost update).

use std::sync::Arc;

use weft_core::sync::{oneshot, CancellationToken, Mutex, SharedCell};
use weft_core::Runtime;

/// A worker that says it has started, then waits for shutdown by polling the token in a loop
/// with no `.await`: the owner, waiting for "started", never gets to run again, so the loop
/// never ends (a spin inside one step, on every schedule).
pub async fn spin_on_token<R: Runtime>(rt: R) {
    let token = CancellationToken::new(&rt);
    let (started, is_started) = oneshot::channel(&rt);
    let worker = {
        let token = token.clone();
        rt.spawn("worker", async move {
            let _ = started.send(());
            while !token.is_cancelled() {}
        })
    };
    let _ = is_started.recv().await;
    token.cancel();
    worker.join().await;
}

/// The same wait, on a plain `std` flag: no weft operation at all inside the loop, so only a
/// wall-clock watchdog can notice it.
pub async fn spin_on_std_flag<R: Runtime>(rt: R) {
    let flag = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (started, is_started) = oneshot::channel(&rt);
    let worker = {
        let flag = flag.clone();
        rt.spawn("worker", async move {
            let _ = started.send(());
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                std::hint::spin_loop();
            }
        })
    };
    let _ = is_started.recv().await;
    flag.store(true, std::sync::atomic::Ordering::Relaxed);
    worker.join().await;
}

/// Two tasks that each wait, politely, for the other to go first.
pub async fn polite_livelock<R: Runtime>(rt: R) {
    let mut tasks = Vec::new();
    for name in ["alice", "bob"] {
        let rt2 = rt.clone();
        tasks.push(rt.spawn(name, async move {
            loop {
                rt2.yield_now().await;
            }
        }));
    }
    for t in tasks {
        t.join().await;
    }
}

/// Two increments of a shared counter; with `fixed` they hold a lock around the
/// read-modify-write, without it they race.
pub async fn counter<R: Runtime>(rt: R, fixed: bool) {
    let value = Arc::new(SharedCell::new(&rt, 0u32));
    let lock = Arc::new(Mutex::new(&rt, ()));
    let mut tasks = Vec::new();
    for i in 0..2 {
        let (value, lock) = (value.clone(), lock.clone());
        tasks.push(rt.spawn(&format!("inc-{i}"), async move {
            let _guard = if fixed { Some(lock.lock().await) } else { None };
            let v = value.get();
            value.set(v + 1);
        }));
    }
    for t in tasks {
        t.join().await;
    }
    assert_eq!(value.get(), 2);
}
