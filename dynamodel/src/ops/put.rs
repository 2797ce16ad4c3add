//! `db.put(&item)`: writes a whole item, replacing any item with its key.

use crate::trace::send_traced;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Put as SdkPut, ReturnValuesOnConditionCheckFailure};

use crate::expr::Condition;
use crate::ops::condition::{self, Expectation};
use crate::ops::future::into_future;
use crate::ops::meter::{return_capacity, Meter};
use crate::ops::request::build_error;
use crate::ops::Request;
use crate::pipeline::{PreparedWrite, WriteKind};
use crate::{Db, Error, Item, Model, Result};

/// Writes an item, replacing any item with the same key. Start it with
/// [`Db::put`]; add it to a transaction with
/// [`TransactWrite::put`](crate::ops::TransactWrite::put).
#[must_use = "a put does nothing until it is sent with `.send().await` or `.await`"]
pub struct Put<M: Model> {
    pub(super) db: Db,
    item: Result<PreparedWrite<M>>,
    /// Boxed: a condition tree is hundreds of bytes, and a put is moved
    /// whole at each builder step (most puts have none).
    condition: Option<Box<Condition<M>>>,
    /// A create's: no item may have the key (after `condition`).
    key_absent: bool,
    meter: Option<Meter>,
}

impl<M: Model> std::fmt::Debug for Put<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // PreparedWrite shows attribute names only: values may be personal data.
        f.debug_struct("Put")
            .field("model", &M::MODEL_NAME)
            .field("item", &self.item)
            .field("condition", &self.condition)
            .finish_non_exhaustive()
    }
}

impl Db {
    /// Writes `item`, replacing any item with the same key.
    pub fn put<M: Model>(&self, item: &M) -> Put<M> {
        Put::new(self, item, WriteKind::Put)
    }
}

/// A put built for a transaction ([`Put::transact_put`]), with what the
/// write pipeline already knows of its item, so the transaction does not
/// count it again.
pub(super) struct TransactPut {
    /// The SDK's `Put`.
    pub(super) put: SdkPut,
    /// The item's size, as the write pipeline counted it.
    pub(super) size: usize,
}

impl<M: Model> Put<M> {
    /// A put of `item` through the write pipeline for a write of `kind`.
    pub(super) fn new(db: &Db, item: &M, kind: WriteKind) -> Self {
        Put {
            db: db.clone(),
            // A single request until a transaction takes it (which makes
            // the canonical key it needs from the item).
            item: PreparedWrite::new_single(item, kind),
            condition: None,
            key_absent: false,
            meter: None,
        }
    }

    /// The put, written only if no item has its key (a create).
    pub(super) fn key_absent(mut self) -> Self {
        self.set_key_absent();
        self
    }

    /// Writes the put only if no item has its key (a create).
    pub(super) fn set_key_absent(&mut self) {
        self.key_absent = true;
    }

    /// The caller's condition, then a create's "no item has the key".
    fn condition_given(condition: Option<Condition<M>>, key_absent: bool) -> Option<Condition<M>> {
        if key_absent {
            Some(condition::and(condition, condition::key_absent()))
        } else {
            condition
        }
    }

    /// Adds the request's consumed capacity (when the meter asks for it) to
    /// `meter` (see [`crate::ops::meter`]).
    pub fn meter(mut self, meter: &Meter) -> Self {
        self.meter = Some(meter.clone());
        self
    }

    /// Writes only if `condition` holds on the item currently stored under the
    /// key; otherwise fails with [`Error::ConditionFailed`] carrying that item.
    pub fn condition(mut self, condition: Condition<M>) -> Self {
        let existing = self.condition.take().map(|existing| *existing);
        self.condition = Some(Box::new(condition::and(existing, condition)));
        self
    }

    /// The exact request `send` would make, without sending it (a dry run).
    pub fn to_request(self) -> Result<Request> {
        self.build(false).map(|(request, _)| request)
    }

