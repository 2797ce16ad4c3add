//! The shop example (`dynamodel_examples::shop`): each access pattern is one
//! request (counted by an interceptor on the SDK client, retries included)
//! and returns exactly the expected items; and the example's own run.

use std::sync::{Arc, Mutex};

use aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::error::BoxError;
use dynamodel::{Db, Model};
use dynamodel_examples::shop::models::{Order, OrderStatus};
use dynamodel_examples::shop::seed::{march, seed, Sample};
use dynamodel_examples::shop::{patterns, run};

/// Records the operation of every request sent (each attempt).
#[derive(Debug, Clone, Default)]
struct Requests(Arc<Mutex<Vec<String>>>);

impl Intercept for Requests {
    fn name(&self) -> &'static str {
        "Requests"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let target = context
            .request()
            .headers()
            .get("x-amz-target")
            .unwrap_or_default();
        let operation = target.rsplit('.').next().unwrap_or_default().to_owned();
        self.0.lock().unwrap().push(operation);
        Ok(())
    }
}

impl Requests {
    /// The operations sent since the last call.
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// The shop's table, seeded, and a [`Db`] on it whose requests are counted.
async fn shop(test: &str) -> (Db, Requests, Sample) {
    let db = dynamodel_tests::db_with_table::<Order>(test).await;
    let sample = seed(&db).await.expect("seed");
    let requests = Requests::default();
    let config = db
        .client()
        .config()
        .to_builder()
        .interceptor(requests.clone())
        .build();
    let table = db.table_name::<Order>();
    let prefix = table
        .strip_suffix(dynamodel_examples::shop::models::TABLE)
        .unwrap_or_default();
    let counted = Db::new(aws_sdk_dynamodb::Client::from_conf(config)).with_table_prefix(prefix);
    (counted, requests, sample)
}

#[tokio::test]
async fn each_access_pattern_is_one_request_with_exactly_its_items() {
    let (db, requests, sample) = shop("shop_patterns").await;
    let one = |operation: &str| vec![operation.to_owned()];

    let ada = patterns::customer(&db, "c1").await.expect("get");
    assert_eq!(ada.as_ref(), Some(&sample.customers[0]));
    assert_eq!(requests.take(), one("GetItem"));

    let grace = patterns::customer_by_email(&db, "grace@example.com")
        .await
        .expect("query");
    assert_eq!(grace.as_ref(), Some(&sample.customers[1]));
    assert_eq!(requests.take(), one("Query"));

    let addresses = patterns::addresses(&db, "c1").await.expect("query");
    assert_eq!(addresses, sample.addresses[..2]);
    assert_eq!(requests.take(), one("Query"));

    let latest = patterns::latest_orders(&db, "c1", 2).await.expect("query");
    let ids: Vec<&str> = latest.items.iter().map(|o| o.order_id.as_str()).collect();
    assert_eq!(ids, ["o-1003", "o-1002"]);
    assert!(latest.cursor.is_some(), "o-1001 is left");
    assert_eq!(requests.take(), one("Query"));

    let early = patterns::orders_between(&db, "c1", march(1), march(10))
        .await
        .expect("query");
    assert_eq!(early, sample.orders[..2]);
    assert_eq!(requests.take(), one("Query"));

    let order = patterns::order(&db, "c2", march(21), "o-2002")
        .await
        .expect("get");
    assert_eq!(order.as_ref(), Some(&sample.orders[4]));
    assert_eq!(requests.take(), one("GetItem"));

    let lines = patterns::order_lines(&db, "o-1001").await.expect("query");
    assert_eq!(lines, sample.lines[..2]);
    assert_eq!(requests.take(), one("Query"));

    let paid = patterns::orders_by_status_since(&db, OrderStatus::Paid, march(6))
        .await
        .expect("query");
    assert_eq!(paid, [sample.orders[1].clone(), sample.orders[4].clone()]);
    assert_eq!(requests.take(), one("Query"));

    let (customer, orders) = patterns::customer_with_latest_orders(&db, "c1", 2)
        .await
        .expect("query");
    assert_eq!(customer.as_ref(), Some(&sample.customers[0]));
    let ids: Vec<&str> = orders.iter().map(|o| o.order_id.as_str()).collect();
    assert_eq!(ids, ["o-1003", "o-1002"]);
    assert_eq!(requests.take(), one("Query"));

    let (order, lines) = patterns::order_with_lines(&db, "o-1001")
        .await
        .expect("query")
        .expect("o-1001 exists");
    assert_eq!(order, sample.orders[0]);
    assert_eq!(lines, sample.lines[..2]);
    assert_eq!(requests.take(), one("Query"));
    let none = patterns::order_with_lines(&db, "o-9999")
        .await
        .expect("query");
    assert_eq!(none, None);
    assert_eq!(requests.take(), one("Query"));

    // Pattern 11: o-1002 ships; the update moves it in `gsi1`.
    let paid = &sample.orders[1];
    assert_eq!(paid.order_id, "o-1002");
    let shipped = patterns::set_order_status(&db, paid.key(), OrderStatus::Shipped, paid.version)
        .await
        .expect("update");
    assert_eq!(
        shipped,
        Order {
            status: OrderStatus::Shipped,
            version: paid.version + 1,
            ..paid.clone()
        }
    );
    assert_eq!(requests.take(), one("UpdateItem"));
    let still_paid = patterns::orders_by_status_since(&db, OrderStatus::Paid, march(6))
        .await
        .expect("query");
    assert_eq!(still_paid, [sample.orders[4].clone()]);
    let shipped_since = patterns::orders_by_status_since(&db, OrderStatus::Shipped, march(6))
        .await
        .expect("query");
    assert_eq!(shipped_since, std::slice::from_ref(&shipped));
    // The stored index key is the one a put of the shipped order writes.
    let updated = dynamodel_tests::raw_item::<Order>(&db, &paid.key())
        .await
        .expect("stored");
    db.put(&shipped).await.expect("put");
    let put = dynamodel_tests::raw_item::<Order>(&db, &paid.key())
        .await
        .expect("stored");
    assert_eq!(updated["gsi1pk"], put["gsi1pk"]);
    assert_eq!(
        updated["gsi1pk"],
        dynamodel_tests::s("ORDER_STATUS#Shipped")
    );
}

#[tokio::test]
async fn the_example_runs_every_pattern() {
    let db = dynamodel_tests::db_with_table::<Order>("shop_run").await;
    let mut out = Vec::new();
    run(&db, &mut out).await.expect("the example runs");
    let out = String::from_utf8(out).expect("text");
    for pattern in 1..=11 {
        let prefix = format!("{pattern}. ");
        assert!(out.lines().any(|l| l.starts_with(&prefix)), "{out}");
    }
    assert_eq!(
        out.lines().filter(|l| l.starts_with("8. ")).count(),
        2,
        "{out}"
    );
}
