//! Turning settings on for a live table, shared by creation (TTL after
//! CreateTable, which cannot enable it) and `ensure` (a missing TTL or
//! stream): UpdateTimeToLive and UpdateTable, each traced as one request;
//! turning the stream on waits until the table is ACTIVE again.

use std::future::Future;
use std::time::Duration;

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{BuildError, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::{StreamSpecification, StreamViewType, TimeToLiveSpecification};

use super::wait::wait_until_active;
use crate::trace::Traced;
use crate::{Db, Error, Result};

/// The error for a request part the SDK refused to build, on `table`.
pub(super) fn invalid(table: &str) -> impl Fn(BuildError) -> Error + '_ {
    move |err| Error::TableDefinition {
        table: table.to_owned(),
        message: err.to_string(),
    }
}

/// The stream specification turning a stream of `view` on.
pub(super) fn stream_on(
    view: &StreamViewType,
) -> std::result::Result<StreamSpecification, BuildError> {
    StreamSpecification::builder()
        .stream_enabled(true)
        .stream_view_type(view.clone())
        .build()
}

/// Sends a table request of `operation` on `table` in a traced
/// `dynamodel.request` span, mapping its error.
pub(super) async fn send<T, E>(
    model: &'static str,
    operation: &'static str,
    table: &str,
    request: impl Future<Output = std::result::Result<T, SdkError<E, HttpResponse>>>,
) -> Result<T>
where
    E: ProvideErrorMetadata,
    SdkError<E, HttpResponse>: Into<aws_sdk_dynamodb::Error>,
{
    let span = tracing::debug_span!("dynamodel.request", operation, model, table = %table);
    request
        .traced(span)
        .await
        // The SDK's conversion keeps a service error's code, as
        // `into_service_error` would.
        .map_err(|err| Error::sdk(model, operation, table, err))
}

/// Turns DynamoDB's TTL on for `attribute` of `table`.
pub(super) async fn enable_ttl(
    db: &Db,
    model: &'static str,
    table: &str,
    attribute: &str,
) -> Result<()> {
    let spec = TimeToLiveSpecification::builder()
        .enabled(true)
        .attribute_name(attribute)
        .build()
        .map_err(invalid(table))?;
    let request = db
        .client()
        .update_time_to_live()
        .table_name(table)
        .time_to_live_specification(spec)
        .send();
    send(model, "UpdateTimeToLive", table, request).await?;
    Ok(())
}

/// Turns the stream on with UpdateTable and waits until the table is ACTIVE.
pub(super) async fn enable_stream(
    db: &Db,
    model: &'static str,
    table: &str,
    view: &StreamViewType,
    wait: Duration,
) -> Result<()> {
    let spec = stream_on(view).map_err(invalid(table))?;
    let request = db
        .client()
        .update_table()
        .table_name(table)
        .stream_specification(spec)
        .send();
    send(model, "UpdateTable", table, request).await?;
    wait_until_active(db, model, table, wait).await
}
