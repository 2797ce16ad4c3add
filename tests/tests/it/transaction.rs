//! Write and read transactions against DynamoDB Local: every action and
//! every cancellation reason DynamoDB Local produces.

use dynamodel::limits::MAX_TRANSACTION_ACTIONS;
use dynamodel::ops::CancellationCode;
use dynamodel::{Error, Model};
use dynamodel_tests::{db_with_table, raw_item};

use crate::batch::{user, Order, User};

async fn two_tables(test: &str) -> dynamodel::Db {
    let db = db_with_table::<User>(test).await;
    db.create_table::<Order>().await.unwrap();
    db
}

fn order(number: u64) -> Order {
    Order {
        customer: "u00001".into(),
        number,
        total: 10 * number as i64,
    }
}

#[tokio::test]
async fn create_put_delete_and_condition_check_over_two_models() {
    let db = two_tables("tx_all_actions").await;
    db.batch_put(&[user(1), user(2)]).await.unwrap();
    db.transact_write()
        .create(db.create(&user(3)))
        .put(db.put(&order(1)))
        .delete(db.delete::<User>("u00001"))
        .condition_check::<User>("u00002", User::fields().name.eq("user 2"))
        .put(db.put(&user(4)).condition(User::fields().id.not_exists()))
        .await
        .unwrap();
    assert!(raw_item::<User>(&db, &"u00001".into()).await.is_none());
    assert_eq!(
        db.get::<User>("u00003").consistent().await.unwrap(),
        Some(user(3))
    );
    assert_eq!(
        db.get::<User>("u00004").consistent().await.unwrap(),
        Some(user(4))
    );
    assert_eq!(
        db.get::<Order>(("u00001".to_string(), 1u64))
            .consistent()
            .await
            .unwrap(),
        Some(order(1))
    );
    assert_eq!(
        db.get::<User>("u00002").consistent().await.unwrap(),
        Some(user(2)),
        "a condition check writes nothing"
    );

    // A conditional delete whose condition holds.
    db.transact_write()
        .delete(
            db.delete::<User>("u00004")
                .condition(User::fields().name.eq("user 4")),
        )
        .await
        .unwrap();
    assert!(raw_item::<User>(&db, &"u00004".into()).await.is_none());
}

#[tokio::test]
async fn cancellation_gives_one_reason_per_action_with_the_stored_item() {
    let db = two_tables("tx_cancel").await;
    db.batch_put(&[user(1), user(2)]).await.unwrap();
    let err = db
        .transact_write()
        .put(db.put(&order(1)))
        .create(db.create(&user(1)))
        .condition_check::<User>("u00002", User::fields().score.gt(100.0))
        .condition_check::<User>("nobody", User::fields().id.exists())
        .delete(
            db.delete::<User>("u00009")
                .condition(User::fields().id.exists()),
        )
        .await
        .unwrap_err();
    assert!(err.is_transaction_canceled());
    let reasons = err.cancellation_reasons().unwrap();
    assert_eq!(reasons.len(), 5);
    let summary: Vec<(usize, &str, &str, CancellationCode)> = reasons
        .iter()
        .map(|r| (r.index, r.model, r.action, r.code.clone()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (0, "Order", "put", CancellationCode::None),
            (
                1,
                "User",
                "create",
                CancellationCode::ConditionalCheckFailed
            ),
            (
                2,
                "User",
                "condition_check",
                CancellationCode::ConditionalCheckFailed
            ),
            (
                3,
                "User",
                "condition_check",
                CancellationCode::ConditionalCheckFailed
            ),
            (
                4,
                "User",
                "delete",
                CancellationCode::ConditionalCheckFailed
            ),
        ]
    );
    assert!(!reasons[0].is_failure());
    assert_eq!(reasons[1].item::<User>().unwrap().unwrap(), user(1));
    assert_eq!(reasons[2].item::<User>().unwrap().unwrap(), user(2));
    assert!(reasons[3].raw_item().is_none(), "no item under that key");
    assert!(
        reasons[1].item::<Order>().is_none(),
        "typed by the action's model"
    );
    assert!(reasons[1].table.ends_with("batch_users"));
    let message = err.to_string();
    assert!(message.contains("action #1 (create User"), "{message}");
    assert!(!message.contains("action #0"), "{message}");
    assert!(
        raw_item::<Order>(&db, &("u00001".to_string(), 1))
            .await
            .is_none(),
        "nothing of a cancelled transaction is applied"
    );
}

#[tokio::test]
async fn mistakes_are_reported_before_sending() {
    let db = two_tables("tx_mistakes").await;
    // Two actions on one item.
    let err = db
        .transact_write()
        .put(db.put(&order(1)))
        .put(db.put(&user(1)))
        .delete(db.delete::<User>("u00001"))
        .await
        .unwrap_err();
    match &err {
        Error::Item { index, source, .. } => {
            assert_eq!(*index, 2);
            assert!(
                source.to_string().contains("action #1 (put User)"),
                "{source}"
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    // An invalid item names its action and attribute.
    let mut bad = user(5);
    bad.score = f64::INFINITY;
    let err = db
        .transact_write()
        .put(db.put(&user(4)))
        .create(db.create(&bad))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Item { index: 1, source, .. }
            if matches!(&**source, Error::Encode { attribute, .. } if attribute == "score")),
        "{err:?}"
    );
    // Too many and too few actions.
    let users: Vec<_> = (0..=MAX_TRANSACTION_ACTIONS).map(user).collect();
    let err = users
        .iter()
        .fold(db.transact_write(), |tx, u| tx.put(db.put(u)))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("1 to 100 actions, got 101"),
        "{err}"
    );
    assert!(db.transact_write().await.is_err());
    assert!(raw_item::<User>(&db, &"u00000".into()).await.is_none());
    assert!(raw_item::<Order>(&db, &("u00001".to_string(), 1))
        .await
        .is_none());

    // Exactly 100 actions go through.
    users[..MAX_TRANSACTION_ACTIONS]
        .iter()
        .fold(db.transact_write(), |tx, u| tx.put(db.put(u)))
        .await
        .unwrap();
    assert!(raw_item::<User>(&db, &"u00099".into()).await.is_some());
}

