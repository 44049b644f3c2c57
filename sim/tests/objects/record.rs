//! [`Rec`], the simulator's runtime recording every operation the primitives report, and
//! [`Ops`], what one execution recorded: each operation as a line, and whether two conflict.

use std::future::Future;
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use weft_core::causality::Contract;
use weft_core::{BoxFuture, Fault, Instant, ObjectId, Op, Runtime};
use weft_sim::{Config, Sim, SimRuntime};

/// The simulator's runtime, recording the operations the primitives report.
#[derive(Clone)]
pub struct Rec {
    sim: SimRuntime,
    ops: Arc<StdMutex<Vec<Op>>>,
}

impl Rec {
    fn log(&self, op: Op) {
        self.ops.lock().unwrap().push(op);
    }
}

impl Runtime for Rec {
    type Lock<T: Send + 'static> = <SimRuntime as Runtime>::Lock<T>;
    type Clock = <SimRuntime as Runtime>::Clock;
    type History<C: Contract> = <SimRuntime as Runtime>::History<C>;
    type Sleep = <SimRuntime as Runtime>::Sleep;

    fn backend_name(&self) -> &'static str {
        "sim+record"
    }
    fn spawn_boxed(&self, name: &str, task: BoxFuture) {
        self.sim.spawn_boxed(name, task)
    }
    #[track_caller]
    fn yield_now(&self) -> impl Future<Output = ()> + Send + 'static {
        self.sim.yield_now()
    }
    #[track_caller]
    fn sleep(&self, duration: Duration) -> Self::Sleep {
        self.sim.sleep(duration)
    }
    fn now(&self) -> Instant {
        self.sim.now()
    }
    fn choose(&self, n: usize) -> usize {
        self.sim.choose(n)
    }
    fn rand_u64(&self) -> u64 {
        self.sim.rand_u64()
    }
    fn object(&self) -> ObjectId {
        self.sim.object()
    }
    fn point(&self, op: Op) -> impl Future<Output = ()> + Send + 'static {
        self.log(op);
        self.sim.point(op)
    }
    fn note(&self, op: Op) {
        self.log(op);
        self.sim.note(op)
    }
    fn release(&self, clock: &mut Self::Clock) {
        self.sim.release(clock)
    }
    fn acquire(&self, clock: &Self::Clock) {
        self.sim.acquire(clock)
    }
    fn check<C: Contract>(
        &self,
        history: &mut Self::History<C>,
        event: C::Event,
        op: Op,
    ) -> Result<(), Fault> {
        self.sim.check::<C>(history, event, op)
    }

    fn fail(&self, fault: Fault) -> ! {
        self.sim.fail(fault)
    }
}

/// Runs `program` once under the simulator; returns the operations it reported, in order.
pub fn record<F, Fut>(program: F) -> Ops
where
    F: Fn(Rec) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let ops = Arc::new(StdMutex::new(Vec::new()));
    let log = ops.clone();
    let program = Arc::new(program);
    Sim::new(Config::default().iterations(1)).check(move |sim| {
        log.lock().unwrap().clear();
        program(Rec {
            sim,
            ops: log.clone(),
        })
    });
    let ops = ops.lock().unwrap().clone();
    Ops(ops)
}

/// The operations of one execution.
pub struct Ops(Vec<Op>);

impl Ops {
    /// Each operation as `name #object Access` (`name` alone when it touches no known object).
    pub fn lines(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|op| match (op.touch.object(), op.touch.access()) {
                (Some(o), Some(a)) => format!("{} {o} {a:?}", op.name),
                _ => format!("{} {:?}", op.name, op.touch),
            })
            .collect()
    }

    /// The `nth` (from 0) operation called `name`.
    fn get(&self, name: &str, nth: usize) -> Op {
        *self
            .0
            .iter()
            .filter(|op| op.name == name)
            .nth(nth)
            .unwrap_or_else(|| panic!("no {name} number {nth} in {:#?}", self.lines()))
    }

    /// Whether the `i`-th `a` and the `j`-th `b` conflict; asserts the relation is symmetric.
    pub fn conflict(&self, (a, i): (&str, usize), (b, j): (&str, usize)) -> bool {
        let (x, y) = (self.get(a, i), self.get(b, j));
        assert_eq!(x.conflicts(&y), y.conflicts(&x), "{a} / {b}: not symmetric");
        x.conflicts(&y)
    }
}

/// Every execution's operations, for `program` run `iterations` times from `seed`.
pub fn record_all<F, Fut>(seed: u64, iterations: u64, program: F) -> Vec<Vec<String>>
where
    F: Fn(Rec) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let all = Arc::new(StdMutex::new(Vec::new()));
    let log = all.clone();
    Sim::new(Config::default().seed(seed).iterations(iterations)).check(move |sim| {
        let ops = Arc::new(StdMutex::new(Vec::new()));
        log.lock().unwrap().push(ops.clone());
        program(Rec { sim, ops })
    });
    let all = all.lock().unwrap();
    all.iter()
        .map(|ops| Ops(ops.lock().unwrap().clone()).lines())
        .collect()
}
