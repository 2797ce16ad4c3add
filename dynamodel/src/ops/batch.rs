//! Batch writes and reads that never lose an item.
//!
//! [`Db::batch_write`] (puts and deletes of any models), [`Db::batch_put`],
//! [`Db::batch_delete`], [`Db::batch_read`] (gets of any models) and
//! [`Db::batch_get`] take any number of items or keys and:
//!
//! * run every item through [`crate::schema::prepare_write`] and check it
//!   (size at most 400 KB, no two writes on the same key) **before sending
//!   anything**: an invalid item fails the whole call with
//!   [`Error::Item`] naming its index;
//! * split the work into requests DynamoDB accepts (25 writes or 100 keys per
//!   request; with items of at most 400 KB a write request stays under 16 MB,
//!   and DynamoDB itself caps a read response at 16 MB by returning the rest as
//!   unprocessed keys, which are retried);
//! * send up to [`BatchWrite::concurrency`] requests at a time;
//! * retry `UnprocessedItems` / `UnprocessedKeys`, throttled requests and
//!   server errors with exponential backoff and full jitter within a
//!   [`RetryPolicy`];
//! * when the budget runs out, fail with [`Error::BatchIncomplete`], which
//!   holds exactly the items or keys not done ([`BatchIncomplete`]), never a
//!   success with items missing.
//!
//! ```no_run
//! use dynamodel::{Db, Model};
//! use dynamodel::ops::RetryPolicy;
//!
//! #[derive(Model, Debug, Clone, PartialEq)]
//! #[dynamodel(table = "users")]
//! struct User { #[dynamodel(hash_key)] id: String, name: String }
//!
//! #[derive(Model, Debug, Clone, PartialEq)]
//! #[dynamodel(table = "orders")]
//! struct Order { #[dynamodel(hash_key)] customer: String, #[dynamodel(range_key)] number: u64 }
//!
//! # async fn demo(db: Db, users: Vec<User>, order: Order) -> dynamodel::Result<()> {
//! db.batch_put(&users).concurrency(8).await?;
//! db.batch_write()
//!     .put(&order)
//!     .delete::<User>("u-9")
//!     .retry(RetryPolicy::default().max_attempts(20))
//!     .await?;
//!
//! let read = db.batch_read().get::<User>("u-1").get::<Order>(("u-1".to_string(), 7)).await?;
//! let found_users: Vec<User> = read.items::<User>()?;
//! let missing_orders: Vec<(String, u64)> = read.missing::<Order>();
//!
//! match db.batch_put(&users).await {
//!     Err(err) if err.is_batch_incomplete() => {
//!         let left = err.into_batch_incomplete().map(|i| i.into_unprocessed_writes());
//!         // persist `left` or send it again with `db.batch_write().unprocessed(left)`
//!     }
//!     other => { other?; }
//! }
//! # Ok(()) }
//! ```

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::time::Instant;

use aws_sdk_dynamodb::types::{DeleteRequest, KeysAndAttributes, PutRequest, WriteRequest};
use futures::stream::{self, StreamExt};
use tracing::Instrument;

use crate::ops::retry::{is_retryable, Budget, RetryPolicy};
use crate::schema::{finish_read, prepare_write, WriteKind};
use crate::{AttributeValue, Db, Error, Item, Model, Result};

/// DynamoDB's largest item: 400 KB, attribute names included.
pub const MAX_ITEM_SIZE: usize = 400 * 1024;
/// Most write requests in one `BatchWriteItem`.
pub const MAX_BATCH_WRITE: usize = 25;
/// Most keys in one `BatchGetItem`.
pub const MAX_BATCH_GET: usize = 100;
/// Default number of batch requests in flight at once.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// The size of an item as DynamoDB counts it against the 400 KB limit: for
/// every attribute, the UTF-8 bytes of its name plus the size of its value.
pub fn item_size(item: &Item) -> usize {
    item.iter()
        .map(|(name, value)| name.len() + value_size(value))
        .sum()
}

/// The size of one value under DynamoDB's rules: strings and binaries by
/// their bytes, numbers 1 byte per two significant digits plus 1, booleans
/// and nulls 1 byte, lists and maps 3 bytes plus 1 per element plus the
/// elements (and map keys), sets the sum of their elements.
pub fn value_size(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => number_size(n),
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
        AttributeValue::L(list) => 3 + list.iter().map(|v| 1 + value_size(v)).sum::<usize>(),
        AttributeValue::M(map) => {
            3 + map
                .iter()
                .map(|(k, v)| 1 + k.len() + value_size(v))
                .sum::<usize>()
        }
        AttributeValue::Ss(set) => set.iter().map(String::len).sum(),
        AttributeValue::Ns(set) => set.iter().map(|n| number_size(n)).sum(),
        AttributeValue::Bs(set) => set.iter().map(|b| b.as_ref().len()).sum(),
        _ => 0,
    }
}

