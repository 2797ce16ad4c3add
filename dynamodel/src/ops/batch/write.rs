//! [`BatchWrite`]: puts and deletes of any models, checked as they are
//! added (write pipeline, one write per key) and sent by the write engine.

use std::any::TypeId;
use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use super::chunked::put_action;
use super::keys_seen::KeysSeen;
use super::progress::BatchProgress;
use super::typed_key::TypedKey;
use super::write_engine::{self, BatchWriteOutput, WriteEntry, WriteTarget};
use super::DEFAULT_CONCURRENCY;
use crate::error::{UnprocessedWrite, WriteAction};
use crate::key::IntoKey;
use crate::limits::MAX_BATCH_WRITE;
use crate::ops::future::into_future_plain;
use crate::ops::keys::{canonical_key, KeyNames};
use crate::ops::Meter;
use crate::ops::RetryPolicy;
use crate::pipeline::hooks::{log_after_failure, run_after, run_before, ActionHooks};
use crate::pipeline::WriteKind;
use crate::{Db, Error, Item, Model, Result};

#[cfg(doc)]
use super::SliceBatch;
#[cfg(doc)]
use crate::error::BatchIncomplete;

/// Puts and deletes of any models, sent as few `BatchWriteItem` requests as
/// possible. Start it with [`Db::batch_write`]; see the [module docs](super).
///
/// Every write is prepared (write pipeline, hooks, limits) as it is added
/// and checked before anything is sent: a bad write fails the call with
/// [`Error::Item`] naming its index, and nothing is written. All prepared
/// items are held until sent; for many writes of one model,
/// [`Db::batch_put`] and [`Db::batch_delete`] ([`SliceBatch`]) check the keys
/// up front and prepare the items request by request instead.
///
/// Two writes on the same key in one call are an error (DynamoDB rejects
/// them, and which should win is ambiguous), reported before sending.
#[must_use = "a batch does nothing until it is sent with `.send().await` or `.await`"]
pub struct BatchWrite {
    db: Db,
    entries: Vec<WriteEntry>,
    /// Each table's name, formatted once per batch and shared by its
    /// writes; its position here is its number in `seen`.
    tables: Vec<Arc<str>>,
    /// What the writes of each model share (and those re-added from a
    /// report), made on the first write of each.
    targets: Vec<Arc<WriteTarget>>,
    /// The key of every write, to refuse a second write of one.
    seen: KeysSeen,
    error: Option<Error>,
    concurrency: usize,
    retry: RetryPolicy,
    progress: Option<BatchProgress>,
    meter: Option<Meter>,
    /// The hooks of the writes whose model has any.
    hooks: Vec<ActionHooks>,
}

impl fmt::Debug for BatchWrite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchWrite")
            .field("writes", &self.entries.len())
            .field("concurrency", &self.concurrency)
            .field("retry", &self.retry)
            .field("progress", &self.progress)
            .finish()
    }
}

