//! The stream processor: the `shop-stream` Lambda, triggered by the shop
//! table's DynamoDB stream (view type `NEW_AND_OLD_IMAGES`,
//! `ReportBatchItemFailures` on). It keeps each customer's order totals
//! (how many orders, the sum of their `total_cents`) in a
//! [`CustomerTotals`] item in the customer's partition.
//!
//! Records decode into [`CustomerWithOrders`], the shop's collection of a
//! customer's profile and orders: the records of the other entities of the
//! table (addresses, order lines, the totals items this function writes)
//! are skipped by entity, not errors.
//!
//! # Idempotence
//!
//! Lambda delivers every record at least once: a batch is retried from its
//! first failed record on, records that succeeded included. A totals item
//! stores the sequence number of the last change it applied, and a change
//! is applied by one conditional update "only if that sequence number is
//! lower than mine", adding the difference between the order's old and new
//! image (`+1, +total` on insert, `0, new - old` on modify, `-1, -total` on
//! remove): a redelivered change fails the condition and is skipped. This
//! relies on a customer's orders sharing the partition key
//! `CUSTOMER#<id>`, so their records come in order on one shard.
//!
//! For the same reason the handler stops at the first change it fails to
//! apply: a later change of the same customer, applied now, would raise the
//! stored sequence number past the failed one, which the retry would then
//! skip. Everything from the failed record on is redelivered anyway.

use aws_lambda_events::dynamodb::Event;
use aws_lambda_events::streams::DynamoDbEventResponse;
use dynamodel::stream::{Change, ChangeBatch, ChangeKind};
use dynamodel::{Db, Model};
use dynamodel_examples::shop::models::TABLE;
use dynamodel_examples::shop::models::{CustomerWithOrders, Order};

/// The environment variable naming the deployed shop table (the template
/// sets it); without it the table is the models' `shop`.
pub const TABLE_ENV: &str = "SHOP_TABLE";

/// A customer's order totals, maintained from the stream:
/// `CUSTOMER#<id>` / `TOTALS`, beside the profile and the orders.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "shop", pk = "CUSTOMER#{customer_id}", sk = "TOTALS")]
pub struct CustomerTotals {
    /// The customer.
    pub customer_id: String,
    /// How many orders the customer has.
    pub order_count: i64,
    /// The sum of their `total_cents`.
    pub total_cents: i64,
    /// The last sequence number applied, zero-padded to 40 digits so that
    /// text order is numeric order.
    pub last_sequence: String,
}

/// The `Db` the Lambda uses: from the environment (region, credentials),
/// on the table [`TABLE_ENV`] names. Sends no request (cold start).
pub async fn init() -> Db {
    with_table_from_env(Db::from_env().await)
}

/// `db` on the table named by [`TABLE_ENV`], when set.
pub fn with_table_from_env(db: Db) -> Db {
    match std::env::var(TABLE_ENV) {
        Ok(table) if !table.is_empty() => db.with_named_table(TABLE, table),
        _ => db,
    }
}

/// The handler: decodes the batch, applies each order change, and answers
/// the records that failed (to decode or to apply) for Lambda to retry.
pub async fn handle(db: &Db, event: Event) -> DynamoDbEventResponse {
    // Stops at the first change not applied (see Idempotence above); logs
    // the undecodable records (record, member model, attribute and rule;
    // never a value) and the failed change.
    ChangeBatch::<CustomerWithOrders>::from_lambda_event(event)
        .process_in_order(async |change| apply(db, change).await)
        .await
        .into_response()
}

/// Why a change could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The record lacks what the totals need: the stream's view type must
    /// be `NEW_AND_OLD_IMAGES`.
    #[error("order record without the images or sequence number the totals need")]
    Incomplete,
    /// The update failed (throttling, network...): retried by Lambda.
    #[error(transparent)]
    Store(#[from] dynamodel::Error),
}

/// What one order change does to its customer's totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotalsDelta {
    /// The customer.
    pub customer_id: String,
    /// Orders added (or removed, negative).
    pub order_count: i64,
    /// Cents added (or removed, negative).
    pub total_cents: i64,
}

/// The difference an order change makes: `None` for a customer's profile
/// (its changes leave the totals alone).
pub fn delta(change: &Change<CustomerWithOrders>) -> Result<Option<TotalsDelta>, ApplyError> {
    fn order(image: Option<&CustomerWithOrders>) -> Option<&Order> {
        match image {
            Some(CustomerWithOrders::Order(order)) => Some(order),
            _ => None,
        }
    }
    let delta = |order: &Order, order_count: i64, total_cents: i64| {
        Ok(Some(TotalsDelta {
            customer_id: order.customer_id.clone(),
            order_count,
            total_cents,
        }))
    };
    match (
        change.kind(),
        order(change.new_image()),
        order(change.old_image()),
    ) {
        (ChangeKind::Insert, Some(new), _) => delta(new, 1, new.total_cents),
        (ChangeKind::Modify, Some(new), Some(old)) => {
            delta(new, 0, new.total_cents - old.total_cents)
        }
        (ChangeKind::Remove, _, Some(old)) => delta(old, -1, -old.total_cents),
        _ if matches!(change.latest_image(), Some(CustomerWithOrders::Customer(_))) => Ok(None),
        // An order's record missing an image, or a record without images
        // (the stream is not NEW_AND_OLD_IMAGES).
        _ => Err(ApplyError::Incomplete),
    }
}

/// Adds one change to its customer's totals, unless already applied.
async fn apply(db: &Db, change: &Change<CustomerWithOrders>) -> Result<(), ApplyError> {
    let Some(delta) = delta(change)? else {
        return Ok(());
    };
    let sequence = change.sequence().ok_or(ApplyError::Incomplete)?;
    let f = CustomerTotals::fields();
    // At most once per record: a redelivered record finds its sequence
    // number (or a later one) stored and changes nothing.
    db.upsert::<CustomerTotals>(delta.customer_id)
        .add(&f.order_count, delta.order_count)
        .add(&f.total_cents, delta.total_cents)
        .apply_once(&f.last_sequence, sequence)
        .await?;
    Ok(())
}
