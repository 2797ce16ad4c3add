//! The preparation loop of the batches that prepare their writes chunk by
//! chunk ([`BatchStream`](super::BatchStream) and
//! [`SliceBatch`](super::SliceBatch)): a write is read and prepared only
//! when the engine has a free request slot, 25 at a time, so at most
//! `concurrency + 1` requests' worth of prepared items exist at once.
//!
//! The two batches differ only in where the writes come from and how their
//! keys are kept to one write each ([`DuplicateCheck`]). For both, the first
//! write that fails (the write pipeline, or a key written twice) stops the
//! input: the writes of its chunk read before it are sent, nothing after it
//! is read, the requests in flight finish, and the call fails with
//! [`Error::BatchIncomplete`] whose `stopped_at` is that write's index and
//! whose cause is its [`Error::Item`].
//!
//! The writes of a model with hooks (a stream's, or a slice's) come with
//! them: each write's
//! `before_*` hook runs once it passed the key checks, before it joins its
//! chunk (a failure stops the input like any other), and the chunk carries
//! the hooks into the engine, which runs the `after_*` hooks of the writes
//! done once the chunk's requests are.

use std::any::TypeId;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use futures::stream::{self, BoxStream, Stream, StreamExt};

use super::keys_seen::{KeysInOrder, KeysSeen, RequestKeys};
use super::progress::BatchProgress;
use super::typed_key::TypedKey;
use super::write_engine::{self, BatchWriteOutput, WriteEntry, WriteTarget};
use crate::error::WriteAction;
use crate::limits::MAX_BATCH_WRITE;
use crate::ops::keys::{canonical_key, KeyNames};
use crate::ops::Meter;
use crate::ops::RetryPolicy;
use crate::pipeline::hooks::{log_after_failure, run_before, ActionHooks};
use crate::pipeline::{PreparedWrite, WriteKind};
use crate::{Db, Error, Item, Model, Result};

/// What every write of a one-model batch shares, made once per batch.
#[derive(Clone)]
pub(super) struct Target(Arc<WriteTarget>);

impl Target {
    pub(super) fn of<M: Model>(db: &Db) -> Self {
        Target(Arc::new(WriteTarget {
            model: M::MODEL_NAME,
            type_id: TypeId::of::<M>(),
            table: Arc::from(db.table_name::<M>()),
            key_names: KeyNames::of(&M::key_schema()),
        }))
    }

    /// The entry of write `index`, or its failure as [`Error::Item`].
    pub(super) fn entry(
        &self,
        index: usize,
        typed_key: TypedKey,
        action: Result<WriteAction>,
    ) -> Result<WriteEntry> {
        let action = action.map_err(|source| item_error(index, source))?;
        Ok(self.entry_of(index, typed_key, action, Vec::new()))
    }

    /// The entry of write `index` on this target.
    fn entry_of(
        &self,
        index: usize,
        typed_key: TypedKey,
        action: WriteAction,
        canon: Vec<u8>,
    ) -> WriteEntry {
        WriteEntry {
            index,
            target: self.0.clone(),
            action,
            typed_key,
            canon,
        }
    }

    /// The put of `item` at position `index`, through the write pipeline
    /// (which gives its canonical key too).
    pub(super) fn put<M: Model>(&self, index: usize, item: &M) -> Result<WriteEntry> {
        self.put_keyed::<M>(index, item, CanonicalKey::FromPipeline)
    }

    /// [`Target::put`] of a write whose key the key pass recorded
    /// ([`DuplicateCheck::CheckedUpFront`] gives it): not made again.
    pub(super) fn put_key_recorded<M: Model>(&self, index: usize, item: &M) -> Result<WriteEntry> {
        self.put_keyed::<M>(index, item, CanonicalKey::Recorded)
    }

    /// The entry of a put, built in one step from the prepared item (no
    /// intermediate tuples to move): a versioned model refused, else
    /// through the write pipeline, the canonical key as `canonical_key`
    /// says.
    fn put_keyed<M: Model>(
        &self,
        index: usize,
        item: &M,
        canonical_key: CanonicalKey,
    ) -> Result<WriteEntry> {
        if let Some(version) = M::version_attribute() {
            return Err(item_error(index, versioned_refusal::<M>(version)));
        }
        // Unversioned: the prepared write carries no check to lose.
        let prepared = match canonical_key {
            CanonicalKey::FromPipeline => PreparedWrite::new(item, WriteKind::Put),
            CanonicalKey::Recorded => PreparedWrite::new_key_known(item, WriteKind::Put),
        };
        let mut prepared = prepared.map_err(|source| item_error(index, source))?;
        let canon = match canonical_key {
            CanonicalKey::FromPipeline => prepared.take_canonical_key(),
            CanonicalKey::Recorded => Vec::new(),
        };
        // The item is the caller's value: its key is read back from it
        // only if the write is reported undone.
        let typed_key = if prepared.encodes_value_as_given() {
            TypedKey::of_put::<M>()
        } else {
            TypedKey::Given(Box::new(item.key()))
        };
        let action = WriteAction::Put(prepared.into_parts().0);
        Ok(self.entry_of(index, typed_key, action, canon))
    }

