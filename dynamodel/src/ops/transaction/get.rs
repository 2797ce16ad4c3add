//! [`TransactGet`]: up to 100 items of any models, read at one point in time.

use std::collections::HashMap;
use std::fmt;
use std::time::Instant;

use crate::key::IntoKey;
use crate::trace::Traced;
use aws_sdk_dynamodb::operation::transact_get_items::TransactGetItemsError;
use aws_sdk_dynamodb::types::{Get, TransactGetItem};

use crate::error::{BatchGetOutput, BatchStats, ReadEntry, TransactionCanceled};
use crate::limits::check_transaction_actions;
use crate::ops::future::into_future_plain;
use crate::ops::keys::push_read;
use crate::ops::meter::{return_capacity, Meter};
use crate::ops::request::build_error;
use crate::ops::retry::{is_retryable, Budget, RetryPolicy};
use crate::query::projection::{point_read_attributes, render};
use crate::query::ProjectionOf;
use crate::{Db, Error, Model, Result};

/// A transactional read of up to 100 items of any models, all read at one
/// point in time. Start it with [`Db::transact_get`].
#[must_use = "a transaction does nothing until it is sent with `.send().await` or `.await`"]
pub struct TransactGet {
    db: Db,
    entries: Vec<ReadEntry>,
    error: Option<Error>,
    skip_expired: bool,
    retry: RetryPolicy,
    meter: Option<Meter>,
}

impl fmt::Debug for TransactGet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransactGet")
            .field("keys", &self.entries.len())
            .field("skip_expired", &self.skip_expired)
            .finish()
    }
}

impl Db {
    /// Starts a transactional read of items of any models.
    pub fn transact_get(&self) -> TransactGet {
        TransactGet {
            db: self.clone(),
            entries: Vec::new(),
            error: None,
            skip_expired: false,
            retry: RetryPolicy::default(),
            meter: None,
        }
    }
}

/// What a [`TransactGet`] read: the same accessors as a batch read.
pub type TransactGetOutput = BatchGetOutput;

impl TransactGet {
    /// Adds the key of an item of model `M`.
    pub fn get<M: Model>(mut self, key: impl IntoKey<M::Key>) -> Self {
        push_read::<M>(
            &self.db,
            &mut self.entries,
            &mut self.error,
            "TransactGetItems",
            key.into_key(),
            None,
        );
        self
    }

    /// Adds the key of an item of model `M`, to read projected to `Q`
    /// (see [`crate::query::projection`]): its item is in
    /// [`BatchGetOutput::projected_items`].
    pub fn get_projected<M: Model, Q: ProjectionOf<M>>(
        mut self,
        key: impl IntoKey<M::Key>,
    ) -> Self {
        push_read::<M>(
            &self.db,
            &mut self.entries,
            &mut self.error,
            "TransactGetItems",
            key.into_key(),
            Some(point_read_attributes::<M>(Q::ATTRIBUTES, false)),
        );
        self
    }

    /// Treats an item whose TTL attribute (`#[dynamodel(ttl)]`) is at or
    /// before now as not found: DynamoDB deletes expired items in the
    /// background, typically within a few days, and returns them until
    /// then. Applies to the keys of every model with a TTL attribute (the
    /// others have no expiry); an expired item's key is reported as not
    /// found ([`BatchGetOutput::missing`], `None` in
    /// [`BatchGetOutput::results`]). A projected read also asks for the TTL
    /// attribute to check it.
    pub fn skip_expired(mut self) -> Self {
        self.skip_expired = true;
        self
    }

    /// The retry budget for throttling, server errors and lost responses.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Adds every request's consumed capacity (when the meter asks for it)
    /// to `meter`, retries included (see [`crate::ops::meter`]).
    pub fn meter(mut self, meter: &Meter) -> Self {
        self.meter = Some(meter.clone());
        self
    }

    /// Sends the read.
    pub async fn send(mut self) -> Result<TransactGetOutput> {
        if let Some(err) = self.error.take() {
            return Err(err);
        }
        if self.skip_expired {
            self.entries.iter_mut().for_each(ReadEntry::project_ttl);
        }
        let model = self.entries.first().map_or("transaction", |e| e.model);
        check_transaction_actions(model, self.entries.len())?;
        let mut seen: HashMap<(&str, &[u8]), usize> = HashMap::new();
        let mut items = Vec::with_capacity(self.entries.len());
        for (index, entry) in self.entries.iter().enumerate() {
            if let Some(first) = seen.insert((&entry.table, &entry.canon), index) {
                return Err(Error::Item {
                    operation: "TransactGetItems",
                    index,
                    source: Box::new(Error::InvalidRequest {
                        model: entry.model,
                        message: format!(
                            "reads the same item as action #{first}: a transaction allows one action per item"
                        ),
                    }),
                });
            }
            let (projection, names) = entry
                .projection
                .as_ref()
                .map(|attributes| {
                    let mut builder = crate::expr::ExprBuilder::new();
                    let expression = render(attributes, &mut builder);
                    (expression, builder.names().unwrap_or_default())
                })
                .unzip();
            let get = Get::builder()
                .table_name(&entry.table)
                .set_key(Some(entry.key.clone()))
                .set_projection_expression(projection)
                .set_expression_attribute_names(names)
                .build()
                .map_err(|e| build_error(entry.model, e))?;
            items.push(TransactGetItem::builder().get(get).build());
        }
        let table = self.entries[0].table.clone();
        let mut budget = Budget::new(self.retry, Instant::now());
        let mut stats = BatchStats::default();
        loop {
            stats.requests += 1;
            let span = tracing::debug_span!(
                "dynamodel.request",
                operation = "TransactGetItems",
                actions = items.len()
            );
            let result = self
                .db
                .client()
                .transact_get_items()
                .set_transact_items(Some(items.clone()))
                .set_return_consumed_capacity(return_capacity(self.meter.as_ref()))
                .send()
                .traced(span)
                .await;
            let err = match result {
                Ok(output) => {
                    if let Some(meter) = &self.meter {
                        meter.record(output.consumed_capacity.iter().flatten(), false);
                    }
                    let mut found = HashMap::new();
                    for (entry, response) in self
                        .entries
                        .iter()
                        .zip(output.responses.unwrap_or_default())
                    {
                        if let Some(item) = response.item {
                            found.insert((entry.table.clone(), entry.canon.clone()), item);
                        }
                    }
                    let output = BatchGetOutput::new(self.entries, found, stats);
                    return Ok(if self.skip_expired {
                        output.skipping_expired(crate::table::ttl::now_epoch_seconds())
                    } else {
                        output
                    });
                }
                Err(err) if is_retryable(&err) => {
                    crate::ops::retry::trace_retryable("TransactGetItems", &err);
                    Error::sdk(
                        self.entries[0].model,
                        "TransactGetItems",
                        &table,
                        err.into_service_error(),
                    )
                }
                Err(err) => match err.into_service_error() {
                    TransactGetItemsError::TransactionCanceledException(canceled) => {
                        TransactionCanceled::new(
                            "TransactGetItems",
                            self.entries
                                .iter()
                                .map(|e| (e.model, e.type_id, e.table.clone(), "get")),
                            canceled.cancellation_reasons.unwrap_or_default(),
                            canceled.message,
                        )
                        .into_retryable_error()?
                    }
                    other => {
                        return Err(Error::sdk(
                            self.entries[0].model,
                            "TransactGetItems",
                            &table,
                            other,
                        ))
                    }
                },
            };
            if !budget.next_attempt().await {
                return Err(err);
            }
            stats.retries += 1;
        }
    }
}

into_future_plain!(TransactGet, TransactGetOutput);
