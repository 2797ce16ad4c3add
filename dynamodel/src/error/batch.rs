//! What a batch left undone ([`BatchIncomplete`], carried by
//! [`Error::BatchIncomplete`]) and the entries it lists: writes not done,
//! keys not read, and what the keys that were read gave ([`BatchGetOutput`],
//! also the output of a successful batch or transactional read).

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;

use crate::redact::RedactedMap;
use crate::{Error, Item};

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
    pub(crate) fn add(&mut self, other: BatchStats) {
        self.requests += other.requests;
        self.retries += other.retries;
        self.failed_requests += other.failed_requests;
        self.unprocessed_returned += other.unprocessed_returned;
    }
}

/// What an unprocessed write was. Its `Debug` shows attribute names and
/// types only.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub enum WriteAction {
    /// A put of this item (as prepared by the write pipeline).
    Put(Item),
    /// A delete of the item with this key.
    Delete(Item),
}

impl fmt::Debug for WriteAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, item) = match self {
            WriteAction::Put(item) => ("Put", item),
            WriteAction::Delete(key) => ("Delete", key),
        };
        f.debug_tuple(name).field(&RedactedMap(item)).finish()
    }
}

/// A write a batch could not complete: enough to retry or persist it. Its
/// `Debug` shows attribute names and types only.
pub struct UnprocessedWrite {
    /// The write's position in the call (0-based, in the order added).
    pub index: usize,
    /// The model's name.
    pub model: &'static str,
    /// The table (prefix included).
    pub table: String,
    /// The put item or the delete key, exactly as it would be sent.
    pub action: WriteAction,
    pub(crate) type_id: TypeId,
    pub(crate) typed_key: Box<dyn Any + Send + Sync>,
    pub(crate) key_names: Vec<&'static str>,
}

impl fmt::Debug for UnprocessedWrite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnprocessedWrite")
            .field("index", &self.index)
            .field("model", &self.model)
            .field("table", &self.table)
            .field("action", &self.action)
            .finish_non_exhaustive()
    }
}

/// A key a batch read could not read: enough to retry it. Its `Debug`
/// shows the key's attribute names and types only.
pub struct UnprocessedKey {
    /// The key's position in the call (0-based, in the order added).
    pub index: usize,
    /// The model's name.
    pub model: &'static str,
    /// The table (prefix included).
    pub table: String,
    /// The key attributes, exactly as sent.
    pub key: Item,
    pub(crate) type_id: TypeId,
    pub(crate) typed_key: Box<dyn Any + Send + Sync>,
}

impl fmt::Debug for UnprocessedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnprocessedKey")
            .field("index", &self.index)
            .field("model", &self.model)
            .field("table", &self.table)
            .field("key", &RedactedMap(&self.key))
            .finish_non_exhaustive()
    }
}

/// One key of a batch or transactional read, as asked for: what
/// [`BatchGetOutput`] answers per key and [`UnprocessedKey`] reports.
pub(crate) struct ReadEntry {
    pub(crate) model: &'static str,
    pub(crate) type_id: TypeId,
    pub(crate) table: String,
    pub(crate) key: Item,
    pub(crate) canon: Vec<u8>,
    pub(crate) key_names: Vec<&'static str>,
    pub(crate) typed_key: Box<dyn Any + Send + Sync>,
    /// A projected read: the attributes to ask for (the projection's, the
    /// key's, and those the read checks); `None` for the whole item.
    pub(crate) projection: Option<Vec<&'static str>>,
    /// The model's TTL attribute (`#[dynamodel(ttl)]`), checked when the
    /// read skips expired items.
    pub(crate) ttl: Option<&'static str>,
}

impl ReadEntry {
    /// Makes a projected read also ask for the model's TTL attribute, which
    /// skipping expired items checks (removed again before decoding).
    pub(crate) fn project_ttl(&mut self) {
        if let (Some(projection), Some(ttl)) = (&mut self.projection, self.ttl) {
            if !projection.contains(&ttl) {
                projection.push(ttl);
            }
        }
    }
}

