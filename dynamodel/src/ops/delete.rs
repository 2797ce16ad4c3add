//! `db.delete::<M>(key)` and `db.delete_item(&item)`: deletes one item by its key.

use crate::key::IntoKey;
use crate::trace::send_traced;
use aws_sdk_dynamodb::operation::delete_item::DeleteItemError;
use aws_sdk_dynamodb::types::{ReturnValue, ReturnValuesOnConditionCheckFailure};

use crate::expr::Condition;
use crate::ops::condition::{self, Expectation};
use crate::ops::future::into_future;
use crate::ops::meter::{return_capacity, Meter};
use crate::ops::Request;
use crate::{Db, Error, Item, Model, Result};

/// Deletes one item by its key. Start it with [`Db::delete`] or
/// [`Db::delete_item`]; add it to a transaction with
/// [`TransactWrite::delete`](crate::ops::TransactWrite::delete).
#[must_use = "a delete does nothing until it is sent with `.send().await` or `.await`"]
pub struct Delete<M: Model> {
    db: Db,
    key: Result<Item>,
    condition: Option<Condition<M>>,
    expected_version: Option<i128>,
    meter: Option<Meter>,
    /// The key as given, kept only for a model with hooks (they receive it).
    hook_key: Option<M::Key>,
}

impl<M: Model> std::fmt::Debug for Delete<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Key values may be personal data: names and types only.
        f.debug_struct("Delete")
            .field("model", &M::MODEL_NAME)
            .field("key", &crate::redact::RedactedResult(&self.key))
            .field("condition", &self.condition)
            .field("expected_version", &self.expected_version)
            .finish_non_exhaustive()
    }
}

impl Db {
    /// Deletes the item of model `M` stored under `key`. Deleting a missing
    /// item succeeds, as in DynamoDB; add `.condition(...)` to require it.
    pub fn delete<M: Model>(&self, key: impl IntoKey<M::Key>) -> Delete<M> {
        self.delete_key(&key.into_key())
    }

    /// [`Db::delete`] of a key already converted (generic code holds an
    /// `M::Key`, not an `IntoKey`).
    fn delete_key<M: Model>(&self, key: &M::Key) -> Delete<M> {
        Delete {
            db: self.clone(),
            key: M::key_to_item(key),
            condition: None,
            expected_version: None,
            meter: None,
            hook_key: M::HAS_HOOKS.then(|| key.clone()),
        }
    }

    /// Deletes the stored copy of `item`, found by its key. For a model with
    /// a `#[dynamodel(version)]` attribute, only if the stored version is
    /// still the one `item` holds; otherwise it fails with
    /// [`Error::VersionConflict`] (optimistic locking: nobody changed the
    /// item since it was read).
    pub fn delete_item<M: Model>(&self, item: &M) -> Delete<M> {
        let mut delete = self.delete_key::<M>(&item.key());
        if let Some(name) = M::version_attribute() {
            let held = item
                .to_item()
                .and_then(|stored| crate::version::parse(M::MODEL_NAME, name, stored.get(name)));
            match held {
                Ok(version) => delete.expected_version = Some(version),
                Err(err) => delete.key = Err(err),
            }
        }
        delete
    }
}

impl<M: Model> Delete<M> {
    /// Deletes only if `condition` holds on the stored item; otherwise fails
    /// with [`Error::ConditionFailed`] carrying that item.
    pub fn condition(mut self, condition: Condition<M>) -> Self {
        self.condition = Some(condition::and(self.condition.take(), condition));
        self
    }

    /// For a model with a `#[dynamodel(version)]` attribute: deletes only if
    /// the stored version is `version`, else fails with [`Error::VersionConflict`].
    pub fn if_version(mut self, version: impl Into<i128>) -> Self {
        self.expected_version = Some(version.into());
        self
    }

