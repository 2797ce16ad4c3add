use aws_sdk_dynamodb::operation::delete_item::DeleteItemError;
use aws_sdk_dynamodb::types::{ReturnValue, ReturnValuesOnConditionCheckFailure};
use tracing::Instrument;

use crate::expr::{Condition, ExprBuilder};
use crate::ops::{condition_failed, into_future};
use crate::{Db, Error, Item, Model, Result};

/// Deletes one item by its key. Start it with [`Db::delete`].
#[must_use = "a delete does nothing until it is sent with `.send().await` or `.await`"]
#[derive(Debug)]
pub struct Delete<M: Model> {
    db: Db,
    key: Result<Item>,
    condition: Option<Condition<M>>,
}

impl Db {
    /// Deletes the item of model `M` stored under `key`. Deleting a missing
    /// item succeeds, as in DynamoDB; add `.condition(...)` to require it.
    pub fn delete<M: Model>(&self, key: impl Into<M::Key>) -> Delete<M> {
        Delete {
            db: self.clone(),
            key: M::key_to_item(&key.into()),
            condition: None,
        }
    }
}

impl<M: Model> Delete<M> {
    /// Deletes only if `condition` holds on the stored item; otherwise fails
    /// with [`Error::ConditionFailed`] carrying that item.
    pub fn condition(mut self, condition: Condition<M>) -> Self {
        self.condition = Some(match self.condition.take() {
            Some(existing) => existing.and(condition),
            None => condition,
        });
        self
    }

    /// Sends the request; returns the deleted item, if there was one.
    pub async fn send(self) -> Result<Option<M>> {
        let table = self.db.table_name::<M>();
        let mut request = self
            .db
            .client()
            .delete_item()
            .table_name(&table)
            .set_key(Some(self.key?))
            .return_values(ReturnValue::AllOld);
        if let Some(condition) = &self.condition {
            let mut builder = ExprBuilder::new();
            let expression = condition.render(&mut builder)?;
            let (names, values) = builder.into_parts();
            request = request
                .condition_expression(expression)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .return_values_on_condition_check_failure(
                    ReturnValuesOnConditionCheckFailure::AllOld,
                );
        }
        let span = tracing::debug_span!(
            "dynamodel.request",
            operation = "DeleteItem",
            model = M::MODEL_NAME,
            table = %table
        );
        match request.send().instrument(span).await {
            Ok(output) => output
                .attributes
                .map(crate::schema::finish_read::<M>)
                .transpose(),
            Err(err) => match err.into_service_error() {
                DeleteItemError::ConditionalCheckFailedException(failed) => {
                    Err(condition_failed::<M>(&table, "delete", failed.item))
                }
                other => Err(Error::sdk("DeleteItem", &table, other)),
            },
        }
    }
}

into_future!(Delete, Option<M>);
