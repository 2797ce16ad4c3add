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
    let now = i64::try_from(dynamodel_tests::now_ms() / 1000).unwrap();
    let expired = customer("old", Some(at(now - 3_600)));
    let live = customer("new", Some(at(now + 3_600)));
    let forever = customer("forever", None);
    for c in [&expired, &live, &forever] {
        db.put(c).await.unwrap();
    }

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
