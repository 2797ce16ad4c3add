use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::types::ReturnValuesOnConditionCheckFailure;
use tracing::Instrument;

use crate::expr::{Condition, ExprBuilder};
use crate::ops::{condition_failed, into_future};
use crate::schema::{prepare_write, WriteKind};
use crate::{Db, Error, Item, Model, Result};

/// Writes an item, replacing any item with the same key. Start it with [`Db::put`].
#[must_use = "a put does nothing until it is sent with `.send().await` or `.await`"]
#[derive(Debug)]
pub struct Put<M: Model> {
    db: Db,
    item: Result<Item>,
    condition: Option<Condition<M>>,
}

/// Writes a new item, failing with [`Error::AlreadyExists`] when its key is
/// taken. Start it with [`Db::create`].
#[must_use = "a create does nothing until it is sent with `.send().await` or `.await`"]
#[derive(Debug)]
pub struct Create<M: Model> {
    put: Put<M>,
}

impl Db {
    /// Writes `item`, replacing any item with the same key.
    pub fn put<M: Model>(&self, item: &M) -> Put<M> {
        self.put_as(item, WriteKind::Put)
    }

    fn put_as<M: Model>(&self, item: &M, kind: WriteKind) -> Put<M> {
        Put {
            db: self.clone(),
            item: prepare_write(item, kind),
            condition: None,
        }
    }

    /// Writes `item` only if no item with its key exists.
    pub fn create<M: Model>(&self, item: &M) -> Create<M> {
        Create {
            put: self.put_as(item, WriteKind::Create),
        }
    }
}

impl<M: Model> Put<M> {
    /// Writes only if `condition` holds on the item currently stored under the
    /// key; otherwise fails with [`Error::ConditionFailed`] carrying that item.
    pub fn condition(mut self, condition: Condition<M>) -> Self {
        self.condition = Some(match self.condition.take() {
            Some(existing) => existing.and(condition),
            None => condition,
        });
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<()> {
        self.send_as("put", |table, item| {
            condition_failed::<M>(table, "put", item)
        })
        .await
    }

    async fn send_as(
        self,
        operation: &'static str,
        on_condition_failed: impl FnOnce(&str, Option<Item>) -> Error,
    ) -> Result<()> {
        let table = self.db.table_name::<M>();
        let item = self.item?;
        let mut request = self
            .db
            .client()
            .put_item()
            .table_name(&table)
            .set_item(Some(item));
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
            operation = "PutItem",
            kind = operation,
            model = M::MODEL_NAME,
            table = %table
        );
        match request.send().instrument(span).await {
            Ok(_) => Ok(()),
            Err(err) => match err.into_service_error() {
                PutItemError::ConditionalCheckFailedException(failed) => {
                    Err(on_condition_failed(&table, failed.item))
                }
                other => Err(Error::sdk("PutItem", &table, other)),
            },
        }
    }
}

impl<M: Model> Create<M> {
    /// Sends the request.
    pub async fn send(self) -> Result<()> {
        let hash_key = crate::expr::Path::attribute(M::key_schema().hash.name);
        let put = self
            .put
            .condition(Condition::from_node(crate::expr::ConditionNode::NotExists(
                hash_key,
            )));
        put.send_as("create", |table, _| Error::AlreadyExists {
            model: M::MODEL_NAME,
            table: table.to_owned(),
        })
        .await
    }
}

into_future!(Put, ());
into_future!(Create, ());