    /// The exact request `send` would make, without sending it (a dry run).
    pub fn to_request(self) -> Result<Request> {
        let mut conditions = Vec::new();
        match (M::version_attribute(), self.expected_version) {
            (Some(name), Some(expected)) => {
                conditions.push(crate::version::condition(name, expected))
            }
            (None, Some(_)) => {
                return Err(Error::InvalidRequest {
                    model: M::MODEL_NAME,
                    message: "`if_version` needs a #[dynamodel(version)] attribute on the model"
                        .to_owned(),
                })
            }
            _ => {}
        }
        // Deleting another entity's item under the same key must not succeed.
        if let Some(entity) = M::ENTITY {
            conditions.push(entity.condition_if_present::<M>());
        }
        if let Some(condition) = self.condition {
            conditions.push(condition.into_node());
        }
        let mut request = Request::new("DeleteItem", self.db.table_name::<M>());
        request.key = Some(self.key?);
        request.return_values = Some(ReturnValue::AllOld);
        condition::apply::<M>(&mut request, conditions)?;
        Ok(request)
    }

    /// Adds the request's consumed capacity (when the meter asks for it) to
    /// `meter` (see [`crate::ops::meter`]).
    pub fn meter(mut self, meter: &Meter) -> Self {
        self.meter = Some(meter.clone());
        self
    }

    /// The hooks of this delete, when the model has any (for a transaction).
    pub(super) fn action_hooks(&self, index: usize) -> Option<crate::pipeline::hooks::ActionHooks> {
        let key = self.hook_key.as_ref()?;
        crate::pipeline::hooks::ActionHooks::delete::<M>(index, key)
    }

    /// Sends the request; returns the deleted item, if there was one.
    ///
    /// With hooks, `before_delete` runs once the request is built and
    /// checked, and `after_delete` once DynamoDB answered.
    pub async fn send(mut self) -> Result<Option<M>> {
        let db = self.db.clone();
        let meter = self.meter.clone();
        let expected = self.expected_version;
        let hook_key = self.hook_key.take();
        let request = self.to_request()?;
        if let Some(key) = &hook_key {
            crate::pipeline::hooks::before_delete::<M>(key).await?;
        }
        let on_failure = request
            .condition_expression
            .as_ref()
            .map(|_| ReturnValuesOnConditionCheckFailure::AllOld);
        let span = tracing::debug_span!(
            "dynamodel.request",
            operation = "DeleteItem",
            model = M::MODEL_NAME,
            table = %request.table
        );
        let client = db.client();
        // The table name moves into the request (an error names it again).
        let send = || {
            client
                .delete_item()
                .table_name(request.table)
                .set_key(request.key)
                .set_return_values(request.return_values)
                .set_condition_expression(request.condition_expression)
                .set_expression_attribute_names(request.names)
                .set_expression_attribute_values(request.values)
                .set_return_values_on_condition_check_failure(on_failure)
                .set_return_consumed_capacity(return_capacity(meter.as_ref()))
                .send()
        };
        match send_traced(span, send).await {
            Ok(output) => {
                if let Some(meter) = &meter {
                    meter.record(&output.consumed_capacity, true);
                }
                let deleted = output
                    .attributes
                    .map(crate::pipeline::finish_read::<M>)
                    .transpose()?;
                if let Some(key) = &hook_key {
                    crate::pipeline::hooks::after_delete::<M>(key, deleted.as_ref(), None).await?;
                }
                Ok(deleted)
            }
            Err(err) => {
                let table = db.table_name::<M>();
                match err.into_service_error() {
                    DeleteItemError::ConditionalCheckFailedException(failed) => {
                        Err(condition::failed::<M>(
                            &table,
                            "delete",
                            Expectation::Conditions,
                            expected,
                            failed.item,
                        ))
                    }
                    other => Err(Error::sdk(M::MODEL_NAME, "DeleteItem", &table, other)),
                }
            }
        }
    }
}

into_future!(Delete, Option<M>);
