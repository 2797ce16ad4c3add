//! Index keys composed from fields: GSI overloading (two models writing the
//! generic `gsi1pk` / `gsi1sk`, each with its own templates), every
//! whole-item write rendering the index attributes, sparse indexes over
//! `Option` fields, typed index queries (partition from fields, prefixes,
//! ranges, date and negative-number order), an LSI with a template sort key,
//! updates of index template fields rewriting the index attributes, and
//! index key limits.

use chrono::{DateTime, Utc};
use dynamodel::{Db, Error, Model};
use dynamodel_tests::{db_with_table, item_count, raw_item, s};

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "shop",
    pk = "CUSTOMER#{customer_id}",
    sk = "ORDER#{placed_at}#{order_id}",
    gsi(
        name = "gsi1",
        pk = "ORDER_STATUS#{status}",
        sk = "{placed_at}#{order_id}"
    ),
    gsi(name = "gsi2", pk(name = "coupon_key", template = "COUPON#{coupon}")),
    lsi(name = "lsi1", sk = "TOTAL#{total}#{order_id}")
)]
struct Order {
    customer_id: String,
    placed_at: DateTime<Utc>,
    order_id: String,
    status: String,
    total: i64,
    coupon: Option<String>,
    note: String,
}

/// Shares `gsi1` with [`Order`] (same attributes, its own templates and
/// constant prefix, so each partition of the index holds one model's items).
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "shop",
    pk = "CUSTOMER#{customer_id}",
    sk = "ADDRESS#{label}",
    gsi(
        name = "gsi1",
        pk = "ADDRESS_CITY#{city}",
        sk = "{customer_id}#{label}"
    )
)]
struct Address {
    customer_id: String,
    label: String,
    city: String,
}

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).expect("valid")
}

fn order(customer: &str, seconds: i64, id: &str, status: &str, total: i64) -> Order {
    Order {
        customer_id: customer.into(),
        placed_at: at(seconds),
        order_id: id.into(),
        status: status.into(),
        total,
        coupon: None,
        note: String::new(),
    }
}

fn address(customer: &str, label: &str, city: &str) -> Address {
    Address {
        customer_id: customer.into(),
        label: label.into(),
        city: city.into(),
    }
}

async fn shop(test: &str) -> Db {
    db_with_table::<Order>(test).await
}

fn ids(orders: &[Order]) -> Vec<&str> {
    orders.iter().map(|o| o.order_id.as_str()).collect()
}

#[tokio::test]
async fn every_whole_item_write_renders_the_index_attributes() {
    let db = shop("idx_raw").await;
    let mut with_coupon = order("c1", 100, "o#1", "PAID", -5);
    with_coupon.coupon = Some("WELCOME".into());
    let plain = order("c1", 200, "o2", "NEW", 7);
    let batched = order("c2", 300, "o3", "NEW", 0);
    let transacted = order("c3", 400, "o4", "NEW", 0);
    db.put(&with_coupon).await.expect("put");
    db.create(&plain).await.expect("create");
    db.batch_put([&batched]).await.expect("batch put");
    db.transact_write()
        .put(db.put(&transacted))
        .await
        .expect("transaction");
    db.put(&address("c1", "home", "Paris")).await.expect("put");

    let raw = raw_item::<Order>(&db, &with_coupon.key())
        .await
        .expect("stored");
    assert_eq!(raw["gsi1pk"], s("ORDER_STATUS#PAID"));
    assert_eq!(raw["gsi1sk"], s("1970-01-01T00:01:40.000000000Z#o%231"));
    assert_eq!(raw["coupon_key"], s("COUPON#WELCOME"));
    assert_eq!(
        raw["lsi1sk"],
        s("TOTAL#09223372036854775803#o%231"),
        "i64 -5 biased by 2^63"
    );
    // Sparse: no coupon, no attribute, so the item is not in `gsi2`.
    for o in [&plain, &batched, &transacted] {
        let raw = raw_item::<Order>(&db, &o.key()).await.expect("stored");
        assert!(!raw.contains_key("coupon_key"), "{:?}", raw.keys());
        assert_eq!(raw["gsi1pk"], s("ORDER_STATUS#NEW"));
        assert!(raw.contains_key("gsi1sk") && raw.contains_key("lsi1sk"));
    }
    let raw = raw_item::<Address>(&db, &("c1".to_owned(), "home".to_owned()))
        .await
        .expect("stored");
    assert_eq!(raw["gsi1pk"], s("ADDRESS_CITY#Paris"));
    assert_eq!(raw["gsi1sk"], s("c1#home"));
    // The index attributes are not fields: reads ignore them.
    assert_eq!(
        db.get::<Order>(with_coupon.key()).await.expect("get"),
        Some(with_coupon)
    );
}