fn number_size(n: &str) -> usize {
    // Significant digits of the mantissa: from the first non-zero digit to
    // the last one (counted without allocating: this runs on every write).
    let mantissa = n.split(['e', 'E']).next().unwrap_or("");
    let (mut seen, mut first, mut last) = (0usize, None, 0usize);
    for b in mantissa.bytes().filter(u8::is_ascii_digit) {
        seen += 1;
        if b != b'0' {
            first.get_or_insert(seen);
            last = seen;
        }
    }
    let significant = first.map_or(0, |first| last - first + 1);
    significant.div_ceil(2) + 1
}

/// A byte string identifying a key within a table, for duplicate detection
/// and for matching DynamoDB's unprocessed entries back to the caller's.
pub(crate) fn canonical_key(item: &Item, names: &[&str]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for name in names {
        let value = item.get(*name)?;
        let (tag, bytes): (u8, &[u8]) = match value {
            AttributeValue::S(s) => (b'S', s.as_bytes()),
            AttributeValue::N(n) => (b'N', n.as_bytes()),
            AttributeValue::B(b) => (b'B', b.as_ref()),
            _ => return None,
        };
        out.push(tag);
        out.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
        out.extend_from_slice(bytes);
    }
    Some(out)
}

/// Counters of a batch operation, in both its output and its error.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchStats {
    /// Requests sent to DynamoDB (the SDK's internal retries not counted).
    pub requests: u64,
    /// Requests that were retries (of unprocessed entries or of failed requests).
    pub retries: u64,
    /// Whole requests that failed with a retryable error (throttling, 5xx, lost).
    pub failed_requests: u64,
    /// Entries DynamoDB returned as unprocessed (counted each time).
    pub unprocessed_returned: u64,
}

impl BatchStats {
    fn add(&mut self, other: BatchStats) {
        self.requests += other.requests;
        self.retries += other.retries;
        self.failed_requests += other.failed_requests;
        self.unprocessed_returned += other.unprocessed_returned;
    }
}

/// Implements `IntoFuture` for a non-generic builder with an `async fn send(self)`.
macro_rules! into_future_plain {
    ($builder:ident, $output:ty) => {
        impl ::std::future::IntoFuture for $builder {
            type Output = $crate::Result<$output>;
            type IntoFuture = ::futures::future::BoxFuture<'static, $crate::Result<$output>>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    };
}
pub(crate) use into_future_plain;

// ---------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------

/// What an unprocessed write was.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WriteAction {
    /// A put of this item (as prepared by the write pipeline).
    Put(Item),
    /// A delete of the item with this key.
    Delete(Item),
}

/// A write a batch could not complete: enough to retry or persist it.
#[derive(Debug)]
pub struct UnprocessedWrite {
    /// The write's position in the call (0-based, in the order added).
    pub index: usize,
    /// The model's name.
    pub model: &'static str,
    /// The table (prefix included).
    pub table: String,
    /// The put item or the delete key, exactly as it would be sent.
    pub action: WriteAction,
    type_id: TypeId,
    typed_key: Box<dyn Any + Send + Sync>,
    key_names: Vec<&'static str>,
}

impl UnprocessedWrite {
    /// Whether this write is of model `M`.
    pub fn is<M: Model>(&self) -> bool {
        self.type_id == TypeId::of::<M>()
    }

    /// The key of the item, typed, if this write is of model `M`.
    pub fn key<M: Model>(&self) -> Option<&M::Key> {
        self.typed_key.downcast_ref::<M::Key>()
    }

    /// The put item decoded as `M` (`None` for deletes and other models).
    pub fn decode<M: Model>(&self) -> Option<Result<M>> {
        match &self.action {
            WriteAction::Put(item) if self.is::<M>() => Some(finish_read::<M>(item.clone())),
            _ => None,
        }
    }
}

struct WriteEntry {
    key_names: Vec<&'static str>,
    model: &'static str,
    type_id: TypeId,
    table: String,
    action: WriteAction,
    typed_key: Box<dyn Any + Send + Sync>,
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

pub(crate) fn build_error(model: &'static str, err: impl fmt::Display) -> Error {
    Error::InvalidRequest {
        model,
        message: format!("could not build the request: {err}"),
    }
}

/// Puts and deletes of any models, sent as few `BatchWriteItem` requests as
/// possible. Start it with [`Db::batch_write`]; see the [module docs](self).
///
/// Two writes on the same key in one call are an error (DynamoDB rejects
/// them, and which should win is ambiguous), reported before sending.
#[must_use = "a batch does nothing until it is sent with `.send().await` or `.await`"]
pub struct BatchWrite {
    db: Db,
    entries: Vec<WriteEntry>,
    seen: HashMap<(String, Vec<u8>), usize>,
    error: Option<Error>,
    concurrency: usize,
    retry: RetryPolicy,
}

impl fmt::Debug for BatchWrite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchWrite")
            .field("writes", &self.entries.len())
            .field("concurrency", &self.concurrency)
            .field("retry", &self.retry)
            .finish()
    }
}

