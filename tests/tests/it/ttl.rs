//! `#[dynamodel(ttl)]`: stored as epoch seconds whatever the field's type
//! (a date-time would otherwise be millis), enabled on the table, and
//! `skip_expired()` leaving out items DynamoDB has not deleted yet.

use chrono::{DateTime, TimeZone, Utc};
use dynamodel::table::TableDef;
use dynamodel::{AttributeValue, Error, Model};
use dynamodel_tests::{db, raw_item};

use crate::table_fixture::{customer, order, Customer, Order};

async fn shop_db(test: &str) -> dynamodel::Db {
    let db = db(test).await;
    let def = TableDef::builder("shop")
        .model::<Customer>()
        .model::<Order>()
        .build()
        .unwrap();
    db.create_table_from(&def).await.unwrap();
    db
}

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(seconds, 0).single().unwrap()
}

/// Three stored customers: expired an hour ago, expiring in an hour, and
/// without a TTL.
async fn expired_live_forever(db: &dynamodel::Db) -> [Customer; 3] {
    let now = i64::try_from(dynamodel_tests::now_ms() / 1000).unwrap();
    let customers = [
        customer("old", Some(at(now - 3_600))),
        customer("new", Some(at(now + 3_600))),
        customer("forever", None),
    ];
    for c in &customers {
        db.put(c).await.unwrap();
    }
    customers
}

#[tokio::test]
async fn a_date_time_ttl_is_stored_as_epoch_seconds_and_reads_back() {
    let db = shop_db("ttl-seconds").await;
    let ann = customer("ann", Some(at(4_102_444_800)));
    db.put(&ann).await.unwrap();
    let raw = raw_item::<Customer>(&db, &ann.key()).await.unwrap();
    assert_eq!(
        raw.get("expires"),
        Some(&AttributeValue::N("4102444800".into()))
    );
    let back = db.get::<Customer>(ann.key()).await.unwrap();
    assert_eq!(back, Some(ann));

    let integer = order("1", Some(4_102_444_800));
    db.put(&integer).await.unwrap();
    let raw = raw_item::<Order>(&db, &integer.key()).await.unwrap();
    assert_eq!(
        raw.get("expires"),
        Some(&AttributeValue::N("4102444800".into()))
    );

    let none = customer("bob", None);
    db.put(&none).await.unwrap();
    let raw = raw_item::<Customer>(&db, &none.key()).await.unwrap();
    assert!(
        !raw.contains_key("expires"),
        "None stores no TTL: never expires"
    );
}

#[tokio::test]
async fn a_sub_second_ttl_is_refused_before_sending() {
    let db = shop_db("ttl-subsecond").await;
    let fine = at(4_102_444_800) + chrono::Duration::milliseconds(250);
    let err = db.put(&customer("ann", Some(fine))).await.unwrap_err();
    assert!(matches!(err, Error::Encode { .. }), "{err:?}");
    assert!(
        err.to_string().contains("#[dynamodel(ttl, truncate)]"),
        "{err}"
    );
    assert_eq!(dynamodel_tests::item_count::<Customer>(&db).await, 0);
}

#[tokio::test]
async fn skip_expired_leaves_out_items_past_their_ttl() {
    let db = shop_db("ttl-skip").await;
    let [expired, live, forever] = expired_live_forever(&db).await;

    // DynamoDB has not deleted the expired item: a plain read returns it.
    assert!(db.get::<Customer>(expired.key()).await.unwrap().is_some());
    assert!(db
        .get::<Customer>(expired.key())
        .skip_expired()
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        db.get::<Customer>(live.key()).skip_expired().await.unwrap(),
        Some(live.clone())
    );
    assert_eq!(
        db.get::<Customer>(forever.key())
            .skip_expired()
            .await
            .unwrap(),
        Some(forever.clone())
    );

    let all = db.scan::<Customer>().all().await.unwrap();
    assert_eq!(all.len(), 3);
    let mut unexpired: Vec<String> = db
        .scan::<Customer>()
        .skip_expired()
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.gsi1sk)
        .collect();
    unexpired.sort();
    assert_eq!(unexpired, ["forever", "new"]);

    // Combined with a filter of the caller's own (AND).
    let filtered = db
        .scan::<Customer>()
        .filter(Customer::fields().email.begins_with("n"))
        .skip_expired()
        .all()
        .await
        .unwrap();
    assert_eq!(filtered, vec![live.clone()]);

    let queried = db
        .query::<Customer>(expired.pk.clone())
        .skip_expired()
        .all()
        .await
        .unwrap();
    assert!(queried.is_empty());
    let counted = db.scan::<Customer>().skip_expired().count().await.unwrap();
    assert_eq!(counted, 2);
}

