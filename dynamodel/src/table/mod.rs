//! Creating and deleting a model's table (DDL); what a CreateTable
//! request declares (keys, attribute definitions, secondary indexes) is built
//! in the private `definition` module.

use std::time::{Duration, Instant};

use crate::trace::Traced;
use aws_sdk_dynamodb::types::{BillingMode, TableStatus};

use crate::{Db, Error, Model, Result};

mod definition;

/// How long table operations wait for the table to become ACTIVE or go away.
const DEFAULT_WAIT: Duration = Duration::from_secs(120);

/// Creates `M`'s table from its key schema. Start it with [`Db::create_table`].
#[must_use = "a create_table does nothing until it is sent with `.send().await` or `.await`"]
#[derive(Debug)]
pub struct CreateTable<M: Model> {
    db: Db,
    wait: Duration,
    model: std::marker::PhantomData<fn() -> M>,
}

/// Deletes `M`'s table. Start it with [`Db::delete_table`].
#[must_use = "a delete_table does nothing until it is sent with `.send().await` or `.await`"]
#[derive(Debug)]
pub struct DeleteTable<M: Model> {
    db: Db,
    wait: Duration,
    model: std::marker::PhantomData<fn() -> M>,
}

impl Db {
    /// Creates the table of model `M` (on-demand billing) and waits until it is ACTIVE.
    pub fn create_table<M: Model>(&self) -> CreateTable<M> {
        CreateTable {
            db: self.clone(),
            wait: DEFAULT_WAIT,
            model: std::marker::PhantomData,
        }
    }

    /// Deletes the table of model `M` and waits until it is gone.
    pub fn delete_table<M: Model>(&self) -> DeleteTable<M> {
        DeleteTable {
            db: self.clone(),
            wait: DEFAULT_WAIT,
            model: std::marker::PhantomData,
        }
    }
}

/// Polls DescribeTable until `done` says so. The SDK's waiter sleeps 20 s
/// before its first retry, far too long for DynamoDB Local and tests.
async fn poll_table(
    db: &Db,
    model: &'static str,
    table: &str,
    state: &'static str,
    wait: Duration,
    done: impl Fn(Option<&TableStatus>) -> bool,
) -> Result<()> {
    let start = Instant::now();
    let mut delay = Duration::from_millis(50);
    loop {
        let status = match db.client().describe_table().table_name(table).send().await {
            Ok(output) => output.table.and_then(|t| t.table_status),
            Err(err) => {
                let err = err.into_service_error();
                if err.is_resource_not_found_exception() {
                    None
                } else {
                    return Err(Error::sdk(model, "DescribeTable", table, err));
                }
            }
        };
        if done(status.as_ref()) {
            return Ok(());
        }
        if start.elapsed() >= wait {
            return Err(Error::TableWaitTimeout {
                table: table.to_owned(),
                state,
                seconds: wait.as_secs(),
            });
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(2));
    }
}

impl<M: Model> CreateTable<M> {
    /// Waits at most `wait` for the table to become ACTIVE (default 120 s).
    pub fn wait_at_most(mut self, wait: Duration) -> Self {
        self.wait = wait;
        self
    }

    /// Sends the request and waits until the table is ACTIVE.
    pub async fn send(self) -> Result<()> {
        let table = self.db.table_name::<M>();
        let definition = definition::TableDefinition::of::<M>()?;
        let span = tracing::debug_span!(
            "dynamodel.request",
            operation = "CreateTable",
            model = M::MODEL_NAME,
            table = %table
        );
        self.db
            .client()
            .create_table()
            .table_name(&table)
            .set_key_schema(Some(definition.keys))
            .set_attribute_definitions(Some(definition.attributes))
            .set_global_secondary_indexes(definition.global_indexes)
            .set_local_secondary_indexes(definition.local_indexes)
            .billing_mode(BillingMode::PayPerRequest)
            .send()
            .traced(span)
            .await
            .map_err(|err| {
                Error::sdk(
                    M::MODEL_NAME,
                    "CreateTable",
                    &table,
                    err.into_service_error(),
                )
            })?;
        poll_table(
            &self.db,
            M::MODEL_NAME,
            &table,
            "ACTIVE",
            self.wait,
            |status| status == Some(&TableStatus::Active),
        )
        .await
    }
}

impl<M: Model> DeleteTable<M> {
    /// Waits at most `wait` for the table to disappear (default 120 s).
    pub fn wait_at_most(mut self, wait: Duration) -> Self {
        self.wait = wait;
        self
    }

    /// Sends the request and waits until the table is gone.
    pub async fn send(self) -> Result<()> {
        let table = self.db.table_name::<M>();
        let span = tracing::debug_span!(
            "dynamodel.request",
            operation = "DeleteTable",
            model = M::MODEL_NAME,
            table = %table
        );
        self.db
            .client()
            .delete_table()
            .table_name(&table)
            .send()
            .traced(span)
            .await
            .map_err(|err| {
                Error::sdk(
                    M::MODEL_NAME,
                    "DeleteTable",
                    &table,
                    err.into_service_error(),
                )
            })?;
        poll_table(
            &self.db,
            M::MODEL_NAME,
            &table,
            "deleted",
            self.wait,
            |status| status.is_none(),
        )
        .await
    }
}

crate::ops::future::into_future!(CreateTable, ());
crate::ops::future::into_future!(DeleteTable, ());
