//! `db.create(&item)`: a put that fails with [`Error::AlreadyExists`] when
//! the key is taken.

use crate::ops::future::into_future;
use crate::ops::{Put, Request};
use crate::pipeline::WriteKind;
use crate::{Db, Model, Result};

#[cfg(doc)]
use crate::Error;

/// Writes a new item, failing with [`Error::AlreadyExists`] when its key is
/// taken. Start it with [`Db::create`]; add it to a transaction with
/// [`TransactWrite::create`](crate::ops::TransactWrite::create).
#[must_use = "a create does nothing until it is sent with `.send().await` or `.await`"]
#[derive(Debug)]
pub struct Create<M: Model> {
    put: Put<M>,
}

impl Db {
    /// Writes `item` only if no item with its key exists.
    pub fn create<M: Model>(&self, item: &M) -> Create<M> {
        Create {
            put: Put::new(self, item, WriteKind::Create),
        }
    }
}

impl<M: Model> Create<M> {
    /// The put, conditioned on no item having the key.
    fn conditioned(self) -> Put<M> {
        self.put.key_absent()
    }

    /// Adds the request's consumed capacity (when the meter asks for it) to
    /// `meter` (see [`crate::ops::meter`]).
    pub fn meter(mut self, meter: &crate::ops::Meter) -> Self {
        self.put = self.put.meter(meter);
        self
    }

    /// The exact request `send` would make, without sending it (a dry run).
    pub fn to_request(self) -> Result<Request> {
        self.conditioned().build(true).map(|(request, _)| request)
    }

    /// Sends the request.
    pub async fn send(self) -> Result<()> {
        self.conditioned()
            .send_as("create", true, false)
            .await
            .map(drop)
    }

    /// Sends the request and returns the item as written (see [`Put::saved`]).
    pub async fn saved(self) -> Result<M> {
        let written = self.conditioned().send_as("create", true, true).await?;
        crate::pipeline::finish_read(written.unwrap_or_default())
    }

    /// The handle the create was started from (its table's naming rules).
    pub(super) fn db(&self) -> &Db {
        &self.put.db
    }

    /// This create as a transaction's SDK `Put` on `table` (see
    /// [`Put::transact_put`]). Inline, as that is: the create is not
    /// copied on its way.
    #[inline]
    pub(super) fn transact_put(
        self,
        on_failure: aws_sdk_dynamodb::types::ReturnValuesOnConditionCheckFailure,
        table: String,
    ) -> Result<super::put::TransactPut> {
        // Conditioned in place: through `conditioned`, the put (hundreds
        // of bytes) was copied whole.
        let mut put = self.put;
        put.set_key_absent();
        put.transact_put(on_failure, table)
    }
}

into_future!(Create, ());