/// What a completed batch write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchWriteOutput {
    /// Writes done (all of those asked for).
    pub written: usize,
    /// Request and retry counters.
    pub stats: BatchStats,
}

impl Db {
    /// Starts a batch of puts and deletes over any models.
    pub fn batch_write(&self) -> BatchWrite {
        BatchWrite {
            db: self.clone(),
            entries: Vec::new(),
            seen: HashMap::new(),
            error: None,
            concurrency: DEFAULT_CONCURRENCY,
            retry: RetryPolicy::default(),
        }
    }

    /// Puts all `items` (any number) in batches.
    pub fn batch_put<'a, M: Model>(&self, items: impl IntoIterator<Item = &'a M>) -> BatchWrite {
        self.batch_write().put_all(items)
    }

    /// Deletes the items under all `keys` (any number) in batches.
    pub fn batch_delete<M: Model>(
        &self,
        keys: impl IntoIterator<Item = impl Into<M::Key>>,
    ) -> BatchWrite {
        keys.into_iter()
            .fold(self.batch_write(), |batch, key| batch.delete::<M>(key))
    }
}

impl BatchWrite {
    fn fail(&mut self, index: usize, source: Error) {
        if self.error.is_none() {
            self.error = Some(Error::Item {
                operation: "BatchWriteItem",
                index,
                source: Box::new(source),
            });
        }
    }

    fn push<M: Model>(&mut self, key: M::Key, action: Result<WriteAction>) {
        let index = self.entries.len();
        let table = self.db.table_name::<M>();
        let action = match action {
            Ok(action) => action,
            Err(err) => {
                self.fail(index, err);
                // Keep the index numbering stable for later items.
                WriteAction::Delete(Item::new())
            }
        };
        let names = M::key_schema().names();
        // Puts arrive here from prepare_write, which already refused items
        // over 400 KB.
        match &action {
            WriteAction::Put(item) => self.check_duplicate::<M>(index, &table, item, &names),
            WriteAction::Delete(key) if !key.is_empty() => {
                self.check_duplicate::<M>(index, &table, key, &names)
            }
            WriteAction::Delete(_) => {}
        }
        self.entries.push(WriteEntry {
            key_names: names,
            model: M::MODEL_NAME,
            type_id: TypeId::of::<M>(),
            table,
            action,
            typed_key: Box::new(key),
        });
    }

    fn check_duplicate<M: Model>(
        &mut self,
        index: usize,
        table: &str,
        item: &Item,
        names: &[&'static str],
    ) {
        let Some(canon) = canonical_key(item, names) else {
            self.fail(
                index,
                Error::InvalidRequest {
                    model: M::MODEL_NAME,
                    message: format!("the item lacks a key attribute ({})", names.join(", ")),
                },
            );
            return;
        };
        if let Some(first) = self.seen.insert((table.to_owned(), canon), index) {
            self.fail(
                index,
                Error::InvalidRequest {
                    model: M::MODEL_NAME,
                    message: format!(
                        "writes the same key as item #{first} of this batch (one write per key and call)"
                    ),
                },
            );
        }
    }

    /// Adds a put of `item`: it goes through the write pipeline now.
    ///
    /// Models with a `#[dynamodel(version)]` attribute are refused:
    /// BatchWriteItem cannot check the version, so a batch put would
    /// silently overwrite a concurrent change. Use `Db::put` or a
    /// transaction, which check it.
    pub fn put<M: Model>(mut self, item: &M) -> Self {
        let action = match M::version_attribute() {
            Some(version) => Err(Error::InvalidRequest {
                model: M::MODEL_NAME,
                message: format!(
                    "`{version}` is a version attribute and batch writes cannot check it: \
                     use put or a transaction"
                ),
            }),
            None => prepare_write(item, WriteKind::Put),
        }
        .map(WriteAction::Put);
        self.push::<M>(item.key(), action);
        self
    }

    /// Adds puts of all `items`.
    pub fn put_all<'a, M: Model>(self, items: impl IntoIterator<Item = &'a M>) -> Self {
        items.into_iter().fold(self, |batch, item| batch.put(item))
    }

