//! The operands of update arithmetic (`increment`, `decrement`, `add` on a
//! number) and of set updates (`add`, `delete`) take what `set` and the
//! conditions take (`IntoFieldValue`: the field's type or one with `Into`
//! it) and go through the field's storage; set elements go through the
//! field's `set` transform too, so a `delete` finds what an `add` stored.
//! Checked in the raw stored items of DynamoDB Local.

use std::collections::HashSet;

use dynamodel::{AttributeValue, Model};
use dynamodel_tests::{db_with_table, n, raw_item};

fn lower_all(tags: HashSet<String>) -> HashSet<String> {
    tags.into_iter().map(|t| t.to_lowercase()).collect()
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "counters")]
struct Counter {
    #[dynamodel(hash_key)]
    id: String,
    visits: Option<u64>,
    score: i64,
    #[dynamodel(set = lower_all)]
    tags: HashSet<String>,
    #[dynamodel(ttl)]
    expires: Option<i64>,
}

fn string_set(item: &dynamodel::Item, name: &str) -> Vec<String> {
    match item.get(name) {
        Some(AttributeValue::Ss(values)) => {
            let mut values = values.clone();
            values.sort();
            values
        }
        other => panic!("`{name}` is not a string set: {other:?}"),
    }
}

#[tokio::test]
async fn arithmetic_takes_narrower_integers_and_goes_through_the_storage() {
    let db = db_with_table::<Counter>("upd_operands_numbers").await;
    let f = Counter::fields();
    db.put(&Counter {
        id: "c1".into(),
        visits: None,
        score: 10,
        tags: HashSet::new(),
        expires: Some(1_800_000_000),
    })
    .await
    .unwrap();
    let (by_two, by_three): (u8, i32) = (2, 3);
    db.update::<Counter>("c1")
        // A u8 into an absent u64 attribute: starts from 0.
        .increment(&f.visits, by_two)
        // An i32 amount on an i64 field, the other way.
        .decrement(&f.score, by_three)
        // A TTL stored as epoch seconds, extended by an hour through its storage.
        .add(&f.expires, 3_600i16)
        .await
        .unwrap();
    let raw = raw_item::<Counter>(&db, &"c1".to_string()).await.unwrap();
    assert_eq!(raw.get("visits"), Some(&n("2")));
    assert_eq!(raw.get("score"), Some(&n("7")));
    assert_eq!(raw.get("expires"), Some(&n("1800003600")));

    db.update::<Counter>("c1")
        .increment(&f.expires, 60u32)
        .add(&f.visits, 5u16)
        .await
        .unwrap();
    let raw = raw_item::<Counter>(&db, &"c1".to_string()).await.unwrap();
    assert_eq!(raw.get("visits"), Some(&n("7")));
    assert_eq!(raw.get("expires"), Some(&n("1800003660")));
    let read = db.get::<Counter>("c1").await.unwrap().unwrap();
    assert_eq!((read.visits, read.score), (Some(7), 7));
}

#[tokio::test]
async fn set_updates_take_arrays_and_apply_the_fields_transform() {
    let db = db_with_table::<Counter>("upd_operands_sets").await;
    let f = Counter::fields();
    db.put(&Counter {
        id: "c1".into(),
        visits: None,
        score: 0,
        tags: HashSet::from(["old".to_string()]),
        expires: None,
    })
    .await
    .unwrap();
    // An array of elements converts into the set; the transform lowercases them.
    db.update::<Counter>("c1")
        .add(&f.tags, ["Rust".to_string(), "DYNAMO".to_string()])
        .await
        .unwrap();
    let raw = raw_item::<Counter>(&db, &"c1".to_string()).await.unwrap();
    assert_eq!(string_set(&raw, "tags"), ["dynamo", "old", "rust"]);

    // Deleting "RUST" removes the "rust" the add stored.
    db.update::<Counter>("c1")
        .delete(&f.tags, ["RUST".to_string(), "Old".to_string()])
        .await
        .unwrap();
    let raw = raw_item::<Counter>(&db, &"c1".to_string()).await.unwrap();
    assert_eq!(string_set(&raw, "tags"), ["dynamo"]);

    // An empty set adds and deletes nothing (DynamoDB refuses empty sets).
    db.update::<Counter>("c1")
        .add(&f.tags, HashSet::new())
        .delete(
            &f.tags,
            Vec::<String>::new().into_iter().collect::<HashSet<_>>(),
        )
        .increment(&f.score, 1u8)
        .await
        .unwrap();
    let read = db.get::<Counter>("c1").await.unwrap().unwrap();
    assert_eq!(read.tags, HashSet::from(["dynamo".to_string()]));
    assert_eq!(read.score, 1);
}
