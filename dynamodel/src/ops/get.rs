//! `db.get::<M>(key)`: reads one item by its key.

use crate::key::IntoKey;
use crate::trace::Traced;

use crate::ops::future::into_future;
use crate::{Db, Error, Item, Model, Result};

/// Reads one item by its key. Start it with [`Db::get`].
#[must_use = "a get does nothing until it is sent with `.send().await` or `.await`"]
pub struct Get<M: Model> {
    db: Db,
    key: Result<Item>,
    consistent: bool,
    skip_expired: bool,
    model: std::marker::PhantomData<fn() -> M>,
}

impl<M: Model> std::fmt::Debug for Get<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Key values may be personal data: names and types only.
        f.debug_struct("Get")
            .field("model", &M::MODEL_NAME)
            .field("key", &crate::redact::RedactedResult(&self.key))
            .field("consistent", &self.consistent)
            .finish_non_exhaustive()
    }
}

impl Db {
    /// Reads the item of model `M` stored under `key` (the partition key, or a
    /// `(partition, sort)` tuple).
    pub fn get<M: Model>(&self, key: impl IntoKey<M::Key>) -> Get<M> {
        Get {
            db: self.clone(),
            key: M::key_to_item(&key.into_key()),
            consistent: false,
            skip_expired: false,
            model: std::marker::PhantomData,
        }
    }
}

impl<M: Model> Get<M> {
    /// Asks for a strongly consistent read (eventually consistent by default).
    pub fn consistent(mut self) -> Self {
        self.consistent = true;
        self
    }

    /// Answers `None` for an item whose TTL attribute (`#[dynamodel(ttl)]`)
    /// is at or before now: DynamoDB deletes expired items in the
    /// background, typically within a few days, and returns them until then.
    pub fn skip_expired(mut self) -> Self
    where
        M: crate::table::HasTtl,
    {
        self.skip_expired = true;
        self
    }

    /// The exact request `send` would make, without sending it (a dry run).
    pub fn to_request(self) -> Result<crate::ops::Request> {
        let mut request = crate::ops::Request::new("GetItem", self.db.table_name::<M>());
        request.key = Some(self.key?);
        request.consistent_read = Some(self.consistent);
        Ok(request)
    }

    /// Sends the request: `Ok(None)` when no item has the key, or when the
    /// item under it is of another entity ([`crate::entity`]).
    pub async fn send(self) -> Result<Option<M>> {
        let table = self.db.table_name::<M>();
        let span = tracing::debug_span!(
            "dynamodel.request",
            operation = "GetItem",
            model = M::MODEL_NAME,
            table = %table
        );
        let output = self
            .db
            .client()
            .get_item()
            .table_name(&table)
            .set_key(Some(self.key?))
            .consistent_read(self.consistent)
            .send()
            .traced(span)
            .await
            .map_err(|err| {
                Error::sdk(M::MODEL_NAME, "GetItem", &table, err.into_service_error())
            })?;
        let now = crate::table::ttl::now_epoch_seconds();
        // An item of another entity under this key is not `M`'s: not found.
        output
            .item
            .filter(crate::entity::accepts::<M>)
            .filter(|item| match (self.skip_expired, M::ttl_attribute()) {
                (true, Some(ttl)) => !crate::table::ttl::is_expired(item, ttl, now),
                _ => true,
            })
            .map(crate::pipeline::finish_read::<M>)
            .transpose()
    }
}

into_future!(Get, Option<M>);