    /// Adds a delete of the item of model `M` under `key`.
    pub fn delete<M: Model>(mut self, key: impl Into<M::Key>) -> Self {
        let key = key.into();
        let action = M::key_to_item(&key).map(WriteAction::Delete);
        self.push::<M>(key, action);
        self
    }

    /// Re-adds writes a failed batch left undone (from
    /// [`BatchIncomplete::into_unprocessed_writes`]), exactly as they were
    /// prepared the first time.
    pub fn unprocessed(mut self, writes: impl IntoIterator<Item = UnprocessedWrite>) -> Self {
        for write in writes {
            let index = self.entries.len();
            let (WriteAction::Put(item) | WriteAction::Delete(item)) = &write.action;
            if let Some(canon) = canonical_key(item, &write.key_names) {
                if let Some(first) = self.seen.insert((write.table.clone(), canon), index) {
                    self.fail(
                        index,
                        Error::InvalidRequest {
                            model: write.model,
                            message: format!("writes the same key as item #{first} of this batch"),
                        },
                    );
                }
            }
            self.entries.push(WriteEntry {
                model: write.model,
                type_id: write.type_id,
                table: write.table,
                action: write.action,
                typed_key: write.typed_key,
                key_names: write.key_names,
            });
        }
        self
    }

    /// How many requests may be in flight at once (default
    /// [`DEFAULT_CONCURRENCY`]; at least 1).
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.max(1);
        self
    }

    /// The retry budget for unprocessed items and failed requests.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The number of writes added so far.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no write was added.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Sends all writes. `Ok` only when every one of them was done.
    pub async fn send(self) -> Result<BatchWriteOutput> {
        if let Some(err) = self.error {
            return Err(err);
        }
        let mut key_names: HashMap<String, Vec<&'static str>> = HashMap::new();
        for entry in &self.entries {
            key_names
                .entry(entry.table.clone())
                .or_insert_with(|| entry.key_names.clone());
        }
        let requests = self
            .entries
            .iter()
            .map(WriteEntry::request)
            .collect::<Result<Vec<_>>>()?;
        let mut lookup: HashMap<(&str, Vec<u8>), usize> = HashMap::new();
        for (index, entry) in self.entries.iter().enumerate() {
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
            db: &self.db,
            entries: &self.entries,
            requests: &requests,
            key_names: &key_names,
            lookup: &lookup,
            retry: self.retry,
        };
        let indices: Vec<usize> = (0..self.entries.len()).collect();
        let chunks: Vec<_> = indices
            .chunks(MAX_BATCH_WRITE)
            .map(|chunk| ctx.run_chunk(chunk.to_vec()))
            .collect();
        let outcomes: Vec<ChunkOutcome> = stream::iter(chunks)
            .buffer_unordered(self.concurrency)
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
        let total = self.entries.len();
        if left.is_empty() {
            return Ok(BatchWriteOutput {
                written: total,
                stats,
            });
        }
        left.sort_unstable();
        let mut entries: Vec<Option<WriteEntry>> = self.entries.into_iter().map(Some).collect();
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
}

