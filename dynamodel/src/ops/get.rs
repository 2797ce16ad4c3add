//! `db.get::<M>(key)`: reads one item by its key, whole or projected
//! (`.project::<Q>()`, see [`crate::query::projection`]).

use std::marker::PhantomData;

use crate::key::IntoKey;
use crate::ops::meter::{return_capacity, Meter};
use crate::query::projection::{point_read_attributes, render, strip_read_only};
use crate::query::ProjectionOf;
use crate::trace::send_traced;

use crate::expr::ExprBuilder;
use crate::{Db, Error, Item, Model, Result};

/// Reads one item by its key. Start it with [`Db::get`].
///
/// `P` is what the item decodes into: the model, or a projection chosen
/// with [`Get::project`].
#[must_use = "a get does nothing until it is sent with `.send().await` or `.await`"]
pub struct Get<M: Model, P = M> {
    db: Db,
    key: Result<Item>,
    consistent: bool,
    skip_expired: bool,
    /// The projection's attributes (`None`: the whole item).
    projection: Option<&'static [&'static str]>,
    meter: Option<Meter>,
    types: PhantomData<fn() -> (M, P)>,
}

impl<M: Model, P> std::fmt::Debug for Get<M, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Key values may be personal data: names and types only.
        f.debug_struct("Get")
            .field("model", &M::MODEL_NAME)
            .field("key", &crate::redact::RedactedResult(&self.key))
            .field("consistent", &self.consistent)
            .field("projection", &self.projection)
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
            projection: None,
            meter: None,
            types: PhantomData,
        }
    }
}

impl<M: Model> Get<M> {
    /// Reads only the attributes of `Q`, a projection of `M`
    /// (`#[dynamodel(projection_of = M)]`), and decodes the item into `Q`.
    /// The request also names the key attributes, and the entity and
    /// (with `skip_expired`) TTL attributes the read checks; those two are
    /// removed before decoding.
    pub fn project<Q: ProjectionOf<M>>(self) -> Get<M, Q> {
        Get {
            db: self.db,
            key: self.key,
            consistent: self.consistent,
            skip_expired: self.skip_expired,
            projection: Some(Q::ATTRIBUTES),
            meter: self.meter,
            types: PhantomData,
        }
    }
}

impl<M: Model, P: Model> Get<M, P> {
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

    /// Adds the request's consumed capacity (when the meter asks for it) to
    /// `meter` (see [`crate::ops::meter`]).
    pub fn meter(mut self, meter: &Meter) -> Self {
        self.meter = Some(meter.clone());
        self
    }

    /// The `ProjectionExpression` and its names, when projected.
    fn projection_expression(&self) -> Option<(String, std::collections::HashMap<String, String>)> {
        let projected = self.projection?;
        let names = point_read_attributes::<M>(projected, self.skip_expired);
        let mut builder = ExprBuilder::new();
        let expression = render(&names, &mut builder);
        Some((expression, builder.names().unwrap_or_default()))
    }

    /// The exact request `send` would make, without sending it (a dry run).
    pub fn to_request(self) -> Result<crate::ops::Request> {
        let mut request = crate::ops::Request::new("GetItem", self.db.table_name::<M>());
        if let Some((expression, names)) = self.projection_expression() {
            request.projection_expression = Some(expression);
            request.names = Some(names);
        }
        request.key = Some(self.key?);
        request.consistent_read = self.consistent.then_some(true);
        Ok(request)
    }

    /// Sends the request: `Ok(None)` when no item has the key, or when the
    /// item under it is of another entity ([`crate::entity`]).
    pub async fn send(self) -> Result<Option<P>> {
        let table = self.db.table_name::<M>();
        let span = tracing::debug_span!(
            "dynamodel.request",
            operation = "GetItem",
            model = M::MODEL_NAME,
            table = %table
        );
        let (projection, names) = self.projection_expression().unzip();
        let key = self.key?;
        let client = self.db.client();
        let output = send_traced(span, || {
            client
                .get_item()
                .table_name(table)
                .set_key(Some(key))
                // Left out unless asked: false is DynamoDB's default.
                .set_consistent_read(self.consistent.then_some(true))
                .set_projection_expression(projection)
                .set_expression_attribute_names(names)
                .set_return_consumed_capacity(return_capacity(self.meter.as_ref()))
                .send()
        })
        .await
        .map_err(|err| {
            // The table name moved into the request: an error names it again.
            let table = self.db.table_name::<M>();
            Error::sdk(M::MODEL_NAME, "GetItem", &table, err.into_service_error())
        })?;
        if let Some(meter) = &self.meter {
            meter.record(&output.consumed_capacity, false);
        }
        // An item of another entity under this key is not `M`'s: not found.
        // The clock is read only when an expired item is to be skipped.
        let Some(mut item) = output
            .item
            .filter(crate::entity::accepts::<M>)
            .filter(|item| match (self.skip_expired, M::ttl_attribute()) {
                (true, Some(ttl)) => !crate::table::ttl::is_expired(
                    item,
                    ttl,
                    crate::table::ttl::now_epoch_seconds(),
                ),
                _ => true,
            })
        else {
            return Ok(None);
        };
        if let Some(projected) = self.projection {
            strip_read_only::<M>(&mut item, projected);
        }
        crate::pipeline::finish_read::<P>(item).map(Some)
    }
}

impl<M: Model, P: Model> std::future::IntoFuture for Get<M, P> {
    type Output = Result<Option<P>>;
    type IntoFuture = futures::future::BoxFuture<'static, Result<Option<P>>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
