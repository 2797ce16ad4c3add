//! [`BatchStream`]: batch puts and deletes fed by an iterator or a
//! [`Stream`], sent while later items are still being read and prepared,
//! in bounded memory.
//!
//! The guarantees are on [`BatchStream`].

use std::borrow::Borrow;
use std::fmt;

use futures::future::BoxFuture;
use futures::stream::{Stream, StreamExt};

use super::chunked::{self, DuplicateCheck, Source, Target};
use super::write_engine::{BatchWriteOutput, WriteEntry};
use super::DEFAULT_CONCURRENCY;
use crate::error::WriteAction;
use crate::ops::Meter;
use crate::ops::RetryPolicy;
use crate::pipeline::hooks::ActionHooks;
use crate::pipeline::WriteKind;
use crate::{Db, Model, Result};

#[cfg(doc)]
use crate::Error;

/// A write of a stream, with its hooks when its model has any.
type HookedEntry = (WriteEntry, Option<ActionHooks>);

/// The writes of a stream, with their hooks only when the model has any
/// (the writes of the others carry no hook slot from read to request).
enum Writes<'a> {
    Plain(Source<'a, WriteEntry>),
    Hooked(Source<'a, HookedEntry>),
}

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
/// * **Every hook, request by request.** A model with `#[dynamodel(hooks)]`
///   runs its hooks as a [`Db::batch_put`] does (unless that one is asked
///   to [`prepare_all_first`](super::SliceBatch::prepare_all_first)): the
///   `before_*` hooks run as the items are read, each before its write's
///   request is sent, not all before the first request. `before_save` (in
///   the write pipeline) and `before_delete` run on each item as it is
///   read; one that fails stops
///   the input as an invalid item does (above), the cause an
///   [`Error::Item`] holding the [`Error::Hook`]. `after_save` /
///   `after_delete` run once their request is done, for each write
///   DynamoDB carried out (not for those reported unprocessed), before the
///   request's slot takes the next one, so the items they need are kept
///   only while their request is in flight. Their failures are reported as
///   in every batch: [`Error::AfterHook`] of the earliest write, the others
///   counted, when everything was written; logged when the call fails with
///   [`Error::BatchIncomplete`].
/// * No [`BatchProgress`](super::BatchProgress): a stream cannot be
///   replayed; resume from the unprocessed writes in the error instead.
///
/// Items the caller holds (a slice, a `Vec`) are better sent with
/// [`Db::batch_put`] ([`SliceBatch`](super::SliceBatch)): the same
/// preparation request by request, but every key is checked across the
/// whole call before anything is sent, and progress can be recorded.
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
    writes: Writes<'a>,
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
        let target = Target::of::<M>(self);
        let items = items.into_iter().enumerate();
        let writes = if M::HAS_HOOKS {
            let entries = items.map(move |(index, item)| hooked_put(&target, index, item.borrow()));
            Writes::Hooked(Source::Iter(Box::new(entries)))
        } else {
            let entries = items.map(move |(index, item)| target.put::<M>(index, item.borrow()));
            Writes::Plain(Source::Iter(Box::new(entries)))
        };
        BatchStream::new(self, M::MODEL_NAME, writes)
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
        let items = items.enumerate();
        let writes = if M::HAS_HOOKS {
            let entries = items.map(move |(index, item)| hooked_put(&target, index, item.borrow()));
            Writes::Hooked(Source::Stream(entries.boxed()))
        } else {
            let entries = items.map(move |(index, item)| target.put::<M>(index, item.borrow()));
            Writes::Plain(Source::Stream(entries.boxed()))
        };
        BatchStream::new(self, M::MODEL_NAME, writes)
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
        let target = Target::of::<M>(self);
        let keys = keys.into_iter().enumerate();
        let writes = if M::HAS_HOOKS {
            let entries =
                keys.map(move |(index, key)| hooked_delete::<M>(&target, index, key.into()));
            Writes::Hooked(Source::Iter(Box::new(entries)))
        } else {
            let entries = keys.map(move |(index, key)| target.delete::<M>(index, key.into()));
            Writes::Plain(Source::Iter(Box::new(entries)))
        };
        BatchStream::new(self, M::MODEL_NAME, writes)
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
        let keys = keys.enumerate();
        let writes = if M::HAS_HOOKS {
            let entries =
                keys.map(move |(index, key)| hooked_delete::<M>(&target, index, key.into()));
            Writes::Hooked(Source::Stream(entries.boxed()))
        } else {
            let entries = keys.map(move |(index, key)| target.delete::<M>(index, key.into()));
            Writes::Plain(Source::Stream(entries.boxed()))
        };
        BatchStream::new(self, M::MODEL_NAME, writes)
    }
}

/// The put of `item`, write `index` of a stream, with its hooks.
fn hooked_put<M: Model>(target: &Target, index: usize, item: &M) -> Result<HookedEntry> {
    let entry = target.put::<M>(index, item)?;
    // The item as written, kept until its request is done (models with
    // hooks only).
    let hooks = match &entry.action {
        WriteAction::Put(written) => ActionHooks::save::<M>(index, written, WriteKind::Put),
        WriteAction::Delete(_) => None,
    };
    Ok((entry, hooks))
}

/// The delete of `key`, write `index` of a stream, with its hooks.
fn hooked_delete<M: Model>(target: &Target, index: usize, key: M::Key) -> Result<HookedEntry> {
    let hooks = ActionHooks::delete::<M>(index, &key);
    Ok((target.delete::<M>(index, key)?, hooks))
}

impl<'a> BatchStream<'a> {
    fn new(db: &Db, model: &'static str, writes: Writes<'a>) -> Self {
        BatchStream {
            db: db.clone(),
            writes,
            model,
            concurrency: DEFAULT_CONCURRENCY,
            retry: RetryPolicy::default(),
            meter: None,
        }
    }

    request_setters!(
        "items",
        "Memory holds at most one more request's writes than this."
    );

    /// Reads, prepares and sends every write. `Ok` only when every item of
    /// the input was written.
    pub async fn send(self) -> Result<BatchWriteOutput> {
        let sending = chunked::Sending {
            concurrency: self.concurrency,
            retry: self.retry,
            progress: None,
            meter: self.meter.as_ref(),
        };
        match self.writes {
            Writes::Plain(entries) => chunked::send(&self.db, input(entries), sending).await,
            Writes::Hooked(entries) => chunked::send(&self.db, input(entries), sending).await,
        }
    }
}

/// The input of a stream's writes: keys checked within each request, the
/// total counted as read.
fn input<W>(entries: Source<'_, W>) -> chunked::Input<'_, W> {
    chunked::Input {
        entries,
        duplicates: DuplicateCheck::PerRequest(Default::default()),
        total: None,
        already_done: 0,
    }
}

impl<'a> std::future::IntoFuture for BatchStream<'a> {
    type Output = Result<BatchWriteOutput>;
    type IntoFuture = BoxFuture<'a, Result<BatchWriteOutput>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