into_future_plain!(BatchWrite, BatchWriteOutput);

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
                .instrument(span)
                .await;
            match result {
                Ok(output) => {
                    let unprocessed = output.unprocessed_items.unwrap_or_default();
                    let next = self.match_unprocessed(&pending, unprocessed, &mut stats);
                    last_error = None;
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
                    stats.failed_requests += 1;
                    let table = self.entries[pending[0]].table.clone();
                    last_error = Some(Error::sdk(
                        "BatchWriteItem",
                        &table,
                        err.into_service_error(),
                    ));
                }
                Err(err) => {
                    let table = self.entries[pending[0]].table.clone();
                    return ChunkOutcome {
                        left: pending,
                        stats,
                        error: Some(Error::sdk(
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

    /// The entries of `pending` DynamoDB reported unprocessed. If one cannot
    /// be matched, all of `pending` stays pending (writes are idempotent).
    fn match_unprocessed(
        &self,
        pending: &[usize],
        unprocessed: HashMap<String, Vec<WriteRequest>>,
        stats: &mut BatchStats,
    ) -> Vec<usize> {
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
                match index {
                    Some(index) => next.push(index),
                    None => return pending.to_vec(),
                }
            }
        }
        next.sort_unstable();
        next.dedup();
        next
    }
}

// ---------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------

/// A key a batch read could not read: enough to retry it.
#[derive(Debug)]
pub struct UnprocessedKey {
    /// The key's position in the call (0-based, in the order added).
    pub index: usize,
    /// The model's name.
    pub model: &'static str,
    /// The table (prefix included).
    pub table: String,
    /// The key attributes, exactly as sent.
    pub key: Item,
    type_id: TypeId,
    typed_key: Box<dyn Any + Send + Sync>,
}

impl UnprocessedKey {
    /// Whether this key is of model `M`.
    pub fn is<M: Model>(&self) -> bool {
        self.type_id == TypeId::of::<M>()
    }

    /// The key, typed, if it is of model `M`.
    pub fn typed_key<M: Model>(&self) -> Option<&M::Key> {
        self.typed_key.downcast_ref::<M::Key>()
    }
}

pub(crate) struct GetEntry {
    pub(crate) model: &'static str,
    pub(crate) type_id: TypeId,
    pub(crate) table: String,
    pub(crate) key: Item,
    pub(crate) canon: Vec<u8>,
    pub(crate) key_names: Vec<&'static str>,
    pub(crate) typed_key: Box<dyn Any + Send + Sync>,
}

impl GetEntry {
    pub(crate) fn new<M: Model>(db: &Db, key: M::Key) -> Result<GetEntry> {
        let item = M::key_to_item(&key)?;
        let names = M::key_schema().names();
        let canon = canonical_key(&item, &names).ok_or_else(|| Error::InvalidRequest {
            model: M::MODEL_NAME,
            message: format!("the key lacks a key attribute ({})", names.join(", ")),
        })?;
        Ok(GetEntry {
            model: M::MODEL_NAME,
            type_id: TypeId::of::<M>(),
            table: db.table_name::<M>(),
            key: item,
            canon,
            key_names: names,
            typed_key: Box::new(key),
        })
    }
}

/// The items a batch or transactional read found, per model, in the order
/// the keys were asked for.
pub struct BatchGetOutput {
    entries: Vec<GetEntry>,
    found: HashMap<(String, Vec<u8>), Item>,
    stats: BatchStats,
}

impl fmt::Debug for BatchGetOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchGetOutput")
            .field("keys", &self.entries.len())
            .field("found", &self.found.len())
            .field("stats", &self.stats)
            .finish()
    }
}

impl BatchGetOutput {
    pub(crate) fn new(
        entries: Vec<GetEntry>,
        found: HashMap<(String, Vec<u8>), Item>,
        stats: BatchStats,
    ) -> Self {
        BatchGetOutput {
            entries,
            found,
            stats,
        }
    }

    fn of<M: Model>(&self) -> impl Iterator<Item = &GetEntry> {
        self.entries
            .iter()
            .filter(|entry| entry.type_id == TypeId::of::<M>())
    }

    fn lookup(&self, entry: &GetEntry) -> Option<&Item> {
        self.found.get(&(entry.table.clone(), entry.canon.clone()))
    }

    /// The found items of model `M`, in the order their keys were asked for
    /// (a key asked twice gives its item twice).
    pub fn items<M: Model>(&self) -> Result<Vec<M>> {
        self.of::<M>()
            .filter_map(|entry| self.lookup(entry))
            .map(|item| finish_read::<M>(item.clone()))
            .collect()
    }

    /// For every key of model `M` asked for, in order: the key and the item,
    /// or `None` when no item has the key.
    pub fn results<M: Model>(&self) -> Result<Vec<(M::Key, Option<M>)>> {
        self.of::<M>()
            .filter_map(|entry| {
                let key = entry.typed_key.downcast_ref::<M::Key>()?.clone();
                Some(
                    self.lookup(entry)
                        .map(|item| finish_read::<M>(item.clone()))
                        .transpose()
                        .map(|item| (key, item)),
                )
            })
            .collect()
    }

