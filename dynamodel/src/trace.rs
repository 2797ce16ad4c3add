//! Tracing of requests: every request to DynamoDB runs in a
//! `dynamodel.request` span (operation, model, table) and emits a `debug`
//! event when sent and when answered (elapsed time, error code), so
//! `RUST_LOG=dynamodel=debug` shows each request. Retries, backoff delays,
//! partially processed batches and failed conditions emit their own events
//! (`ops::retry`, the batch engines, `ops::condition`). Events carry counts,
//! codes, attempt numbers and delays: never values or keys.

use std::future::Future;
use std::time::Instant;

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use tracing::{Instrument, Span};

/// Sends an SDK request future inside `span`, with an event before and after.
pub(crate) trait Traced<T, E>:
    Future<Output = Result<T, SdkError<E, HttpResponse>>> + Sized
where
    E: ProvideErrorMetadata,
{
    /// The request, run in `span` and traced.
    fn traced(self, span: Span) -> impl Future<Output = Self::Output> {
        traced_from(span, move || self)
    }
}

impl<F, T, E> Traced<T, E> for F
where
    F: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    E: ProvideErrorMetadata,
{
}

/// The request `send` makes, run in `span` and traced, in a box.
///
/// For single-item requests: `send` builds the SDK request inside the boxed
/// future, so the SDK's large future is made in place rather than made on
/// the stack and moved (copied whole) into a wrapper and then into a box.
/// Boxed, the operation's own future stays small where callers move it
/// (into `buffer_unordered`, a spawned task).
pub(crate) fn send_traced<S, F, T, E>(
    span: Span,
    send: S,
) -> std::pin::Pin<Box<impl Future<Output = F::Output>>>
where
    S: FnOnce() -> F,
    F: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    E: ProvideErrorMetadata,
{
    Box::pin(traced_from(span, send))
}

/// The request `send` makes, run in `span` with an event before and after.
fn traced_from<S, F, T, E>(span: Span, send: S) -> impl Future<Output = F::Output>
where
    S: FnOnce() -> F,
    F: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    E: ProvideErrorMetadata,
{
    async move {
        let started = Instant::now();
        tracing::debug!("request sent");
        let result = send().await;
        let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        match &result {
            Ok(_) => tracing::debug!(elapsed_ms, "response received"),
            // The code only: DynamoDB's messages are not ours to vouch for.
            Err(err) => tracing::debug!(
                elapsed_ms,
                code = err.code().unwrap_or("none"),
                "request failed"
            ),
        }
        result
    }
    .instrument(span)
}
