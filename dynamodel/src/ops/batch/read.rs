//! [`BatchRead`] (any models) and [`BatchGet`] (one model): reads by key,
//! checked as they are added and sent by the read engine.

use std::fmt;

use super::read_engine;
use super::DEFAULT_CONCURRENCY;
use crate::error::{BatchGetOutput, BatchStats, ReadEntry};
use crate::key::IntoKey;
use crate::ops::future::{into_future, into_future_plain};
use crate::ops::keys::push_read;
use crate::ops::RetryPolicy;
use crate::{Db, Error, Model, Result};

/// Reads of items of any models by key, sent as few `BatchGetItem` requests
/// as possible. Start it with [`Db::batch_read`] (or [`Db::batch_get`] for
/// one model); see the [module docs](super).
///
/// A key asked for twice is read once and given back for both.
#[must_use = "a batch does nothing until it is sent with `.send().await` or `.await`"]
pub struct BatchRead {
    db: Db,
    entries: Vec<ReadEntry>,
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
    strict: bool,
    model: std::marker::PhantomData<fn() -> M>,
}

/// What [`BatchGet`] read. Its `Debug` shows counts only: the items and
/// keys are the caller's data.
pub struct BatchGetItems<M: Model> {
    /// The items found that decode, in the order their keys were asked for.
    pub items: Vec<M>,
    /// One error per found item that does not decode (a stored value of the
    /// wrong type, a failing `after_load` hook): [`Error::Item`] with its
    /// key's position in the call and the cause, never a value. Always
    /// empty with [`BatchGet::strict`].
    pub errors: Vec<Error>,
    /// The keys no item has, in the order asked for.
    pub missing: Vec<M::Key>,
    /// Request and retry counters.
    pub stats: BatchStats,
}

impl<M: Model> fmt::Debug for BatchGetItems<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchGetItems")
            .field("items", &crate::redact::Count(self.items.len()))
            .field("errors", &self.errors)
            .field("missing", &crate::redact::Count(self.missing.len()))
            .field("stats", &self.stats)
            .finish()
    }
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
        keys: impl IntoIterator<Item = impl IntoKey<M::Key>>,
    ) -> BatchGet<M> {
        BatchGet {
            read: keys
                .into_iter()
                .fold(self.batch_read(), |read, key| read.get::<M>(key)),
            strict: false,
            model: std::marker::PhantomData,
        }
    }
}

impl BatchRead {
    /// Adds the key of an item of model `M`.
    pub fn get<M: Model>(mut self, key: impl IntoKey<M::Key>) -> Self {
        push_read::<M>(
            &self.db,
            &mut self.entries,
            &mut self.error,
            "BatchGetItem",
            key.into_key(),
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
        read_engine::send(
            &self.db,
            self.entries,
            self.consistent,
            self.concurrency,
            self.retry,
        )
        .await
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

    /// Fails on the first found item that does not decode, with its error,
    /// instead of listing it in [`BatchGetItems::errors`].
    pub fn strict(mut self) -> Self {
        self.strict = true;
        self
    }

    /// Sends the reads. `Ok` only when every key was read (found or not);
    /// items that do not decode are in [`BatchGetItems::errors`].
    pub async fn send(self) -> Result<BatchGetItems<M>> {
        let output = self.read.send().await?;
        let (items, errors) = if self.strict {
            (output.items::<M>()?, Vec::new())
        } else {
            output.items_and_errors::<M>()
        };
        Ok(BatchGetItems {
            items,
            errors,
            missing: output.missing::<M>(),
            stats: output.stats(),
        })
    }
}

into_future_plain!(BatchRead, BatchGetOutput);
into_future!(BatchGet, BatchGetItems<M>);
