//! `db.batch_put(&items)` / `db.batch_delete(keys)` ([`SliceBatch`]): every
//! key checked before anything is sent, the items prepared chunk by chunk
//! (an item that fails stops the batch there), and `.prepare_all_first()`
//! for the old all-or-nothing check.
//!
//! [`SliceBatch`]: dynamodel::ops::SliceBatch

use dynamodel::ops::batch::DEFAULT_CONCURRENCY;
use dynamodel::{Db, Error, Model};
use dynamodel_tests::db_with_table;

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "slice_users")]
struct Member {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(length(min = 1, max = 20))]
    name: String,
}

fn member(i: usize) -> Member {
    Member {
        id: format!("m{i:04}"),
        name: format!("member {i}"),
    }
}

/// 200 members (8 requests of 25), the one at `bad` with a name over its
/// length limit.
fn members_with_invalid(bad: usize) -> Vec<Member> {
    let mut members: Vec<Member> = (0..200).map(member).collect();
    members[bad].name = "n".repeat(21);
    members
}

async fn stored_count(db: &Db) -> i32 {
    let mut count = 0;
    let mut start = None;
    loop {
        let page = db
            .client()
            .scan()
            .table_name(db.table_name::<Member>())
            .consistent_read(true)
            .set_exclusive_start_key(start)
            .send()
            .await
            .unwrap();
        count += page.count;
        start = page.last_evaluated_key().cloned();
        if start.is_none() {
            return count;
        }
    }
}

