//! Batch writes and reads against DynamoDB Local (no faults; see
//! `batch_faults` for those).

use std::collections::BTreeSet;

use dynamodel::limits::{item_size, MAX_ITEM_SIZE};
use dynamodel::ops::{RetryPolicy, WriteAction};
use dynamodel::{AttributeValue, Error, Model};
use dynamodel_tests::{db_with_table, raw_item};

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "batch_users")]
pub struct User {
    #[dynamodel(hash_key)]
    pub id: String,
    pub name: String,
    pub score: f64,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "batch_orders")]
pub struct Order {
    #[dynamodel(hash_key)]
    pub customer: String,
    #[dynamodel(range_key)]
    pub number: u64,
    pub total: i64,
}

pub fn user(i: usize) -> User {
    User {
        id: format!("u{i:05}"),
        name: format!("user {i}"),
        score: i as f64 / 4.0,
    }
}

pub async fn stored_ids(db: &dynamodel::Db) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut start = None;
    loop {
        let page = db
            .client()
            .scan()
            .table_name(db.table_name::<User>())
            .consistent_read(true)
            .set_exclusive_start_key(start)
            .send()
            .await
            .unwrap();
        for item in page.items() {
            ids.insert(item["id"].as_s().unwrap().clone());
        }
        start = page.last_evaluated_key().cloned();
        if start.is_none() {
            return ids;
        }
    }
}

#[tokio::test]
async fn batch_put_and_get_many_items_in_order() {
    let db = db_with_table::<User>("batch_put_get").await;
    let users: Vec<User> = (0..130).map(user).collect();
    let out = db.batch_put(&users).concurrency(3).await.unwrap();
    assert_eq!(out.written, 130);
    assert_eq!(out.stats.requests, 6, "130 writes take 6 requests of <= 25");
    assert_eq!(stored_ids(&db).await.len(), 130);
    let raw = raw_item::<User>(&db, &"u00007".to_string()).await.unwrap();
    assert_eq!(raw["score"], AttributeValue::N("1.75".into()));

    // 250 keys: 3 requests of <= 100; asked in reverse, plus two missing.
    let mut keys: Vec<String> = (0..130).rev().map(|i| user(i).id).collect();
    keys.insert(5, "nobody".into());
    keys.push("nobody-2".into());
    let read = db.batch_get::<User>(keys).consistent().await.unwrap();
    let expected: Vec<User> = (0..130).rev().map(user).collect();
    assert_eq!(read.items, expected, "items come in the order asked");
    assert_eq!(read.missing, vec!["nobody".to_string(), "nobody-2".into()]);
    assert_eq!(read.stats.requests, 2);
}

#[tokio::test]
async fn mixed_batch_over_two_models() {
    let db = db_with_table::<User>("batch_mixed").await;
    db.create_table::<Order>().await.unwrap();
    db.batch_put(&[user(1), user(2)]).await.unwrap();

    let order = Order {
        customer: "u00001".into(),
        number: 7,
        total: -5,
    };
    let out = db
        .batch_write()
        .put(&user(3))
        .put(&order)
        .delete::<User>("u00002")
        .await
        .unwrap();
    assert_eq!(out.written, 3);
    assert_eq!(
        stored_ids(&db).await,
        BTreeSet::from(["u00001".to_string(), "u00003".into()])
    );

    let read = db
        .batch_read()
        .get::<User>("u00003")
        .get::<Order>(("u00001".to_string(), 7u64))
        .get::<User>("u00002")
        .get::<Order>(("u00001".to_string(), 8u64))
        .get::<User>("u00001")
        .get::<User>("u00003") // asked twice: read once, given twice
        .consistent()
        .await
        .unwrap();
    assert_eq!(
        read.items::<User>().unwrap(),
        vec![user(3), user(1), user(3)]
    );
    assert_eq!(read.items::<Order>().unwrap(), vec![order.clone()]);
    assert_eq!(read.missing::<User>(), vec!["u00002".to_string()]);
    assert_eq!(read.missing::<Order>(), vec![("u00001".to_string(), 8u64)]);
    let results = read.results::<Order>().unwrap();
    assert_eq!(results[0], (("u00001".to_string(), 7), Some(order)));
    assert_eq!(results[1], (("u00001".to_string(), 8), None));
    assert_eq!(read.stats().requests, 1);
}

#[tokio::test]
async fn duplicate_keys_fail_before_any_write() {
    let db = db_with_table::<User>("batch_dupes").await;
    let users = vec![user(1), user(2), user(3), user(2)];
    let err = db.batch_put(&users).await.unwrap_err();
    match &err {
        Error::Item { index, source, .. } => {
            assert_eq!(*index, 3);
            assert!(source.to_string().contains("item #1"), "{source}");
        }
        other => panic!("unexpected error {other:?}"),
    }
    // A put and a delete of the same key clash as well.
    let err = db
        .batch_write()
        .put(&user(9))
        .delete::<User>("u00009")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Item { index: 1, .. }), "{err:?}");
    assert!(stored_ids(&db).await.is_empty(), "nothing was written");
}

