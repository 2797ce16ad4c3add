//! [`BatchStream`]: batch puts and deletes fed by an iterator or a
//! [`Stream`], sent while later items are still being read and prepared,
//! in bounded memory.
//!
//! The guarantees are on [`BatchStream`].

use std::any::TypeId;
use std::borrow::Borrow;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, Stream, StreamExt};

use super::typed_key::TypedKey;
use super::write_engine::{self, BatchWriteOutput, WriteEntry};
use super::DEFAULT_CONCURRENCY;
use crate::error::WriteAction;
use crate::limits::MAX_BATCH_WRITE;
use crate::ops::keys::{canonical_key, KeyNames};
use crate::ops::Meter;
use crate::ops::RetryPolicy;
use crate::pipeline::{PreparedWrite, WriteKind};
use crate::{Db, Error, Model, Result};

/// Batch puts or deletes of one model fed by an iterator or a stream:
/// requests are sent while later items are still read and prepared, and
/// memory stays bounded whatever the number of items. Start it with
/// [`Db::batch_put_iter`], [`Db::batch_put_stream`], [`Db::batch_delete_iter`]
/// or [`Db::batch_delete_stream`].
///
/// Guarantees, beyond those of every batch (splitting, retries, the
/// report of what was not written; see [`BatchWrite`](super::BatchWrite)):
///
/// * **Bounded memory.** At most `concurrency + 1` requests' worth of writes
///   (25 each) exist at once, whatever the number of items: a million items
///   from an iterator never sit in memory together.
/// * **Nothing lost, nothing silent.** An item that fails the write pipeline
///   (validation, a hook, a limit), or writes the same key as another item
///   of its request, stops the input: nothing more is read, the requests in
///   flight finish, and the call fails with [`Error::BatchIncomplete`] whose
///   [`stopped_at`](crate::error::BatchIncomplete::stopped_at) is that
///   item's index (it and every later item were not written) and whose
///   cause is [`Error::Item`] with its error; the writes in flight that
///   failed are listed as usual.
/// * Two writes of one key are refused within a request; across requests
///   of a stream they are not detected (that would need every key in
///   memory), and which one wins is undefined: feed each key once.
/// * No [`BatchProgress`](super::BatchProgress): a stream cannot be
///   replayed; resume from the unprocessed writes in the error instead.
///
/// ```no_run
/// use dynamodel::{Db, Model};
///
/// #[derive(Model, Debug, Clone, PartialEq)]
/// #[dynamodel(table = "events")]
/// struct Event { #[dynamodel(hash_key)] id: String, kind: String }
///
/// # async fn demo(db: Db) -> dynamodel::Result<()> {
/// let events = (0..1_000_000).map(|i| Event { id: format!("e-{i}"), kind: "click".into() });
/// let written = db.batch_put_iter(events).concurrency(8).await?;
/// assert_eq!(written.written, 1_000_000);
/// # Ok(()) }
/// ```
#[must_use = "a batch does nothing until it is sent with `.send().await` or `.await`"]
pub struct BatchStream<'a> {
    db: Db,
    entries: BoxStream<'a, Result<WriteEntry>>,
    model: &'static str,
    concurrency: usize,
    retry: RetryPolicy,
    meter: Option<Meter>,
}

impl fmt::Debug for BatchStream<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchStream")
            .field("model", &self.model)
            .field("concurrency", &self.concurrency)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// What every write of one streamed batch shares.
#[derive(Clone)]
struct Target {
    table: Arc<str>,
    key_names: KeyNames,
}

impl Target {
    fn of<M: Model>(db: &Db) -> Self {
        Target {
            table: Arc::from(db.table_name::<M>()),
            key_names: KeyNames::of(&M::key_schema()),
        }
    }

    fn entry<M: Model>(
        &self,
        index: usize,
        typed_key: TypedKey,
        action: Result<WriteAction>,
    ) -> Result<WriteEntry> {
        let action = action.map_err(|source| item_error(index, source))?;
        Ok(WriteEntry {
            index,
            key_names: self.key_names,
            model: M::MODEL_NAME,
            type_id: TypeId::of::<M>(),
            table: self.table.clone(),
            action,
            typed_key,
            canon: Vec::new(),
        })
    }
}

