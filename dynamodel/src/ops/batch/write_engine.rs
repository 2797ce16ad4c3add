//! The write engine of [`BatchWrite`](super::BatchWrite): splits the writes
//! into `BatchWriteItem` requests of at most [`MAX_BATCH_WRITE`], sends up to
//! `concurrency` at a time, and retries unprocessed items and failed requests
//! within the retry budget; what is left ends in [`BatchIncomplete`].

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::time::Instant;

use crate::trace::Traced;
use aws_sdk_dynamodb::types::{DeleteRequest, PutRequest, WriteRequest};
use futures::stream::{self, StreamExt};

use super::progress::BatchProgress;
use crate::error::{BatchIncomplete, BatchStats, UnprocessedWrite, WriteAction};
use crate::limits::MAX_BATCH_WRITE;
use crate::ops::keys::canonical_key;
use crate::ops::request::build_error;
use crate::ops::retry::{is_retryable, was_refused, Budget, RetryPolicy};
use crate::{Db, Error, Result};

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
    pub(super) key_names: Vec<&'static str>,
    pub(super) model: &'static str,
    pub(super) type_id: TypeId,
    pub(super) table: String,
    pub(super) action: WriteAction,
    pub(super) typed_key: Box<dyn Any + Send + Sync>,
}

impl WriteEntry {
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
}

/// Sends `entries` (checked when added), `concurrency` requests at a time.
pub(super) async fn send(
    db: &Db,
    entries: Vec<WriteEntry>,
    concurrency: usize,
    retry: RetryPolicy,
    progress: &BatchProgress,
) -> Result<BatchWriteOutput> {
    let mut key_names: HashMap<String, Vec<&'static str>> = HashMap::new();
    for entry in &entries {
        key_names
            .entry(entry.table.clone())
            .or_insert_with(|| entry.key_names.clone());
    }
    let requests = entries
        .iter()
        .map(WriteEntry::request)
        .collect::<Result<Vec<_>>>()?;
    let mut lookup: HashMap<(&str, Vec<u8>), usize> = HashMap::new();
    for (index, entry) in entries.iter().enumerate() {
        let item = match &entry.action {
            WriteAction::Put(item) | WriteAction::Delete(item) => item,
        };
        if let Some(canon) = key_names
            .get(&entry.table)
            .and_then(|names| canonical_key(item, names))
        {
            lookup.insert((entry.table.as_str(), canon), index);
        }
    }
    let ctx = WriteCtx {
        db,
        entries: &entries,
        requests: &requests,
        key_names: &key_names,
        lookup: &lookup,
        retry,
        progress,
    };
    let indices = progress.not_done();
    let already_done = entries.len() - indices.len();
    let chunks: Vec<_> = indices
        .chunks(MAX_BATCH_WRITE)
        .map(|chunk| ctx.run_chunk(chunk.to_vec()))
        .collect();
    let outcomes: Vec<ChunkOutcome> = stream::iter(chunks)
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let mut stats = BatchStats::default();
    let mut left = Vec::new();
    let mut cause = None;
    for outcome in outcomes {
        stats.add(outcome.stats);
        left.extend(outcome.left);
        if cause.is_none() {
            cause = outcome.error;
        }
    }
    let total = entries.len();
    if left.is_empty() {
        return Ok(BatchWriteOutput {
            written: total,
            already_done,
            stats,
        });
    }
    left.sort_unstable();
    let mut entries: Vec<Option<WriteEntry>> = entries.into_iter().map(Some).collect();
    let unprocessed_writes: Vec<UnprocessedWrite> = left
        .iter()
        .filter_map(|&index| {
            entries[index].take().map(|entry| UnprocessedWrite {
                index,
                model: entry.model,
                table: entry.table,
                action: entry.action,
                type_id: entry.type_id,
                typed_key: entry.typed_key,
                key_names: entry.key_names,
            })
        })
        .collect();
    Err(Error::BatchIncomplete(Box::new(BatchIncomplete {
        operation: "BatchWriteItem",
        total,
        succeeded: total - unprocessed_writes.len(),
        unprocessed_writes,
        unprocessed_keys: Vec::new(),
        partial: None,
        stats,
        cause: cause.map(Box::new),
    })))
}

