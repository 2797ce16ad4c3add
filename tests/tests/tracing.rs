//! Its own test binary: tracing caches which callsites are enabled per process, so another test
//! running beside it on another thread could hide events from this thread's subscriber.
//!
//! `RUST_LOG=dynamodel=debug` shows the requests, retries, backoff delays,
//! partially processed batches and failed conditions — never values or
//! keys: the events of real operations, captured into a buffer.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dynamodel::ops::RetryPolicy;
use dynamodel::Model;
use dynamodel_tests::fault::FaultConfig;
use dynamodel_tests::{db_through_proxy, db_with_table, fault_proxy};

const SENTINEL: &str = "Sentinel7q4Z";

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "traced")]
struct Traced {
    #[dynamodel(hash_key)]
    id: String,
    body: String,
}

fn traced(i: usize) -> Traced {
    Traced {
        id: format!("{SENTINEL}-{i}"),
        body: format!("{SENTINEL}-body"),
    }
}

/// A writer into a shared buffer, for the fmt subscriber.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buffer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn debug_logs_show_requests_retries_and_failures_without_values() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter("dynamodel=debug")
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    // This test's thread only (the runtime is current-thread).
    let _guard = tracing::subscriber::set_default(subscriber);

    let db = db_with_table::<Traced>("tracing").await;
    db.put(&traced(0)).await.unwrap();
    let f = Traced::fields();
    let err = db
        .put(&traced(0))
        .condition(f.body.eq(format!("{SENTINEL}-other")))
        .await
        .unwrap_err();
    assert!(err.is_conditional_check_failed());

    // Get, update and delete send from a boxed future: still in their span.
    let id = format!("{SENTINEL}-0");
    assert!(db.get::<Traced>(id.clone()).await.unwrap().is_some());
    db.update::<Traced>(id.clone())
        .set(&f.body, format!("{SENTINEL}-new"))
        .await
        .unwrap();
    assert!(db.delete::<Traced>(id.clone()).await.unwrap().is_some());
    let err = db
        .update::<Traced>(id)
        .set(&f.body, format!("{SENTINEL}-gone"))
        .await
        .unwrap_err();
    assert!(matches!(err, dynamodel::Error::NotFound { .. }), "{err:?}");

    // Every batch request comes back unprocessed or throttled.
    let proxy = fault_proxy(FaultConfig {
        partial_batch: 0.7,
        throttle: 0.3,
        ..FaultConfig::seeded(3)
    })
    .await;
    let faulty = db_through_proxy::<Traced>(&db, &proxy);
    let items: Vec<Traced> = (1..40).map(traced).collect();
    let _ = faulty
        .batch_put(&items)
        .retry(
            RetryPolicy::default()
                .max_attempts(4)
                .max_elapsed(None)
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(5)),
        )
        .await;

    let log = buffer.text();
    for expected in [
        "dynamodel.request",
        "operation=\"PutItem\"",
        "request sent",
        "response received",
        "condition failed",
        "operation=\"BatchWriteItem\"",
        "batch partially processed",
        "unprocessed=",
        "request failed with a retryable error",
        "backing off before retrying",
        "delay_ms=",
        "attempt=",
        "retry budget spent",
    ] {
        assert!(log.contains(expected), "missing {expected:?} in:\n{log}");
    }
    for (operation, event) in [
        ("GetItem", "response received"),
        ("UpdateItem", "response received"),
        ("UpdateItem", "request failed"),
        ("DeleteItem", "response received"),
    ] {
        let span = format!("operation=\"{operation}\"");
        assert!(
            log.lines()
                .any(|line| line.contains(&span) && line.contains(event)),
            "no {event:?} in a {operation} span in:\n{log}"
        );
    }
    assert!(!log.contains(SENTINEL), "a value or key was logged:\n{log}");
}