#[tokio::test]
async fn invalid_and_oversized_items_fail_before_any_write() {
    let db = db_with_table::<User>("batch_invalid").await;
    let mut users: Vec<User> = (0..40).map(user).collect();
    users[31].score = f64::NAN;
    // The opt-in all-or-nothing check: every item prepared before sending.
    let err = db.batch_put(&users).prepare_all_first().await.unwrap_err();
    match &err {
        Error::Item { index, source, .. } => {
            assert_eq!(*index, 31);
            assert!(
                matches!(&**source, Error::Encode { attribute, .. } if attribute == "score"),
                "{source:?}"
            );
        }
        other => panic!("unexpected error {other:?}"),
    }
    assert!(err.to_string().contains("item #31"), "{err}");

    // Exactly 400 KB is accepted by DynamoDB; one byte more is refused by us.
    let base = User {
        id: "big".into(),
        name: String::new(),
        score: 1.0,
    };
    let overhead = item_size(&base.to_item().unwrap());
    let fits = User {
        name: "x".repeat(MAX_ITEM_SIZE - overhead),
        ..base.clone()
    };
    assert_eq!(item_size(&fits.to_item().unwrap()), MAX_ITEM_SIZE);
    let too_big = User {
        id: "big2".into(),
        name: "x".repeat(MAX_ITEM_SIZE - overhead),
        ..base
    };
    let err = db
        .batch_write()
        .put(&user(1))
        .put(&too_big)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Item { index: 1, .. }), "{err:?}");
    assert!(err.to_string().contains("400 KB"), "{err}");
    assert!(stored_ids(&db).await.is_empty(), "nothing was written");
    db.batch_put(&[fits]).await.unwrap();
    assert_eq!(stored_ids(&db).await.len(), 1);
}

#[tokio::test]
async fn errors_that_retrying_cannot_fix_list_every_item() {
    // The Order table does not exist: every write is left undone.
    let db = db_with_table::<User>("batch_no_table").await;
    let order = Order {
        customer: "c".into(),
        number: 1,
        total: 1,
    };
    let err = db
        .batch_write()
        .put(&user(1))
        .put(&order)
        .retry(RetryPolicy::default().base_delay(std::time::Duration::from_millis(1)))
        .await
        .unwrap_err();
    let incomplete = err.batch_incomplete().expect("BatchIncomplete");
    assert_eq!(incomplete.total(), 2);
    assert_eq!(incomplete.succeeded(), 0);
    assert_eq!(incomplete.unprocessed_writes().len(), 2);
    assert_eq!(incomplete.stats().requests, 1, "not retried");
    assert!(incomplete.cause().unwrap().is_table_not_found());
    let left = &incomplete.unprocessed_writes()[1];
    assert!(left.is::<Order>());
    assert_eq!(left.decode::<Order>().unwrap().unwrap(), order);
    assert!(matches!(left.action, WriteAction::Put(_)));
    assert_eq!(
        left.key::<Order>(),
        Some(&("c".to_string(), 1u64)),
        "typed key kept"
    );
}

#[tokio::test]
async fn composite_keys_are_matched_whatever_the_attribute_order() {
    let db = db_with_table::<Order>("batch_composite").await;
    let orders: Vec<Order> = (0..150u64)
        .map(|n| Order {
            customer: format!("c{}", n % 7),
            number: n,
            total: n as i64 - 75,
        })
        .collect();
    db.batch_put(&orders).await.unwrap();
    let keys: Vec<(String, u64)> = orders.iter().map(Order::key).collect();
    let read = db.batch_get::<Order>(keys).consistent().await.unwrap();
    assert!(read.missing.is_empty());
    assert_eq!(read.items, orders);

    let out = db
        .batch_delete::<Order>(orders.iter().step_by(2).map(Order::key))
        .await
        .unwrap();
    assert_eq!(out.written, 75);
    let read = db
        .batch_get::<Order>(orders.iter().map(Order::key))
        .consistent()
        .await
        .unwrap();
    assert_eq!(read.items.len(), 75);
    assert_eq!(read.missing.len(), 75);
    assert!(read.items.iter().all(|o| o.number % 2 == 1));
}

#[tokio::test]
async fn batch_get_returns_the_good_items_and_an_error_per_bad_one() {
    let db = db_with_table::<User>("batch_get_bad").await;
    let users: Vec<User> = (0..5).map(user).collect();
    db.batch_put(&users).await.unwrap();
    // u00002 is stored with a score that is not a number.
    let mut bad = users[2].to_item().unwrap();
    bad.insert("score".into(), AttributeValue::S("sentinel-value".into()));
    db.client()
        .put_item()
        .table_name(db.table_name::<User>())
        .set_item(Some(bad))
        .send()
        .await
        .unwrap();

    let keys: Vec<String> = ["nobody", "u00000", "u00001", "u00002", "u00003", "u00004"]
        .map(String::from)
        .into();
    let read = db
        .batch_get::<User>(keys.clone())
        .consistent()
        .await
        .unwrap();
    let expected: Vec<User> = [0, 1, 3, 4].map(user).into();
    assert_eq!(read.items, expected);
    assert_eq!(read.missing, vec!["nobody".to_string()]);
    assert_eq!(read.errors.len(), 1);
    let error = &read.errors[0];
    let text = format!("{error} {error:?}");
    assert!(
        !text.contains("sentinel-value") && !text.contains("u00002"),
        "{text}"
    );
    match error {
        Error::Item {
            operation: "BatchGetItem",
            index: 3,
            source,
        } => assert!(
            matches!(&**source, Error::Decode { model: "User", attribute, .. } if attribute == "score"),
            "{source}"
        ),
        other => panic!("{other}"),
    }

    // The mixed-model read gives the same split; strict mode fails as before.
    let output = db
        .batch_read()
        .get::<User>("u00002")
        .get::<User>("u00003")
        .await
        .unwrap();
    assert!(output.items::<User>().unwrap_err().is_conversion());
    let (items, errors) = output.items_and_errors::<User>();
    assert_eq!(items, vec![user(3)]);
    assert!(matches!(errors[..], [Error::Item { index: 0, .. }]));
    let err = db.batch_get::<User>(keys).strict().await.unwrap_err();
    assert!(matches!(err, Error::Decode { model: "User", .. }), "{err}");
}
