//! The linearizability checker (issue 13 part 4): hand-written linearizable and
//! non-linearizable histories of registers, CAS registers, queues, versioned registers and
//! keyed maps, with and without pending operations; malformed histories; the shrunk witness
//! and its report; and histories recorded from tasks under weft-sim, with the checker as the
//! oracle.

mod keyed;
mod malformed;
mod pending;
mod queue;
mod register;
mod report;
mod shrink;
mod sim;
mod support;
mod versioned;
