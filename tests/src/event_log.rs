//! A log of `(item id, event)` pairs that test hooks write into, shared by
//! the tests of one file: each test reads back only the ids of its own
//! prefix, so tests running at once do not see each other's events.

use std::sync::Mutex;

/// `(item id, event)` in the order the events happened.
pub struct EventLog(Mutex<Vec<(String, String)>>);

impl EventLog {
    /// An empty log, usable as a `static`.
    pub const fn new() -> Self {
        EventLog(Mutex::new(Vec::new()))
    }

    /// Records `event` for item `id`.
    pub fn record(&self, id: &str, event: impl Into<String>) {
        self.entries().push((id.to_owned(), event.into()));
    }

    /// The events recorded for the ids starting with `prefix`, as
    /// `"id event"`, in the order they happened.
    pub fn events(&self, prefix: &str) -> Vec<String> {
        self.entries()
            .iter()
            .filter(|(id, _)| id.starts_with(prefix))
            .map(|(id, event)| format!("{id} {event}"))
            .collect()
    }

    /// The entries; a test that panicked while holding the lock does not
    /// hide the log from the others.
    fn entries(&self) -> std::sync::MutexGuard<'_, Vec<(String, String)>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Default for EventLog {
    fn default() -> Self {
        EventLog::new()
    }
}
