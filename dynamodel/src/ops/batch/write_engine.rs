//! The write engine of [`BatchWrite`](super::BatchWrite) and of the batches
//! prepared chunk by chunk ([`SliceBatch`](super::SliceBatch),
//! [`BatchStream`](super::BatchStream)): takes chunks of at
//! most [`MAX_BATCH_WRITE`] writes, sends up to `concurrency` at a time,
//! and retries unprocessed items and failed requests within the retry
//! budget; what is left ends in [`BatchIncomplete`].
//!
//! Chunks are pulled from a stream only when a request slot is free, and
//! each chunk's request is started as soon as it is pulled
//! ([`in_flight`](super::in_flight)), so a streamed batch holds at most
//! `concurrency` chunks being sent and the one being prepared. Each
//! write exists once: in its [`WriteEntry`] until it is sent, then (moved,
//! not copied) in the request. What DynamoDB returns unprocessed comes back
//! by value and is moved into the next attempt; a failed request is sent
//! again from its recorded body ([`crate::ops::replay`]); and the writes a
//! failed batch leaves are restored from that body for the report, so
//! nothing is copied per attempt and no write is lost.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use aws_sdk_dynamodb::types::{DeleteRequest, PutRequest, WriteRequest};
use futures::stream::{Stream, StreamExt};

use super::keys_seen::KeysInOrder;
use super::progress::BatchProgress;
use super::typed_key::TypedKey;
use crate::error::{BatchIncomplete, BatchStats, UnprocessedWrite, WriteAction};
use crate::ops::keys::{canonical_key, KeyNames};
use crate::ops::meter::{return_capacity, Meter};
use crate::ops::replay::SavedBody;
use crate::ops::request::build_error;
use crate::ops::retry::{is_retryable, was_refused, Budget, RetryPolicy};
use crate::pipeline::hooks::{run_after, ActionHooks, AfterFailures};
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

/// What the writes of one model on one table share: kept once per model
/// and batch, each entry pointing to it, so that an entry carries only
/// what is its own (a smaller entry is less memory moved per write).
#[derive(Debug)]
pub(super) struct WriteTarget {
    pub(super) model: &'static str,
    pub(super) type_id: TypeId,
    /// Shared by the targets of one table (a batch's table numbering and
    /// its requests' grouping compare it by pointer first).
    pub(super) table: Arc<str>,
    pub(super) key_names: KeyNames,
}

/// One write as added: enough to send it and to report it undone. While
/// its request is in flight, its item is in the request (the entry's is
/// empty) and its canonical key identifies it ([`WriteEntry::key`]).
pub(super) struct WriteEntry {
    /// Its position in the call.
    pub(super) index: usize,
    /// Its model and table, shared with the other writes of its model.
    pub(super) target: Arc<WriteTarget>,
    pub(super) action: WriteAction,
    pub(super) typed_key: TypedKey,
    /// The canonical key of the item (empty until first sent, or when the
    /// key pass of its batch recorded it: see [`WriteEntry::key`]).
    pub(super) canon: Vec<u8>,
}

