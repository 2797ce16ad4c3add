//! Keys composed from fields (`pk = "CUSTOMER#{customer_id}"`): the stored
//! key text, every operation through the fields, sort order of numbers
//! (negative included) and date-times through real queries, and ids full of
//! delimiters that neither collide nor widen a prefix query.

use chrono::{DateTime, Utc};
use dynamodel::{Db, Error, Model};
use dynamodel_tests::{db_with_table, item_count, raw_item, s};

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "shop",
    pk = "CUSTOMER#{customer_id}",
    sk = "ORDER#{placed_at}#{order_id}"
)]
struct Order {
    customer_id: String,
    placed_at: DateTime<Utc>,
    order_id: String,
    total: i64,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "shop",
    pk(name = "pk", template = "CUSTOMER#{customer_id}"),
    sk(name = "sk", template = "PROFILE")
)]
struct Customer {
    customer_id: String,
    name: String,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "ledger", pk = "ACCOUNT#{account}", sk = "ENTRY#{amount}")]
struct Entry {
    account: u32,
    amount: i64,
}

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).expect("valid")
}

fn order(customer: &str, seconds: i64, id: &str, total: i64) -> Order {
    Order {
        customer_id: customer.into(),
        placed_at: at(seconds),
        order_id: id.into(),
        total,
    }
}

async fn shop(test: &str) -> Db {
    db_with_table::<Order>(test).await
}

#[tokio::test]
async fn key_attributes_are_rendered_from_the_fields_and_the_fields_stored() {
    let db = shop("tpl_raw").await;
    let o = order("c1", 1_767_225_600, "o#1", 5);
    db.put(&o).await.expect("put");
    db.put(&Customer {
        customer_id: "c1".into(),
        name: "Ada".into(),
    })
    .await
    .expect("put");
    let raw = raw_item::<Order>(&db, &o.key()).await.expect("stored");
    assert_eq!(raw["pk"], s("CUSTOMER#c1"));
    assert_eq!(raw["sk"], s("ORDER#2026-01-01T00:00:00.000000000Z#o%231"));
    assert_eq!(raw["order_id"], s("o#1"));
    assert_eq!(raw["customer_id"], s("c1"));
    let raw = raw_item::<Customer>(&db, &"c1".to_owned())
        .await
        .expect("stored");
    assert_eq!(raw["sk"], s("PROFILE"));
    assert_eq!(item_count::<Order>(&db).await, 2);
}

#[tokio::test]
async fn get_delete_update_and_batches_take_the_fields() {
    let db = shop("tpl_ops").await;
    let o = order("c1", 100, "o1", 5);
    db.create(&o).await.expect("create");
    let key = ("c1".to_owned(), at(100), "o1".to_owned());
    assert_eq!(
        db.get::<Order>(key.clone()).await.expect("get"),
        Some(o.clone())
    );
    db.update::<Order>(key.clone())
        .set(&Order::fields().total, 9)
        .await
        .expect("update");
    assert_eq!(
        db.get::<Order>(key.clone())
            .await
            .expect("get")
            .map(|o| o.total),
        Some(9)
    );
    // A key template field cannot be updated: the key would disagree.
    let refused = db
        .update::<Order>(key.clone())
        .set(&Order::fields().order_id, "o2".to_owned())
        .await;
    assert!(
        matches!(refused, Err(Error::InvalidRequest { .. })),
        "{refused:?}"
    );
    // An upsert that creates the item writes the key fields too.
    let new_key = ("c2".to_owned(), at(7), "o9".to_owned());
    db.upsert::<Order>(new_key.clone())
        .set(&Order::fields().total, 1)
        .await
        .expect("upsert");
    assert_eq!(
        db.get::<Order>(new_key.clone()).await.expect("get"),
        Some(order("c2", 7, "o9", 1))
    );
    let got = db
        .batch_get::<Order>([key.clone(), new_key.clone()])
        .await
        .expect("batch get");
    assert_eq!(got.items.len(), 2);
    db.delete::<Order>(key.clone()).await.expect("delete");
    db.batch_delete::<Order>([new_key])
        .await
        .expect("batch delete");
    assert_eq!(item_count::<Order>(&db).await, 0);
}

