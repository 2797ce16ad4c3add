//! Batches fed by an iterator or a stream (`Db::batch_put_iter` and
//! friends), the unconditional update and transactions built from lists,
//! against DynamoDB Local.

use std::collections::BTreeSet;

use dynamodel::{Error, Model};
use dynamodel_tests::{db_with_table, raw_item};

use crate::batch::{stored_ids, user, User};

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "checked_users")]
pub struct Checked {
    #[dynamodel(hash_key)]
    pub id: String,
    #[dynamodel(length(max = 10))]
    pub name: String,
}

fn ids(range: std::ops::Range<usize>) -> BTreeSet<String> {
    range.map(|i| user(i).id).collect()
}

#[tokio::test]
async fn a_batch_from_an_iterator_writes_every_item_produced() {
    let db = db_with_table::<User>("stream_iter").await;
    // Owned items made one at a time: nothing holds them all.
    let output = db
        .batch_put_iter::<User, _>((0..260).map(user))
        .concurrency(3)
        .await
        .unwrap();
    assert_eq!(output.written, 260);
    assert_eq!(output.stats.requests, 11, "260 writes in requests of 25");
    assert_eq!(stored_ids(&db).await, ids(0..260));

    // Borrowed items, and deletes from an iterator of keys.
    let more: Vec<User> = (260..300).map(user).collect();
    db.batch_put_iter::<User, _>(&more).await.unwrap();
    assert_eq!(stored_ids(&db).await, ids(0..300));
    let deleted = db
        .batch_delete_iter::<User, _>((0..150).map(|i| user(i).id))
        .await
        .unwrap();
    assert_eq!(deleted.written, 150);
    assert_eq!(stored_ids(&db).await, ids(150..300));
}

#[tokio::test]
async fn a_batch_from_a_stream_writes_every_item_awaited() {
    let db = db_with_table::<User>("stream_stream").await;
    let items = futures::stream::iter(0..60).then(|i| async move {
        tokio::task::yield_now().await;
        user(i)
    });
    let output = db.batch_put_stream::<User, _>(items).await.unwrap();
    assert_eq!(output.written, 60);
    assert_eq!(stored_ids(&db).await, ids(0..60));
    let keys = futures::stream::iter((0..60).map(|i| user(i).id));
    db.batch_delete_stream::<User, _>(keys).await.unwrap();
    assert!(stored_ids(&db).await.is_empty());
}

use futures::StreamExt;

#[tokio::test]
async fn an_invalid_item_stops_the_input_and_says_exactly_what_was_not_written() {
    let db = db_with_table::<Checked>("stream_invalid").await;
    let item = |i: usize| Checked {
        id: format!("c{i:03}"),
        // Item 40 breaks `length(max = 10)`.
        name: if i == 40 {
            "far too long a name".into()
        } else {
            format!("n{i}")
        },
    };
    let produced = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = produced.clone();
    let items = (0..100).map(move |i| {
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        item(i)
    });
    let err = db
        .batch_put_iter::<Checked, _>(items)
        .concurrency(1)
        .await
        .unwrap_err();
    let Error::BatchIncomplete(incomplete) = &err else {
        panic!("expected BatchIncomplete, got {err:?}");
    };
    assert_eq!(incomplete.stopped_at(), Some(40));
    assert_eq!(
        incomplete.total(),
        41,
        "items read, the invalid one included"
    );
    assert_eq!(
        incomplete.succeeded(),
        40,
        "every item before it was written"
    );
    assert!(incomplete.unprocessed_writes().is_empty());
    match std::error::Error::source(&err) {
        Some(source) => {
            let source = source.downcast_ref::<Error>().expect("a dynamodel error");
            assert!(
                matches!(source, Error::Item { index: 40, .. }),
                "the cause names the item: {source:?}"
            );
        }
        None => panic!("the cause is missing"),
    }
    assert!(err.to_string().contains("stopped at write #40"), "{err}");
    assert!(
        !err.to_string().contains("far too long"),
        "no value in messages"
    );
    assert!(
        produced.load(std::sync::atomic::Ordering::Relaxed) <= 41,
        "nothing is read after the invalid item"
    );
    for i in 0..40 {
        let key = format!("c{i:03}");
        assert!(
            raw_item::<Checked>(&db, &key).await.is_some(),
            "item {i} written"
        );
    }
    assert!(raw_item::<Checked>(&db, &"c040".to_string())
        .await
        .is_none());
    assert!(raw_item::<Checked>(&db, &"c041".to_string())
        .await
        .is_none());
}

