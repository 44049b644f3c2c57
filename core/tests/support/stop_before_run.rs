//! The Stop-before-Run shape, written once and generic over the runtime.
//!
//! A component's `run` task makes the first `wait_group.add(1)` *inside* the task (as the
//! Alertmanager dispatcher does at dispatch.go:190); `stop` cancels and then `wait`s
//! (dispatch.go:449). The owner spawns `run` and then calls `stop`:
//!
//! - `Variant::Buggy`: nothing orders the add before the wait. If `stop` runs first, `wait`
//!   returns at once and `run` starts work after `stop` returned (`shared/specs/alertmanager.md`
//!   §4 B1). The WaitGroup contract check reports it on every schedule, predictively.
//! - `Variant::Fixed`: the owner waits for `run`'s "loaded" signal before `stop` (PR 7618's
//!   barrier), so the add happens-before the wait.
//!
//! Oracle: after `stop` returns, `run` is not running and starts no work.

use std::sync::Arc;

use weft_core::sync::{oneshot, CancellationToken, Mutex, WaitGroup};
use weft_core::{FailureKind, Fault, Runtime};

/// Which side of PR 7618.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// The pre-fix code: stop may run before run's first add.
    Buggy,
    /// The owner waits for "loaded" before stop.
    Fixed,
}

#[derive(Default)]
struct Phase {
    running: bool,
    stop_returned: bool,
    work_after_stop: bool,
}

struct Component<R: Runtime> {
    rt: R,
    finished: Arc<WaitGroup<R>>,
    cancel: CancellationToken<R>,
    phase: Mutex<R, Phase>,
    workers: usize,
}

impl<R: Runtime> Component<R> {
    async fn run(self: Arc<Self>, loaded: oneshot::Sender<R, ()>) {
        self.finished.add(1);
        {
            let mut p = self.phase.lock().await;
            if p.stop_returned {
                p.work_after_stop = true;
            }
            p.running = true;
        }
        let _ = loaded.send(());
        for i in 0..self.workers {
            let cancel = self.cancel.clone();
            drop(self.finished.spawn(&format!("worker-{i}"), async move {
                cancel.cancelled().await;
            }));
        }
        self.cancel.cancelled().await;
        self.phase.lock().await.running = false;
        self.finished.done();
    }

    async fn stop(&self) {
        self.cancel.cancel();
        self.finished.wait().await;
    }
}

/// The owner's side: spawn run, [wait for loaded,] stop, check the oracle. `workers` is the
/// number of extra tasks `run` starts (keep it ≤ 2 under loom).
pub async fn scenario<R: Runtime>(rt: R, variant: Variant, workers: usize) {
    let c = Arc::new(Component {
        rt: rt.clone(),
        finished: Arc::new(WaitGroup::new(&rt)),
        cancel: CancellationToken::new(&rt),
        phase: Mutex::new(&rt, Phase::default()),
        workers,
    });
    let (loaded_tx, loaded_rx) = oneshot::channel(&rt);
    let run = c.rt.spawn("run", c.clone().run(loaded_tx));
    if variant == Variant::Fixed {
        loaded_rx.recv().await.expect("run signals loaded");
    }
    c.stop().await;
    {
        let mut p = c.phase.lock().await;
        p.stop_returned = true;
        if p.running {
            c.rt.fail(Fault::new(
                FailureKind::Assertion,
                "run still running after stop() returned",
            ));
        }
    }
    run.join().await;
    let p = c.phase.lock().await;
    if p.work_after_stop {
        c.rt.fail(Fault::new(
            FailureKind::Assertion,
            "run started work after stop() returned",
        ));
    }
}
