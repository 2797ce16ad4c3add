//! `Update::apply_once`: an update applied at most once per event, the
//! stored marker telling a redelivery from a new event, and other
//! condition failures left as errors.

use dynamodel::ops::Applied;
use dynamodel::stream::SequenceNumber;
use dynamodel::{Error, Model};
use dynamodel_tests::db_with_table;

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "apply_once")]
struct Totals {
    #[dynamodel(hash_key)]
    customer: String,
    payments: i64,
    last_event: Option<u64>,
    last_sequence: Option<String>,
    frozen: Option<bool>,
}

async fn payments(db: &dynamodel::Db, customer: &str) -> Option<i64> {
    db.get::<Totals>(customer)
        .consistent()
        .await
        .unwrap()
        .map(|totals| totals.payments)
}

#[tokio::test]
async fn an_event_applies_once_and_older_events_change_nothing() {
    let db = db_with_table::<Totals>("apply_once_numbers").await;
    let f = Totals::fields();
    let pay = |event: u64| {
        db.upsert::<Totals>("c1")
            .increment(&f.payments, 1)
            .apply_once(&f.last_event, event)
    };
    assert_eq!(pay(5).await.unwrap(), Applied::Now(()));
    assert_eq!(payments(&db, "c1").await, Some(1));
    // Redelivered: nothing written, and not an error.
    assert_eq!(pay(5).await.unwrap(), Applied::Before);
    // An older event, after a newer one was applied.
    assert_eq!(pay(3).await.unwrap(), Applied::Before);
    assert_eq!(payments(&db, "c1").await, Some(1));
    // Numbers compare by value: 10 is after 9, though "10" < "9" as text.
    assert_eq!(pay(9).await.unwrap(), Applied::Now(()));
    assert_eq!(pay(10).await.unwrap(), Applied::Now(()));
    assert_eq!(payments(&db, "c1").await, Some(3));
    let stored = db.get::<Totals>("c1").consistent().await.unwrap().unwrap();
    assert_eq!(stored.last_event, Some(10));
}

#[tokio::test]
async fn sequence_numbers_of_different_lengths_order_as_numbers() {
    let db = db_with_table::<Totals>("apply_once_sequences").await;
    let f = Totals::fields();
    let pay = |digits: &str| {
        db.upsert::<Totals>("c1")
            .increment(&f.payments, 1)
            .apply_once(&f.last_sequence, SequenceNumber::new(digits).unwrap())
    };
    assert!(pay("999").await.unwrap().is_now());
    // Unpadded, "1000" < "999": padded, it is the later record.
    assert!(pay("1000").await.unwrap().is_now());
    assert_eq!(pay("999").await.unwrap(), Applied::Before);
    assert_eq!(payments(&db, "c1").await, Some(2));
}

#[tokio::test]
async fn another_failed_condition_is_an_error_not_a_redelivery() {
    let db = db_with_table::<Totals>("apply_once_conditions").await;
    let f = Totals::fields();
    db.upsert::<Totals>("c1")
        .increment(&f.payments, 1)
        .set(&f.frozen, true)
        .await
        .unwrap();
    // The marker is absent (the event is new), the caller's own
    // condition fails: that error, not `Before`.
    let refused = db
        .upsert::<Totals>("c1")
        .increment(&f.payments, 1)
        .condition(f.frozen.ne(true))
        .apply_once(&f.last_event, 1u64)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, Error::ConditionFailed { .. }),
        "{refused:?}"
    );
    // With a marker stored below the event's: still that error.
    db.upsert::<Totals>("c2")
        .increment(&f.payments, 1)
        .apply_once(&f.last_event, 1u64)
        .await
        .unwrap();
    db.update::<Totals>("c2")
        .set(&f.frozen, true)
        .await
        .unwrap();
    let refused = db
        .upsert::<Totals>("c2")
        .increment(&f.payments, 1)
        .condition(f.frozen.ne(true))
        .apply_once(&f.last_event, 2u64)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, Error::ConditionFailed { .. }),
        "{refused:?}"
    );
    assert_eq!(payments(&db, "c2").await, Some(1));
    // `update` of a missing item: not found, not `Before`.
    let missing = db
        .update::<Totals>("nobody")
        .increment(&f.payments, 1)
        .apply_once(&f.last_event, 1u64)
        .await
        .unwrap_err();
    assert!(matches!(missing, Error::NotFound { .. }), "{missing:?}");
    assert_eq!(payments(&db, "c1").await, Some(1));
    assert_eq!(payments(&db, "nobody").await, None);
}

#[tokio::test]
async fn an_applied_update_returns_what_it_asked_for() {
    let db = db_with_table::<Totals>("apply_once_returns").await;
    let f = Totals::fields();
    let applied = db
        .upsert::<Totals>("c1")
        .increment(&f.payments, 2)
        .return_all_new()
        .apply_once(&f.last_event, 1u64)
        .await
        .unwrap();
    let new = applied.now().expect("applied now");
    assert_eq!((new.payments, new.last_event), (2, Some(1)));
    let again = db
        .upsert::<Totals>("c1")
        .increment(&f.payments, 2)
        .return_all_new()
        .apply_once(&f.last_event, 1u64)
        .await
        .unwrap();
    assert_eq!(again, Applied::Before);
}