    /// Sends the request.
    pub async fn send(self) -> Result<()> {
        self.send_as("put", false, false).await.map(drop)
    }

    /// Sends the request and returns the item as written — with its
    /// defaults, transforms, timestamps and bumped version — read back
    /// through the read pipeline, as a `get` would return it (no extra
    /// request). Keep working with it: a versioned model can be put again
    /// without reading it first.
    pub async fn saved(self) -> Result<M> {
        let written = self.send_as("put", false, true).await?;
        crate::pipeline::finish_read(written.unwrap_or_default())
    }

    /// Builds the PutItem request; for a versioned model (except on create)
    /// also the version read, which the request checks.
    pub(super) fn build(self, create: bool) -> Result<(Request, Option<i128>)> {
        let (item, version) = self.item?.into_parts();
        let version = version.filter(|_| !create);
        let mut request = Request::new("PutItem", self.db.table_name::<M>());
        request.item = Some(item);
        if self.key_absent && self.condition.is_none() && version.is_none() {
            condition::apply_key_absent::<M>(&mut request)?;
            return Ok((request, None));
        }
        let mut conditions = Vec::new();
        let mut expected = None;
        if let Some(check) = version {
            conditions.push(check.condition());
            expected = Some(check.expected());
        }
        conditions.extend(
            Self::condition_given(self.condition.map(|c| *c), self.key_absent)
                .map(Condition::into_node),
        );
        condition::apply::<M>(&mut request, conditions)?;
        Ok((request, expected))
    }

    /// This put as a transaction's SDK `Put` on `table` (the name its
    /// [`Db`] sends, resolved once per model by the transaction), built
    /// straight from the prepared item: the conditions given, then (for a
    /// versioned model, create included) the check of the version read, so
    /// a stale version cancels the transaction; `on_failure` says what a
    /// failed condition returns. With the item's size, as the write
    /// pipeline counted it. Inline into the transaction's one caller per
    /// model: out of line, the put (hundreds of bytes) was copied into it.
    #[inline]
    pub(super) fn transact_put(
        self,
        on_failure: ReturnValuesOnConditionCheckFailure,
        table: String,
    ) -> Result<TransactPut> {
        let prepared = self.item?;
        let size = prepared.size();
        let (item, version) = prepared.into_parts();
        // A create's sole "no item has the key" is the same shape every
        // time: rendered without a condition tree or a `Request`.
        let sole_key_absent = if self.key_absent && self.condition.is_none() && version.is_none() {
            crate::expr::sole_not_exists(M::key_schema().hash.name)
        } else {
            None
        };
        let condition = match sole_key_absent {
            Some((expression, names)) => RenderedCondition {
                expression: Some(expression),
                names: Some(names),
                values: None,
            },
            None => Self::transact_condition(self.condition, self.key_absent, version)?,
        };
        let put = sdk_put(M::MODEL_NAME, table, item, condition, on_failure)?;
        Ok(TransactPut { put, size })
    }

    /// The conditions of a transaction's put other than a create's sole
    /// "no item has the key" on a valid name: the caller's, the create's,
    /// then the check of the version read. Out of line: a transaction of
    /// creates runs none of it.
    #[inline(never)]
    fn transact_condition(
        condition: Option<Box<Condition<M>>>,
        key_absent: bool,
        version: Option<crate::pipeline::VersionCheck>,
    ) -> Result<RenderedCondition> {
        // Only the expression parts are rendered into it.
        let mut request = Request::new("PutItem", String::new());
        if key_absent && condition.is_none() && version.is_none() {
            // A key name DynamoDB refuses: the tree reports it.
            condition::apply_key_absent::<M>(&mut request)?;
        } else {
            let mut condition = Self::condition_given(condition.map(|c| *c), key_absent);
            if let Some(check) = version {
                condition = Some(condition::and(
                    condition,
                    Condition::from_node(check.condition()),
                ));
            }
            condition::apply::<M>(
                &mut request,
                condition.map(Condition::into_node).into_iter().collect(),
            )?;
        }
        Ok(RenderedCondition {
            expression: request.condition_expression,
            names: request.names,
            values: request.values,
        })
    }

