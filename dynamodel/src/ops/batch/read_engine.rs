//! The read engine of [`BatchRead`](super::BatchRead): reads each distinct
//! key once, in `BatchGetItem` requests of at most [`MAX_BATCH_GET`] keys,
//! up to `concurrency` at a time, and retries unprocessed keys and failed
//! requests within the retry budget; what is left ends in [`BatchIncomplete`].

use std::collections::HashMap;
use std::time::Instant;

use crate::trace::Traced;
use aws_sdk_dynamodb::types::KeysAndAttributes;
use futures::stream::{self, StreamExt};

use crate::error::{BatchGetOutput, BatchIncomplete, BatchStats, ReadEntry, UnprocessedKey};
use crate::limits::MAX_BATCH_GET;
use crate::ops::keys::canonical_key;
use crate::ops::meter::{return_capacity, Meter};
use crate::ops::request::build_error;
use crate::ops::retry::{is_retryable, Budget, RetryPolicy};
use crate::{Db, Error, Item, Result};

/// Sends the reads of `entries` (checked when added).
pub(super) async fn send(
    db: &Db,
    entries: Vec<ReadEntry>,
    consistent: bool,
    concurrency: usize,
    retry: RetryPolicy,
    meter: Option<&Meter>,
) -> Result<BatchGetOutput> {
    // Unique keys, in first-asked order.
    let mut unique: Vec<usize> = Vec::new();
    let mut lookup: HashMap<(&str, &[u8]), usize> = HashMap::new();
    let mut key_names: HashMap<&str, &[&'static str]> = HashMap::new();
    for (index, entry) in entries.iter().enumerate() {
        if let std::collections::hash_map::Entry::Vacant(slot) =
            lookup.entry((entry.table.as_str(), entry.canon.as_slice()))
        {
            slot.insert(index);
            unique.push(index);
        }
        key_names
            .entry(entry.table.as_str())
            .or_insert(entry.key_names.as_slice());
    }
    let projections = table_projections(&entries);
    let ctx = ReadCtx {
        db,
        entries: &entries,
        projections: &projections,
        meter,
        lookup: &lookup,
        key_names: &key_names,
        consistent,
        retry,
    };
    let chunks: Vec<_> = unique
        .chunks(MAX_BATCH_GET)
        .map(|chunk| ctx.run_chunk(chunk.to_vec()))
        .collect();
    let outcomes: Vec<ReadOutcome> = stream::iter(chunks)
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let mut stats = BatchStats::default();
    let mut found = HashMap::new();
    let mut left = Vec::new();
    let mut cause = None;
    for outcome in outcomes {
        stats.add(outcome.stats);
        left.extend(outcome.left);
        for index in outcome.found_indices {
            let entry = &entries[index.0];
            found.insert((entry.table.clone(), entry.canon.clone()), index.1);
        }
        if cause.is_none() {
            cause = outcome.error;
        }
    }
    if left.is_empty() {
        return Ok(BatchGetOutput::new(entries, found, stats));
    }
    // Every asked entry whose unique key is left is unprocessed.
    let left_keys: std::collections::HashSet<(String, Vec<u8>)> = left
        .iter()
        .map(|&i| (entries[i].table.clone(), entries[i].canon.clone()))
        .collect();
    let total = entries.len();
    let mut done = Vec::new();
    let mut unprocessed_keys = Vec::new();
    for (index, entry) in entries.into_iter().enumerate() {
        if left_keys.contains(&(entry.table.clone(), entry.canon.clone())) {
            unprocessed_keys.push(UnprocessedKey {
                index,
                model: entry.model,
                table: entry.table,
                key: entry.key,
                type_id: entry.type_id,
                typed_key: entry.typed_key,
            });
        } else {
            done.push(entry);
        }
    }
    Err(Error::BatchIncomplete(Box::new(BatchIncomplete {
        operation: "BatchGetItem",
        total,
        succeeded: total - unprocessed_keys.len(),
        unprocessed_writes: Vec::new(),
        unprocessed_keys,
        partial: Some(BatchGetOutput::new(done, found, stats)),
        stats,
        cause: cause.map(Box::new),
        stopped_at: None,
    })))
}

/// The `ProjectionExpression` and names of each table read: DynamoDB takes
/// one projection per table, so the union of the entries' projections, or
/// whole items (no entry for the table) when one entry wants them, also one
/// whose key repeats another's.
fn table_projections(entries: &[ReadEntry]) -> HashMap<&str, (String, HashMap<String, String>)> {
    let mut attributes: HashMap<&str, Option<Vec<&'static str>>> = HashMap::new();
    for entry in entries {
        let slot = attributes
            .entry(entry.table.as_str())
            .or_insert_with(|| entry.projection.as_ref().map(|_| Vec::new()));
        match (slot.as_mut(), &entry.projection) {
            (Some(union), Some(projection)) => {
                for name in projection {
                    if !union.contains(name) {
                        union.push(name);
                    }
                }
            }
            _ => *slot = None,
        }
    }
    attributes
        .into_iter()
        .filter_map(|(table, names)| {
            let names = names?;
            let mut builder = crate::expr::ExprBuilder::new();
            let expression = crate::query::projection::render(&names, &mut builder);
            Some((table, (expression, builder.names().unwrap_or_default())))
        })
        .collect()
}

struct ReadOutcome {
    /// (entry index of the unique key, item found).
    found_indices: Vec<(usize, Item)>,
    left: Vec<usize>,
    stats: BatchStats,
    error: Option<Error>,
}

struct ReadCtx<'a> {
    db: &'a Db,
    entries: &'a [ReadEntry],
    lookup: &'a HashMap<(&'a str, &'a [u8]), usize>,
    key_names: &'a HashMap<&'a str, &'a [&'static str]>,
    /// Per projected table: its `ProjectionExpression` and names.
    projections: &'a HashMap<&'a str, (String, HashMap<String, String>)>,
    meter: Option<&'a Meter>,
    consistent: bool,
    retry: RetryPolicy,
}

