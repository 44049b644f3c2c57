//! The `Runtime` funnels of loom and shuttle, written once as a macro expanded inside each
//! backend's `impl Runtime` (the two differ only in their handle type).

/// The funnels of a backend whose handle has `exec: Arc<Execution>`, `fn task(&self)`
/// (the running task's index, panicking with a clear message outside an execution),
/// `fn scheduling_point(&self)` (counts a step against the step bound) and
/// `fn raise(&self, Fault) -> !` (records the fault for the check, then unwinds): every
/// check routes to the execution's causality engine; scheduling points are the checker's own locks.
macro_rules! checked_funnels {
    () => {
        fn object(&self) -> $crate::object::ObjectId {
            self.exec.next_object()
        }

        fn point(
            &self,
            _op: $crate::runtime::Op,
        ) -> impl std::future::Future<Output = ()> + Send + 'static {
            self.task();
            self.scheduling_point();
            std::future::ready(())
        }

        fn note(&self, _op: $crate::runtime::Op) {
            self.task();
        }

        fn release(&self, clock: &mut $crate::causality::VectorClock) {
            self.exec.release(self.task(), clock);
        }

        fn acquire(&self, clock: &$crate::causality::VectorClock) {
            self.exec.acquire(self.task(), clock);
        }

        fn check<C: $crate::causality::Contract>(
            &self,
            history: &mut C::History,
            event: C::Event,
            op: $crate::runtime::Op,
        ) -> Result<(), $crate::fault::Fault> {
            self.exec.check::<C>(self.task(), history, event, op)
        }

        fn fail(&self, fault: $crate::fault::Fault) -> ! {
            self.raise(fault)
        }
    };
}
pub(crate) use checked_funnels;
