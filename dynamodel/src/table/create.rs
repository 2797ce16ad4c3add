//! Creating a table from its [`TableDef`]: one CreateTable request with
//! every index, the billing mode, the stream, tags, table class and deletion
//! protection; then a wait until the table and every GSI are ACTIVE; then
//! UpdateTimeToLive when a model declares a TTL attribute (CreateTable
//! cannot enable TTL).

use std::time::Duration;

use aws_sdk_dynamodb::types::{BillingMode, Tag};

use super::definition::TableDefinition;
use super::settings::Billing;
use super::shared::TableDef;
use super::switch_on::{enable_ttl, invalid, send, stream_on};
use super::wait::wait_until_active;
use crate::{Db, Result};

/// Sends CreateTable for `def` under the name `table` and waits (at most
/// `wait`) for the table and its GSIs to be ACTIVE, then enables TTL.
pub(super) async fn create(db: &Db, def: &TableDef, table: &str, wait: Duration) -> Result<()> {
    let model = def.label();
    let invalid = invalid(def.name());
    let definition = TableDefinition::of(def)?;
    let mut request = db
        .client()
        .create_table()
        .table_name(table)
        .set_key_schema(Some(definition.keys))
        .set_attribute_definitions(Some(definition.attributes))
        .set_global_secondary_indexes(definition.global_indexes)
        .set_local_secondary_indexes(definition.local_indexes)
        .set_table_class(def.table_class().cloned());
    request = match def.billing() {
        Billing::OnDemand => request.billing_mode(BillingMode::PayPerRequest),
        Billing::Provisioned(throughput) => request
            .billing_mode(BillingMode::Provisioned)
            .provisioned_throughput(throughput.to_sdk().map_err(&invalid)?),
    };
    if let Some(view) = def.stream() {
        request = request.stream_specification(stream_on(view).map_err(&invalid)?);
    }
    if def.deletion_protection() {
        request = request.deletion_protection_enabled(true);
    }
    for (key, value) in def.tags() {
        request = request.tags(
            Tag::builder()
                .key(key)
                .value(value)
                .build()
                .map_err(&invalid)?,
        );
    }
    send(model, "CreateTable", table, request.send()).await?;
    wait_until_active(db, model, table, wait).await?;
    if let Some(attribute) = def.ttl_attribute() {
        enable_ttl(db, model, table, attribute).await?;
    }
    Ok(())
}
