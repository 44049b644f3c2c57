//! A contract defined outside weft plugs into every checking backend through the one
//! [`Runtime::check`] funnel, with no backend change: the proof of issue 11 part 4.
//!
//! The contract, [`OnceInit`], is the safe-publication rule of a set-once cell: a read that
//! sees the value must happen-after the write that set it (a racy flag would let a reader see
//! a pointer without the writes behind it), and the value is set at most once. It lives only
//! in this file, with the tiny cell that reports to it; the simulator, loom and shuttle check
//! it through the same engine as SharedCell and WaitGroup, and the simulator's
//! `Config::tolerate` counts it like theirs.

mod support;

use std::fmt;
use std::panic::Location;
use std::sync::{Arc, Mutex};

#[cfg(any(feature = "loom", feature = "shuttle"))]
use support::catch::found;
use weft_core::causality::{Contract, Stamp, TaskIndex, VectorClock};
use weft_core::{AccessKind, FailureKind, ObjectId, Op, Runtime};
use weft_sim::{Config, Sim, SimRuntime, StrategyKind};

/// The set-once publication contract.
enum OnceInit {}

#[derive(Clone, Copy)]
enum OnceEvent {
    Set,
    Read,
}

#[derive(Default)]
struct OnceHistory {
    set: Option<Stamp>,
}

enum Broken {
    /// A read that saw the value is not ordered after the set.
    Unpublished { set: Stamp, read: Stamp },
    /// A second set.
    SetTwice { first: Stamp, second: Stamp },
}

impl Contract for OnceInit {
    type History = OnceHistory;
    type Event = OnceEvent;
    type Violation = Broken;
    const KIND: FailureKind = FailureKind::ContractViolation;

    fn check(
        history: &mut OnceHistory,
        clock: &VectorClock,
        at: Stamp,
        event: OnceEvent,
    ) -> Result<(), Broken> {
        match (event, history.set) {
            (OnceEvent::Set, Some(first)) => Err(Broken::SetTwice { first, second: at }),
            (OnceEvent::Set, None) => {
                history.set = Some(at);
                Ok(())
            }
            (OnceEvent::Read, Some(set)) if !set.seen_by(clock) => {
                Err(Broken::Unpublished { set, read: at })
            }
            (OnceEvent::Read, _) => Ok(()),
        }
    }

    fn describe(v: &Broken, name: &dyn Fn(TaskIndex) -> String) -> String {
        match v {
            Broken::Unpublished { set, read } => format!(
                "once-cell contract violation: read by task '{}' at {} does not happen-after the \
                 set by task '{}' at {}",
                name(read.task),
                read.site,
                name(set.task),
                set.site
            ),
            Broken::SetTwice { first, second } => format!(
                "once-cell contract violation: set twice, by task '{}' at {} and by task '{}' at {}",
                name(first.task),
                first.site,
                name(second.task),
                second.site
            ),
        }
    }
}

/// A set-once cell checked by [`OnceInit`], written against `Runtime` only.
struct OnceCell<R: Runtime, T> {
    rt: R,
    object: ObjectId,
    inner: Mutex<(Option<T>, R::History<OnceInit>)>,
}

impl<R: Runtime, T: Clone> OnceCell<R, T> {
    fn new(rt: &R) -> Self {
        OnceCell {
            rt: rt.clone(),
            object: rt.object(),
            inner: Mutex::new((None, Default::default())),
        }
    }

    fn access<U>(&self, event: OnceEvent, op: Op, f: impl FnOnce(&mut Option<T>) -> U) -> U {
        self.rt.note(op);
        let mut guard = self.inner.lock().unwrap();
        let (value, history) = &mut *guard;
        // Only a read that sees the value is checked (a read of the empty cell is fine).
        let checked = match event {
            OnceEvent::Read if value.is_none() => Ok(()),
            _ => self.rt.check::<OnceInit>(history, event, op),
        };
        if let Err(fault) = checked {
            drop(guard);
            self.rt.fail(fault);
        }
        f(value)
    }

    #[track_caller]
    fn set(&self, v: T) {
        let op = Op::on(
            "once_cell.set",
            self.object,
            AccessKind::Write,
            Location::caller(),
        );
        self.access(OnceEvent::Set, op, |slot| *slot = Some(v));
    }

    #[track_caller]
    fn get(&self) -> Option<T> {
        let op = Op::on(
            "once_cell.get",
            self.object,
            AccessKind::Read,
            Location::caller(),
        );
        self.access(OnceEvent::Read, op, |slot| slot.clone())
    }
}

impl<R: Runtime, T> fmt::Debug for OnceCell<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OnceCell")
    }
}

