//! The `shop-stream` handler on real records: DynamoDB Local's stream of the
//! shop table, for writes made through dynamodel, fed to the handler as the
//! Lambda event Lambda would deliver.

use aws_sdk_dynamodb::types::StreamViewType;
use dynamodel::{AttributeValue, Db, Model};
use dynamodel_examples::shop::models::{Customer, Order, OrderLine, OrderStatus};
use dynamodel_examples::shop::seed::march;
use dynamodel_tests::streams::{enable_stream, lambda_event, read_stream};
use shop_service::stream::{handle, CustomerTotals};

fn order(customer: &str, day: u32, id: &str, total_cents: i64) -> Order {
    Order {
        customer_id: customer.into(),
        placed_at: march(day),
        order_id: id.into(),
        status: OrderStatus::Pending,
        total_cents,
        ship_to: "home".into(),
        version: 0,
    }
}

async fn totals(db: &Db, customer: &str) -> Option<(i64, i64)> {
    db.get::<CustomerTotals>(customer)
        .consistent()
        .await
        .unwrap()
        .map(|totals| (totals.order_count, totals.total_cents))
}

async fn shop_with_stream(test: &str) -> (Db, String) {
    let db = dynamodel_tests::db_with_table::<Order>(test).await;
    let arn = enable_stream::<Order>(&db, StreamViewType::NewAndOldImages).await;
    (db, arn)
}

fn failed_identifiers(response: aws_lambda_events::streams::DynamoDbEventResponse) -> Vec<String> {
    response
        .batch_item_failures
        .into_iter()
        .map(|failure| failure.item_identifier.expect("failures name their record"))
        .collect()
}

#[tokio::test]
async fn totals_follow_the_shop_stream_and_redelivery_changes_nothing() {
    let (db, arn) = shop_with_stream("svc_stream_totals").await;
    db.create(&Customer {
        customer_id: "c1".into(),
        name: "Ada".into(),
        email: "ada@example.com".into(),
    })
    .await
    .unwrap();
    let (o1, o2) = (order("c1", 1, "o1", 1_000), order("c1", 2, "o2", 250));
    db.create(&o1).await.unwrap();
    db.create(&o2).await.unwrap();
    db.create(&order("c2", 3, "o3", 70)).await.unwrap();
    // Another entity's record (another partition too): skipped.
    db.put(&OrderLine {
        customer_id: "c1".into(),
        order_id: "o1".into(),
        line_no: 1,
        sku: "sku-1".into(),
        quantity: 2,
        unit_price_cents: 500,
    })
    .await
    .unwrap();
    // The order's total changes: the difference is applied.
    db.update::<Order>(o1.key())
        .set(&Order::fields().total_cents, 1_200i64)
        .await
        .unwrap();
    // Paid: a modification that leaves the totals alone.
    db.put(&Order {
        status: OrderStatus::Paid,
        // The version stored by its create.
        version: 1,
        ..o2.clone()
    })
    .await
    .unwrap();
    db.delete::<Order>(o2.key()).await.unwrap();
    let records = read_stream(&arn, 8).await;
    assert_eq!(records.len(), 8);

    // The first three records, then the whole batch (a retry after a
    // failure of record #3 redelivers #0..#2 too).
    let response = handle(&db, lambda_event(&arn, &records[..3])).await;
    assert!(response.batch_item_failures.is_empty());
    assert_eq!(totals(&db, "c1").await, Some((2, 1_250)));
    assert_eq!(totals(&db, "c2").await, None);
    let response = handle(&db, lambda_event(&arn, &records)).await;
    assert!(response.batch_item_failures.is_empty());
    let expected = (Some((1, 1_200)), Some((1, 70)));
    assert_eq!((totals(&db, "c1").await, totals(&db, "c2").await), expected);
    // The same batch again changes nothing.
    let response = handle(&db, lambda_event(&arn, &records)).await;
    assert!(response.batch_item_failures.is_empty());
    assert_eq!((totals(&db, "c1").await, totals(&db, "c2").await), expected);

    // The totals items' own records (written above) are another entity's:
    // handling them fails nothing and changes nothing.
    let all = read_stream(&arn, 10).await;
    assert!(all.len() > records.len(), "the totals writes are streamed");
    let response = handle(&db, lambda_event(&arn, &all)).await;
    assert!(response.batch_item_failures.is_empty());
    assert_eq!((totals(&db, "c1").await, totals(&db, "c2").await), expected);
}

#[tokio::test]
async fn a_bad_record_is_the_only_batch_item_failure() {
    let (db, arn) = shop_with_stream("svc_stream_bad").await;
    let (o1, o2) = (order("c1", 1, "o1", 1_000), order("c1", 2, "o2", 250));
    db.create(&o1).await.unwrap();
    // The order rewritten behind the model's back: `total_cents` is text.
    let mut item = dynamodel_tests::raw_item::<Order>(&db, &o1.key())
        .await
        .unwrap();
    item.insert("total_cents".into(), AttributeValue::S("oops".into()));
    db.client()
        .put_item()
        .table_name(db.table_name::<Order>())
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
    db.create(&o2).await.unwrap();
    let records = read_stream(&arn, 3).await;
    assert_eq!(records.len(), 3);

    let response = handle(&db, lambda_event(&arn, &records)).await;
    let bad = records[1].dynamodb().unwrap().sequence_number().unwrap();
    assert_eq!(failed_identifiers(response), [bad.to_owned()]);
    // The records around it are applied.
    assert_eq!(totals(&db, "c1").await, Some((2, 1_250)));
}

#[tokio::test]
async fn a_keys_only_order_record_fails_and_stops_the_batch() {
    let db = dynamodel_tests::db_with_table::<Order>("svc_stream_keys").await;
    let arn = enable_stream::<Order>(&db, StreamViewType::KeysOnly).await;
    db.create(&order("c1", 1, "o1", 1_000)).await.unwrap();
    db.create(&order("c1", 2, "o2", 250)).await.unwrap();
    let records = read_stream(&arn, 2).await;
    let response = handle(&db, lambda_event(&arn, &records)).await;
    // The first fails; the handler stops there (Lambda redelivers the rest).
    let first = records[0].dynamodb().unwrap().sequence_number().unwrap();
    assert_eq!(failed_identifiers(response), [first.to_owned()]);
    assert_eq!(totals(&db, "c1").await, None);
}