impl WriteEntry {
    /// The name of its model, for errors.
    pub(super) fn model(&self) -> &'static str {
        self.target.model
    }

    /// The names of its table's key attributes.
    pub(super) fn key_names(&self) -> &[&'static str] {
        self.target.key_names.as_slice()
    }

    /// The canonical key of the item: its own, else the one the key pass
    /// recorded for its index in `recorded` (a slice batch's, kept once for
    /// all its writes); empty when neither is known.
    fn key<'k>(&'k self, recorded: Option<&'k KeysInOrder>) -> &'k [u8] {
        if !self.canon.is_empty() {
            return &self.canon;
        }
        recorded
            .and_then(|keys| keys.key(self.index))
            .unwrap_or_default()
    }

    /// The request of one attempt, taking the item (the SDK consumes it);
    /// the entry's canonical key (made now unless `recorded` has it) is
    /// what matches DynamoDB's answer to it.
    fn take_request(&mut self, recorded: Option<&KeysInOrder>) -> Result<WriteRequest> {
        let made = || canonical_key(self.item(), self.key_names()).unwrap_or_default();
        match recorded {
            // The key pass recorded the key of every write of the batch
            // (not looked up here); the item as prepared has the key it
            // was checked with (no generated key, no hook to change it).
            Some(_) => debug_assert_eq!(self.key(recorded), made().as_slice()),
            None if self.canon.is_empty() => self.canon = made(),
            None => debug_assert_eq!(self.canon, made()),
        }
        let request = match &mut self.action {
            WriteAction::Put(item) => WriteRequest::builder()
                .put_request(
                    PutRequest::builder()
                        .set_item(Some(std::mem::take(item)))
                        .build()
                        .map_err(|e| build_error(self.model(), e))?,
                )
                .build(),
            WriteAction::Delete(key) => WriteRequest::builder()
                .delete_request(
                    DeleteRequest::builder()
                        .set_key(Some(std::mem::take(key)))
                        .build()
                        .map_err(|e| build_error(self.model(), e))?,
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

    fn item_mut(&mut self) -> &mut crate::Item {
        match &mut self.action {
            WriteAction::Put(item) | WriteAction::Delete(item) => item,
        }
    }

    /// Whether the item is in a request (sent, and not given back).
    fn in_flight(&self, recorded: Option<&KeysInOrder>) -> bool {
        self.item().is_empty() && !self.key(recorded).is_empty()
    }

    /// The report of this write as not done.
    pub(super) fn into_unprocessed(self) -> UnprocessedWrite {
        let (WriteAction::Put(item) | WriteAction::Delete(item)) = &self.action;
        let typed_key = self.typed_key.into_boxed(item);
        let target = &self.target;
        UnprocessedWrite {
            index: self.index,
            model: target.model,
            table: target.table.as_ref().to_owned(),
            type_id: target.type_id,
            typed_key,
            key_names: target.key_names.as_slice().to_vec(),
            action: self.action,
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
    /// The failures of the `after_*` hooks run by [`send_with_hooks`].
    pub(super) after_hooks: AfterFailures,
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
    let chunks = chunks.map(|chunk| (chunk, Vec::new()));
    send_with_hooks(db, chunks, concurrency, retry, progress, meter, None).await
}

/// [`send`], each chunk with the hooks of its writes (those of models with
/// hooks; their `before_*` hooks already ran): once a chunk's requests are
/// done, the `after_*` hooks of the writes it carried out run, before its
/// request slot is given to the next chunk (so the hooks, and the items they
/// hold, live no longer than their chunk). Their failures end in
/// [`Sent::after_hooks`]. `recorded`: the keys of a slice batch's key pass,
/// which its entries do not copy ([`WriteEntry::key`]).
pub(super) async fn send_with_hooks(
    db: &Db,
    chunks: impl Stream<Item = (Vec<WriteEntry>, Vec<ActionHooks>)>,
    concurrency: usize,
    retry: RetryPolicy,
    progress: Option<&BatchProgress>,
    meter: Option<&Meter>,
    recorded: Option<&KeysInOrder>,
) -> Sent {
    let ctx = WriteCtx {
        db,
        retry,
        progress,
        meter,
        recorded,
    };
    let ctx = &ctx;
    let mut sent = Sent {
        written: 0,
        stats: BatchStats::default(),
        left: Vec::new(),
        cause: None,
        after_hooks: AfterFailures::default(),
    };
    // Each chunk's request is started as soon as the chunk is prepared
    // (not `buffer_unordered`, which prepares `concurrency` chunks before
    // sending any): see `in_flight`.
    super::in_flight::run(
        chunks,
        concurrency,
        |(chunk, hooks)| async move {
            let outcome = ctx.run_chunk(chunk).await;
            let after = if hooks.is_empty() {
                Ok(())
            } else {
                let left = indices(&outcome.left);
                run_after(hooks, |index| !left.contains(&index)).await
            };
            (outcome, after)
        },
        |(outcome, after)| {
            sent.written += outcome.written;
            sent.stats.add(outcome.stats);
            sent.left.extend(outcome.left);
            if sent.cause.is_none() {
                sent.cause = outcome.error;
            }
            sent.after_hooks.record(after);
        },
    )
    .await;
    sent
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
    /// The keys recorded by a slice batch's key pass, by write index.
    recorded: Option<&'a KeysInOrder>,
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
        // The body of the last request built from the entries' items; a
        // failed request is sent again from it (`replay`).
        let sent_body = SavedBody::default();
        let mut replay = false;
        loop {
            let request = self
                .db
                .client()
                .batch_write_item()
                .set_return_consumed_capacity(return_capacity(self.meter));
            let (request, body_slot) = if replay {
                match sent_body.replayer() {
                    Some(replayer) => (request.set_request_items(Some(HashMap::new())), replayer),
                    // Unreachable in practice: a retryable failure means the
                    // request was serialized. Nothing left to send.
                    None => {
                        return ChunkOutcome {
                            written,
                            left: pending,
                            stats,
                            error: Some(Error::InvalidRequest {
                                model: "BatchWriteItem",
                                message: "the batch request could not be serialized".to_owned(),
                            }),
                        };
                    }
                }
            } else {
                match request_items(&mut pending, self.recorded) {
                    Ok(items) => (request.set_request_items(Some(items)), sent_body.recorder()),
                    Err(err) => {
                        return ChunkOutcome {
                            written,
                            left: pending,
                            stats,
                            error: Some(err),
                        }
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
            // Boxed: the SDK's future is made in place, not copied into
            // this (chunk's or transaction's) future.
            let result =
                crate::trace::send_traced(span, move || body_slot.send(move || request.send()))
                    .await;
            match result {
                Ok(output) => {
                    if let Some(meter) = self.meter {
                        meter.record(output.consumed_capacity.iter().flatten(), true);
                    }
                    let unprocessed = output.unprocessed_items.unwrap_or_default();
                    let sent = pending.len();
                    let sent_indices = self.progress.map(|_| indices(&pending));
                    match take_unprocessed(&mut pending, unprocessed, &mut stats, self.recorded) {
                        Some(next) => {
                            if let (Some(progress), Some(sent)) = (self.progress, &sent_indices) {
                                progress.answered(sent, &indices(&next));
                            }
                            written += sent - next.len();
                            pending = next;
                            replay = false;
                        }
                        // Which were written is unknown: all stay pending,
                        // and the same request is sent again.
                        None => {
                            if let Some(progress) = self.progress {
                                progress.failed(&indices(&pending), false);
                            }
                            replay = true;
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
                        pending[0].model(),
                        "BatchWriteItem",
                        &pending[0].target.table,
                        err.into_service_error(),
                    );
                    replay = true;
                    if !retryable {
                        restore(&mut pending, &sent_body, self.recorded);
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
                restore(&mut pending, &sent_body, self.recorded);
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

/// The `RequestItems` of an attempt at `pending`, the items moved into it
/// (`recorded`: the keys of the batch's key pass, if any).
fn request_items(
    pending: &mut [WriteEntry],
    recorded: Option<&KeysInOrder>,
) -> Result<HashMap<String, Vec<WriteRequest>>> {
    // Grouped by table in a list first: a request names one table or a
    // few, and its writes share their table's name (compared by pointer
    // before text), so no write hashes its table's name.
    let mut tables: Vec<(Arc<str>, Vec<WriteRequest>)> = Vec::with_capacity(1);
    let capacity = pending.len();
    for position in 0..pending.len() {
        let entry = &mut pending[position];
        let request = match entry.take_request(recorded) {
            Ok(request) => request,
            Err(err) => {
                // Give the items taken so far back to their entries.
                for (table, requests) in tables {
                    for request in requests {
                        give_back(pending, &table, request, recorded);
                    }
                }
                return Err(err);
            }
        };
        let same_table = |(table, _): &&mut (Arc<str>, Vec<WriteRequest>)| {
            Arc::ptr_eq(table, &entry.target.table) || *table == entry.target.table
        };
        match tables.iter_mut().find(same_table) {
            Some((_, requests)) => requests.push(request),
            None => {
                let mut requests = Vec::with_capacity(capacity);
                requests.push(request);
                tables.push((entry.target.table.clone(), requests));
            }
        }
    }
    Ok(tables
        .into_iter()
        .map(|(table, requests)| (table.as_ref().to_owned(), requests))
        .collect())
}

/// Puts the item of `request` (on `table`) back into the pending entry it
/// was taken from, matched by canonical key ([`WriteEntry::key`]); that
/// entry's position, or `None` when no entry matches.
fn give_back(
    pending: &mut [WriteEntry],
    table: &str,
    request: WriteRequest,
    recorded: Option<&KeysInOrder>,
) -> Option<usize> {
    let item = request
        .put_request
        .map(|p| p.item)
        .or(request.delete_request.map(|d| d.key))?;
    let names = pending
        .iter()
        .find(|entry| *entry.target.table == *table)?
        .target
        .key_names;
    let canon = canonical_key(&item, names.as_slice())?;
    let position = pending
        .iter()
        .position(|entry| *entry.target.table == *table && entry.key(recorded) == canon)?;
    *pending[position].item_mut() = item;
    Some(position)
}

/// Before reporting `pending` undone: the items still in a failed request
/// are read back from its recorded body, so the report holds every write
/// exactly as it was sent.
fn restore(pending: &mut [WriteEntry], sent_body: &SavedBody, recorded: Option<&KeysInOrder>) {
    if !pending.iter().any(|entry| entry.in_flight(recorded)) {
        return;
    }
    for (table, requests) in sent_body.batch_write_requests().unwrap_or_default() {
        for request in requests {
            give_back(pending, &table, request, recorded);
        }
    }
    let lost = pending
        .iter()
        .filter(|entry| entry.in_flight(recorded))
        .count();
    if lost > 0 {
        // Not expected: the body is the SDK's own serialization. The
        // entries are still reported (index, model, typed key).
        tracing::error!(
            operation = "BatchWriteItem",
            writes = lost,
            "unprocessed writes could not be read back from the request sent"
        );
    }
}

/// Splits `pending` into the writes DynamoDB reported unprocessed
/// (returned, their items given back from the answer) and the others (left
/// in `pending`); `None`, leaving `pending` whole, if one of them cannot be
/// matched (then all of the request stays pending: writes are idempotent).
fn take_unprocessed(
    pending: &mut Vec<WriteEntry>,
    unprocessed: HashMap<String, Vec<WriteRequest>>,
    stats: &mut BatchStats,
    recorded: Option<&KeysInOrder>,
) -> Option<Vec<WriteEntry>> {
    if unprocessed.is_empty() {
        return Some(Vec::new());
    }
    let mut returned = vec![false; pending.len()];
    let mut matched = true;
    for (table, requests) in unprocessed {
        for request in requests {
            stats.unprocessed_returned += 1;
            match give_back(pending, &table, request, recorded) {
                Some(position) => returned[position] = true,
                None => matched = false,
            }
        }
    }
    if !matched {
        return None;
    }
    let mut next = Vec::with_capacity(returned.iter().filter(|r| **r).count());
    let mut kept = Vec::with_capacity(pending.len());
    for (entry, returned) in pending.drain(..).zip(returned) {
        if returned {
            next.push(entry);
        } else {
            kept.push(entry);
        }
    }
    *pending = kept;
    Some(next)
}