    /// The keys of model `M` that no item has, in the order asked for.
    pub fn missing<M: Model>(&self) -> Vec<M::Key> {
        self.of::<M>()
            .filter(|entry| self.lookup(entry).is_none())
            .filter_map(|entry| entry.typed_key.downcast_ref::<M::Key>().cloned())
            .collect()
    }

    /// The raw items found, with the name of the model they were asked as.
    pub fn raw_items(&self) -> Vec<(&'static str, &Item)> {
        self.entries
            .iter()
            .filter_map(|entry| self.lookup(entry).map(|item| (entry.model, item)))
            .collect()
    }

    /// How many keys were asked for.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no key was asked for.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Request and retry counters.
    pub fn stats(&self) -> BatchStats {
        self.stats
    }
}

/// Reads of items of any models by key, sent as few `BatchGetItem` requests
/// as possible. Start it with [`Db::batch_read`] (or [`Db::batch_get`] for
/// one model); see the [module docs](self).
///
/// A key asked for twice is read once and given back for both.
#[must_use = "a batch does nothing until it is sent with `.send().await` or `.await`"]
pub struct BatchRead {
    db: Db,
    entries: Vec<GetEntry>,
    error: Option<Error>,
    consistent: bool,
    concurrency: usize,
    retry: RetryPolicy,
}

impl fmt::Debug for BatchRead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchRead")
            .field("keys", &self.entries.len())
            .field("consistent", &self.consistent)
            .field("concurrency", &self.concurrency)
            .field("retry", &self.retry)
            .finish()
    }
}

/// A batch read of one model; `.send()` gives its items. Start it with
/// [`Db::batch_get`].
#[must_use = "a batch does nothing until it is sent with `.send().await` or `.await`"]
#[derive(Debug)]
pub struct BatchGet<M: Model> {
    read: BatchRead,
    model: std::marker::PhantomData<fn() -> M>,
}

/// What [`BatchGet`] read.
#[derive(Debug)]
pub struct BatchGetItems<M: Model> {
    /// The items found, in the order their keys were asked for.
    pub items: Vec<M>,
    /// The keys no item has, in the order asked for.
    pub missing: Vec<M::Key>,
    /// Request and retry counters.
    pub stats: BatchStats,
}

impl Db {
    /// Starts a batch read of items of any models.
    pub fn batch_read(&self) -> BatchRead {
        BatchRead {
            db: self.clone(),
            entries: Vec::new(),
            error: None,
            consistent: false,
            concurrency: DEFAULT_CONCURRENCY,
            retry: RetryPolicy::default(),
        }
    }

    /// Reads the items of model `M` under all `keys` (any number).
    pub fn batch_get<M: Model>(
        &self,
        keys: impl IntoIterator<Item = impl Into<M::Key>>,
    ) -> BatchGet<M> {
        BatchGet {
            read: keys
                .into_iter()
                .fold(self.batch_read(), |read, key| read.get::<M>(key)),
            model: std::marker::PhantomData,
        }
    }
}

/// Adds a read of `key` to a batch or transaction read, keeping the first
/// error (with the key's position) for `send` to report.
pub(crate) fn push_get<M: Model>(
    db: &Db,
    entries: &mut Vec<GetEntry>,
    error: &mut Option<Error>,
    operation: &'static str,
    key: M::Key,
) {
    let index = entries.len();
    match GetEntry::new::<M>(db, key) {
        Ok(entry) => entries.push(entry),
        Err(err) => {
            if error.is_none() {
                *error = Some(Error::Item {
                    operation,
                    index,
                    source: Box::new(err),
                });
            }
        }
    }
}

impl BatchRead {
    /// Adds the key of an item of model `M`.
    pub fn get<M: Model>(mut self, key: impl Into<M::Key>) -> Self {
        push_get::<M>(
            &self.db,
            &mut self.entries,
            &mut self.error,
            "BatchGetItem",
            key.into(),
        );
        self
    }

    /// Asks for strongly consistent reads (eventually consistent by default).
    pub fn consistent(mut self) -> Self {
        self.consistent = true;
        self
    }

