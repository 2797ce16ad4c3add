//! Waiting for a table to settle: polling DescribeTable with a doubling
//! delay (50 ms up to 2 s) until the table and every GSI are ACTIVE, or the
//! table is gone, within a bounded wait ([`Error::TableWaitTimeout`] past
//! it). The SDK's own waiter sleeps 20 s before its first retry, far too
//! long for DynamoDB Local and tests.

use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::{IndexStatus, TableDescription, TableStatus};

use crate::{Db, Error, Result};

/// How long table operations wait by default for the table (and its GSIs)
/// to become ACTIVE or go away.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(120);

/// The live description of `table`; `None` when it does not exist.
pub(crate) async fn describe(
    db: &Db,
    model: &'static str,
    table: &str,
) -> Result<Option<TableDescription>> {
    match db.client().describe_table().table_name(table).send().await {
        Ok(output) => Ok(output.table),
        Err(err) => {
            let err = err.into_service_error();
            if err.is_resource_not_found_exception() {
                Ok(None)
            } else {
                Err(Error::sdk(model, "DescribeTable", table, err))
            }
        }
    }
}

/// Whether the table and every one of its GSIs are ACTIVE.
fn all_active(table: &TableDescription) -> bool {
    table.table_status == Some(TableStatus::Active)
        && table
            .global_secondary_indexes()
            .iter()
            .all(|index| index.index_status == Some(IndexStatus::Active))
}

/// Waits until `table` and all its GSIs are ACTIVE.
pub(super) async fn wait_until_active(
    db: &Db,
    model: &'static str,
    table: &str,
    wait: Duration,
) -> Result<()> {
    poll(db, model, table, "ACTIVE", wait, |t| {
        t.is_some_and(all_active)
    })
    .await
}

/// Waits until `table` is gone.
pub(super) async fn wait_until_deleted(
    db: &Db,
    model: &'static str,
    table: &str,
    wait: Duration,
) -> Result<()> {
    poll(db, model, table, "deleted", wait, |t| t.is_none()).await
}

async fn poll(
    db: &Db,
    model: &'static str,
    table: &str,
    state: &'static str,
    wait: Duration,
    done: impl Fn(Option<&TableDescription>) -> bool,
) -> Result<()> {
    let start = Instant::now();
    let mut delay = Duration::from_millis(50);
    loop {
        let description = describe(db, model, table).await?;
        if done(description.as_ref()) {
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
