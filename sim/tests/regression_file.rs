//! Regression files: failures are saved, replayed first next time, and a corrupt entry is a
//! one-line error naming the file and line.

use std::sync::Arc;

use weft_core::sync::Mutex;
use weft_core::{FailureKind, Runtime};
use weft_sim::{Config, Sim, SimError, SimRuntime, StrategyKind};

async fn racy(rt: SimRuntime) {
    let m = Arc::new(Mutex::new(&rt, 0u32));
    let m2 = m.clone();
    let h = rt.spawn("other", async move {
        let v = *m2.lock().await;
        *m2.lock().await = v + 1;
    });
    let v = *m.lock().await;
    *m.lock().await = v + 1;
    h.join().await;
    assert_eq!(*m.lock().await, 2, "[weft:assertion] lost update");
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("weft-regress-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir.join("regressions.txt")
}

#[test]
fn failures_are_saved_and_replayed_first() {
    let path = temp("save");
    let sim = Sim::new(
        Config::default()
            .strategy(StrategyKind::Random)
            .seed(11)
            .regressions(&path),
    );
    let first = sim.run(racy).unwrap_err();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        saved.starts_with(&first.failure().unwrap().schedule),
        "{saved}"
    );
    // Next run: zero exploration budget, but the saved schedule is replayed first.
    let again = Sim::new(Config::default().iterations(0).regressions(&path))
        .run(racy)
        .unwrap_err();
    assert_eq!(
        again.failure().unwrap().kind,
        FailureKind::Assertion,
        "{again}"
    );
    // Saving the same schedule twice keeps one line, and never truncates what is there.
    let _ = sim.run(racy);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), saved);
}

#[test]
fn corrupt_entry_is_a_one_line_error() {
    let path = temp("corrupt");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "# saved by weft\n\nweft1-zzzz\n").unwrap();
    let err = Sim::new(Config::default().regressions(&path))
        .run(racy)
        .unwrap_err();
    let SimError::Config(e) = err else {
        panic!("expected a config error, got {err}")
    };
    let text = e.to_string();
    assert!(!text.contains('\n'), "{text}");
    assert!(
        text.contains("regressions.txt:3: bad schedule string"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "# saved by weft\n\nweft1-zzzz\n"
    );
}
