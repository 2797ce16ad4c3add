//! [`SliceBatch`]: [`Db::batch_put`] and [`Db::batch_delete`] over writes
//! the caller holds (a slice, a `Vec`, any iterator that can be cloned):
//! every key is checked first, then the writes are prepared chunk by chunk
//! as request slots free up, in bounded extra memory.
//!
//! The guarantees are on [`SliceBatch`].

use std::fmt;
use std::marker::PhantomData;

use futures::future::BoxFuture;

use super::chunked::{self, item_error, versioned_refusal, DuplicateCheck, Source, Target};
use super::keys_seen::{KeysInOrder, KeysSeen};
use super::progress::BatchProgress;
use super::write::BatchWrite;
use super::write_engine::{BatchWriteOutput, WriteEntry};
use super::DEFAULT_CONCURRENCY;
use crate::error::WriteAction;
use crate::key::IntoKey;
use crate::ops::Meter;
use crate::ops::RetryPolicy;
use crate::pipeline::hooks::ActionHooks;
use crate::pipeline::WriteKind;
use crate::{Db, Error, Model, Result};

/// Batch puts ([`Db::batch_put`]) or deletes ([`Db::batch_delete`]) of one
/// model over writes the caller holds: sent as `BatchWriteItem` requests of
/// 25, the items prepared chunk by chunk as request slots free up.
///
/// Guarantees, beyond those of every batch (splitting, retries, the report
/// of what was not written; see [`BatchWrite`]):
///
/// * **Every key checked before anything is sent.** A first pass reads only
///   the keys (`Model::key`, no conversion of the item): two writes of one
///   key anywhere in the call, a key attribute that is empty or over
///   DynamoDB's key size limits, or a batch put of a versioned model, fail
///   the call with [`Error::Item`] naming the write's index, and nothing is
///   written. When the key pass refuses a write, the puts up to it are
///   prepared too (still nothing sent), and the first of them that fails
///   the write pipeline is reported instead: the error is always that of
///   the lowest index, the one [`SliceBatch::prepare_all_first`] reports.
///   (A model whose key is generated on write, or whose `before_save` hook
///   may change it, checks each put's key as its item is prepared instead,
///   against every key prepared so far.)
/// * **Bounded extra memory.** Validation, `before_save`, the item size
///   and the conversion run per request, just before it is sent: at most
///   `concurrency + 1` requests' worth of prepared items (25 each) exist at
///   once, plus the keys' bytes; the caller's items are read, not copied.
/// * **Nothing lost, nothing silent.** An item that fails the write
///   pipeline stops the batch: the items of its request before it are sent,
///   nothing after it is prepared, the requests in flight finish, and the
///   call fails with [`Error::BatchIncomplete`] whose
///   [`stopped_at`](crate::error::BatchIncomplete::stopped_at) is that
///   item's index (it and every later item were not written; the items are
///   the caller's, `&items[stopped_at..]`) and whose cause is its
///   [`Error::Item`]; the writes in flight that failed are listed as usual.
/// * **Every hook, request by request.** A model with
///   `#[dynamodel(hooks)]` is prepared chunk by chunk too, in the same
///   bounded memory: `before_save` (in the write pipeline) and
///   `before_delete` run on each write as it is prepared, before its
///   request is sent, not all before the first request; one that fails
///   stops the batch as an invalid item does (above), the cause an
///   [`Error::Item`] holding the [`Error::Hook`], and the requests sent
///   before it are not undone. `after_save` / `after_delete` run once their
///   request is done, for each write DynamoDB carried out (not for those
///   reported unprocessed), and their failures are reported as in every
///   batch. A [`BatchStream`](super::BatchStream) runs them the same way.
/// * **Resumable.** [`SliceBatch::progress`] records which writes are done,
///   and a batch of the same writes with the same handle sends only the
///   others (see [`BatchProgress`]).
///
/// For bad input refused with nothing written, whatever is wrong with it,
/// ask for [`SliceBatch::prepare_all_first`]: every item is then prepared
/// and checked before the first request (every `before_*` hook included, as
/// [`BatchWrite`] and transactions do), and all of them are held in memory
/// at once.
///
/// ```no_run
/// use dynamodel::{Db, Model};
///
/// #[derive(Model, Debug, Clone, PartialEq)]
/// #[dynamodel(table = "users")]
/// struct User { #[dynamodel(hash_key)] id: String, name: String }
///
/// # async fn demo(db: Db, users: Vec<User>) -> dynamodel::Result<()> {
/// match db.batch_put(&users).concurrency(8).await {
///     Ok(output) => assert_eq!(output.written, users.len()),
///     Err(err) => {
///         let stopped_at = err.batch_incomplete().and_then(|i| i.stopped_at());
///         // users[stopped_at..] were not written; neither were the writes listed in `err`.
///         return Err(err);
///     }
/// }
/// // Nothing written unless every user passes the write pipeline:
/// db.batch_put(&users).prepare_all_first().await?;
/// # Ok(()) }
/// ```
#[must_use = "a batch does nothing until it is sent with `.send().await` or `.await`"]
pub struct SliceBatch<'a> {
    db: Db,
    writes: Box<dyn Writes<'a> + 'a>,
    prepare_all_first: bool,
    concurrency: usize,
    retry: RetryPolicy,
    progress: Option<BatchProgress>,
    meter: Option<Meter>,
}