impl Db {
    /// Starts a batch of puts and deletes over any models.
    pub fn batch_write(&self) -> BatchWrite {
        BatchWrite {
            db: self.clone(),
            entries: Vec::new(),
            tables: Vec::new(),
            targets: Vec::new(),
            seen: KeysSeen::default(),
            error: None,
            concurrency: DEFAULT_CONCURRENCY,
            retry: RetryPolicy::default(),
            progress: None,
            meter: None,
            hooks: Vec::new(),
        }
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

    /// What the writes of `M` share, its table name formatted on the
    /// first write of `M`.
    fn target_of<M: Model>(&mut self) -> Arc<WriteTarget> {
        let type_id = TypeId::of::<M>();
        let key_names = KeyNames::of(&M::key_schema());
        let of_m = |target: &&Arc<WriteTarget>| {
            target.type_id == type_id
                && target.model == M::MODEL_NAME
                && target.key_names == key_names
        };
        if let Some(target) = self.targets.iter().find(of_m) {
            return target.clone();
        }
        let table = self.shared_table(&self.db.table_name::<M>());
        self.new_target(M::MODEL_NAME, type_id, table, key_names)
    }

    /// A target not met before, kept for the writes after it.
    fn new_target(
        &mut self,
        model: &'static str,
        type_id: TypeId,
        table: Arc<str>,
        key_names: KeyNames,
    ) -> Arc<WriteTarget> {
        let target = Arc::new(WriteTarget {
            model,
            type_id,
            table,
            key_names,
        });
        self.targets.push(target.clone());
        target
    }

    /// The shared name of table `name` (models may share a table),
    /// numbered on its first write.
    fn shared_table(&mut self, name: &str) -> Arc<str> {
        if let Some(table) = self.tables.iter().find(|table| ***table == *name) {
            return table.clone();
        }
        let table: Arc<str> = Arc::from(name);
        self.tables.push(table.clone());
        table
    }

    fn push<M: Model>(&mut self, typed_key: TypedKey, action: Result<WriteAction>) {
        let index = self.entries.len();
        let target = self.target_of::<M>();
        let action = match action {
            Ok(action) => action,
            Err(err) => {
                self.fail(index, err);
                // Keep the index numbering stable for later items.
                WriteAction::Delete(Item::new())
            }
        };
        // Puts arrive here from prepare_write, which already refused items
        // over 400 KB.
        let canon = match &action {
            WriteAction::Delete(key) if key.is_empty() => Vec::new(),
            WriteAction::Put(item) | WriteAction::Delete(item) => {
                self.check_duplicate::<M>(index, &target.table, item, target.key_names)
            }
        };
        self.entries.push(WriteEntry {
            index,
            target,
            action,
            typed_key,
            canon,
        });
    }

    /// The number of `table` in this batch (its first position in
    /// `tables`), cheaper to hash than its name.
    fn table_number(&self, table: &Arc<str>) -> usize {
        self.tables
            .iter()
            .position(|t| Arc::ptr_eq(t, table))
            .unwrap_or(usize::MAX)
    }

    /// Refuses a second write of the key of `item`; its canonical key,
    /// kept by the entry to match DynamoDB's answers (empty when the item
    /// lacks a key attribute, which fails the batch).
    fn check_duplicate<M: Model>(
        &mut self,
        index: usize,
        table: &Arc<str>,
        item: &Item,
        names: KeyNames,
    ) -> Vec<u8> {
        let names = names.as_slice();
        let Some(canon) = canonical_key(item, names) else {
            self.fail(
                index,
                Error::InvalidRequest {
                    model: M::MODEL_NAME,
                    message: format!("the item lacks a key attribute ({})", names.join(", ")),
                },
            );
            return Vec::new();
        };
        let table = self.table_number(table);
        if let Some(first) = self.seen.insert(table, &canon, index) {
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
        canon
    }

    /// Adds a put of `item`: it goes through the write pipeline now.
    ///
    /// Models with a `#[dynamodel(version)]` attribute are refused:
    /// BatchWriteItem cannot check the version, so a batch put would
    /// silently overwrite a concurrent change. Use `Db::put` or a
    /// transaction, which check it.
    pub fn put<M: Model>(mut self, item: &M) -> Self {
        let (typed_key, action) = put_action(item);
        if let Ok(WriteAction::Put(written)) = &action {
            let hooks = ActionHooks::save::<M>(self.entries.len(), written, WriteKind::Put);
            self.hooks.extend(hooks);
        }
        self.push::<M>(typed_key, action);
        self
    }

    /// Adds puts of all `items`.
    pub fn put_all<'a, M: Model>(mut self, items: impl IntoIterator<Item = &'a M>) -> Self {
        let items = items.into_iter();
        self.entries.reserve(items.size_hint().0);
        items.fold(self, |batch, item| batch.put(item))
    }

    /// Adds a delete of the item of model `M` under `key`.
    pub fn delete<M: Model>(mut self, key: impl IntoKey<M::Key>) -> Self {
        let key = key.into_key();
        self.hooks
            .extend(ActionHooks::delete::<M>(self.entries.len(), &key));
        let action = M::key_to_item(&key).map(WriteAction::Delete);
        self.push::<M>(TypedKey::Given(Box::new(key)), action);
        self
    }

    /// Re-adds writes a failed batch left undone (from
    /// [`BatchIncomplete::into_unprocessed_writes`]), exactly as they were
    /// prepared the first time.
    pub fn unprocessed(mut self, writes: impl IntoIterator<Item = UnprocessedWrite>) -> Self {
        for write in writes {
            let index = self.entries.len();
            let (WriteAction::Put(item) | WriteAction::Delete(item)) = &write.action;
            let table = self.shared_table(&write.table);
            let Some(key_names) = KeyNames::from_slice(&write.key_names) else {
                self.fail(
                    index,
                    Error::InvalidRequest {
                        model: write.model,
                        message: "the write names no valid key schema".to_owned(),
                    },
                );
                continue;
            };
            let canon = canonical_key(item, key_names.as_slice()).unwrap_or_default();
            if !canon.is_empty() {
                let number = self.table_number(&table);
                if let Some(first) = self.seen.insert(number, &canon, index) {
                    self.fail(
                        index,
                        Error::InvalidRequest {
                            model: write.model,
                            message: format!("writes the same key as item #{first} of this batch"),
                        },
                    );
                }
            }
            let same = |target: &&Arc<WriteTarget>| {
                target.type_id == write.type_id
                    && target.model == write.model
                    && target.key_names == key_names
                    && Arc::ptr_eq(&target.table, &table)
            };
            let target = match self.targets.iter().find(same) {
                Some(target) => target.clone(),
                None => self.new_target(write.model, write.type_id, table, key_names),
            };
            self.entries.push(WriteEntry {
                index,
                target,
                action: write.action,
                typed_key: TypedKey::Given(write.typed_key),
                canon,
            });
        }
        self
    }

    request_setters!("items");

    /// Records the progress of this batch in `progress` as the answers
    /// arrive, where the caller can read it during the batch and after it was
    /// dropped; writes it already records done (from an earlier send of the
    /// same writes, in the same order) are not sent again. A handle used for
    /// a batch of another number of writes fails the send with
    /// [`Error::InvalidRequest`]. See [`BatchProgress`].
    pub fn progress(mut self, progress: &BatchProgress) -> Self {
        self.progress = Some(progress.clone());
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
        let total = self.entries.len();
        let mut entries = self.entries;
        let mut already_done = 0;
        let mut hooks = self.hooks;
        if let Some(progress) = &self.progress {
            if let Err(recorded) = progress.attach(total) {
                let model = entries.first().map_or("BatchWriteItem", WriteEntry::model);
                return Err(super::progress::size_error(model, recorded, total));
            }
            let mut to_send = vec![false; total];
            for index in progress.not_done() {
                if let Some(flag) = to_send.get_mut(index) {
                    *flag = true;
                }
            }
            entries.retain(|entry| to_send[entry.index]);
            hooks.retain(|hook| to_send[hook.index()]);
            already_done = total - entries.len();
        }
        run_before("BatchWriteItem", &mut hooks).await?;
        let mut chunks = Vec::with_capacity(entries.len().div_ceil(MAX_BATCH_WRITE));
        let mut entries = entries.into_iter().peekable();
        while entries.peek().is_some() {
            chunks.push(entries.by_ref().take(MAX_BATCH_WRITE).collect::<Vec<_>>());
        }
        let sent = write_engine::send(
            &self.db,
            futures::stream::iter(chunks),
            self.concurrency,
            self.retry,
            self.progress.as_ref(),
            self.meter.as_ref(),
        )
        .await;
        let left: HashSet<usize> = sent.left.iter().map(|entry| entry.index).collect();
        let after = run_after(hooks, |index| !left.contains(&index)).await;
        if sent.left.is_empty() {
            after?;
            return Ok(BatchWriteOutput {
                written: total,
                already_done,
                stats: sent.stats,
            });
        }
        log_after_failure("BatchWriteItem", after);
        let written = total - sent.left.len();
        Err(write_engine::incomplete(total, written, sent))
    }
}

into_future_plain!(BatchWrite, BatchWriteOutput);