struct ChunkOutcome {
    left: Vec<usize>,
    stats: BatchStats,
    error: Option<Error>,
}

struct WriteCtx<'a> {
    db: &'a Db,
    entries: &'a [WriteEntry],
    requests: &'a [WriteRequest],
    key_names: &'a HashMap<String, Vec<&'static str>>,
    lookup: &'a HashMap<(&'a str, Vec<u8>), usize>,
    retry: RetryPolicy,
    progress: &'a BatchProgress,
}

impl WriteCtx<'_> {
    async fn run_chunk(&self, mut pending: Vec<usize>) -> ChunkOutcome {
        let mut stats = BatchStats::default();
        let mut budget = Budget::new(self.retry, Instant::now());
        let mut last_error;
        loop {
            let mut request_items: HashMap<String, Vec<WriteRequest>> = HashMap::new();
            for &index in &pending {
                request_items
                    .entry(self.entries[index].table.clone())
                    .or_default()
                    .push(self.requests[index].clone());
            }
            stats.requests += 1;
            self.progress.sending(&pending);
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
                .send()
                .traced(span)
                .await;
            match result {
                Ok(output) => {
                    let unprocessed = output.unprocessed_items.unwrap_or_default();
                    let next = match self.match_unprocessed(unprocessed, &mut stats) {
                        Some(next) => {
                            self.progress.answered(&pending, &next);
                            next
                        }
                        // Which were written is unknown: all stay pending.
                        None => {
                            self.progress.failed(&pending, false);
                            pending.clone()
                        }
                    };
                    last_error = None;
                    if !next.is_empty() {
                        tracing::debug!(
                            operation = "BatchWriteItem",
                            sent = pending.len(),
                            unprocessed = next.len(),
                            "batch partially processed"
                        );
                    }
                    if next.is_empty() {
                        return ChunkOutcome {
                            left: next,
                            stats,
                            error: None,
                        };
                    }
                    pending = next;
                }
                Err(err) if is_retryable(&err) => {
                    self.progress.failed(&pending, was_refused(&err));
                    stats.failed_requests += 1;
                    crate::ops::retry::trace_retryable("BatchWriteItem", &err);
                    let (model, table) = (
                        self.entries[pending[0]].model,
                        self.entries[pending[0]].table.clone(),
                    );
                    last_error = Some(Error::sdk(
                        model,
                        "BatchWriteItem",
                        &table,
                        err.into_service_error(),
                    ));
                }
                Err(err) => {
                    self.progress.failed(&pending, was_refused(&err));
                    let (model, table) = (
                        self.entries[pending[0]].model,
                        self.entries[pending[0]].table.clone(),
                    );
                    return ChunkOutcome {
                        left: pending,
                        stats,
                        error: Some(Error::sdk(
                            model,
                            "BatchWriteItem",
                            &table,
                            err.into_service_error(),
                        )),
                    };
                }
            }
            if !budget.next_attempt().await {
                return ChunkOutcome {
                    left: pending,
                    stats,
                    error: last_error,
                };
            }
            stats.retries += 1;
        }
    }

    /// The entries DynamoDB reported unprocessed; `None` if one cannot be
    /// matched (then all of the request stays pending: writes are
    /// idempotent).
    fn match_unprocessed(
        &self,
        unprocessed: HashMap<String, Vec<WriteRequest>>,
        stats: &mut BatchStats,
    ) -> Option<Vec<usize>> {
        let mut next = Vec::new();
        for (table, requests) in unprocessed {
            for request in requests {
                stats.unprocessed_returned += 1;
                let item = request
                    .put_request
                    .map(|p| p.item)
                    .or(request.delete_request.map(|d| d.key));
                let index = item.and_then(|item| {
                    let names = self.key_names.get(&table)?;
                    let canon = canonical_key(&item, names)?;
                    self.lookup.get(&(table.as_str(), canon)).copied()
                });
                next.push(index?);
            }
        }
        next.sort_unstable();
        next.dedup();
        Some(next)
    }
}