impl fmt::Debug for SliceBatch<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SliceBatch")
            .field("model", &self.writes.model())
            .field("prepare_all_first", &self.prepare_all_first)
            .field("concurrency", &self.concurrency)
            .field("retry", &self.retry)
            .field("progress", &self.progress)
            .finish_non_exhaustive()
    }
}

impl Db {
    /// Puts all `items` (any number) in batches: every key is checked
    /// first, then the items are prepared chunk by chunk as they are sent.
    /// Takes anything the items can be read from twice: `&items` (a `Vec`
    /// or a slice), `items.iter()`, `[&a, &b]`. See [`SliceBatch`].
    pub fn batch_put<'a, M: Model>(
        &self,
        items: impl IntoIterator<Item = &'a M, IntoIter: Clone + Send + 'a>,
    ) -> SliceBatch<'a> {
        SliceBatch::new(
            self,
            Box::new(Puts {
                items: items.into_iter(),
            }),
        )
    }

    /// Deletes the items under all `keys` (any number) in batches: every
    /// key is checked first. Takes anything the keys can be read from
    /// twice: `["u-1", "u-2"]`, `ids.iter()`,
    /// `items.iter().map(Model::key)`. See [`SliceBatch`].
    pub fn batch_delete<'a, M: Model>(
        &self,
        keys: impl IntoIterator<Item: IntoKey<M::Key>, IntoIter: Clone + Send + 'a>,
    ) -> SliceBatch<'a> {
        SliceBatch::new(
            self,
            Box::new(Deletes {
                keys: keys.into_iter(),
                model: PhantomData::<fn() -> M>,
            }),
        )
    }
}

impl<'a> SliceBatch<'a> {
    fn new(db: &Db, writes: Box<dyn Writes<'a> + 'a>) -> Self {
        SliceBatch {
            db: db.clone(),
            writes,
            prepare_all_first: false,
            concurrency: DEFAULT_CONCURRENCY,
            retry: RetryPolicy::default(),
            progress: None,
            meter: None,
        }
    }

    /// Prepares and checks every write (validation, hooks, limits, keys)
    /// before sending anything, as [`BatchWrite`] does: any bad item (or
    /// `before_*` hook failure) fails the call with [`Error::Item`] naming
    /// its index, and nothing is written; every `before_*` hook has run
    /// before the first request. The cost is memory: every prepared item is held at once
    /// (for large batches, several times the size of the items themselves),
    /// where the default holds at most `concurrency + 1` requests' worth.
    pub fn prepare_all_first(mut self) -> Self {
        self.prepare_all_first = true;
        self
    }

    request_setters!(
        "items",
        "Unless every item is prepared first, memory holds at most one more request's items than this."
    );