#[tokio::test]
async fn a_key_repeated_within_a_request_stops_the_stream() {
    let db = db_with_table::<User>("stream_duplicate").await;
    // Item 30 repeats the key of item 27: both would be in the second request.
    let items = (0..60).map(|i| if i == 30 { user(27) } else { user(i) });
    let err = db
        .batch_put_iter::<User, _>(items)
        .concurrency(1)
        .await
        .unwrap_err();
    let incomplete = err.batch_incomplete().expect("BatchIncomplete");
    assert_eq!(incomplete.stopped_at(), Some(30));
    assert_eq!(incomplete.succeeded(), 30);
    assert_eq!(stored_ids(&db).await, ids(0..30));
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "plain_counters")]
pub struct Counter {
    #[dynamodel(hash_key)]
    pub id: String,
    pub hits: u64,
    pub label: Option<String>,
}

#[tokio::test]
async fn an_unconditional_update_is_a_plain_update_item() {
    let db = db_with_table::<Counter>("unconditional").await;
    let fields = Counter::fields();
    let request = db
        .update::<Counter>("c1")
        .increment(&fields.hits, 1u64)
        .unconditional()
        .to_request()
        .unwrap();
    assert_eq!(request.condition_expression(), None, "no existence check");
    assert_eq!(
        request.update_expression(),
        Some("SET #n0 = if_not_exists(#n0, :v0) + :v1"),
        "no upsert writes"
    );

    // On a missing item it writes like the SDK's UpdateItem: key plus attributes.
    db.update::<Counter>("c1")
        .increment(&fields.hits, 2u64)
        .unconditional()
        .await
        .unwrap();
    let stored = db.get::<Counter>("c1").consistent().await.unwrap();
    assert_eq!(
        stored,
        Some(Counter {
            id: "c1".into(),
            hits: 2,
            label: None
        })
    );
    // A plain update of the same missing item would have failed.
    assert!(db
        .update::<Counter>("c2")
        .increment(&fields.hits, 1u64)
        .await
        .unwrap_err()
        .is_not_found());
    // Its own conditions still apply.
    let refused = db
        .update::<Counter>("c1")
        .set(&fields.label, "x")
        .condition(fields.hits.gt(5u64))
        .unconditional()
        .await
        .unwrap_err();
    assert!(refused.is_conditional_check_failed(), "{refused:?}");
}

#[tokio::test]
async fn a_transaction_takes_many_actions_at_once() {
    let db = db_with_table::<User>("tx_all").await;
    let users: Vec<User> = (0..10).map(user).collect();
    db.transact_write()
        .create_all(users.iter().map(|u| db.create(u)))
        .await
        .unwrap();
    assert_eq!(stored_ids(&db).await, ids(0..10));

    let renamed: Vec<User> = users
        .iter()
        .map(|u| User {
            name: "renamed".into(),
            ..u.clone()
        })
        .collect();
    let fields = User::fields();
    db.transact_write()
        .put_all(renamed[..5].iter().map(|u| db.put(u)))
        .update_all((5..8).map(|i| db.update::<User>(user(i).id).set(&fields.score, 1.5)))
        .delete_all((8..10).map(|i| db.delete::<User>(user(i).id)))
        .await
        .unwrap();
    assert_eq!(stored_ids(&db).await, ids(0..8));
    let first = db
        .get::<User>(user(0).id)
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.name, "renamed");
    let sixth = db
        .get::<User>(user(5).id)
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sixth.score, 1.5);

    // A create of an existing item cancels all of them.
    let err = db
        .transact_write()
        .create_all([user(0), user(20)].iter().map(|u| db.create(u)))
        .await
        .unwrap_err();
    assert!(err.is_transaction_canceled(), "{err:?}");
    assert_eq!(stored_ids(&db).await, ids(0..8));
}