#[tokio::test]
async fn overloaded_gsi_serves_each_model_its_own_items_in_date_order() {
    let db = shop("idx_overload").await;
    for o in [
        order("c1", 300, "late", "PAID", 1),
        order("c2", -86_400, "before_1970", "PAID", 1),
        order("c1", 100, "early", "PAID", 1),
        order("c3", 200, "middle", "PAID", 1),
        order("c1", 150, "other_status", "NEW", 1),
    ] {
        db.put(&o).await.expect("put");
    }
    for a in [
        address("c1", "home", "Paris"),
        address("c2", "work", "Paris"),
        address("c3", "home", "Lyon"),
    ] {
        db.put(&a).await.expect("put");
    }
    let paid = db
        .query_index(Order::indexes().gsi1, "PAID")
        .all()
        .await
        .expect("query");
    assert_eq!(ids(&paid), ["before_1970", "early", "middle", "late"]);
    let newest = db
        .query_index(Order::indexes().gsi1, "PAID")
        .descending()
        .limit(2)
        .page()
        .await
        .expect("query");
    assert_eq!(ids(&newest.items), ["late", "middle"]);
    let paris = db
        .query_index(Address::indexes().gsi1, "Paris")
        .all()
        .await
        .expect("query");
    assert_eq!(
        paris,
        [
            address("c1", "home", "Paris"),
            address("c2", "work", "Paris")
        ]
    );
    let c2_in_paris = db
        .query_index(Address::indexes().gsi1, "Paris")
        .sort_begins_with(AddressGsi1SortKey::prefix_customer_id("c2".into()))
        .all()
        .await
        .expect("query");
    assert_eq!(c2_in_paris, [address("c2", "work", "Paris")]);
}

#[tokio::test]
async fn index_sort_keys_take_typed_prefixes_and_ranges() {
    let db = shop("idx_sort").await;
    for (seconds, id) in [(100, "a1"), (100, "a2"), (200, "b"), (300, "c"), (400, "d")] {
        db.put(&order("c1", seconds, id, "PAID", 0))
            .await
            .expect("put");
    }
    // An id holding the delimiter cannot widen the prefix of time 100.
    db.put(&order("c1", 100, "#x", "PAID", 0))
        .await
        .expect("put");
    let gsi1 = Order::indexes().gsi1;
    let at_100 = db
        .query_index(gsi1, "PAID")
        .sort_begins_with(OrderGsi1SortKey::prefix_placed_at(at(100)))
        .all()
        .await
        .expect("query");
    assert_eq!(ids(&at_100), ["#x", "a1", "a2"]);
    let window = db
        .query_index(gsi1, "PAID")
        .sort_between(
            OrderGsi1SortKey::prefix_placed_at(at(200)),
            OrderGsi1SortKey::prefix_placed_at(at(400)),
        )
        .all()
        .await
        .expect("query");
    assert_eq!(ids(&window), ["b", "c"]);
    let after = db
        .query_index(gsi1, "PAID")
        .sort_gt(OrderGsi1SortKey::prefix_placed_at(at(300)))
        .all()
        .await
        .expect("query");
    assert_eq!(ids(&after), ["c", "d"], "`c`'s key extends the prefix");
    let before = db
        .query_index(gsi1, "PAID")
        .sort_lt(OrderGsi1SortKey::prefix_placed_at(at(200)))
        .all()
        .await
        .expect("query");
    assert_eq!(ids(&before).len(), 3);
    let exact = db
        .query_index(gsi1, "PAID")
        .sort_eq((at(200), "b".to_owned()))
        .all()
        .await
        .expect("query");
    assert_eq!(ids(&exact), ["b"]);
}