#[tokio::test]
async fn batch_get_with_skip_expired_reports_an_expired_item_as_missing() {
    let db = shop_db("ttl-batch").await;
    let [expired, live, forever] = expired_live_forever(&db).await;
    let keys = [expired.key(), live.key(), forever.key()];

    // By default the batch returns what DynamoDB returns: the expired item too.
    let read = db.batch_get::<Customer>(keys.clone()).await.unwrap();
    assert_eq!(
        read.items,
        vec![expired.clone(), live.clone(), forever.clone()]
    );
    assert!(read.missing.is_empty());

    let read = db
        .batch_get::<Customer>(keys.clone())
        .skip_expired()
        .await
        .unwrap();
    assert_eq!(read.items, vec![live.clone(), forever.clone()]);
    assert_eq!(read.missing, vec![expired.key()]);

    // A batch of any models: each model's TTL attribute decides.
    let open = order("1", None);
    db.put(&open).await.unwrap();
    let out = db
        .batch_read()
        .get::<Customer>(expired.key())
        .get::<Customer>(live.key())
        .get::<Order>(open.key())
        .skip_expired()
        .send()
        .await
        .unwrap();
    assert_eq!(out.items::<Customer>().unwrap(), vec![live.clone()]);
    assert_eq!(out.missing::<Customer>(), vec![expired.key()]);
    let results = out.results::<Customer>().unwrap();
    assert_eq!(results[0], (expired.key(), None));
    assert_eq!(out.items::<Order>().unwrap(), vec![open]);
    assert_eq!(out.raw_items().len(), 2);
}

#[tokio::test]
async fn transact_get_with_skip_expired_treats_an_expired_item_as_not_found() {
    let db = shop_db("ttl-transact").await;
    let now = i64::try_from(dynamodel_tests::now_ms() / 1000).unwrap();
    let expired = customer("old", Some(at(now - 3_600)));
    let live = customer("new", Some(at(now + 3_600)));
    let expired_order = order("1", Some(now - 60));
    for c in [&expired, &live] {
        db.put(c).await.unwrap();
    }
    db.put(&expired_order).await.unwrap();

    let read = |skip: bool| {
        let get = db
            .transact_get()
            .get::<Customer>(expired.key())
            .get::<Customer>(live.key())
            .get::<Order>(expired_order.key());
        if skip {
            get.skip_expired()
        } else {
            get
        }
    };
    // By default the transaction returns what DynamoDB returns.
    let out = read(false).await.unwrap();
    assert_eq!(
        out.items::<Customer>().unwrap(),
        vec![expired.clone(), live.clone()]
    );
    assert_eq!(out.items::<Order>().unwrap(), vec![expired_order.clone()]);
    assert!(out.missing::<Customer>().is_empty());

    let out = read(true).await.unwrap();
    assert_eq!(out.items::<Customer>().unwrap(), vec![live.clone()]);
    assert_eq!(out.missing::<Customer>(), vec![expired.key()]);
    assert!(out.items::<Order>().unwrap().is_empty());
    assert_eq!(out.missing::<Order>(), vec![expired_order.key()]);
}