async fn stored(db: &Db, i: usize) -> bool {
    db.get::<Member>(format!("m{i:04}"))
        .consistent()
        .await
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn a_duplicate_key_late_in_a_slice_is_refused_before_any_write() {
    let db = db_with_table::<Member>("slice_dupes").await;
    let mut members: Vec<Member> = (0..200).map(member).collect();
    // Far from its first write: in another request of 25.
    members[190].id = members[3].id.clone();
    let err = db.batch_put(&members).concurrency(2).await.unwrap_err();
    match &err {
        Error::Item { index, source, .. } => {
            assert_eq!(*index, 190);
            assert!(source.to_string().contains("item #3"), "{source}");
        }
        other => panic!("expected the duplicate's item error, got {other:?}"),
    }
    assert_eq!(stored_count(&db).await, 0, "nothing was written");

    // Deletes as well, before any is sent.
    db.batch_put(&members[..10]).await.unwrap();
    let keys = ["m0001", "m0002", "m0001"];
    let err = db.batch_delete::<Member>(keys).await.unwrap_err();
    assert!(matches!(err, Error::Item { index: 2, .. }), "{err:?}");
    assert_eq!(stored_count(&db).await, 10, "nothing was deleted");
}

#[tokio::test]
async fn an_empty_key_late_in_a_slice_is_refused_before_any_write() {
    let db = db_with_table::<Member>("slice_empty_key").await;
    let mut members: Vec<Member> = (0..200).map(member).collect();
    members[170].id = String::new();
    let err = db.batch_put(&members).await.unwrap_err();
    let Error::Item { index, source, .. } = &err else {
        panic!("expected the item error, got {err:?}");
    };
    assert_eq!(*index, 170);
    assert!(
        source.to_string().contains("partition key cannot be empty"),
        "{source}"
    );
    assert_eq!(stored_count(&db).await, 0, "nothing was written");
}

#[tokio::test]
async fn an_invalid_item_late_in_a_slice_stops_the_batch_at_it() {
    let db = db_with_table::<Member>("slice_invalid").await;
    let members = members_with_invalid(130);
    let err = db.batch_put(&members).concurrency(2).await.unwrap_err();
    let incomplete = err
        .batch_incomplete()
        .unwrap_or_else(|| panic!("expected an incomplete batch, got {err:?}"));
    assert_eq!(incomplete.stopped_at(), Some(130));
    assert_eq!(incomplete.total(), 200);
    assert_eq!(incomplete.succeeded(), 130);
    assert!(incomplete.unprocessed_writes().is_empty());
    match incomplete.cause() {
        Some(Error::Item {
            index: 130, source, ..
        }) => {
            assert!(source.is_validation(), "{source:?}");
        }
        other => panic!("expected the item's error as the cause, got {other:?}"),
    }
    assert!(err.to_string().contains("70 of 200"), "{err}");
    // Every item before it was written (those of its own request too),
    // none from it on.
    assert_eq!(stored_count(&db).await, 130);
    assert!(stored(&db, 129).await);
    assert!(!stored(&db, 130).await && !stored(&db, 131).await);
    assert!(!stored(&db, 199).await);
}

#[tokio::test]
async fn prepare_all_first_refuses_the_invalid_item_with_nothing_written() {
    let db = db_with_table::<Member>("slice_all_first").await;
    let members = members_with_invalid(130);
    let err = db
        .batch_put(&members)
        .prepare_all_first()
        .concurrency(2)
        .await
        .unwrap_err();
    match &err {
        Error::Item { index, source, .. } => {
            assert_eq!(*index, 130);
            assert!(source.is_validation(), "{source:?}");
        }
        other => panic!("expected the item error, got {other:?}"),
    }
    assert_eq!(stored_count(&db).await, 0, "nothing was written");
}

#[tokio::test]
async fn a_stopped_slice_batch_resumes_with_its_progress() {
    use dynamodel::ops::BatchProgress;
    let db = db_with_table::<Member>("slice_resume").await;
    let mut members = members_with_invalid(60);
    let progress = BatchProgress::new();
    let err = db
        .batch_put(&members)
        .progress(&progress)
        .await
        .unwrap_err();
    assert_eq!(
        err.batch_incomplete().and_then(|i| i.stopped_at()),
        Some(60)
    );
    assert_eq!(progress.done(), (0..60).collect::<Vec<_>>());
    // The item corrected, the same batch sends only what is not done.
    members[60].name = "fixed".into();
    let output = db.batch_put(&members).progress(&progress).await.unwrap();
    assert_eq!((output.written, output.already_done), (200, 60));
    assert_eq!(output.stats.requests, 6, "140 writes in requests of 25");
    assert!(progress.is_complete());
    assert_eq!(stored_count(&db).await, 200);
}

/// The index and whether the cause is a validation error, of a batch refused
/// with nothing written.
fn refused_at(err: &Error) -> (usize, bool) {
    match err {
        Error::Item { index, source, .. } => (*index, source.is_validation()),
        other => panic!("expected an item error, got {other:?}"),
    }
}

/// Where a slice batch of `members` is refused, sent chunk by chunk (with
/// `concurrency`) and with `.prepare_all_first()`, which must agree.
async fn refused_both_ways(db: &Db, members: &[Member], concurrency: usize) -> (usize, bool) {
    let chunked = db
        .batch_put(members)
        .concurrency(concurrency)
        .await
        .unwrap_err();
    let all_first = db.batch_put(members).prepare_all_first().await.unwrap_err();
    assert_eq!(refused_at(&chunked), refused_at(&all_first), "{chunked:?}");
    refused_at(&chunked)
}

#[tokio::test]
async fn a_key_error_and_an_invalid_item_report_the_lowest_index_as_prepare_all_first() {
    let db = db_with_table::<Member>("slice_precedence").await;
    // The invalid item first, the duplicate key later.
    let mut members = members_with_invalid(40);
    members[150].id = members[2].id.clone();
    assert_eq!(refused_both_ways(&db, &members, 2).await, (40, true));
    assert_eq!(stored_count(&db).await, 0, "nothing was written");

    // The duplicate key first, the invalid item later: the key's error.
    let mut members = members_with_invalid(150);
    members[40].id = members[2].id.clone();
    assert_eq!(
        refused_both_ways(&db, &members, DEFAULT_CONCURRENCY).await,
        (40, false)
    );

    // One item both invalid and an empty key: its pipeline's error.
    let mut members = members_with_invalid(70);
    members[70].id = String::new();
    assert_eq!(
        refused_both_ways(&db, &members, DEFAULT_CONCURRENCY).await,
        (70, true)
    );
    assert_eq!(stored_count(&db).await, 0, "nothing was written");
}

#[tokio::test]
async fn a_slice_batch_tells_its_number_of_writes() {
    let db = db_with_table::<Member>("slice_len").await;
    let members: Vec<Member> = (0..30).map(member).collect();
    let batch = db.batch_put(&members);
    assert_eq!(batch.len(), 30);
    assert!(!batch.is_empty());
    assert_eq!(batch.await.unwrap().written, 30);

    let keys = ["m0001", "m0002", "m0003"];
    let deletes = db.batch_delete::<Member>(keys);
    assert_eq!(deletes.len(), 3);
    assert!(!deletes.is_empty());
    deletes.await.unwrap();
    assert_eq!(stored_count(&db).await, 27);

    let none: Vec<Member> = Vec::new();
    let empty = db.batch_put(&none);
    assert_eq!(empty.len(), 0);
    assert!(empty.is_empty());
    assert_eq!(empty.await.unwrap().written, 0);
    let filtered = db.batch_put(members.iter().filter(|m| m.id.ends_with('7')));
    assert_eq!(filtered.len(), 3);
}
