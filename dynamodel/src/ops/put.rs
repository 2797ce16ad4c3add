use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::types::ReturnValuesOnConditionCheckFailure;
use tracing::Instrument;

use crate::expr::{Condition, ExprBuilder};
use crate::ops::{condition_failed, into_future, Request};
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

    /// The exact request `send` would make, without sending it (a dry run).
    pub fn to_request(self) -> Result<Request> {
        self.build(false).map(|(request, _)| request)
    }

    /// Sends the request.
    pub async fn send(self) -> Result<()> {
        self.send_as("put", false, false, |table, item| {
            condition_failed::<M>(table, "put", item)
        })
        .await
        .map(drop)
    }

    /// Sends the request and returns the item as written — with its
    /// defaults, transforms, timestamps and bumped version — read back
    /// through the read pipeline, as a `get` would return it (no extra
    /// request). Keep working with it: a versioned model can be put again
    /// without reading it first.
    pub async fn saved(self) -> Result<M> {
        let written = self
            .send_as("put", false, true, |table, item| {
                condition_failed::<M>(table, "put", item)
            })
            .await?;
        crate::schema::finish_read(written.unwrap_or_default())
    }

    /// Builds the request; for a versioned model also the version read.
    fn build(self, create: bool) -> Result<(Request, Option<i128>)> {
        let table = self.db.table_name::<M>();
        let mut item = self.item?;
        let version = crate::version::prepare_put::<M>(&mut item)?;
        let mut conditions = Vec::new();
        let mut expected = None;
        if let Some((condition, read)) = version {
            if !create {
                conditions.push(condition);
                expected = Some(read);
            }
        }
        if let Some(condition) = self.condition {
            conditions.push(condition.into_node());
        }
        let mut request = Request::new("PutItem", table);
        request.item = Some(item);
        if !conditions.is_empty() {
            let node = if conditions.len() == 1 {
                conditions.remove(0)
            } else {
                crate::expr::ConditionNode::And(conditions)
            };
            let mut builder = ExprBuilder::new();
            let expression = Condition::<M>::from_node(node).render(&mut builder)?;
            let (names, values) = builder.into_parts();
            request.condition_expression = Some(expression);
            request.names = names;
            request.values = values;
        }
        Ok((request, expected))
    }

    /// Sends the request; with `keep`, returns the item written.
    async fn send_as(
        self,
        operation: &'static str,
        create: bool,
        keep: bool,
        on_condition_failed: impl FnOnce(&str, Option<Item>) -> Error,
    ) -> Result<Option<Item>> {
        let db = self.db.clone();
        let (request, expected) = self.build(create)?;
        let table = request.table.clone();
        let written = if keep { request.item.clone() } else { None };
        let mut sdk = db
            .client()
            .put_item()
            .table_name(&table)
            .set_item(request.item)
            .set_condition_expression(request.condition_expression)
            .set_expression_attribute_names(request.names)
            .set_expression_attribute_values(request.values);
        if sdk.get_condition_expression().is_some() {
            sdk = sdk.return_values_on_condition_check_failure(
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
        match sdk.send().instrument(span).await {
            Ok(_) => Ok(written),
            Err(err) => match err.into_service_error() {
                PutItemError::ConditionalCheckFailedException(failed) => match expected {
                    Some(expected)
                        if crate::version::conflicted::<M>(expected, failed.item.as_ref()) =>
                    {
                        Err(crate::version::conflict::<M>(
                            &table,
                            operation,
                            expected,
                            failed.item,
                        ))
                    }
                    _ => Err(on_condition_failed(&table, failed.item)),
                },
                other => Err(Error::sdk("PutItem", &table, other)),
            },
        }
    }
}

impl<M: Model> Create<M> {
    fn with_condition(self) -> Put<M> {
        let hash_key = crate::expr::Path::attribute(M::key_schema().hash.name);
        self.put
            .condition(Condition::from_node(crate::expr::ConditionNode::NotExists(
                hash_key,
            )))
    }

    /// The exact request `send` would make, without sending it (a dry run).
    pub fn to_request(self) -> Result<Request> {
        self.with_condition()
            .build(true)
            .map(|(request, _)| request)
    }

    /// Sends the request.
    pub async fn send(self) -> Result<()> {
        self.send_keeping(false).await.map(drop)
    }

    /// Sends the request and returns the item as written (see [`Put::saved`]).
    pub async fn saved(self) -> Result<M> {
        let written = self.send_keeping(true).await?;
        crate::schema::finish_read(written.unwrap_or_default())
    }

    async fn send_keeping(self, keep: bool) -> Result<Option<Item>> {
        let put = self.with_condition();
        put.send_as("create", true, keep, |table, _| Error::AlreadyExists {
            model: M::MODEL_NAME,
            table: table.to_owned(),
        })
        .await
    }
}

into_future!(Put, ());
into_future!(Create, ());