#[tokio::test]
async fn a_client_request_token_makes_a_resend_harmless() {
    let db = two_tables("tx_token").await;
    db.put(&user(1)).await.unwrap();
    let bump = |db: &dynamodel::Db, score: f64| {
        db.transact_write()
            .put(
                db.put(&User {
                    score: score + 1.0,
                    ..user(1)
                })
                .condition(User::fields().score.eq(score)),
            )
            .client_request_token("bump-1")
    };
    bump(&db, 0.25).await.unwrap();
    // The same transaction and token again: success, not applied again (the
    // condition `score = 0.25` no longer holds, so a second application
    // would be cancelled).
    bump(&db, 0.25).await.unwrap();
    let stored = db
        .get::<User>("u00001")
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.score, 1.25);
    // The same token with other actions is refused by DynamoDB.
    let err = bump(&db, 1.25).await.unwrap_err();
    assert!(
        matches!(
            err.sdk_error(),
            Some(aws_sdk_dynamodb::Error::IdempotentParameterMismatchException(_))
        ),
        "{err:?}"
    );
    let err = db
        .transact_write()
        .put(db.put(&user(2)))
        .client_request_token("x".repeat(37))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("1 to 36 characters"), "{err}");
}

#[tokio::test]
async fn transact_get_reads_typed_items_of_several_models() {
    let db = two_tables("tx_get").await;
    db.batch_write()
        .put(&user(1))
        .put(&user(2))
        .put(&order(3))
        .await
        .unwrap();
    let read = db
        .transact_get()
        .get::<User>("u00002")
        .get::<Order>(("u00001".to_string(), 3u64))
        .get::<User>("nobody")
        .get::<User>("u00001")
        .await
        .unwrap();
    assert_eq!(read.items::<User>().unwrap(), vec![user(2), user(1)]);
    assert_eq!(read.items::<Order>().unwrap(), vec![order(3)]);
    assert_eq!(read.missing::<User>(), vec!["nobody".to_string()]);
    assert!(read.missing::<Order>().is_empty());

    let err = db
        .transact_get()
        .get::<User>("u00001")
        .get::<User>("u00001")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Item { index: 1, .. }), "{err:?}");
}

#[tokio::test]
async fn updates_join_transactions_and_keep_their_must_exist_condition() {
    let db = two_tables("tx_update").await;
    db.put(&user(1)).await.unwrap();
    let fields = User::fields();
    db.transact_write()
        .update(db.update::<User>("u00001").increment(&fields.score, 2.5))
        .put(db.put(&order(7)))
        .await
        .unwrap();
    let stored = db.get::<User>("u00001").consistent().await.unwrap();
    assert_eq!(stored.map(|u| u.score), Some(user(1).score + 2.5));

    // `update` of a missing item cancels the whole transaction.
    let err = db
        .transact_write()
        .put(db.put(&order(8)))
        .update(db.update::<User>("nobody").set(&fields.name, "x"))
        .await
        .unwrap_err();
    let reasons = err.cancellation_reasons().expect("a cancelled transaction");
    assert_eq!(reasons[1].action, "update");
    assert_eq!(reasons[1].code, CancellationCode::ConditionalCheckFailed);
    assert_eq!(reasons[0].code, CancellationCode::None);
    assert!(db
        .get::<Order>(("u00001".to_string(), 8u64))
        .consistent()
        .await
        .unwrap()
        .is_none());
}

/// Keyed like `User`, on a table of its own.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "tx_user_mirror")]
struct Mirror {
    #[dynamodel(hash_key)]
    id: String,
    note: String,
}

/// A second model on `User`'s table, keyed the same way.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "batch_users")]
struct UserAlias {
    #[dynamodel(hash_key)]
    id: String,
    name: String,
    score: f64,
}

#[tokio::test]
async fn one_action_per_item_means_one_per_key_and_table() {
    let db = db_with_table::<User>("tx_per_table").await;
    db.create_table::<Mirror>().await.unwrap();
    let mirror = |id: &str| Mirror {
        id: id.into(),
        note: "mirrored".into(),
    };
    // The same key on two tables is two items: both written.
    db.transact_write()
        .put(db.put(&user(7)))
        .put(db.put(&mirror("u00007")))
        .await
        .unwrap();
    assert!(raw_item::<User>(&db, &"u00007".into()).await.is_some());
    assert!(raw_item::<Mirror>(&db, &"u00007".into()).await.is_some());
    // The same key on one table through two models is one item: refused,
    // with an action on another table between them.
    let alias = UserAlias {
        id: "u00008".into(),
        name: "alias".into(),
        score: 1.0,
    };
    let err = db
        .transact_write()
        .delete(db.delete::<User>("u00008"))
        .put(db.put(&mirror("u00008")))
        .put(db.put(&alias))
        .await
        .unwrap_err();
    match &err {
        Error::Item { index, source, .. } => {
            assert_eq!(*index, 2);
            assert!(
                source.to_string().contains("action #0 (delete User)"),
                "{source}"
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(raw_item::<Mirror>(&db, &"u00008".into()).await.is_none());
}
