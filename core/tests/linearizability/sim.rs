//! Histories recorded from tasks under weft-sim, with the checker as the oracle: DPOR finds a
//! non-linearizable history of a buggy object and passes the correct one.

use std::sync::Arc;

use weft_core::linearizability::{
    CasOp, CasRegister, CasRet, Recorder, Register, RegisterOp, RegisterRet, SequentialSpec,
    LINEARIZABLE,
};
use weft_core::sync::Mutex;
use weft_core::{FailureKind, Runtime};
use weft_sim::{Config, Sim, SimRuntime, StrategyKind};

fn dpor() -> Sim {
    Sim::new(
        Config::default()
            .strategy(StrategyKind::Dpor)
            .iterations(100_000)
            .summary(false),
    )
}

/// After the clients have run: the checker as oracle.
fn oracle<R: Runtime, S: SequentialSpec>(rt: &R, rec: &Recorder<R, S>, spec: &S) {
    let verdict = rec.check(spec).expect("a well-formed history");
    if let Some(fault) = verdict.fault(LINEARIZABLE) {
        rt.fail(fault);
    }
}

/// A CAS register on a weft mutex; `atomic: false` reads and writes under two separate
/// locks (a non-atomic read-modify-write: the lost update).
struct Cell<R: Runtime> {
    value: Mutex<R, i64>,
    atomic: bool,
}

impl<R: Runtime> Cell<R> {
    async fn cas(&self, expect: i64, new: i64) -> bool {
        if self.atomic {
            let mut v = self.value.lock().await;
            let won = *v == expect;
            if won {
                *v = new;
            }
            return won;
        }
        let seen = *self.value.lock().await;
        if seen != expect {
            return false;
        }
        *self.value.lock().await = new;
        true
    }

    async fn read(&self) -> i64 {
        *self.value.lock().await
    }
}

/// Two clients each CAS 0 to their own value, then read.
async fn two_cas<R: Runtime>(rt: R, atomic: bool) {
    let cell = Arc::new(Cell {
        value: Mutex::new(&rt, 0),
        atomic,
    });
    let rec = Arc::new(Recorder::<R, CasRegister<i64>>::new(&rt));
    let mut tasks = Vec::new();
    for client in 0..2usize {
        let (cell, rec) = (cell.clone(), rec.clone());
        tasks.push(rt.spawn("client", async move {
            let new = client as i64 + 1;
            let t = rec.invoke(client, CasOp::Cas { expect: 0, new });
            let won = cell.cas(0, new).await;
            rec.respond(t, CasRet::Cas(won));
            let t = rec.invoke(client, CasOp::Read);
            let v = cell.read().await;
            rec.respond(t, CasRet::Value(v));
        }));
    }
    for t in tasks {
        t.join().await;
    }
    oracle(&rt, &rec, &CasRegister::new(0));
}

#[test]
fn dpor_finds_the_lost_update_of_a_non_atomic_cas() {
    let err = dpor().run(|rt: SimRuntime| two_cas(rt, false)).unwrap_err();
    let f = err.failure().expect("a failed execution");
    assert_eq!(f.kind, FailureKind::Assertion, "{f}");
    assert_eq!(f.oracle, Some(LINEARIZABLE), "{f}");
    assert!(f.message.starts_with("not linearizable"), "{}", f.message);
    assert!(f.message.contains("Cas(true)"), "{}", f.message);
}

#[test]
fn dpor_passes_the_atomic_cas() {
    let report = dpor().run(|rt: SimRuntime| two_cas(rt, true)).unwrap();
    assert!(report.executions > 1, "{report:?}");
}

/// A register with one replica per client, `replicated: false` never copying writes to the
/// other replica. Each client's operations touch only its own replica, so nothing but the
/// recorder orders one client's response against the other's invocation: the stale read is
/// found only because the scheduler sees the recorder's events.
async fn replicas<R: Runtime>(rt: R, replicated: bool, reader_first: bool) {
    let shared = Arc::new(Mutex::new(&rt, 0i64));
    let local: Vec<Arc<Mutex<R, i64>>> = if replicated {
        vec![shared.clone(), shared]
    } else {
        vec![Arc::new(Mutex::new(&rt, 0)), Arc::new(Mutex::new(&rt, 0))]
    };
    let rec = Arc::new(Recorder::<R, Register<i64>>::new(&rt));
    let writer = {
        let (mine, rec) = (local[0].clone(), rec.clone());
        async move {
            let t = rec.invoke(0, RegisterOp::Write(1));
            *mine.lock().await = 1;
            rec.respond(t, RegisterRet::Ok);
        }
    };
    let reader = {
        let (mine, rec) = (local[1].clone(), rec.clone());
        async move {
            let t = rec.invoke(1, RegisterOp::Read);
            let v = *mine.lock().await;
            rec.respond(t, RegisterRet::Value(v));
        }
    };
    let (a, b) = if reader_first {
        let r = rt.spawn("reader", reader);
        (r, rt.spawn("writer", writer))
    } else {
        let w = rt.spawn("writer", writer);
        (w, rt.spawn("reader", reader))
    };
    a.join().await;
    b.join().await;
    oracle(&rt, &rec, &Register::new(0));
}

#[test]
fn dpor_orders_responses_against_invocations_to_find_a_stale_replica() {
    for reader_first in [false, true] {
        let err = dpor()
            .run(move |rt: SimRuntime| replicas(rt, false, reader_first))
            .unwrap_err();
        let f = err.failure().expect("a failed execution");
        assert_eq!(f.oracle, Some(LINEARIZABLE), "{f}");
    }
}

#[test]
fn dpor_passes_a_single_copy() {
    for reader_first in [false, true] {
        dpor()
            .run(move |rt: SimRuntime| replicas(rt, true, reader_first))
            .unwrap();
    }
}