    /// The delete of the item under `key` at position `index`.
    pub(super) fn delete<M: Model>(&self, index: usize, key: M::Key) -> Result<WriteEntry> {
        let action = M::key_to_item(&key).map(WriteAction::Delete);
        self.entry(index, TypedKey::Given(Box::new(key)), action)
    }
}

/// Write `index`'s failure, as every batch reports it.
#[cold]
#[inline(never)]
pub(super) fn item_error(index: usize, source: Error) -> Error {
    Error::Item {
        operation: "BatchWriteItem",
        index,
        source: Box::new(source),
    }
}

/// Why a batch refuses a put of versioned model `M`.
#[cold]
#[inline(never)]
pub(super) fn versioned_refusal<M: Model>(version: &'static str) -> Error {
    Error::InvalidRequest {
        model: M::MODEL_NAME,
        message: format!(
            "`{version}` is a version attribute and batch writes cannot check it: \
             use put or a transaction"
        ),
    }
}

/// The put of `item` as a batch write: refused for a versioned model (a
/// batch cannot check the version), else through the write pipeline; with
/// the typed key to report it by. Its callers make the canonical key their
/// own way, or not at all.
pub(super) fn put_action<M: Model>(item: &M) -> (TypedKey, Result<WriteAction>) {
    let prepared = match M::version_attribute() {
        Some(version) => Err(versioned_refusal::<M>(version)),
        // Unversioned: the prepared write carries no check to lose.
        None => PreparedWrite::new_key_known(item, WriteKind::Put),
    };
    let action = |prepared: PreparedWrite<M>| WriteAction::Put(prepared.into_parts().0);
    match prepared {
        // The item is the caller's value: its key is read back from it
        // only if the write is reported undone.
        Ok(prepared) if prepared.encodes_value_as_given() => {
            (TypedKey::of_put::<M>(), Ok(action(prepared)))
        }
        prepared => (TypedKey::Given(Box::new(item.key())), prepared.map(action)),
    }
}

/// Where a batch put's canonical key comes from.
#[derive(Clone, Copy)]
enum CanonicalKey {
    /// The write pipeline's limits step makes it, from the key values it
    /// picks out anyway.
    FromPipeline,
    /// The caller has it already (or does not use it): the entry's stays
    /// empty (the engine reads it from the key pass).
    Recorded,
}

/// How a chunked batch keeps its writes to one per key (DynamoDB refuses a
/// request naming a key twice, and which write should win is ambiguous).
pub(super) enum DuplicateCheck {
    /// Every key was checked before the first write was prepared (the key
    /// pass of a slice batch): nothing is left to check, and the engine
    /// reads each write's key from the pass (no copy per write).
    CheckedUpFront(KeysInOrder),
    /// Against every key prepared so far in the batch: the keys are kept,
    /// not the items (keys only known once prepared, e.g. generated).
    WholeBatch(KeysSeen),
    /// Within each request only: a stream's keys are not kept beyond their
    /// request, so that its memory stays bounded.
    PerRequest(RequestKeys),
}

impl DuplicateCheck {
    /// The index of the write before `entry` of its key, if any (`chunk`:
    /// the writes of its request so far).
    fn earlier_write(&mut self, chunk: &[WriteEntry], entry: &WriteEntry) -> Option<usize> {
        // An empty key (a key attribute missing) matches none: DynamoDB
        // refuses the write.
        match self {
            DuplicateCheck::CheckedUpFront(_) => None,
            DuplicateCheck::WholeBatch(_) if entry.canon.is_empty() => None,
            DuplicateCheck::WholeBatch(seen) => seen.insert(0, &entry.canon, entry.index),
            DuplicateCheck::PerRequest(keys) => {
                let key_at = |at: usize| chunk.get(at).map_or(&[][..], |seen| &seen.canon);
                let first = keys.push(chunk.len(), &entry.canon, key_at)?;
                chunk.get(first).map(|seen| seen.index)
            }
        }
    }

    /// The canonical key of `entry` (empty when it lacks a key attribute):
    /// the one the write pipeline made, else from its item.
    fn key_of(entry: &mut WriteEntry) -> Vec<u8> {
        if !entry.canon.is_empty() {
            return std::mem::take(&mut entry.canon);
        }
        canonical_key(entry_item(entry), entry.key_names()).unwrap_or_default()
    }