    /// Records the progress of this batch in `progress` as the answers
    /// arrive, where the caller can read it during the batch and after it
    /// was dropped; writes it already records done (from an earlier send of
    /// the same writes, in the same order) are neither prepared nor sent
    /// again. A handle used for a batch of another number of writes fails
    /// the send with [`Error::InvalidRequest`]. See [`BatchProgress`].
    pub fn progress(mut self, progress: &BatchProgress) -> Self {
        self.progress = Some(progress.clone());
        self
    }

    /// The number of writes of the batch (each item or key given), counted
    /// by reading the input once; what [`BatchWriteOutput::written`] is
    /// when every write is done.
    pub fn len(&self) -> usize {
        self.writes.len()
    }

    /// Whether the batch has no write (sending it then sends nothing and
    /// answers `Ok`).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Checks every key, then prepares and sends the writes chunk by chunk
    /// (or all prepared first, see [`SliceBatch::prepare_all_first`]). `Ok`
    /// only when every write was done.
    pub async fn send(self) -> Result<BatchWriteOutput> {
        if self.prepare_all_first {
            let mut batch = self
                .writes
                .add_to(self.db.batch_write())
                .concurrency(self.concurrency)
                .retry(self.retry);
            if let Some(progress) = &self.progress {
                batch = batch.progress(progress);
            }
            if let Some(meter) = &self.meter {
                batch = batch.meter(meter);
            }
            return batch.send().await;
        }
        let hooks = self.writes.hooks();
        let (total, duplicates) = self.writes.check_keys()?;
        let mut done = None;
        let mut already_done = 0;
        if let Some(progress) = &self.progress {
            progress.attach(total).map_err(|recorded| {
                super::progress::size_error(self.writes.model(), recorded, total)
            })?;
            let mut flags = vec![false; total];
            for index in progress.done() {
                if let Some(flag) = flags.get_mut(index) {
                    *flag = true;
                    already_done += 1;
                }
            }
            done = Some(flags);
        }
        let sending = chunked::Sending {
            concurrency: self.concurrency,
            retry: self.retry,
            progress: self.progress.as_ref(),
            meter: self.meter.as_ref(),
        };
        if hooks {
            let input = chunked::Input {
                entries: Source::Iter(self.writes.hooked_entries(&self.db, done)),
                duplicates,
                total: Some(total),
                already_done,
            };
            return chunked::send(&self.db, input, sending).await;
        }
        let input = chunked::Input {
            entries: Source::Iter(self.writes.entries(&self.db, done)),
            duplicates,
            total: Some(total),
            already_done,
        };
        chunked::send(&self.db, input, sending).await
    }
}

impl<'a> std::future::IntoFuture for SliceBatch<'a> {
    type Output = Result<BatchWriteOutput>;
    type IntoFuture = BoxFuture<'a, Result<BatchWriteOutput>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// The writes of a slice batch, of one model: read once for their keys,
/// then again to be prepared.
trait Writes<'a>: Send {
    fn model(&self) -> &'static str;

    /// Whether the model has hooks: then its writes are read with them
    /// ([`Writes::hooked_entries`]).
    fn hooks(&self) -> bool;

    /// The number of writes.
    fn len(&self) -> usize;

    /// The key pass: the number of writes, and how their keys are still to
    /// be checked as they are prepared; the first key refused, as
    /// [`Error::Item`].
    fn check_keys(&self) -> Result<(usize, DuplicateCheck)>;

    /// Each write's entry, prepared as it is read; those `done` flags are
    /// skipped.
    fn entries(self: Box<Self>, db: &Db, done: Option<Vec<bool>>) -> Writing<'a, WriteEntry>;

    /// As [`Writes::entries`], each with its hooks (a model with hooks):
    /// the `after_save` of the item as written, or the `before_delete` and
    /// `after_delete` of the key.
    fn hooked_entries(
        self: Box<Self>,
        db: &Db,
        done: Option<Vec<bool>>,
    ) -> Writing<'a, HookedEntry>;

    /// Every write added to `batch`, prepared now.
    fn add_to(self: Box<Self>, batch: BatchWrite) -> BatchWrite;
}

