//! Multi-attribute index keys (`hash(region, status)`,
//! `range(placed_at, seq)`): the table DynamoDB Local creates, typed
//! queries with every partition attribute and a left part of the sort
//! attributes, cursors, and key values checked before sending.

use chrono::{DateTime, Utc};
use dynamodel::{Db, Error, Model};
use dynamodel_tests::db_with_table;

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "orders",
    gsi(
        name = "by_region_status",
        hash(region, status),
        range(placed_at, seq, order_id)
    )
)]
struct Order {
    #[dynamodel(hash_key)]
    order_id: String,
    region: String,
    status: String,
    placed_at: DateTime<Utc>,
    seq: u32,
}

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).expect("valid")
}

fn order(id: &str, region: &str, status: &str, seconds: i64, seq: u32) -> Order {
    Order {
        order_id: id.into(),
        region: region.into(),
        status: status.into(),
        placed_at: at(seconds),
        seq,
    }
}

fn ids(orders: &[Order]) -> Vec<&str> {
    orders.iter().map(|o| o.order_id.as_str()).collect()
}

async fn seeded(test: &str) -> Db {
    let db = db_with_table::<Order>(test).await;
    for o in [
        order("d", "eu", "PAID", 300, 1),
        order("a", "eu", "PAID", 100, 2),
        order("b", "eu", "PAID", 200, 1),
        order("c", "eu", "PAID", 200, 2),
        order("e", "eu", "PAID", 200, 2),
        order("x", "eu", "NEW", 150, 1),
        order("y", "us", "PAID", 150, 1),
    ] {
        db.put(&o).await.expect("put");
    }
    db
}

#[tokio::test]
async fn the_index_is_created_with_every_key_attribute_in_order() {
    let db = db_with_table::<Order>("multi_create").await;
    let table = db
        .client()
        .describe_table()
        .table_name(db.table_name::<Order>())
        .send()
        .await
        .expect("describe")
        .table
        .expect("table");
    let index = &table.global_secondary_indexes()[0];
    assert_eq!(index.index_name(), Some("by_region_status"));
    let keys: Vec<(&str, &str)> = index
        .key_schema()
        .iter()
        .map(|k| (k.attribute_name(), k.key_type().as_str()))
        .collect();
    assert_eq!(
        keys,
        [
            ("region", "HASH"),
            ("status", "HASH"),
            ("placed_at", "RANGE"),
            ("seq", "RANGE"),
            ("order_id", "RANGE")
        ]
    );
}

#[tokio::test]
async fn queries_take_every_partition_attribute_and_sort_in_key_order() {
    let db = seeded("multi_query").await;
    let index = Order::indexes().by_region_status;
    let paid_eu = db
        .query_index(index, ("eu".to_owned(), "PAID".to_owned()))
        .all()
        .await
        .expect("query");
    assert_eq!(ids(&paid_eu), ["a", "b", "c", "e", "d"]);
    let newest = db
        .query_index(index, ("eu".to_owned(), "PAID".to_owned()))
        .descending()
        .limit(1)
        .page()
        .await
        .expect("query");
    assert_eq!(ids(&newest.items), ["d"]);
}

#[tokio::test]
async fn sort_conditions_compare_a_left_part_of_the_sort_attributes() {
    let db = seeded("multi_sort").await;
    let index = Order::indexes().by_region_status;
    let paid_eu = || db.query_index(index, ("eu".to_owned(), "PAID".to_owned()));
    // `placed_at = 200`, then `seq` compared.
    let at_200_after_1 = paid_eu()
        .sort_gt(OrderByRegionStatusSortKey::prefix_seq(at(200), 1))
        .all()
        .await
        .expect("query");
    assert_eq!(ids(&at_200_after_1), ["c", "e"]);
    let since_200 = paid_eu()
        .sort_ge(OrderByRegionStatusSortKey::prefix_placed_at(at(200)))
        .all()
        .await
        .expect("query");
    assert_eq!(ids(&since_200), ["b", "c", "e", "d"]);
    let window = paid_eu()
        .sort_between(
            OrderByRegionStatusSortKey::prefix_placed_at(at(100)),
            OrderByRegionStatusSortKey::prefix_placed_at(at(200)),
        )
        .all()
        .await
        .expect("query");
    assert_eq!(ids(&window), ["a", "b", "c", "e"]);
    let exact = paid_eu()
        .sort_eq((at(200), 2, "e".to_owned()))
        .all()
        .await
        .expect("query");
    assert_eq!(ids(&exact), ["e"]);
    let ids_after_c = paid_eu()
        .sort_gt((at(200), 2, "c".to_owned()))
        .all()
        .await
        .expect("query");
    assert_eq!(ids(&ids_after_c), ["e"]);
    // Bounds on different attributes are refused before sending.
    let refused = paid_eu()
        .sort_between(
            OrderByRegionStatusSortKey::prefix_placed_at(at(100)),
            OrderByRegionStatusSortKey::prefix_seq(at(200), 1),
        )
        .all()
        .await;
    assert!(
        matches!(&refused, Err(Error::InvalidRequest { message, .. }) if message.contains("sort_between")),
        "{refused:?}"
    );
}

#[tokio::test]
async fn cursors_resume_and_are_bound_to_every_partition_attribute() {
    let db = seeded("multi_cursor").await;
    let index = Order::indexes().by_region_status;
    let first = db
        .query_index(index, ("eu".to_owned(), "PAID".to_owned()))
        .limit(2)
        .page()
        .await
        .expect("query");
    assert_eq!(ids(&first.items), ["a", "b"]);
    let cursor = first.cursor.expect("more");
    let rest = db
        .query_index(index, ("eu".to_owned(), "PAID".to_owned()))
        .start_from(cursor.clone())
        .all()
        .await
        .expect("query");
    assert_eq!(ids(&rest), ["c", "e", "d"]);
    // The same cursor on another value of the second partition attribute.
    let other = db
        .query_index(index, ("eu".to_owned(), "NEW".to_owned()))
        .start_from(cursor)
        .all()
        .await;
    assert!(
        matches!(&other, Err(Error::InvalidCursor { .. })),
        "{other:?}"
    );
}

#[tokio::test]
async fn each_key_attribute_is_checked_before_sending() {
    let db = seeded("multi_limits").await;
    let index = Order::indexes().by_region_status;
    let err = db
        .query_index(index, ("eu".to_owned(), String::new()))
        .all()
        .await
        .expect_err("refused");
    let errors = err.validation_errors().expect("a validation error");
    let found = errors.for_path("status").next().expect("names status");
    assert_eq!(found.rule, "key");
    assert!(
        found
            .message
            .to_string()
            .contains("partition key of index `by_region_status`"),
        "{}",
        found.message
    );
    let err = db
        .put(&order("z", "eu", "", 1, 1))
        .await
        .expect_err("refused");
    let errors = err.validation_errors().expect("a validation error");
    assert_eq!(
        errors.for_path("status").next().expect("names status").rule,
        "key"
    );
}