    /// What "one write per key" covers, for the refusal's message.
    fn scope(&self) -> &'static str {
        match self {
            DuplicateCheck::PerRequest(_) => "request",
            DuplicateCheck::CheckedUpFront(_) | DuplicateCheck::WholeBatch(_) => "call",
        }
    }
}

/// One write as a chunked batch reads it: its entry, with the hooks of the
/// write when its model has any.
pub(super) trait ChunkedWrite: Send {
    fn into_parts(self) -> (WriteEntry, Option<ActionHooks>);
}

impl ChunkedWrite for WriteEntry {
    fn into_parts(self) -> (WriteEntry, Option<ActionHooks>) {
        (self, None)
    }
}

impl ChunkedWrite for (WriteEntry, Option<ActionHooks>) {
    fn into_parts(self) -> (WriteEntry, Option<ActionHooks>) {
        self
    }
}

/// Where a chunked batch reads its writes from, each write (or its
/// failure) in order.
pub(super) enum Source<'a, W> {
    /// Writes made as they are read, in place: no stream to poll per
    /// write (a slice, an iterator).
    Iter(Box<dyn Iterator<Item = Result<W>> + Send + 'a>),
    /// Writes awaited from a stream.
    Stream(BoxStream<'a, Result<W>>),
}

/// The writes of one chunked batch, as read.
pub(super) struct Input<'a, W> {
    /// Each write (or its failure), in order.
    pub(super) entries: Source<'a, W>,
    pub(super) duplicates: DuplicateCheck,
    /// The number of writes of the call, when known before reading them
    /// (a slice); otherwise those read count.
    pub(super) total: Option<usize>,
    /// Writes not in `entries` because a [`BatchProgress`] records them
    /// done.
    pub(super) already_done: usize,
}

/// How a chunked batch sends.
pub(super) struct Sending<'s> {
    pub(super) concurrency: usize,
    pub(super) retry: RetryPolicy,
    pub(super) progress: Option<&'s BatchProgress>,
    pub(super) meter: Option<&'s Meter>,
}

/// Reads, prepares and sends the writes of `input`. `Ok` only when every
/// write of the call is done. Writes with hooks run their `before_*` hook
/// as they are read (before their request is sent) and their `after_*`
/// hook once their request is done, if they were written; an `after_*`
/// failure is the call's error when everything was written, and is logged
/// when the call is incomplete, as [`BatchWrite`](super::BatchWrite) does.
pub(super) async fn send<W: ChunkedWrite>(
    db: &Db,
    input: Input<'_, W>,
    sending: Sending<'_>,
) -> Result<BatchWriteOutput> {
    let stop: Arc<Mutex<Option<Error>>> = Arc::default();
    let read = Arc::new(AtomicUsize::new(0));
    // Keys checked up front stay with the engine, which reads each write's
    // key there: the chunk loop has nothing left to check.
    let (duplicates, recorded) = match input.duplicates {
        DuplicateCheck::CheckedUpFront(keys) => (None, Some(keys)),
        check => (Some(check), None),
    };
    let chunks = chunks(input.entries, duplicates, stop.clone(), read.clone());
    let mut sent = write_engine::send_with_hooks(
        db,
        chunks,
        sending.concurrency,
        sending.retry,
        sending.progress,
        sending.meter,
        recorded.as_ref(),
    )
    .await;
    let stop = stop.lock().unwrap_or_else(PoisonError::into_inner).take();
    let total = input
        .total
        .unwrap_or_else(|| read.load(Ordering::Relaxed) + input.already_done);
    let after = std::mem::take(&mut sent.after_hooks).into_result();
    if sent.left.is_empty() && stop.is_none() {
        after?;
        return Ok(BatchWriteOutput {
            written: total,
            already_done: input.already_done,
            stats: sent.stats,
        });
    }
    let written = sent.written + input.already_done;
    let stopped_at = stop.as_ref().and_then(|err| match err {
        Error::Item { index, .. } => Some(*index),
        _ => None,
    });
    log_after_failure("BatchWriteItem", after);
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

/// The chunks of at most [`MAX_BATCH_WRITE`] writes of `entries`, read
/// only as the engine asks for them, each with the hooks of its writes;
/// the first entry that failed, that repeats a key (as `duplicates`
/// checks; `None`: every key was checked up front), or whose `before_*`
/// hook failed, ends them and is left in `stop`. `read` counts the entries
/// read.
fn chunks<'a, W: ChunkedWrite + 'a>(
    entries: Source<'a, W>,
    duplicates: Option<DuplicateCheck>,
    stop: Arc<Mutex<Option<Error>>>,
    read: Arc<AtomicUsize>,
) -> impl Stream<Item = (Vec<WriteEntry>, Vec<ActionHooks>)> + 'a {
    stream::unfold(Some((entries, duplicates)), move |state| {
        let stop = stop.clone();
        let read = read.clone();
        async move {
            let (mut entries, mut duplicates) = state?;
            let mut chunk: Vec<WriteEntry> = Vec::with_capacity(MAX_BATCH_WRITE);
            let mut chunk_hooks: Vec<ActionHooks> = Vec::new();
            let mut ended = false;
            // Counted here and added once per chunk (not an atomic
            // operation per write).
            let mut chunk_read = 0;
            while chunk.len() < MAX_BATCH_WRITE {
                // An iterator's write is read in place (no future made).
                let next = match &mut entries {
                    Source::Iter(writes) => writes.next(),
                    Source::Stream(writes) => writes.next().await,
                };
                let Some(next) = next else {
                    ended = true;
                    break;
                };
                chunk_read += 1;
                // Pushed as read (one move) and checked in place; taken
                // back out if refused.
                let admitted = next.and_then(|write| {
                    let (entry, hooks) = write.into_parts();
                    chunk.push(entry);
                    match &mut duplicates {
                        Some(duplicates) => admit_last(duplicates, &mut chunk).map(|()| hooks),
                        None => Ok(hooks),
                    }
                });
                let refused = match admitted {
                    Ok(None) => continue,
                    // The write passed every check: its `before_*` hook runs
                    // now, before its request is sent, or it is not sent.
                    Ok(Some(hooks)) => run_before_of_last(&mut chunk, &mut chunk_hooks, hooks)
                        .await
                        .err(),
                    Err(err) => Some(err),
                };
                if let Some(err) = refused {
                    record_stop(&stop, err);
                    ended = true;
                    break;
                }
            }
            read.fetch_add(chunk_read, Ordering::Relaxed);
            if chunk.is_empty() {
                return None;
            }
            Some((
                (chunk, chunk_hooks),
                (!ended).then_some((entries, duplicates)),
            ))
        }
    })
}