fn item_error(index: usize, source: Error) -> Error {
    Error::Item {
        operation: "BatchWriteItem",
        index,
        source: Box::new(source),
    }
}

/// The put of `item` as a batch write: refused for a versioned model (a
/// batch cannot check the version), else through the write pipeline; with
/// the typed key to report it by.
pub(super) fn put_action<M: Model>(item: &M) -> (TypedKey, Result<WriteAction>) {
    let prepared = match M::version_attribute() {
        Some(version) => Err(Error::InvalidRequest {
            model: M::MODEL_NAME,
            message: format!(
                "`{version}` is a version attribute and batch writes cannot check it: \
                 use put or a transaction"
            ),
        }),
        // Unversioned: the prepared write carries no check to lose.
        None => PreparedWrite::new(item, WriteKind::Put),
    };
    match prepared {
        // The item is the caller's value: its key is read back from it
        // only if the write is reported undone.
        Ok(prepared) if prepared.encodes_value_as_given() => (
            TypedKey::of_put::<M>(),
            Ok(WriteAction::Put(prepared.into_parts().0)),
        ),
        prepared => (
            TypedKey::Given(Box::new(item.key())),
            prepared.map(|prepared| WriteAction::Put(prepared.into_parts().0)),
        ),
    }
}

impl Db {
    /// Puts every item `items` yields (owned or borrowed), sending while
    /// later items are still produced, in bounded memory. See
    /// [`BatchStream`].
    pub fn batch_put_iter<'a, M, I>(&self, items: I) -> BatchStream<'a>
    where
        M: Model,
        I: IntoIterator + 'a,
        I::IntoIter: Send + 'a,
        I::Item: Borrow<M>,
    {
        self.batch_put_stream(stream::iter(items))
    }

    /// Puts every item `items` yields, sending while later items are still
    /// awaited, in bounded memory. See [`BatchStream`].
    pub fn batch_put_stream<'a, M, S>(&self, items: S) -> BatchStream<'a>
    where
        M: Model,
        S: Stream + Send + 'a,
        S::Item: Borrow<M>,
    {
        let target = Target::of::<M>(self);
        let entries = items.enumerate().map(move |(index, item)| {
            let item: &M = item.borrow();
            let (typed_key, action) = put_action(item);
            target.entry::<M>(index, typed_key, action)
        });
        BatchStream::new(self, M::MODEL_NAME, entries.boxed())
    }

    /// Deletes the items under every key `keys` yields, sending while later
    /// keys are still produced, in bounded memory. See [`BatchStream`].
    pub fn batch_delete_iter<'a, M, I>(&self, keys: I) -> BatchStream<'a>
    where
        M: Model,
        I: IntoIterator + 'a,
        I::IntoIter: Send + 'a,
        I::Item: Into<M::Key>,
    {
        self.batch_delete_stream::<M, _>(stream::iter(keys))
    }

    /// Deletes the items under every key `keys` yields, in bounded memory.
    /// See [`BatchStream`].
    pub fn batch_delete_stream<'a, M, S>(&self, keys: S) -> BatchStream<'a>
    where
        M: Model,
        S: Stream + Send + 'a,
        S::Item: Into<M::Key>,
    {
        let target = Target::of::<M>(self);
        let entries = keys.enumerate().map(move |(index, key)| {
            let key: M::Key = key.into();
            let action = M::key_to_item(&key).map(WriteAction::Delete);
            target.entry::<M>(index, TypedKey::Given(Box::new(key)), action)
        });
        BatchStream::new(self, M::MODEL_NAME, entries.boxed())
    }
}

impl<'a> BatchStream<'a> {
    fn new(db: &Db, model: &'static str, entries: BoxStream<'a, Result<WriteEntry>>) -> Self {
        BatchStream {
            db: db.clone(),
            entries,
            model,
            concurrency: DEFAULT_CONCURRENCY,
            retry: RetryPolicy::default(),
            meter: None,
        }
    }

    /// Adds every request's consumed capacity (when the meter asks for it)
    /// to `meter`, retries included (see [`crate::ops::meter`]).
    pub fn meter(mut self, meter: &Meter) -> Self {
        self.meter = Some(meter.clone());
        self
    }