/// The items a batch or transactional read found, per model, in the order
/// the keys were asked for.
pub struct BatchGetOutput {
    pub(super) entries: Vec<ReadEntry>,
    found: HashMap<(String, Vec<u8>), Item>,
    stats: BatchStats,
    /// With `skip_expired`: the time (epoch seconds) at or before which an
    /// item's TTL has passed, making it not found.
    expired_at: Option<i64>,
}

impl fmt::Debug for BatchGetOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchGetOutput")
            .field("keys", &self.entries.len())
            .field("found", &self.found.len())
            .field("stats", &self.stats)
            .field("skip_expired", &self.expired_at.is_some())
            .finish()
    }
}

impl BatchGetOutput {
    pub(crate) fn new(
        entries: Vec<ReadEntry>,
        found: HashMap<(String, Vec<u8>), Item>,
        stats: BatchStats,
    ) -> Self {
        BatchGetOutput {
            entries,
            found,
            stats,
            expired_at: None,
        }
    }

    /// Treats the items whose TTL attribute is at or before `now` (epoch
    /// seconds) as not found, as `skip_expired` asks.
    pub(crate) fn skipping_expired(mut self, now: i64) -> Self {
        self.expired_at = Some(now);
        self
    }

    /// The item found for `entry`, unless it expired and the read skips
    /// expired items.
    pub(super) fn lookup(&self, entry: &ReadEntry) -> Option<&Item> {
        let item = self
            .found
            .get(&(entry.table.clone(), entry.canon.clone()))?;
        match (self.expired_at, entry.ttl) {
            (Some(now), Some(ttl)) if crate::table::ttl::is_expired(item, ttl, now) => None,
            _ => Some(item),
        }
    }

    /// The raw items found, with the name of the model they were asked as
    /// (with `skip_expired`, without the expired ones).
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

/// A batch that could not do everything within its retry budget (or met an
/// error that retrying cannot fix): what was left undone, exactly.
///
/// Carried by [`Error::BatchIncomplete`]. Writes not listed in
/// [`BatchIncomplete::unprocessed_writes`] were done; keys not listed in
/// [`BatchIncomplete::unprocessed_keys`] were read (see
/// [`BatchIncomplete::partial_read`]).
#[derive(Debug)]
pub struct BatchIncomplete {
    pub(crate) operation: &'static str,
    pub(crate) total: usize,
    pub(crate) succeeded: usize,
    pub(crate) unprocessed_writes: Vec<UnprocessedWrite>,
    pub(crate) unprocessed_keys: Vec<UnprocessedKey>,
    pub(crate) partial: Option<BatchGetOutput>,
    pub(crate) stats: BatchStats,
    pub(crate) cause: Option<Box<Error>>,
    /// A streamed batch's input stopped at this write (see [`Self::stopped_at`]).
    pub(crate) stopped_at: Option<usize>,
}

impl BatchIncomplete {
    /// `BatchWriteItem` or `BatchGetItem`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Writes or keys asked for in the call (for a streamed batch that
    /// stopped, those read from its input).
    pub fn total(&self) -> usize {
        self.total
    }

    /// For a batch prepared chunk by chunk ([`SliceBatch`](crate::ops::SliceBatch),
    /// [`BatchStream`](crate::ops::BatchStream)) whose input stopped at a
    /// write that failed the write pipeline or repeated a key: that write's
    /// index. It and every later input were not written (the later ones
    /// were not even prepared);
    /// [`std::error::Error::source`] is its [`Error::Item`]. The other writes
    /// not done are in [`Self::unprocessed_writes`].
    pub fn stopped_at(&self) -> Option<usize> {
        self.stopped_at
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
    /// [`BatchWrite::unprocessed`](crate::ops::BatchWrite::unprocessed) or to persist them.
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
        if let Some(index) = self.stopped_at {
            write!(
                f,
                "; the input stopped at write #{index}, which failed (it and every later input were not written)"
            )?;
        }
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