/// A write with its hooks, when its model has any.
type HookedEntry = (WriteEntry, Option<ActionHooks>);

/// The writes of a slice batch, each made as it is read.
type Writing<'a, W> = Box<dyn Iterator<Item = Result<W>> + Send + 'a>;

struct Puts<I> {
    items: I,
}

struct Deletes<M, I> {
    keys: I,
    model: PhantomData<fn() -> M>,
}

impl<'a, M, I> Writes<'a> for Puts<I>
where
    M: Model,
    I: Iterator<Item = &'a M> + Clone + Send + 'a,
{
    fn model(&self) -> &'static str {
        M::MODEL_NAME
    }

    fn hooks(&self) -> bool {
        M::HAS_HOOKS
    }

    fn len(&self) -> usize {
        self.items.clone().count()
    }

    fn check_keys(&self) -> Result<(usize, DuplicateCheck)> {
        if let (Some(version), Some(_)) = (M::version_attribute(), self.items.clone().next()) {
            return Err(item_error(0, versioned_refusal::<M>(version)));
        }
        if !keys_checked_up_front::<M>() {
            let check = DuplicateCheck::WholeBatch(KeysSeen::default());
            return Ok((self.items.clone().count(), check));
        }
        let mut keys = KeyPass::<M>::new(self.items.size_hint().0);
        for (index, item) in self.items.clone().enumerate() {
            if let Err(refused) = keys.check_item(item) {
                // The index `prepare_all_first` would report: the first
                // write, up to the refused one, that fails its pipeline.
                return Err(first_prepare_failure(self.items.clone(), index).unwrap_or(refused));
            }
        }
        Ok(keys.finish())
    }

    fn entries(self: Box<Self>, db: &Db, done: Option<Vec<bool>>) -> Writing<'a, WriteEntry> {
        let target = Target::of::<M>(db);
        // Each put's key as the key pass recorded it, unless the pass left
        // the keys to be made and checked as the items are prepared.
        let recorded = keys_checked_up_front::<M>();
        let entries = self
            .items
            .enumerate()
            .filter(move |(index, _)| !is_done(done.as_deref(), *index))
            .map(move |(index, item)| {
                if recorded {
                    target.put_key_recorded::<M>(index, item)
                } else {
                    target.put::<M>(index, item)
                }
            });
        Box::new(entries)
    }

    fn hooked_entries(
        self: Box<Self>,
        db: &Db,
        done: Option<Vec<bool>>,
    ) -> Writing<'a, HookedEntry> {
        Box::new(self.entries(db, done).map(|entry| {
            let entry = entry?;
            // The item as written, kept until its request is done.
            let hooks = match &entry.action {
                WriteAction::Put(written) => {
                    ActionHooks::save::<M>(entry.index, written, WriteKind::Put)
                }
                WriteAction::Delete(_) => None,
            };
            Ok((entry, hooks))
        }))
    }

    fn add_to(self: Box<Self>, batch: BatchWrite) -> BatchWrite {
        batch.put_all(self.items)
    }
}

impl<'a, M, I> Writes<'a> for Deletes<M, I>
where
    M: Model,
    I: Iterator + Clone + Send + 'a,
    I::Item: IntoKey<M::Key>,
{
    fn model(&self) -> &'static str {
        M::MODEL_NAME
    }

    fn hooks(&self) -> bool {
        M::HAS_HOOKS
    }

    fn len(&self) -> usize {
        self.keys.clone().count()
    }

    fn check_keys(&self) -> Result<(usize, DuplicateCheck)> {
        let mut keys = KeyPass::<M>::new(self.keys.size_hint().0);
        for key in self.keys.clone() {
            keys.check_key(&key.into_key())?;
        }
        Ok(keys.finish())
    }

    fn entries(self: Box<Self>, db: &Db, done: Option<Vec<bool>>) -> Writing<'a, WriteEntry> {
        let target = Target::of::<M>(db);
        let entries = self
            .keys
            .enumerate()
            .filter(move |(index, _)| !is_done(done.as_deref(), *index))
            .map(move |(index, key)| target.delete::<M>(index, key.into_key()));
        Box::new(entries)
    }

    fn hooked_entries(
        self: Box<Self>,
        db: &Db,
        done: Option<Vec<bool>>,
    ) -> Writing<'a, HookedEntry> {
        let target = Target::of::<M>(db);
        let entries = self
            .keys
            .enumerate()
            .filter(move |(index, _)| !is_done(done.as_deref(), *index))
            .map(move |(index, key)| {
                let key = key.into_key();
                let hooks = ActionHooks::delete::<M>(index, &key);
                Ok((target.delete::<M>(index, key)?, hooks))
            });
        Box::new(entries)
    }

    fn add_to(self: Box<Self>, batch: BatchWrite) -> BatchWrite {
        self.keys.fold(batch, |batch, key| batch.delete::<M>(key))
    }
}

