//! `Barrier` as tokio documents it, written once and run on every backend: exactly one leader
//! per generation, reuse across generations, and the arrival → departure edge.

use std::sync::Arc;

use weft_core::sync::{Barrier, SharedCell};
use weft_core::Runtime;

/// `tasks` tasks pass a barrier of `tasks` twice. Each writes its own cell before each wait and
/// reads every cell after it: the barrier orders every arrival before every departure, so
/// none of this is a data race. Exactly one leader per generation.
pub async fn generations<R: Runtime>(rt: R, tasks: usize) {
    let barrier = Arc::new(Barrier::new(&rt, tasks));
    let cells: Arc<Vec<SharedCell<R, u32>>> =
        Arc::new((0..tasks).map(|_| SharedCell::new(&rt, 0)).collect());
    let mut hs = Vec::new();
    for i in 0..tasks {
        let (barrier, cells) = (barrier.clone(), cells.clone());
        hs.push(rt.spawn(&format!("party-{i}"), async move {
            let mut leaders = 0;
            for round in 1..=2u32 {
                cells[i].set(round);
                if barrier.wait().await.is_leader() {
                    leaders += 1;
                }
                for c in cells.iter() {
                    assert!(
                        c.get() >= round,
                        "an arrival is ordered before this departure"
                    );
                }
                // Nobody may overwrite a cell for round 2 before everyone has read round 1.
                if round == 1 && barrier.wait().await.is_leader() {
                    leaders += 1;
                }
            }
            leaders
        }));
    }
    let mut leaders = 0;
    for h in hs {
        leaders += h.join().await;
    }
    assert_eq!(leaders, 3, "one leader in each of the three generations");
}

/// A barrier of 0 or 1 lets every task through at once, each as the leader.
pub async fn trivial_barriers<R: Runtime>(rt: R) {
    for n in [0, 1] {
        let b = Barrier::new(&rt, n);
        assert!(b.wait().await.is_leader());
        assert!(b.wait().await.is_leader());
    }
}

/// [`generations`] with two tasks (small enough for exhaustive loom and DFS).
pub async fn two_parties<R: Runtime>(rt: R) {
    generations(rt, 2).await;
}

/// Every check above as one async body.
pub async fn all<R: Runtime>(rt: R) {
    trivial_barriers(rt.clone()).await;
    generations(rt.clone(), 2).await;
    generations(rt, 3).await;
}
