//! A batch write cancelled (its future dropped) at several points: its
//! progress handle tells exactly what was written, and resuming with it
//! writes the rest.

use std::collections::BTreeSet;
use std::time::Duration;

use dynamodel::ops::BatchProgress;
use dynamodel::{Error, Model};
use dynamodel_tests::{db_with_table, raw::scan_all};

use crate::batch::{stored_ids, user, User};

const N: usize = 5_000;

/// How the batch is cancelled.
#[derive(Debug, Clone, Copy)]
enum Cancel {
    /// `tokio::time::timeout` of this many milliseconds.
    After(u64),
    /// As soon as the handle records this many writes done.
    WhenDone(usize),
}

async fn cancelled_then_resumed(test: &str, cancel: Cancel) {
    let db = db_with_table::<User>(test).await;
    let users: Vec<User> = (0..N).map(user).collect();
    let progress = BatchProgress::new();
    let batch = db.batch_put(&users).concurrency(4).progress(&progress);
    let finished = match cancel {
        Cancel::After(ms) => tokio::time::timeout(Duration::from_millis(ms), batch)
            .await
            .is_ok(),
        Cancel::WhenDone(count) => {
            let watch = async {
                while progress.done_count() < count {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            };
            tokio::select! {
                biased;
                () = watch => false,
                _ = batch => true,
            }
        }
    };
    // The batch future is dropped: the handle is all that is left of it.
    let done: BTreeSet<String> = progress.done().iter().map(|&i| user(i).id).collect();
    let in_flight: BTreeSet<String> = progress.in_flight().iter().map(|&i| user(i).id).collect();
    let stored = stored_ids(&db).await;
    assert_eq!(progress.total(), N);
    assert!(
        done.is_subset(&stored),
        "{cancel:?}: {} writes recorded done are not stored",
        done.difference(&stored).count()
    );
    let maybe: BTreeSet<String> = done.union(&in_flight).cloned().collect();
    assert!(
        stored.is_subset(&maybe),
        "{cancel:?}: {} stored writes are neither done nor in flight",
        stored.difference(&maybe).count()
    );
    assert!(done.is_disjoint(&in_flight));
    println!(
        "{cancel:?}: finished {finished}, done {}, in flight {}, stored {}",
        done.len(),
        in_flight.len(),
        stored.len()
    );

    // Resume: the same batch with the same handle sends only what is not done.
    let not_done = N - done.len();
    let out = db
        .batch_put(&users)
        .progress(&progress)
        .await
        .expect("the rest written");
    assert_eq!(out.written, N);
    assert_eq!(
        out.already_done,
        done.len(),
        "done writes are not sent again"
    );
    assert_eq!(
        out.stats.requests,
        not_done.div_ceil(25) as u64,
        "only the writes not done are sent, 25 a request"
    );
    assert!(progress.is_complete());
    assert_eq!(progress.in_flight(), Vec::<usize>::new());

    let items = scan_all(db.client(), &db.table_name::<User>()).await;
    assert_eq!(items.len(), N, "every item stored once");
    let expected: BTreeSet<String> = users.iter().map(|u| u.id.clone()).collect();
    assert_eq!(stored_ids(&db).await, expected);
    for item in items {
        let id = item["id"].as_s().unwrap();
        let index: usize = id[1..].parse().unwrap();
        assert_eq!(item, user(index).to_item().unwrap(), "{id} unchanged");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_cancelled_at_once_reports_and_resumes() {
    cancelled_then_resumed("progress_at_once", Cancel::After(0)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_cancelled_by_short_timeouts_reports_and_resumes() {
    cancelled_then_resumed("progress_50ms", Cancel::After(50)).await;
    cancelled_then_resumed("progress_300ms", Cancel::After(300)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_cancelled_halfway_reports_and_resumes() {
    cancelled_then_resumed("progress_half", Cancel::WhenDone(N / 2)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handle_of_another_batch_is_refused_before_sending() {
    let db = db_with_table::<User>("progress_mismatch").await;
    let users: Vec<User> = (0..30).map(user).collect();
    let progress = BatchProgress::new();
    db.batch_put(&users).progress(&progress).await.unwrap();
    let err = db
        .batch_put(&users[..10])
        .progress(&progress)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest { model: "User", message } if message.contains("30 writes")),
        "{err}"
    );
    // A completed handle sends nothing again.
    let out = db.batch_put(&users).progress(&progress).await.unwrap();
    assert_eq!((out.already_done, out.stats.requests), (30, 0));
}
