//! The write engine of [`BatchWrite`](super::BatchWrite) and of streamed
//! batches ([`BatchPutStream`](super::BatchPutStream)): takes chunks of at
//! most [`MAX_BATCH_WRITE`] writes, sends up to `concurrency` at a time,
//! and retries unprocessed items and failed requests within the retry
//! budget; what is left ends in [`BatchIncomplete`].
//!
//! Chunks are pulled from a stream only when a request slot is free, so a
//! streamed batch holds at most `concurrency + 1` chunks at once. Each
//! write exists once (in its [`WriteEntry`]); an attempt sends a copy,
//! since the SDK consumes its input and a failed request must leave the
//! write available to retry and to report.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use crate::trace::Traced;
use aws_sdk_dynamodb::types::{DeleteRequest, PutRequest, WriteRequest};
use futures::stream::{Stream, StreamExt};

use super::progress::BatchProgress;
use crate::error::{BatchIncomplete, BatchStats, UnprocessedWrite, WriteAction};
use crate::ops::keys::{canonical_key, KeyNames};
use crate::ops::meter::{return_capacity, Meter};
use crate::ops::request::build_error;
use crate::ops::retry::{is_retryable, was_refused, Budget, RetryPolicy};
use crate::{Db, Error, Result};

#[cfg(doc)]
use crate::limits::MAX_BATCH_WRITE;

/// What a completed batch write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchWriteOutput {
    /// Writes done (all of those asked for).
    pub written: usize,
    /// Of those, the writes not sent because the attached
    /// [`BatchProgress`] recorded them done by an earlier send.
    pub already_done: usize,
    /// Request and retry counters.
    pub stats: BatchStats,
}

/// One write as added: enough to send it and to report it undone.
pub(super) struct WriteEntry {
    /// Its position in the call.
    pub(super) index: usize,
    pub(super) key_names: KeyNames,
    pub(super) model: &'static str,
    pub(super) type_id: TypeId,
    /// Shared by the writes of one table.
    pub(super) table: Arc<str>,
    pub(super) action: WriteAction,
    pub(super) typed_key: Box<dyn Any + Send + Sync>,
}

impl WriteEntry {
    /// The request of one attempt (a copy: the SDK consumes it).
    fn request(&self) -> Result<WriteRequest> {
        let request = match &self.action {
            WriteAction::Put(item) => WriteRequest::builder()
                .put_request(
                    PutRequest::builder()
                        .set_item(Some(item.clone()))
                        .build()
                        .map_err(|e| build_error(self.model, e))?,
                )
                .build(),
            WriteAction::Delete(key) => WriteRequest::builder()
                .delete_request(
                    DeleteRequest::builder()
                        .set_key(Some(key.clone()))
                        .build()
                        .map_err(|e| build_error(self.model, e))?,
                )
                .build(),
        };
        Ok(request)
    }

    fn item(&self) -> &crate::Item {
        match &self.action {
            WriteAction::Put(item) | WriteAction::Delete(item) => item,
        }
    }

    /// The report of this write as not done.
    pub(super) fn into_unprocessed(self) -> UnprocessedWrite {
        UnprocessedWrite {
            index: self.index,
            model: self.model,
            table: self.table.as_ref().to_owned(),
            action: self.action,
            type_id: self.type_id,
            typed_key: self.typed_key,
            key_names: self.key_names.as_slice().to_vec(),
        }
    }
}

/// What the engine did with all the chunks it was given.
pub(super) struct Sent {
    pub(super) written: usize,
    pub(super) stats: BatchStats,
    /// The writes not done, in no particular order.
    pub(super) left: Vec<WriteEntry>,
    /// The error that left them, when one did.
    pub(super) cause: Option<Error>,
}

/// Sends the chunks of `chunks` (at most 25 writes each, no key twice in
/// one chunk), `concurrency` requests at a time, recording in `progress`.
pub(super) async fn send(
    db: &Db,
    chunks: impl Stream<Item = Vec<WriteEntry>>,
    concurrency: usize,
    retry: RetryPolicy,
    progress: Option<&BatchProgress>,
    meter: Option<&Meter>,
) -> Sent {
    let ctx = WriteCtx {
        db,
        retry,
        progress,
        meter,
    };
    let ctx = &ctx;
    chunks
        .map(|chunk| ctx.run_chunk(chunk))
        .buffer_unordered(concurrency.max(1))
        .fold(
            Sent {
                written: 0,
                stats: BatchStats::default(),
                left: Vec::new(),
                cause: None,
            },
            |mut sent, outcome| async move {
                sent.written += outcome.written;
                sent.stats.add(outcome.stats);
                sent.left.extend(outcome.left);
                if sent.cause.is_none() {
                    sent.cause = outcome.error;
                }
                sent
            },
        )
        .await
}

/// The error of a batch that left writes undone: `left` (sorted here by
/// index), out of `total`, with `sent`'s counters and cause.
pub(super) fn incomplete(total: usize, written: usize, sent: Sent) -> Error {
    let mut left = sent.left;
    left.sort_unstable_by_key(|entry| entry.index);
    Error::BatchIncomplete(Box::new(BatchIncomplete {
        operation: "BatchWriteItem",
        total,
        succeeded: written,
        unprocessed_writes: left.into_iter().map(WriteEntry::into_unprocessed).collect(),
        unprocessed_keys: Vec::new(),
        partial: None,
        stats: sent.stats,
        cause: sent.cause.map(Box::new),
        stopped_at: None,
    }))
}

struct ChunkOutcome {
    written: usize,
    left: Vec<WriteEntry>,
    stats: BatchStats,
    error: Option<Error>,
}