impl ReadCtx<'_> {
    fn find(&self, table: &str, item: &Item) -> Option<usize> {
        let names = self.key_names.get(table)?;
        let canon = canonical_key(item, names)?;
        self.lookup.get(&(table, canon.as_slice())).copied()
    }

    async fn run_chunk(&self, mut pending: Vec<usize>) -> ReadOutcome {
        let mut outcome = ReadOutcome {
            found_indices: Vec::new(),
            left: Vec::new(),
            stats: BatchStats::default(),
            error: None,
        };
        let mut budget = Budget::new(self.retry, Instant::now());
        loop {
            let mut per_table: HashMap<&str, Vec<Item>> = HashMap::new();
            for &index in &pending {
                let entry = &self.entries[index];
                per_table
                    .entry(entry.table.as_str())
                    .or_default()
                    .push(entry.key.clone());
            }
            let mut request_items = HashMap::new();
            for (table, keys) in per_table {
                let (projection, names) = self.projections.get(table).cloned().unzip();
                match KeysAndAttributes::builder()
                    .set_keys(Some(keys))
                    .consistent_read(self.consistent)
                    .set_projection_expression(projection)
                    .set_expression_attribute_names(names)
                    .build()
                {
                    Ok(keys) => {
                        request_items.insert(table.to_owned(), keys);
                    }
                    Err(err) => {
                        outcome.left = pending;
                        outcome.error = Some(build_error(self.entries[0].model, err));
                        return outcome;
                    }
                }
            }
            outcome.stats.requests += 1;
            let span = tracing::debug_span!(
                "dynamodel.request",
                operation = "BatchGetItem",
                keys = pending.len()
            );
            let result = self
                .db
                .client()
                .batch_get_item()
                .set_request_items(Some(request_items))
                .set_return_consumed_capacity(return_capacity(self.meter))
                .send()
                .traced(span)
                .await;
            match result {
                Ok(output) => {
                    if let Some(meter) = self.meter {
                        meter.record(output.consumed_capacity.iter().flatten(), false);
                    }
                    outcome.error = None;
                    for (table, items) in output.responses.unwrap_or_default() {
                        for item in items {
                            if let Some(index) = self.find(&table, &item) {
                                outcome.found_indices.push((index, item));
                            }
                        }
                    }
                    let mut next = Vec::new();
                    let mut unmatched = false;
                    for (table, keys) in output.unprocessed_keys.unwrap_or_default() {
                        for key in keys.keys {
                            outcome.stats.unprocessed_returned += 1;
                            match self.find(&table, &key) {
                                Some(index) => next.push(index),
                                None => unmatched = true,
                            }
                        }
                    }
                    if unmatched {
                        // Cannot tell which: read again all not yet found.
                        let found: std::collections::HashSet<usize> =
                            outcome.found_indices.iter().map(|(i, _)| *i).collect();
                        next = pending
                            .iter()
                            .copied()
                            .filter(|i| !found.contains(i))
                            .collect();
                    }
                    next.sort_unstable();
                    next.dedup();
                    if next.is_empty() {
                        return outcome;
                    }
                    tracing::debug!(
                        operation = "BatchGetItem",
                        sent = pending.len(),
                        unprocessed = next.len(),
                        "batch partially processed"
                    );
                    pending = next;
                }
                Err(err) if is_retryable(&err) => {
                    outcome.stats.failed_requests += 1;
                    crate::ops::retry::trace_retryable("BatchGetItem", &err);
                    let table = self.entries[pending[0]].table.clone();
                    outcome.error = Some(Error::sdk(
                        self.entries[pending[0]].model,
                        "BatchGetItem",
                        &table,
                        err.into_service_error(),
                    ));
                }
                Err(err) => {
                    let table = self.entries[pending[0]].table.clone();
                    outcome.error = Some(Error::sdk(
                        self.entries[pending[0]].model,
                        "BatchGetItem",
                        &table,
                        err.into_service_error(),
                    ));
                    outcome.left = pending;
                    return outcome;
                }
            }
            if !budget.next_attempt().await {
                outcome.left = pending;
                return outcome;
            }
            outcome.stats.retries += 1;
        }
    }
}