#[tokio::test]
async fn lsi_with_a_template_sort_key_orders_negative_totals() {
    let db = shop("idx_lsi").await;
    for (i, total) in [7, -50, 1000, 0, -1, i64::MIN].into_iter().enumerate() {
        db.put(&order("c1", i as i64, &format!("o{i}"), "PAID", total))
            .await
            .expect("put");
    }
    db.put(&order("c2", 0, "elsewhere", "PAID", 3))
        .await
        .expect("put");
    // The customer's partition also holds its addresses, which write no
    // `lsi1sk`: the local index holds orders only.
    db.put(&address("c1", "home", "Paris")).await.expect("put");
    let by_total = db
        .query_index(Order::indexes().lsi1, "c1")
        .consistent()
        .all()
        .await
        .expect("query");
    let totals: Vec<i64> = by_total.iter().map(|o| o.total).collect();
    assert_eq!(totals, [i64::MIN, -50, -1, 0, 7, 1000]);
    let refunds = db
        .query_index(Order::indexes().lsi1, "c1")
        .sort_lt(OrderLsi1SortKey::prefix_total(0))
        .consistent()
        .all()
        .await
        .expect("query");
    assert_eq!(refunds.len(), 3);
}

#[tokio::test]
async fn sparse_gsi_holds_only_items_with_the_option_set() {
    let db = shop("idx_sparse").await;
    let mut a = order("c1", 1, "a", "PAID", 0);
    a.coupon = Some("SPRING".into());
    let mut b = order("c2", 2, "b", "PAID", 0);
    b.coupon = Some("SPRING".into());
    let none = order("c3", 3, "c", "PAID", 0);
    for o in [&a, &b, &none] {
        db.put(o).await.expect("put");
    }
    let spring = db
        .query_index(Order::indexes().gsi2, "SPRING")
        .all()
        .await
        .expect("query");
    let mut got = ids(&spring);
    got.sort();
    assert_eq!(got, ["a", "b"]);
    let every = db
        .scan::<Order>()
        .index(Order::indexes().gsi2)
        .count()
        .await
        .expect("scan");
    assert_eq!(every, 2, "the item without a coupon is not in the index");
}

#[tokio::test]
async fn updates_of_index_template_fields_rewrite_the_index_attributes() {
    let db = shop("idx_update").await;
    let o = order("c1", 1, "a", "NEW", 5);
    db.put(&o).await.expect("put");
    let fields = Order::fields();
    // `gsi1pk` names `status` alone; `lsi1sk` names `total` and the key's
    // `order_id`; `coupon_key` names the `Option` `coupon`.
    db.update::<Order>(o.key())
        .set(&fields.status, "PAID".to_owned())
        .set(&fields.total, -5)
        .set(&fields.coupon, "X".to_owned())
        .await
        .expect("update");
    let raw = raw_item::<Order>(&db, &o.key()).await.expect("stored");
    assert_eq!(raw["status"], s("PAID"));
    assert_eq!(raw["gsi1pk"], s("ORDER_STATUS#PAID"));
    assert_eq!(raw["lsi1sk"], s("TOTAL#09223372036854775803#a"));
    assert_eq!(raw["coupon_key"], s("COUPON#X"));
    // Arithmetic leaves the new value to DynamoDB: the key cannot follow.
    let refused = db
        .update::<Order>(o.key())
        .add(&fields.total, 1)
        .await
        .expect_err("refused");
    let Error::InvalidRequest { model, message } = &refused else {
        panic!("{refused:?}");
    };
    assert_eq!(*model, "Order");
    assert!(message.contains("`total`"), "{message}");
    assert!(message.contains("index `lsi1`"), "{message}");
    assert!(message.contains("DynamoDB computes"), "{message}");
    let raw = raw_item::<Order>(&db, &o.key()).await.expect("stored");
    assert_eq!(raw["total"], dynamodel_tests::n("-5"), "nothing was sent");
}

#[tokio::test]
async fn index_key_values_are_checked_before_sending() {
    let db = shop("idx_limits").await;
    let mut long = order("c1", 1, "a", "", 0);
    long.status = "S".repeat(2100);
    let err = db.put(&long).await.expect_err("refused");
    let errors = err.validation_errors().expect("a validation error");
    let found = errors.for_path("gsi1pk").next().expect("names gsi1pk");
    assert_eq!(found.rule, "key");
    assert!(
        found.message.to_string().contains("index `gsi1`"),
        "{}",
        found.message
    );
    assert_eq!(item_count::<Order>(&db).await, 0);
    let query = db
        .query_index(Order::indexes().gsi1, "S".repeat(2100))
        .all()
        .await;
    assert!(matches!(&query, Err(Error::Validation { .. })), "{query:?}");
}