    /// How many requests may be in flight at once (default
    /// [`DEFAULT_CONCURRENCY`]; at least 1).
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.max(1);
        self
    }

    /// The retry budget for unprocessed keys and failed requests.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sends the reads. `Ok` only when every key was read (found or not).
    pub async fn send(self) -> Result<BatchGetOutput> {
        if let Some(err) = self.error {
            return Err(err);
        }
        // Unique keys, in first-asked order.
        let mut unique: Vec<usize> = Vec::new();
        let mut lookup: HashMap<(&str, &[u8]), usize> = HashMap::new();
        let mut key_names: HashMap<&str, &[&'static str]> = HashMap::new();
        for (index, entry) in self.entries.iter().enumerate() {
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
        let ctx = ReadCtx {
            db: &self.db,
            entries: &self.entries,
            lookup: &lookup,
            key_names: &key_names,
            consistent: self.consistent,
            retry: self.retry,
        };
        let chunks: Vec<_> = unique
            .chunks(MAX_BATCH_GET)
            .map(|chunk| ctx.run_chunk(chunk.to_vec()))
            .collect();
        let outcomes: Vec<ReadOutcome> = stream::iter(chunks)
            .buffer_unordered(self.concurrency)
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
                let entry = &self.entries[index.0];
                found.insert((entry.table.clone(), entry.canon.clone()), index.1);
            }
            if cause.is_none() {
                cause = outcome.error;
            }
        }
        if left.is_empty() {
            return Ok(BatchGetOutput::new(self.entries, found, stats));
        }
        // Every asked entry whose unique key is left is unprocessed.
        let left_keys: std::collections::HashSet<(String, Vec<u8>)> = left
            .iter()
            .map(|&i| (self.entries[i].table.clone(), self.entries[i].canon.clone()))
            .collect();
        let total = self.entries.len();
        let mut done = Vec::new();
        let mut unprocessed_keys = Vec::new();
        for (index, entry) in self.entries.into_iter().enumerate() {
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
        })))
    }
}

impl<M: Model> BatchGet<M> {
    /// Asks for strongly consistent reads (eventually consistent by default).
    pub fn consistent(mut self) -> Self {
        self.read = self.read.consistent();
        self
    }

    /// How many requests may be in flight at once.
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.read = self.read.concurrency(requests);
        self
    }

    /// The retry budget for unprocessed keys and failed requests.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.read = self.read.retry(policy);
        self
    }

    /// Sends the reads. `Ok` only when every key was read (found or not).
    pub async fn send(self) -> Result<BatchGetItems<M>> {
        let output = self.read.send().await?;
        Ok(BatchGetItems {
            items: output.items::<M>()?,
            missing: output.missing::<M>(),
            stats: output.stats(),
        })
    }
}

into_future_plain!(BatchRead, BatchGetOutput);
crate::ops::into_future!(BatchGet, BatchGetItems<M>);

struct ReadOutcome {
    /// (entry index of the unique key, item found).
    found_indices: Vec<(usize, Item)>,
    left: Vec<usize>,
    stats: BatchStats,
    error: Option<Error>,
}