/// The root reads the cell a `writer` task sets; `joined` orders the read after the set.
async fn publish<R: Runtime>(rt: R, joined: bool) {
    let cell = Arc::new(OnceCell::new(&rt));
    let c = cell.clone();
    let writer = rt.spawn("writer", async move { c.set(7u32) });
    if joined {
        writer.join().await;
        assert_eq!(cell.get(), Some(7));
    } else {
        rt.yield_now().await;
        let _ = cell.get();
        writer.join().await;
    }
}

/// Two tasks set the cell.
async fn set_twice<R: Runtime>(rt: R) {
    let cell = Arc::new(OnceCell::new(&rt));
    let c = cell.clone();
    let writer = rt.spawn("writer", async move { c.set(1u32) });
    cell.set(2);
    writer.join().await;
}

fn assert_unpublished(kind: FailureKind, message: &str) {
    assert_eq!(kind, FailureKind::ContractViolation, "{message}");
    assert!(
        message.contains("once-cell contract violation: read by task 'main'")
            && message.contains("the set by task 'writer'")
            && message.contains("contract_plugin.rs"),
        "{message}"
    );
}

fn dfs() -> Sim {
    Sim::new(
        Config::default()
            .strategy(StrategyKind::Dfs)
            .iterations(10_000),
    )
}

#[test]
fn sim_reports_a_read_not_ordered_after_the_set() {
    let err = dfs().run(|rt: SimRuntime| publish(rt, false)).unwrap_err();
    let f = err.failure().expect("a failed execution");
    assert_unpublished(f.kind, &f.message);
}

#[test]
fn sim_passes_a_read_ordered_by_join_over_every_schedule() {
    let report = dfs().run(|rt: SimRuntime| publish(rt, true)).unwrap();
    assert_eq!(report.exhausted, Some(true), "{report:?}");
}

#[test]
fn sim_reports_a_second_set_naming_both_tasks() {
    let err = dfs().run(set_twice).unwrap_err();
    let f = err.failure().expect("a failed execution");
    assert_eq!(f.kind, FailureKind::ContractViolation, "{f}");
    assert!(
        f.message.contains("set twice") && f.message.contains("task 'writer'"),
        "{}",
        f.message
    );
}

/// `Config::tolerate` counts the new contract's findings like the built-in ones.
#[test]
fn sim_tolerates_the_new_contract_like_the_built_in_ones() {
    let config = Config::default()
        .strategy(StrategyKind::Dfs)
        .iterations(10_000)
        .tolerate(FailureKind::ContractViolation);
    let report = Sim::new(config)
        .run(|rt: SimRuntime| publish(rt, false))
        .unwrap();
    let [t] = &report.tolerated[..] else {
        panic!("one kind tolerated: {:?}", report.tolerated)
    };
    assert_eq!(t.kind, FailureKind::ContractViolation);
    assert!(t.findings > 0, "{t:?}");
    assert!(
        t.first.contains("once-cell contract violation"),
        "{}",
        t.first
    );
}

#[cfg(feature = "shuttle")]
mod shuttle {
    use super::*;
    use weft_core::backend::shuttle::try_check_dfs;

    #[test]
    fn shuttle_reports_a_read_not_ordered_after_the_set() {
        let (kind, message) =
            found(try_check_dfs(|rt| publish(rt, false), None)).expect("a failure");
        assert_unpublished(kind, &message);
    }

    #[test]
    fn shuttle_passes_a_read_ordered_by_join() {
        assert_eq!(found(try_check_dfs(|rt| publish(rt, true), None)), None);
    }
}

#[cfg(feature = "loom")]
mod loom {
    use super::*;
    use weft_core::backend::loom::try_model;

    #[test]
    fn loom_reports_a_read_not_ordered_after_the_set() {
        let (kind, message) = found(try_model(|rt| publish(rt, false))).expect("a failure");
        assert_unpublished(kind, &message);
    }

    #[test]
    fn loom_passes_a_read_ordered_by_join() {
        assert_eq!(found(try_model(|rt| publish(rt, true))), None);
    }
}

/// The production backend keeps no history: a checked object pays nothing for its contract.
#[cfg(feature = "tokio")]
#[test]
fn tokio_keeps_no_history() {
    use weft_core::backend::tokio::TokioRuntime;
    use weft_core::causality::{SharedCellContract, WaitGroupContract};
    type H<C> = <TokioRuntime as Runtime>::History<C>;
    assert_eq!(std::mem::size_of::<H<OnceInit>>(), 0);
    assert_eq!(std::mem::size_of::<H<SharedCellContract>>(), 0);
    assert_eq!(std::mem::size_of::<H<WaitGroupContract>>(), 0);
}