/// Sets the canonical key of the write last pushed on `chunk` and checks
/// it against the earlier writes (as `duplicates` does); a write refused
/// is taken back out of `chunk`. Not generic: one copy for both batches.
fn admit_last(duplicates: &mut DuplicateCheck, chunk: &mut Vec<WriteEntry>) -> Result<()> {
    let Some((entry, earlier)) = chunk.split_last_mut() else {
        return Ok(());
    };
    // Kept by the entry: the engine matches DynamoDB's answers with it.
    entry.canon = DuplicateCheck::key_of(entry);
    match duplicates.earlier_write(earlier, entry) {
        None => Ok(()),
        Some(first) => Err(refuse_last(chunk, first, duplicates.scope())),
    }
}

/// Takes the write last pushed on `chunk` back out: it writes the key write
/// `first` wrote; its refusal.
#[cold]
#[inline(never)]
fn refuse_last(chunk: &mut Vec<WriteEntry>, first: usize, scope: &str) -> Error {
    match chunk.pop() {
        Some(entry) => duplicate_error(&entry, first, scope),
        // Not reached: the caller just pushed it.
        None => Error::InvalidRequest {
            model: "BatchWriteItem",
            message: "a refused write was not in its request".to_owned(),
        },
    }
}

/// Runs the `before_*` hook of the write last pushed on `chunk`: kept with
/// the chunk's hooks if it passed, else the write is taken back out.
async fn run_before_of_last(
    chunk: &mut Vec<WriteEntry>,
    chunk_hooks: &mut Vec<ActionHooks>,
    mut hooks: ActionHooks,
) -> Result<()> {
    match run_before("BatchWriteItem", std::slice::from_mut(&mut hooks)).await {
        Ok(()) => {
            chunk_hooks.push(hooks);
            Ok(())
        }
        Err(err) => {
            chunk.pop();
            Err(err)
        }
    }
}

/// The refusal of `entry`, which writes the key write `first` wrote
/// (one write per key and `scope`).
#[cold]
#[inline(never)]
fn duplicate_error(entry: &WriteEntry, first: usize, scope: &str) -> Error {
    item_error(
        entry.index,
        Error::InvalidRequest {
            model: entry.model(),
            message: format!(
                "writes the same key as item #{first} of this batch (one write per key and {scope})"
            ),
        },
    )
}

/// Leaves the error that stops the input in `stop`.
#[cold]
#[inline(never)]
fn record_stop(stop: &Mutex<Option<Error>>, err: Error) {
    *stop.lock().unwrap_or_else(PoisonError::into_inner) = Some(err);
}

fn entry_item(entry: &WriteEntry) -> &Item {
    match &entry.action {
        WriteAction::Put(item) | WriteAction::Delete(item) => item,
    }
}
