//! A stream-processor Lambda: keeps per-customer order totals up to date
//! from the orders table's stream, idempotently under redelivery.
//!
//! Deploy it as the target of a DynamoDB Streams trigger on the orders table
//! (view type `NEW_AND_OLD_IMAGES`, `ReportBatchItemFailures` turned on).
//! Locally, its handler is tested against DynamoDB Local with records the
//! table's real stream produced:
//! `cargo test -p dynamodel-examples --example stream_processor`.
//!
//! # Idempotence
//!
//! Lambda delivers every record at least once: a batch is retried from its
//! first failed record, records that succeeded included. Each customer's
//! totals item stores the sequence number of the last change it applied,
//! and a change is applied by one conditional update "only if that stored
//! sequence number is lower than mine": a redelivered change fails the
//! condition and is skipped. This relies on all of a customer's orders
//! sharing one partition key, so their records come in order on one shard.

use aws_lambda_events::dynamodb::Event;
use aws_lambda_events::streams::DynamoDbEventResponse;
use dynamodel::stream::{Change, ChangeBatch, ChangeKind};
use dynamodel::{Db, Model};

/// An order, in the table whose stream this function reads.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "orders")]
pub struct Order {
    #[dynamodel(hash_key)]
    customer: String,
    #[dynamodel(range_key)]
    number: u64,
    total_cents: i64,
}

/// The totals of a customer's orders, maintained from the stream.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "customer_totals")]
pub struct CustomerTotals {
    #[dynamodel(hash_key)]
    customer: String,
    total_cents: i64,
    orders: i64,
    /// The last sequence number applied, zero-padded to 40 digits so that
    /// text order is numeric order.
    last_sequence: String,
}

/// The handler: decodes the batch, applies each order change, and answers
/// the records that failed (to decode or to apply) for Lambda to retry.
pub async fn handle(db: &Db, event: Event) -> DynamoDbEventResponse {
    // In record order, stopping at the first change not applied: a later
    // change of the same customer applied now would raise its stored
    // sequence number past this one, which the retry (from here on) would
    // then skip. Undecodable records and the failed change are logged
    // (record, model, attribute and rule; never a value).
    ChangeBatch::<Order>::from_lambda_event(event)
        .process_in_order(async |change| apply(db, change).await)
        .await
        .into_response()
}

/// Why a change could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The record lacks what the totals need: the stream's view type must
    /// be `NEW_AND_OLD_IMAGES`.
    #[error("record without the images or sequence number the totals need")]
    Incomplete,
    /// The update failed (throttling, network...): retried by Lambda.
    #[error(transparent)]
    Store(#[from] dynamodel::Error),
}

/// Adds one change to its customer's totals, unless already applied.
async fn apply(db: &Db, change: &Change<Order>) -> Result<(), ApplyError> {
    let (new, old) = (change.new_image(), change.old_image());
    let (customer, total_delta, order_delta) = match (change.kind(), new, old) {
        (ChangeKind::Insert, Some(new), _) => (&new.customer, new.total_cents, 1),
        (ChangeKind::Modify, Some(new), Some(old)) => {
            (&new.customer, new.total_cents - old.total_cents, 0)
        }
        (ChangeKind::Remove, _, Some(old)) => (&old.customer, -old.total_cents, -1),
        _ => return Err(ApplyError::Incomplete),
    };
    let sequence = change.sequence().ok_or(ApplyError::Incomplete)?;
    let f = CustomerTotals::fields();
    // At most once per record: a redelivered record finds its sequence
    // number (or a later one) stored and changes nothing.
    db.upsert::<CustomerTotals>(customer.clone())
        .add(&f.total_cents, total_delta)
        .add(&f.orders, order_delta)
        .apply_once(&f.last_sequence, sequence)
        .await?;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .without_time()
        .init();
    // Constructing the client and `Db` sends no request (cold start).
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let db = Db::new(aws_sdk_dynamodb::Client::new(&config));
    let db = &db;
    lambda_runtime::run(lambda_runtime::service_fn(
        move |event: lambda_runtime::LambdaEvent<Event>| async move {
            Ok::<_, std::convert::Infallible>(handle(db, event.payload).await)
        },
    ))
    .await
}

#[cfg(test)]
mod tests {
    use aws_sdk_dynamodb::types::StreamViewType;
    use dynamodel_tests::streams::{enable_stream, lambda_event, read_stream};

    use super::*;

    fn order(number: u64, total_cents: i64) -> Order {
        Order {
            customer: "c1".into(),
            number,
            total_cents,
        }
    }

    async fn totals(db: &Db) -> Option<(i64, i64)> {
        db.get::<CustomerTotals>("c1")
            .consistent()
            .await
            .unwrap()
            .map(|totals| (totals.total_cents, totals.orders))
    }

    #[tokio::test]
    async fn totals_follow_the_stream_and_redelivery_changes_nothing() {
        let db = dynamodel_tests::db_with_table::<Order>("stream_processor").await;
        db.create_table::<CustomerTotals>().await.unwrap();
        let arn = enable_stream::<Order>(&db, StreamViewType::NewAndOldImages).await;

        db.create(&order(1, 1_000)).await.unwrap();
        db.create(&order(2, 250)).await.unwrap();
        db.put(&order(1, 1_200)).await.unwrap();
        db.delete::<Order>(("c1".to_string(), 2u64)).await.unwrap();
        let records = read_stream(&arn, 4).await;
        assert_eq!(records.len(), 4);

        // The first two records, then the whole batch (a retry after a
        // failure of record #2 redelivers #0 and #1 too).
        let response = handle(&db, lambda_event(&arn, &records[..2])).await;
        assert!(response.batch_item_failures.is_empty());
        assert_eq!(totals(&db).await, Some((1_250, 2)));
        let response = handle(&db, lambda_event(&arn, &records)).await;
        assert!(response.batch_item_failures.is_empty());
        assert_eq!(totals(&db).await, Some((1_200, 1)));
        // A full redelivery changes nothing.
        let response = handle(&db, lambda_event(&arn, &records)).await;
        assert!(response.batch_item_failures.is_empty());
        assert_eq!(totals(&db).await, Some((1_200, 1)));
    }

    #[tokio::test]
    async fn a_record_without_images_is_answered_as_failed() {
        let db = dynamodel_tests::db_with_table::<Order>("stream_processor_keys").await;
        db.create_table::<CustomerTotals>().await.unwrap();
        let arn = enable_stream::<Order>(&db, StreamViewType::KeysOnly).await;
        db.create(&order(1, 1_000)).await.unwrap();
        let records = read_stream(&arn, 1).await;
        let response = handle(&db, lambda_event(&arn, &records)).await;
        let identifiers: Vec<_> = response
            .batch_item_failures
            .into_iter()
            .map(|failure| failure.item_identifier)
            .collect();
        let sequence = records[0].dynamodb().unwrap().sequence_number();
        assert_eq!(identifiers, [sequence.map(str::to_owned)]);
        assert_eq!(totals(&db).await, None);
    }
}
