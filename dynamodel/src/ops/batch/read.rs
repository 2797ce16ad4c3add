//! [`BatchRead`] (any models) and [`BatchGet`] (one model): reads by key,
//! checked as they are added and sent by the read engine.

use std::fmt;

use super::read_engine;
use super::DEFAULT_CONCURRENCY;
use crate::error::{BatchGetOutput, BatchStats, ReadEntry};
use crate::key::IntoKey;
use crate::ops::future::into_future_plain;
use crate::ops::keys::push_read;
use crate::ops::{Meter, RetryPolicy};
use crate::query::projection::point_read_attributes;
use crate::query::ProjectionOf;
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
    skip_expired: bool,
    concurrency: usize,
    retry: RetryPolicy,
    meter: Option<Meter>,
}

impl fmt::Debug for BatchRead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchRead")
            .field("keys", &self.entries.len())
            .field("consistent", &self.consistent)
            .field("skip_expired", &self.skip_expired)
            .field("concurrency", &self.concurrency)
            .field("retry", &self.retry)
            .finish()
    }
}

/// A batch read of one model; `.send()` gives its items. Start it with
/// [`Db::batch_get`].
///
/// `P` is what items decode into: the model, or a projection chosen with
/// [`BatchGet::project`].
#[must_use = "a batch does nothing until it is sent with `.send().await` or `.await`"]
#[derive(Debug)]
pub struct BatchGet<M: Model, P = M> {
    read: BatchRead,
    strict: bool,
    /// The projection's attributes (`None`: whole items).
    projected: Option<&'static [&'static str]>,
    model: std::marker::PhantomData<fn() -> (M, P)>,
}

/// What [`BatchGet`] read. Its `Debug` shows counts only: the items and
/// keys are the caller's data.
pub struct BatchGetItems<M: Model, P = M> {
    /// The items found that decode, in the order their keys were asked for.
    pub items: Vec<P>,
    /// One error per found item that does not decode (a stored value of the
    /// wrong type, a failing `after_load` hook): [`Error::Item`] with its
    /// key's position in the call and the cause, never a value. Always
    /// empty with [`BatchGet::strict`].
    pub errors: Vec<Error>,
    /// The keys no item has, in the order asked for (with
    /// [`BatchGet::skip_expired`], also those of expired items).
    pub missing: Vec<M::Key>,
    /// Request and retry counters.
    pub stats: BatchStats,
}

impl<M: Model, P> fmt::Debug for BatchGetItems<M, P> {
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
            skip_expired: false,
            concurrency: DEFAULT_CONCURRENCY,
            retry: RetryPolicy::default(),
            meter: None,
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
            projected: None,
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
            None,
        );
        self
    }

    /// Adds the key of an item of model `M`, to read projected to `Q`
    /// (see [`crate::query::projection`]): its items are in
    /// [`BatchGetOutput::projected_items`]. On a table where another key
    /// is read whole, whole items are read (DynamoDB takes one projection
    /// per table).
    pub fn get_projected<M: Model, Q: ProjectionOf<M>>(
        mut self,
        key: impl IntoKey<M::Key>,
    ) -> Self {
        push_read::<M>(
            &self.db,
            &mut self.entries,
            &mut self.error,
            "BatchGetItem",
            key.into_key(),
            Some(point_read_attributes::<M>(Q::ATTRIBUTES, false)),
        );
        self
    }

    /// Asks for strongly consistent reads (eventually consistent by default).
    pub fn consistent(mut self) -> Self {
        self.consistent = true;
        self
    }

    /// Treats an item whose TTL attribute (`#[dynamodel(ttl)]`) is at or
    /// before now as not found: DynamoDB deletes expired items in the
    /// background, typically within a few days, and returns them until
    /// then. Applies to the keys of every model with a TTL attribute (the
    /// others have no expiry); an expired item's key is reported as not
    /// found ([`BatchGetOutput::missing`], `None` in
    /// [`BatchGetOutput::results`]), like the key of an item that is not
    /// stored. A projected read also asks for the TTL attribute to check it.
    pub fn skip_expired(mut self) -> Self {
        self.skip_expired = true;
        self
    }

    request_setters!("keys");

    /// Sends the reads. `Ok` only when every key was read (found or not).
    pub async fn send(mut self) -> Result<BatchGetOutput> {
        if let Some(err) = self.error {
            return Err(err);
        }
        if self.skip_expired {
            self.entries.iter_mut().for_each(ReadEntry::project_ttl);
        }
        let output = read_engine::send(
            &self.db,
            self.entries,
            self.consistent,
            self.concurrency,
            self.retry,
            self.meter.as_ref(),
        )
        .await;
        if !self.skip_expired {
            return output;
        }
        let now = crate::table::ttl::now_epoch_seconds();
        match output {
            Ok(output) => Ok(output.skipping_expired(now)),
            Err(Error::BatchIncomplete(mut incomplete)) => {
                incomplete.partial = incomplete.partial.map(|read| read.skipping_expired(now));
                Err(Error::BatchIncomplete(incomplete))
            }
            Err(err) => Err(err),
        }
    }
}

impl<M: Model> BatchGet<M> {
    /// Reads only the attributes of `Q`, a projection of `M`
    /// (`#[dynamodel(projection_of = M)]`), and decodes the items into `Q`.
    /// The requests also name the key attributes and the entity attributes
    /// the read checks (removed before decoding).
    pub fn project<Q: ProjectionOf<M>>(mut self) -> BatchGet<M, Q> {
        let attributes = point_read_attributes::<M>(Q::ATTRIBUTES, false);
        for entry in &mut self.read.entries {
            entry.projection = Some(attributes.clone());
        }
        BatchGet {
            read: self.read,
            strict: self.strict,
            projected: Some(Q::ATTRIBUTES),
            model: std::marker::PhantomData,
        }
    }
}

impl<M: Model, P: Model> BatchGet<M, P> {
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

    /// Adds every request's consumed capacity (when the meter asks for it)
    /// to `meter`, retries included (see [`crate::ops::meter`]).
    pub fn meter(mut self, meter: &Meter) -> Self {
        self.read = self.read.meter(meter);
        self
    }

    /// Treats an item whose TTL attribute (`#[dynamodel(ttl)]`) is at or
    /// before now as not found: DynamoDB deletes expired items in the
    /// background, typically within a few days, and returns them until
    /// then. An expired item's key is in [`BatchGetItems::missing`], like
    /// the key of an item that is not stored.
    pub fn skip_expired(mut self) -> Self
    where
        M: crate::table::HasTtl,
    {
        self.read = self.read.skip_expired();
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
    pub async fn send(self) -> Result<BatchGetItems<M, P>> {
        let output = self.read.send().await?;
        let (items, errors) = if self.strict {
            (output.decode_all::<M, P>(self.projected)?, Vec::new())
        } else {
            output.decode_each::<M, P>(self.projected)
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
impl<M: Model, P: Model> std::future::IntoFuture for BatchGet<M, P> {
    type Output = Result<BatchGetItems<M, P>>;
    type IntoFuture = futures::future::BoxFuture<'static, Result<BatchGetItems<M, P>>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