struct WriteCtx<'a> {
    db: &'a Db,
    retry: RetryPolicy,
    progress: Option<&'a BatchProgress>,
    meter: Option<&'a Meter>,
}

fn indices(entries: &[WriteEntry]) -> Vec<usize> {
    entries.iter().map(|e| e.index).collect()
}

impl WriteCtx<'_> {
    async fn run_chunk(&self, mut pending: Vec<WriteEntry>) -> ChunkOutcome {
        let mut stats = BatchStats::default();
        let mut written = 0;
        let mut budget = Budget::new(self.retry, Instant::now());
        let mut last_error;
        loop {
            let request_items = match request_items(&pending) {
                Ok(items) => items,
                Err(err) => {
                    return ChunkOutcome {
                        written,
                        left: pending,
                        stats,
                        error: Some(err),
                    }
                }
            };
            stats.requests += 1;
            if let Some(progress) = self.progress {
                progress.sending(&indices(&pending));
            }
            let span = tracing::debug_span!(
                "dynamodel.request",
                operation = "BatchWriteItem",
                writes = pending.len()
            );
            let result = self
                .db
                .client()
                .batch_write_item()
                .set_request_items(Some(request_items))
                .set_return_consumed_capacity(return_capacity(self.meter))
                .send()
                .traced(span)
                .await;
            match result {
                Ok(output) => {
                    if let Some(meter) = self.meter {
                        meter.record(output.consumed_capacity.iter().flatten(), true);
                    }
                    let unprocessed = output.unprocessed_items.unwrap_or_default();
                    let sent = pending.len();
                    let sent_indices = self.progress.map(|_| indices(&pending));
                    match take_unprocessed(&mut pending, unprocessed, &mut stats) {
                        Some(next) => {
                            if let (Some(progress), Some(sent)) = (self.progress, &sent_indices) {
                                progress.answered(sent, &indices(&next));
                            }
                            written += sent - next.len();
                            pending = next;
                        }
                        // Which were written is unknown: all stay pending.
                        None => {
                            if let Some(progress) = self.progress {
                                progress.failed(&indices(&pending), false);
                            }
                        }
                    }
                    last_error = None;
                    if pending.is_empty() {
                        return ChunkOutcome {
                            written,
                            left: pending,
                            stats,
                            error: None,
                        };
                    }
                    tracing::debug!(
                        operation = "BatchWriteItem",
                        sent,
                        unprocessed = pending.len(),
                        "batch partially processed"
                    );
                }
                Err(err) => {
                    let retryable = is_retryable(&err);
                    if let Some(progress) = self.progress {
                        progress.failed(&indices(&pending), was_refused(&err));
                    }
                    if retryable {
                        stats.failed_requests += 1;
                        crate::ops::retry::trace_retryable("BatchWriteItem", &err);
                    }
                    let error = Error::sdk(
                        pending[0].model,
                        "BatchWriteItem",
                        &pending[0].table,
                        err.into_service_error(),
                    );
                    if !retryable {
                        return ChunkOutcome {
                            written,
                            left: pending,
                            stats,
                            error: Some(error),
                        };
                    }
                    last_error = Some(error);
                }
            }
            if !budget.next_attempt().await {
                return ChunkOutcome {
                    written,
                    left: pending,
                    stats,
                    error: last_error,
                };
            }
            stats.retries += 1;
        }
    }
}

/// The `RequestItems` of one attempt at `pending`.
fn request_items(pending: &[WriteEntry]) -> Result<HashMap<String, Vec<WriteRequest>>> {
    let mut items: HashMap<String, Vec<WriteRequest>> = HashMap::with_capacity(1);
    for entry in pending {
        let request = entry.request()?;
        match items.get_mut(entry.table.as_ref()) {
            Some(requests) => requests.push(request),
            None => {
                let mut requests = Vec::with_capacity(pending.len());
                requests.push(request);
                items.insert(entry.table.as_ref().to_owned(), requests);
            }
        }
    }
    Ok(items)
}

/// Splits `pending` into the writes DynamoDB reported unprocessed (returned)
/// and the others (left in `pending`); `None`, leaving `pending` whole, if
/// one of them cannot be matched (then all of the request stays pending:
/// writes are idempotent).
fn take_unprocessed(
    pending: &mut Vec<WriteEntry>,
    unprocessed: HashMap<String, Vec<WriteRequest>>,
    stats: &mut BatchStats,
) -> Option<Vec<WriteEntry>> {
    let mut positions = Vec::new();
    let mut matched = true;
    for (table, requests) in unprocessed {
        for request in requests {
            stats.unprocessed_returned += 1;
            let item = request
                .put_request
                .map(|p| p.item)
                .or(request.delete_request.map(|d| d.key));
            let position = item.and_then(|item| {
                let names = pending
                    .iter()
                    .find(|entry| *entry.table == *table)?
                    .key_names;
                let canon = canonical_key(&item, names.as_slice())?;
                pending.iter().position(|entry| {
                    *entry.table == *table
                        && canonical_key(entry.item(), names.as_slice()).as_ref() == Some(&canon)
                })
            });
            match position {
                Some(position) => positions.push(position),
                None => matched = false,
            }
        }
    }
    if !matched {
        return None;
    }
    positions.sort_unstable();
    positions.dedup();
    let mut next = Vec::with_capacity(positions.len());
    // From the back, so earlier positions stay valid; then back in order.
    for position in positions.into_iter().rev() {
        next.push(pending.remove(position));
    }
    next.reverse();
    Some(next)
}
