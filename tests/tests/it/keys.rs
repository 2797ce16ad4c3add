//! Keys as written (`IntoKey`): a composite key given with borrowed
//! strings, `("u-1", 2)`, works on every operation taking a key (get,
//! delete, update, upsert, batch get and delete, transaction get and
//! condition check), next to the owned form, and for key templates.

use chrono::{DateTime, Utc};
use dynamodel::Model;
use dynamodel_tests::{db_with_table, item_count};

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "key_orders")]
struct Order {
    #[dynamodel(hash_key)]
    user: String,
    #[dynamodel(range_key)]
    number: i64,
    total: i64,
}

fn order(user: &str, number: i64) -> Order {
    Order {
        user: user.into(),
        number,
        total: number * 10,
    }
}

#[tokio::test]
async fn borrowed_composite_keys_work_on_every_keyed_operation() {
    let db = db_with_table::<Order>("keys_borrowed").await;
    for n in 1..=4 {
        db.put(&order("u-1", n)).await.unwrap();
    }
    // get: borrowed and owned forms find the same item.
    assert_eq!(
        db.get::<Order>(("u-1", 2)).consistent().await.unwrap(),
        Some(order("u-1", 2))
    );
    assert_eq!(
        db.get::<Order>(("u-1".to_string(), 2)).await.unwrap(),
        Some(order("u-1", 2))
    );
    let user = String::from("u-1");
    assert_eq!(
        db.get::<Order>((user.as_str(), 3)).await.unwrap(),
        Some(order("u-1", 3))
    );
    // update and upsert.
    let fields = Order::fields();
    db.update::<Order>(("u-1", 1))
        .set(&fields.total, 99)
        .await
        .unwrap();
    db.upsert::<Order>(("u-2", 1))
        .set(&fields.total, 7)
        .await
        .unwrap();
    assert_eq!(
        db.get::<Order>(("u-1", 1)).await.unwrap().map(|o| o.total),
        Some(99)
    );
    assert_eq!(
        db.get::<Order>(("u-2", 1)).await.unwrap().map(|o| o.total),
        Some(7)
    );
    // batch get, in the order asked, with a missing key reported.
    let read = db
        .batch_get::<Order>([("u-1", 4), ("u-1", 2), ("nobody", 1)])
        .send()
        .await
        .unwrap();
    assert_eq!(read.items, vec![order("u-1", 4), order("u-1", 2)]);
    assert_eq!(read.missing, vec![("nobody".to_string(), 1)]);
    // transaction get and condition check.
    let both = db
        .transact_get()
        .get::<Order>(("u-1", 3))
        .get::<Order>(("u-2", 1))
        .await
        .unwrap();
    assert_eq!(both.items::<Order>().unwrap().len(), 2);
    db.transact_write()
        .condition_check::<Order>(("u-1", 3), fields.total.eq(30))
        .delete(db.delete::<Order>(("u-1", 4)))
        .await
        .unwrap();
    assert_eq!(db.get::<Order>(("u-1", 4)).await.unwrap(), None);
    // delete and batch delete.
    db.delete::<Order>(("u-2", 1)).await.unwrap();
    let output = db
        .batch_delete::<Order>([("u-1", 1), ("u-1", 2)])
        .send()
        .await
        .unwrap();
    assert_eq!(output.written, 2);
    assert_eq!(item_count::<Order>(&db).await, 1);
    assert_eq!(
        db.get::<Order>(("u-1", 3)).await.unwrap(),
        Some(order("u-1", 3))
    );
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "key_shop",
    pk = "CUSTOMER#{customer}",
    sk = "ORDER#{placed_at}#{id}"
)]
struct Placed {
    customer: String,
    placed_at: DateTime<Utc>,
    id: String,
    total: i64,
}

#[tokio::test]
async fn key_template_tuples_take_borrowed_parts() {
    let db = db_with_table::<Placed>("keys_template").await;
    let at = DateTime::from_timestamp(1_793_520_000, 0).unwrap();
    let item = Placed {
        customer: "c-1".into(),
        placed_at: at,
        id: "o-1".into(),
        total: 5,
    };
    db.create(&item).await.unwrap();
    assert_eq!(
        db.get::<Placed>(("c-1", at, "o-1")).await.unwrap(),
        Some(item)
    );
    db.delete::<Placed>(("c-1", at, "o-1")).await.unwrap();
    assert_eq!(item_count::<Placed>(&db).await, 0);
}