/// The first of the puts of `items` up to index `through` (included) that
/// fails the write pipeline, as [`Error::Item`]; `None` when all pass.
/// Nothing is sent: the key pass refused write `through`, and a write
/// before it (or its own pipeline) failing first is what is reported, as
/// [`BatchWrite`] does.
fn first_prepare_failure<'a, M: Model>(
    items: impl Iterator<Item = &'a M>,
    through: usize,
) -> Option<Error> {
    items
        .take(through.saturating_add(1))
        .enumerate()
        .find_map(|(index, item)| {
            let (_, action) = chunked::put_action(item);
            action.err().map(|source| item_error(index, source))
        })
}

/// Whether the key pass checks and records the key of every put of `M`.
/// Not when a key is made or changed while the item is prepared
/// (`generate`, a `before_save` hook): it is checked then, against every
/// key so far.
fn keys_checked_up_front<M: Model>() -> bool {
    !(M::KEY_GENERATED || M::HAS_HOOKS)
}

fn is_done(done: Option<&[bool]>, index: usize) -> bool {
    done.and_then(|done| done.get(index))
        .copied()
        .unwrap_or(false)
}

/// The key pass of a slice batch over model `M`: each key checked against
/// DynamoDB's key limits and against the keys before it, and kept.
struct KeyPass<M> {
    keys: KeysInOrder,
    /// The key being checked, its bytes written here (one buffer for the
    /// whole pass).
    scratch: Vec<u8>,
    model: PhantomData<fn() -> M>,
}

impl<M: Model> KeyPass<M> {
    /// A pass over (at least) `writes` writes: its memory sized once.
    fn new(writes: usize) -> Self {
        KeyPass {
            keys: KeysInOrder::with_capacity(writes),
            scratch: Vec::new(),
            model: PhantomData,
        }
    }

    /// Checks the key of the next write, `item`'s own key, with the errors
    /// preparing the write would give (as [`Error::Item`] of its index).
    fn check_item(&mut self, item: &M) -> Result<()> {
        self.scratch.clear();
        let written = item.write_own_canonical_key(&mut self.scratch);
        self.record(written)
    }

    /// Checks the next write's `key`, as [`KeyPass::check_item`].
    fn check_key(&mut self, key: &M::Key) -> Result<()> {
        self.scratch.clear();
        let written = M::write_canonical_key(key, &mut self.scratch);
        self.record(written)
    }

    /// Records the key in `scratch` (as `written` wrote it) as the next
    /// write's, refusing it if written wrong or written before.
    fn record(&mut self, written: Result<()>) -> Result<()> {
        let index = self.keys.len();
        written.map_err(|source| item_error(index, source))?;
        match self.keys.push(&self.scratch) {
            None => Ok(()),
            Some(first) => Err(item_error(
                index,
                Error::InvalidRequest {
                    model: M::MODEL_NAME,
                    message: format!(
                        "writes the same key as item #{first} of this batch (one write per key and call)"
                    ),
                },
            )),
        }
    }

    /// The number of writes, and their keys for the writes to take.
    fn finish(self) -> (usize, DuplicateCheck) {
        (self.keys.len(), DuplicateCheck::CheckedUpFront(self.keys))
    }
}
