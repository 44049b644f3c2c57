//! A `tracing-subscriber` layer that tags each event logged by model code with the task, step
//! and virtual time, and keeps it in the execution's trace.

use std::fmt::Write as _;

use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer};

use crate::context;
use crate::trace::EventKind;

/// Records `tracing` events into the current execution's trace; outside a simulation it does
/// nothing. The runner installs it when [`Config::capture_logs`](crate::Config) is on.
#[derive(Debug, Default, Clone, Copy)]
pub struct TraceLayer;

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?} ");
        } else {
            let _ = write!(self.0, "{}={value:?} ", field.name());
        }
    }
}

impl<S: Subscriber> Layer<S> for TraceLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        context::try_current(|exec| {
            if !exec.trace.recording() {
                return;
            }
            let mut fields = Fields(format!("{} ", event.metadata().level()));
            event.record(&mut fields);
            exec.event(EventKind::Log(fields.0.trim_end().to_string()));
        });
    }
}