struct ReadCtx<'a> {
    db: &'a Db,
    entries: &'a [GetEntry],
    lookup: &'a HashMap<(&'a str, &'a [u8]), usize>,
    key_names: &'a HashMap<&'a str, &'a [&'static str]>,
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
                match KeysAndAttributes::builder()
                    .set_keys(Some(keys))
                    .consistent_read(self.consistent)
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
                .send()
                .instrument(span)
                .await;
            match result {
                Ok(output) => {
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
                    pending = next;
                }
                Err(err) if is_retryable(&err) => {
                    outcome.stats.failed_requests += 1;
                    let table = self.entries[pending[0]].table.clone();
                    outcome.error =
                        Some(Error::sdk("BatchGetItem", &table, err.into_service_error()));
                }
                Err(err) => {
                    let table = self.entries[pending[0]].table.clone();
                    outcome.error =
                        Some(Error::sdk("BatchGetItem", &table, err.into_service_error()));
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

// ---------------------------------------------------------------------------
// The error
// ---------------------------------------------------------------------------

/// A batch that could not do everything within its retry budget (or met an
/// error that retrying cannot fix): what was left undone, exactly.
///
/// Carried by [`Error::BatchIncomplete`]. Writes not listed in
/// [`BatchIncomplete::unprocessed_writes`] were done; keys not listed in
/// [`BatchIncomplete::unprocessed_keys`] were read (see
/// [`BatchIncomplete::partial_read`]).
#[derive(Debug)]
pub struct BatchIncomplete {
    operation: &'static str,
    total: usize,
    succeeded: usize,
    unprocessed_writes: Vec<UnprocessedWrite>,
    unprocessed_keys: Vec<UnprocessedKey>,
    partial: Option<BatchGetOutput>,
    stats: BatchStats,
    cause: Option<Box<Error>>,
}

impl BatchIncomplete {
    /// `BatchWriteItem` or `BatchGetItem`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Writes or keys asked for in the call.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Writes done, or keys read.
    pub fn succeeded(&self) -> usize {
        self.succeeded
    }

    /// The writes not done, in the order they were added.
    pub fn unprocessed_writes(&self) -> &[UnprocessedWrite] {
        &self.unprocessed_writes
    }

    /// Takes the writes not done, to retry them with
    /// [`BatchWrite::unprocessed`] or to persist them.
    pub fn into_unprocessed_writes(self) -> Vec<UnprocessedWrite> {
        self.unprocessed_writes
    }

    /// The keys not read, in the order they were added.
    pub fn unprocessed_keys(&self) -> &[UnprocessedKey] {
        &self.unprocessed_keys
    }

    /// For a batch read: what the keys that were read gave.
    pub fn partial_read(&self) -> Option<&BatchGetOutput> {
        self.partial.as_ref()
    }

    /// Request and retry counters.
    pub fn stats(&self) -> BatchStats {
        self.stats
    }

    /// The last error met (`None` when DynamoDB kept answering with
    /// unprocessed entries until the budget ran out).
    pub fn cause(&self) -> Option<&Error> {
        self.cause.as_deref()
    }
}

impl fmt::Display for BatchIncomplete {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let left = self.total - self.succeeded;
        let what = if self.operation == "BatchWriteItem" {
            "writes were not done"
        } else {
            "keys were not read"
        };
        write!(
            f,
            "{}: {left} of {} {what} after {} requests ({} retries); they are listed in the error",
            self.operation, self.total, self.stats.requests, self.stats.retries
        )?;
        if let Some(cause) = &self.cause {
            write!(f, "; last error: {cause}")?;
        }
        Ok(())
    }
}

impl std::error::Error for BatchIncomplete {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl Error {
    /// The batch ran out of its retry budget; see [`Error::batch_incomplete`].
    pub fn is_batch_incomplete(&self) -> bool {
        matches!(self, Error::BatchIncomplete(_))
    }

    /// What a batch left undone, if this error is [`Error::BatchIncomplete`].
    pub fn batch_incomplete(&self) -> Option<&BatchIncomplete> {
        match self {
            Error::BatchIncomplete(incomplete) => Some(incomplete),
            _ => None,
        }
    }

    /// Takes what a batch left undone, if this error is [`Error::BatchIncomplete`].
    pub fn into_batch_incomplete(self) -> Option<BatchIncomplete> {
        match self {
            Error::BatchIncomplete(incomplete) => Some(*incomplete),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_follow_dynamodb_rules() {
        assert_eq!(number_size("1.75"), 3);
        assert_eq!(number_size("100"), 2);
        assert_eq!(number_size("-0.00100"), 2);
        assert_eq!(number_size("12345678901234567890"), 11);
        assert_eq!(number_size("0"), 1);
        assert_eq!(number_size("1.5E+20"), 2);
        assert_eq!(number_size("1000.0001"), 5);
        let item = Item::from([
            ("id".to_owned(), AttributeValue::S("abc".into())),
            ("ok".to_owned(), AttributeValue::Bool(true)),
            (
                "tags".to_owned(),
                AttributeValue::L(vec![
                    AttributeValue::S("x".into()),
                    AttributeValue::Null(true),
                ]),
            ),
        ]);
        // 2+3, 2+1, 4 + (3 + (1+1) + (1+1))
        assert_eq!(item_size(&item), 5 + 3 + 4 + 7);
    }

    #[test]
    fn canonical_keys_tell_types_and_boundaries_apart() {
        let a = Item::from([
            ("h".to_owned(), AttributeValue::S("ab".into())),
            ("r".to_owned(), AttributeValue::S("c".into())),
        ]);
        let b = Item::from([
            ("h".to_owned(), AttributeValue::S("a".into())),
            ("r".to_owned(), AttributeValue::S("bc".into())),
        ]);
        let n = Item::from([
            ("h".to_owned(), AttributeValue::N("1".into())),
            ("r".to_owned(), AttributeValue::S("c".into())),
        ]);
        let s = Item::from([
            ("h".to_owned(), AttributeValue::S("1".into())),
            ("r".to_owned(), AttributeValue::S("c".into())),
        ]);
        let names = ["h", "r"];
        assert_ne!(canonical_key(&a, &names), canonical_key(&b, &names));
        assert_ne!(canonical_key(&n, &names), canonical_key(&s, &names));
        assert_eq!(canonical_key(&a, &["h", "missing"]), None);
    }
}