    /// Sends the request as operation `operation` (`put` or `create`); with
    /// `keep`, returns the item written.
    pub(super) async fn send_as(
        self,
        operation: &'static str,
        create: bool,
        keep: bool,
    ) -> Result<Option<Item>> {
        let db = self.db.clone();
        let meter = self.meter.clone();
        let (request, expected) = self.build(create)?;
        // A model with hooks keeps the item for its `after_save`.
        let written = if keep || M::HAS_HOOKS {
            request.item.clone()
        } else {
            None
        };
        let on_failure = request
            .condition_expression
            .as_ref()
            .map(|_| ReturnValuesOnConditionCheckFailure::AllOld);
        let span = tracing::debug_span!(
            "dynamodel.request",
            operation = "PutItem",
            kind = operation,
            model = M::MODEL_NAME,
            table = %request.table
        );
        let client = db.client();
        // The table name moves into the request (an error names it again).
        let send = || {
            client
                .put_item()
                .table_name(request.table)
                .set_item(request.item)
                .set_condition_expression(request.condition_expression)
                .set_expression_attribute_names(request.names)
                .set_expression_attribute_values(request.values)
                .set_return_values_on_condition_check_failure(on_failure)
                .set_return_consumed_capacity(return_capacity(meter.as_ref()))
                .send()
        };
        let expectation = if create {
            Expectation::Absent
        } else {
            Expectation::Conditions
        };
        // Boxed (see `send_traced`): inline, the SDK's large future makes
        // every put's future as large, copied whole wherever the caller
        // moves it (into `buffer_unordered`, a spawned task).
        match send_traced(span, send).await {
            Ok(output) => {
                if let Some(meter) = &meter {
                    meter.record(&output.consumed_capacity, true);
                }
                if !M::HAS_HOOKS {
                    return Ok(written);
                }
                let kind = if create {
                    WriteKind::Create
                } else {
                    WriteKind::Put
                };
                let (for_hook, kept) = match written {
                    Some(item) if keep => (Some(item.clone()), Some(item)),
                    other => (other, None),
                };
                if let Some(item) = for_hook {
                    crate::pipeline::hooks::after_save::<M>(item, kind, None).await?;
                }
                Ok(kept)
            }
            Err(err) => {
                let table = db.table_name::<M>();
                match err.into_service_error() {
                    PutItemError::ConditionalCheckFailedException(failed) => {
                        Err(condition::failed::<M>(
                            &table,
                            operation,
                            expectation,
                            expected,
                            failed.item,
                        ))
                    }
                    other => Err(Error::sdk(M::MODEL_NAME, "PutItem", &table, other)),
                }
            }
        }
    }
}

/// A write's condition as the SDK takes it: the expression and the names
/// and values its placeholders stand for (all `None`: no condition).
struct RenderedCondition {
    expression: Option<String>,
    names: Option<HashMap<String, String>>,
    values: Option<HashMap<String, AttributeValue>>,
}

/// A transaction's SDK `Put` of `item` on `table`, under `condition`. Not
/// generic: one copy for every model.
#[inline(never)]
fn sdk_put(
    model: &'static str,
    table: String,
    item: Item,
    condition: RenderedCondition,
    on_failure: ReturnValuesOnConditionCheckFailure,
) -> Result<SdkPut> {
    SdkPut::builder()
        .table_name(table)
        .set_item(Some(item))
        .set_condition_expression(condition.expression)
        .set_expression_attribute_names(condition.names)
        .set_expression_attribute_values(condition.values)
        .return_values_on_condition_check_failure(on_failure)
        .build()
        .map_err(|e| build_error(model, e))
}

into_future!(Put, ());