#[tokio::test]
async fn queries_take_typed_prefixes_and_sort_dates_in_order() {
    let db = shop("tpl_query").await;
    for (seconds, id) in [(300, "b"), (100, "a"), (200, "c"), (-86_400, "old")] {
        db.put(&order("c1", seconds, id, 0)).await.expect("put");
    }
    db.put(&Customer {
        customer_id: "c1".into(),
        name: "Ada".into(),
    })
    .await
    .expect("put");
    db.put(&order("c2", 100, "x", 0)).await.expect("put");
    let orders = db
        .query::<Order>("c1")
        .sort_begins_with(OrderSortKey::prefix())
        .all()
        .await
        .expect("query");
    let ids: Vec<_> = orders.iter().map(|o| o.order_id.as_str()).collect();
    assert_eq!(ids, ["old", "a", "c", "b"]);
    let window = db
        .query::<Order>("c1")
        .sort_between(
            OrderSortKey::prefix_placed_at(at(100)),
            OrderSortKey::prefix_placed_at(at(300)),
        )
        .all()
        .await
        .expect("query");
    let ids: Vec<_> = window.iter().map(|o| o.order_id.as_str()).collect();
    assert_eq!(ids, ["a", "c"]);
    let exact = db
        .query::<Order>("c1")
        .sort_eq((at(200), "c".to_owned()))
        .all()
        .await
        .expect("query");
    assert_eq!(exact, [order("c1", 200, "c", 0)]);
}

#[tokio::test]
async fn negative_numbers_sort_by_value() {
    let db = db_with_table::<Entry>("tpl_numbers").await;
    for amount in [5, -3, 0, -100, 42, i64::MIN, i64::MAX, -1] {
        db.put(&Entry { account: 1, amount }).await.expect("put");
    }
    let amounts: Vec<i64> = db
        .query::<Entry>(1u32)
        .all()
        .await
        .expect("query")
        .into_iter()
        .map(|e| e.amount)
        .collect();
    assert_eq!(amounts, [i64::MIN, -100, -3, -1, 0, 5, 42, i64::MAX]);
}

#[tokio::test]
async fn delimiters_in_ids_neither_collide_nor_widen_a_prefix() {
    let db = shop("tpl_inject").await;
    // Distinct partitions either way (one field per template): the case
    // where escaping decides is `escaping_keeps_two_fields_of_one_template_apart`.
    let tenant_a = order("1#ORDER#9", 100, "a", 1);
    let tenant_b = order("1", 100, "b", 2);
    db.put(&tenant_a).await.expect("put");
    db.put(&tenant_b).await.expect("put");
    assert_eq!(item_count::<Order>(&db).await, 2);
    assert_eq!(
        db.get::<Order>(tenant_a.key()).await.expect("get"),
        Some(tenant_a.clone())
    );
    // An order id shaped like a longer key does not widen a prefix query.
    let sneaky = order("c", 100, "x#ORDER#", 3);
    let plain = order("c", 100, "x", 4);
    db.put(&sneaky).await.expect("put");
    db.put(&plain).await.expect("put");
    let found = db
        .query::<Order>("c")
        .sort_eq((at(100), "x".to_owned()))
        .all()
        .await
        .expect("query");
    assert_eq!(found, [plain]);
    let only_a = db.query::<Order>("1#ORDER#9").all().await.expect("query");
    assert_eq!(only_a, [tenant_a]);
}

/// Two string fields in one template: without escaping, the delimiter in a
/// value moves the boundary between them.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "members",
    pk = "TENANT#{tenant}#USER#{user}",
    sk = "GROUP#{group}#ROLE#{role}"
)]
struct Member {
    tenant: String,
    user: String,
    group: String,
    role: String,
}

fn member(tenant: &str, user: &str, group: &str, role: &str) -> Member {
    Member {
        tenant: tenant.into(),
        user: user.into(),
        group: group.into(),
        role: role.into(),
    }
}

#[tokio::test]
async fn escaping_keeps_two_fields_of_one_template_apart() {
    let db = db_with_table::<Member>("tpl_escape").await;
    // Unescaped, both keys would be TENANT#a#USER#b#USER#c / GROUP#g#ROLE#r.
    let first = member("a#USER#b", "c", "g", "r");
    let second = member("a", "b#USER#c", "g", "r");
    db.put(&first).await.expect("put");
    db.put(&second).await.expect("put");
    assert_eq!(item_count::<Member>(&db).await, 2);
    assert_eq!(
        db.get::<Member>(first.key())
            .consistent()
            .await
            .expect("get"),
        Some(first)
    );
    // A group shaped like "group#ROLE#more" stays out of the prefix of group "x".
    let plain = member("t", "u", "x", "admin");
    let sneaky = member("t", "u", "x#ROLE#y", "admin");
    db.put(&plain).await.expect("put");
    db.put(&sneaky).await.expect("put");
    let found = db
        .query::<Member>(("t".to_owned(), "u".to_owned()))
        .sort_begins_with(MemberSortKey::prefix_group("x".to_owned()))
        .all()
        .await
        .expect("query");
    assert_eq!(found, [plain]);
}