    /// How many requests may be in flight at once (default
    /// [`DEFAULT_CONCURRENCY`]; at least 1). Memory holds at most one more
    /// request's writes than this.
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.max(1);
        self
    }

    /// The retry budget for unprocessed items and failed requests.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Reads, prepares and sends every write. `Ok` only when every item of
    /// the input was written.
    pub async fn send(self) -> Result<BatchWriteOutput> {
        let stop: Arc<Mutex<Option<Error>>> = Arc::default();
        let read = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let chunks = chunked(self.entries, stop.clone(), read.clone());
        let sent = write_engine::send(
            &self.db,
            chunks,
            self.concurrency,
            self.retry,
            None,
            self.meter.as_ref(),
        )
        .await;
        let stop = stop.lock().unwrap_or_else(PoisonError::into_inner).take();
        let total = read.load(std::sync::atomic::Ordering::Relaxed);
        if sent.left.is_empty() && stop.is_none() {
            return Ok(BatchWriteOutput {
                written: total,
                already_done: 0,
                stats: sent.stats,
            });
        }
        let written = sent.written;
        let stopped_at = stop.as_ref().and_then(|err| match err {
            Error::Item { index, .. } => Some(*index),
            _ => None,
        });
        let mut sent = sent;
        if stop.is_some() {
            // The input's error explains the stop; a request error, if any,
            // shows in the writes it left.
            sent.cause = stop;
        }
        let mut error = write_engine::incomplete(total, written, sent);
        if let Error::BatchIncomplete(incomplete) = &mut error {
            incomplete.stopped_at = stopped_at;
        }
        Err(error)
    }
}

/// The chunks of at most [`MAX_BATCH_WRITE`] writes of `entries`, read
/// only as the engine asks for them; the first entry that failed, or that
/// repeats a key of its chunk, ends them and is left in `stop`. `read`
/// counts the entries read.
fn chunked<'a>(
    entries: BoxStream<'a, Result<WriteEntry>>,
    stop: Arc<Mutex<Option<Error>>>,
    read: Arc<std::sync::atomic::AtomicUsize>,
) -> impl Stream<Item = Vec<WriteEntry>> + 'a {
    stream::unfold(Some(entries), move |entries| {
        let stop = stop.clone();
        let read = read.clone();
        async move {
            let mut entries = entries?;
            let mut chunk: Vec<WriteEntry> = Vec::with_capacity(MAX_BATCH_WRITE);
            let mut ended = false;
            while chunk.len() < MAX_BATCH_WRITE {
                let Some(entry) = entries.next().await else {
                    ended = true;
                    break;
                };
                read.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let refused = entry.and_then(|mut entry| {
                    // Kept by the entry: the engine matches DynamoDB's
                    // answers with it.
                    entry.canon = canonical_key(entry_item(&entry), entry.key_names.as_slice())
                        .unwrap_or_default();
                    let canon = &entry.canon;
                    let repeated = (!canon.is_empty())
                        .then(|| chunk.iter().position(|seen| seen.canon == *canon))
                        .flatten();
                    match repeated {
                        Some(first) => Err(item_error(
                            entry.index,
                            Error::InvalidRequest {
                                model: entry.model,
                                message: format!(
                                    "writes the same key as item #{} of this batch (one write per key and request)",
                                    chunk[first].index
                                ),
                            },
                        )),
                        None => {
                            chunk.push(entry);
                            Ok(())
                        }
                    }
                });
                if let Err(err) = refused {
                    *stop.lock().unwrap_or_else(PoisonError::into_inner) = Some(err);
                    ended = true;
                    break;
                }
            }
            if chunk.is_empty() {
                return None;
            }
            Some((chunk, (!ended).then_some(entries)))
        }
    })
}

fn entry_item(entry: &WriteEntry) -> &crate::Item {
    match &entry.action {
        WriteAction::Put(item) | WriteAction::Delete(item) => item,
    }
}

impl<'a> std::future::IntoFuture for BatchStream<'a> {
    type Output = Result<BatchWriteOutput>;
    type IntoFuture = BoxFuture<'a, Result<BatchWriteOutput>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
