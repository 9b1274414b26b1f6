//! The core's `tracing` events, forwarded to Python's `logging` under the `airbyte_core` logger
//! (`airbyte_core.flow.call` for events of `airbyte_core::flow::call`). An event is formatted
//! only when that logger is enabled for its level.

use std::fmt::{self, Write};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};

static GET_LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn python_level(level: &Level) -> u8 {
    match *level {
        Level::ERROR => 40,
        Level::WARN => 30,
        Level::INFO => 20,
        Level::DEBUG => 10,
        Level::TRACE => 5,
    }
}

fn logger<'py>(py: Python<'py>, target: &str) -> PyResult<Bound<'py, PyAny>> {
    let get_logger = GET_LOGGER
        .get_or_try_init(py, || py.import("logging")?.getattr("getLogger").map(Bound::unbind))?;
    let name = target.replace("::", ".");
    get_logger.bind(py).call1((name,))
}

/// Collects an event's message and fields as `message (key=value ...)`.
#[derive(Default)]
struct Line {
    message: String,
    fields: String,
}

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let sep = if self.fields.is_empty() { "" } else { " " };
            let _ = write!(self.fields, "{sep}{}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let sep = if self.fields.is_empty() { "" } else { " " };
            let _ = write!(self.fields, "{sep}{}={value}", field.name());
        }
    }
}

/// Forwards events to Python; spans are not tracked.
pub(crate) struct PythonLogging;

impl Subscriber for PythonLogging {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::sometimes()
    }

    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        if !metadata.is_event() {
            return false;
        }
        Python::attach(|py| {
            logger(py, metadata.target())
                .and_then(|l| l.call_method1("isEnabledFor", (python_level(metadata.level()),)))
                .and_then(|enabled| enabled.is_truthy())
                .unwrap_or(false)
        })
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let metadata = event.metadata();
        let mut line = Line::default();
        event.record(&mut line);
        let text = if line.fields.is_empty() {
            line.message
        } else {
            format!("{} ({})", line.message, line.fields)
        };
        Python::attach(|py| {
            let _ = logger(py, metadata.target())
                .and_then(|l| l.call_method1("log", (python_level(metadata.level()), text)));
        });
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
