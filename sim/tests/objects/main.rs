//! Objects and accesses on every operation (issue 11 part 3), per primitive, under weft-sim.
//!
//! Each test runs a small program once under the simulator through [`record::Rec`], a runtime that
//! forwards every funnel to the simulator's and records each operation the primitives pass to
//! `point` and `note`. It then checks the recorded list (which operation touched which object, and
//! how) and what the dependency relation ([`Op::conflicts`]) says about pairs of them: two locks of
//! one mutex conflict, locks of two mutexes do not, two reads of a shared cell do not, a read and a
//! write do, and so on. `tasks::ids_are_stable_per_execution` checks that ids are stable per
//! execution (`trace_objects.rs` checks that the simulator's trace shows them).
//!
//! One test binary with a module per family of primitives (each file directly under `tests/`
//! is a binary of its own, compiled and linked against the whole workspace; modules share one
//! link): [`locks`], [`signals`], [`channels`], [`memory`], [`tasks`] (with the id check);
//! [`record`] holds the recording runtime.

mod record;

mod channels;
mod locks;
mod memory;
mod signals;
mod tasks;
