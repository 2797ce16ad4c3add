//! Hooks in the batches prepared request by request, streamed
//! (`Db::batch_put_iter` and friends) and slice (`Db::batch_put`,
//! `Db::batch_delete`), on DynamoDB Local: `before_*` before the write's
//! request is sent, `after_*` once per write DynamoDB carried out (never
//! for a write left unprocessed), with the hooks of a request kept no
//! longer than the request. A slice batch asked to `prepare_all_first`
//! runs every `before_*` hook before the first request instead.
//!
//! The hooks record into one log shared by the tests of this file; each test
//! reads only the entries of its own ids (the tests run in parallel).

use std::collections::BTreeSet;

use dynamodel::error::BatchIncomplete;
use dynamodel::ops::RetryPolicy;
use dynamodel::pipeline::WriteKind;
use dynamodel::settings::{BoxError, Hooks};
use dynamodel::{Error, Model};
use dynamodel_tests::event_log::EventLog;
use dynamodel_tests::fault::FaultConfig;
use dynamodel_tests::{db_through_proxy, db_with_table, fault_proxy, raw_item};

/// `(item id, event)` in the order the events happened.
static LOG: EventLog = EventLog::new();

fn record(id: &str, event: &str) {
    LOG.record(id, event);
}

/// The events recorded for the ids starting with `prefix`, as `"id event"`.
fn events(prefix: &str) -> Vec<String> {
    LOG.events(prefix)
}

/// The ids of the `event` entries among those of `prefix`, each as often as
/// it was recorded.
fn ids_of(prefix: &str, event: &str) -> Vec<String> {
    let suffix = format!(" {event}");
    events(prefix)
        .iter()
        .filter_map(|e| e.strip_suffix(&suffix).map(str::to_owned))
        .collect()
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "stream_hooks", hooks)]
struct Tracked {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(default = 7)]
    count: Option<i64>,
}

/// Whether the id asks hook `hook` to fail.
fn fails(id: &str, hook: &str) -> Result<(), BoxError> {
    if id.contains(&format!("fail-{hook}")) {
        return Err(format!("{hook} refused").into());
    }
    Ok(())
}

#[dynamodel::async_trait]
impl Hooks for Tracked {
    fn before_save(&mut self, _kind: WriteKind) -> Result<(), BoxError> {
        record(&self.id, "before_save");
        fails(&self.id, "before_save")
    }

    async fn after_save(&self, kind: WriteKind) -> Result<(), BoxError> {
        tokio::task::yield_now().await;
        // The item as written: the default filled in.
        assert_eq!((kind, self.count), (WriteKind::Put, Some(7)));
        record(&self.id, "after_save");
        fails(&self.id, "after_save")
    }

    async fn before_delete(key: &String) -> Result<(), BoxError> {
        tokio::task::yield_now().await;
        record(key, "before_delete");
        fails(key, "before_delete")
    }

    async fn after_delete(key: &String, deleted: Option<&Self>) -> Result<(), BoxError> {
        tokio::task::yield_now().await;
        assert!(deleted.is_none(), "BatchWriteItem returns no item");
        record(key, "after_delete");
        fails(key, "after_delete")
    }
}

fn id(prefix: &str, i: usize) -> String {
    format!("{prefix}{i:03}")
}

fn tracked(id: String) -> Tracked {
    Tracked { id, count: None }
}

fn ids(prefix: &str, range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| id(prefix, i)).collect()
}

/// The id of item `i` of the test with ids `prefix`: the items at `failing`
/// ask hook `hook` to fail.
fn failing_key(
    prefix: &'static str,
    hook: &'static str,
    failing: &'static [usize],
) -> impl Fn(usize) -> String + Copy + Send + Sync + 'static {
    move |i| {
        if failing.contains(&i) {
            format!("{}-fail-{hook}", id(prefix, i))
        } else {
            id(prefix, i)
        }
    }
}

/// In `log`, the `after_save` of each of the first 100 items ran before
/// `later_event` of the first item two requests (of 25) after its own.
fn assert_after_save_before_two_requests_later(log: &[String], prefix: &str, later_event: &str) {
    let position = |i: usize, event: &str| {
        log.iter()
            .position(|e| *e == format!("{} {event}", id(prefix, i)))
            .unwrap()
    };
    for i in 0..100 {
        let two_requests_later = (i / 25 + 2) * 25;
        assert!(
            position(i, "after_save") < position(two_requests_later, later_event),
            "item {i}"
        );
    }
}

/// `err` stopped the batch at item `n` after the `n` items before it were
/// written, and hook `after_hook` ran once for each of those (ids `prefix`
/// 0..n) and for no other item. Returns the error's `BatchIncomplete` for the
/// caller's further assertions.
#[track_caller]
fn assert_stopped_at<'e>(
    err: &'e Error,
    n: usize,
    prefix: &str,
    after_hook: &str,
) -> &'e BatchIncomplete {
    let incomplete = err.batch_incomplete().expect("BatchIncomplete");
    assert_eq!(incomplete.stopped_at(), Some(n), "stopped at the item");
    assert_eq!(incomplete.succeeded(), n, "every item before it written");
    let mut after = ids_of(prefix, after_hook);
    after.sort();
    assert_eq!(
        after,
        ids(prefix, 0..n),
        "{after_hook} only for the written"
    );
    incomplete
}

async fn is_stored(db: &dynamodel::Db, id: &str) -> bool {
    raw_item::<Tracked>(db, &id.to_owned()).await.is_some()
}

#[tokio::test]
async fn a_streamed_put_runs_after_save_once_per_item_written() {
    let db = db_with_table::<Tracked>("stream_hooks_put").await;
    let prefix = "shp-";
    let output = db
        .batch_put_iter::<Tracked, _>((0..60).map(|i| tracked(id(prefix, i))))
        .concurrency(2)
        .await
        .unwrap();
    assert_eq!(output.written, 60);
    assert_eq!(output.stats.requests, 3, "several requests");
    let mut saved = ids_of(prefix, "after_save");
    saved.sort();
    assert_eq!(saved, ids(prefix, 0..60), "once per item, every item");
    for i in [0, 30, 59] {
        assert!(is_stored(&db, &id(prefix, i)).await);
    }
    // Each item's after_save came after its before_save.
    let log = events(prefix);
    for i in 0..60 {
        let position = |event: &str| {
            log.iter()
                .position(|e| *e == format!("{} {event}", id(prefix, i)))
        };
        assert!(position("before_save") < position("after_save"), "{i}");
    }
}

#[tokio::test]
async fn a_streamed_delete_runs_before_and_after_delete_per_key() {
    let db = db_with_table::<Tracked>("stream_hooks_delete").await;
    let prefix = "shd-";
    let items: Vec<Tracked> = ids(prefix, 0..60).into_iter().map(tracked).collect();
    db.batch_put(&items).await.unwrap();
    let output = db
        .batch_delete_stream::<Tracked, _>(futures::stream::iter(ids(prefix, 0..60)))
        .concurrency(2)
        .await
        .unwrap();
    assert_eq!(output.written, 60);
    let mut before = ids_of(prefix, "before_delete");
    let mut after = ids_of(prefix, "after_delete");
    before.sort();
    after.sort();
    assert_eq!(before, ids(prefix, 0..60));
    assert_eq!(after, ids(prefix, 0..60));
    let log = events(prefix);
    for key in ids(prefix, 0..60) {
        let position = |event: &str| log.iter().position(|e| *e == format!("{key} {event}"));
        assert!(
            position("before_delete") < position("after_delete"),
            "{key}"
        );
        assert!(!is_stored(&db, &key).await);
    }
}

#[tokio::test]
async fn a_failing_before_delete_stops_the_stream_as_an_invalid_item_does() {
    let db = db_with_table::<Tracked>("stream_hooks_before_delete").await;
    let prefix = "shb-";
    let key = failing_key(prefix, "before_delete", &[30]);
    let items: Vec<Tracked> = (0..60).map(|i| tracked(key(i))).collect();
    db.batch_put(&items).await.unwrap();
    let produced = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = produced.clone();
    let keys = (0..60).map(move |i| {
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        key(i)
    });
    let err = db
        .batch_delete_iter::<Tracked, _>(keys)
        .concurrency(1)
        .await
        .unwrap_err();
    let incomplete = assert_stopped_at(&err, 30, prefix, "after_delete");
    assert!(incomplete.unprocessed_writes().is_empty());
    let source = std::error::Error::source(&err)
        .and_then(|source| source.downcast_ref::<Error>())
        .expect("the cause is a dynamodel error");
    match source {
        Error::Item {
            index: 30, source, ..
        } => {
            assert!(source.is_hook() && !source.is_after_hook(), "{source}");
        }
        other => panic!("expected the item's error, got {other:?}"),
    }
    assert!(produced.load(std::sync::atomic::Ordering::Relaxed) <= 31);
    for i in 0..60 {
        assert_eq!(is_stored(&db, &key(i)).await, i >= 30, "{i}");
    }
    assert_eq!(
        ids_of(prefix, "before_delete").len(),
        31,
        "none read after it"
    );
}

#[tokio::test]
async fn a_failing_before_save_stops_the_stream_after_the_written_items_ran_after_save() {
    let db = db_with_table::<Tracked>("stream_hooks_before_save").await;
    let prefix = "shs-";
    let key = failing_key(prefix, "before_save", &[40]);
    let err = db
        .batch_put_iter::<Tracked, _>((0..100).map(move |i| tracked(key(i))))
        .concurrency(1)
        .await
        .unwrap_err();
    assert_stopped_at(&err, 40, prefix, "after_save");
    assert!(!is_stored(&db, &key(40)).await);
}

#[tokio::test]
async fn failing_after_hooks_of_a_stream_all_run_and_the_earliest_is_reported() {
    let db = db_with_table::<Tracked>("stream_hooks_after_fail").await;
    let prefix = "sha-";
    let key = failing_key(prefix, "after_save", &[5, 40, 41]);
    let err = db
        .batch_put_iter::<Tracked, _>((0..60).map(move |i| tracked(key(i))))
        .concurrency(3)
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::AfterHook {
                hook: "after_save",
                index: Some(5),
                further_failures: 2,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("2 other"), "{err}");
    // Every item was written, and every hook ran once.
    assert_eq!(ids_of(prefix, "after_save").len(), 60);
    for i in 0..60 {
        assert!(is_stored(&db, &key(i)).await, "{i}");
    }
}

#[tokio::test]
async fn the_hooks_of_a_request_run_before_the_stream_reads_far_past_it() {
    let db = db_with_table::<Tracked>("stream_hooks_bounded").await;
    let prefix = "shm-";
    let items = (0..150).map(move |i| {
        record(&id(prefix, i), "read");
        tracked(id(prefix, i))
    });
    db.batch_put_iter::<Tracked, _>(items)
        .concurrency(1)
        .await
        .unwrap();
    let log = events(prefix);
    // With one request in flight, at most `concurrency + 1` requests'
    // writes (and their hooks) exist at once: the after_save of every item
    // of request k ran before request k + 2 began to be read.
    assert_after_save_before_two_requests_later(&log, prefix, "read");
}

#[tokio::test]
async fn writes_a_stream_leaves_unprocessed_run_no_after_hook() {
    let direct = db_with_table::<Tracked>("stream_hooks_unprocessed").await;
    let prefix = "shu-";
    // Every batch request is only partly processed, and there is no retry:
    // some writes of each request are left unprocessed.
    let proxy = fault_proxy(FaultConfig {
        partial_batch: 1.0,
        ..FaultConfig::seeded(5)
    })
    .await;
    let db = db_through_proxy::<Tracked>(&direct, &proxy);
    let err = db
        .batch_put_iter::<Tracked, _>((0..100).map(|i| tracked(id(prefix, i))))
        .retry(RetryPolicy::default().max_attempts(1))
        .await
        .unwrap_err();
    let incomplete = err.batch_incomplete().expect("BatchIncomplete");
    let unprocessed: BTreeSet<String> = incomplete
        .unprocessed_writes()
        .iter()
        .map(|write| write.key::<Tracked>().unwrap().clone())
        .collect();
    assert!(!unprocessed.is_empty());
    let saved: Vec<String> = ids_of(prefix, "after_save");
    let saved_set: BTreeSet<String> = saved.iter().cloned().collect();
    assert_eq!(saved.len(), saved_set.len(), "once per item");
    let mut stored = BTreeSet::new();
    for key in ids(prefix, 0..100) {
        if is_stored(&direct, &key).await {
            stored.insert(key);
        }
    }
    assert_eq!(saved_set, stored, "after_save ran exactly for the written");
    assert!(saved_set.is_disjoint(&unprocessed));
    assert_eq!(stored.len() + unprocessed.len(), 100);
}

// ---------------------------------------------------------------- slice batches

#[tokio::test]
async fn a_slice_batch_runs_the_hooks_of_a_request_before_preparing_far_past_it() {
    let db = db_with_table::<Tracked>("slice_hooks_bounded").await;
    let prefix = "slm-";
    let items: Vec<Tracked> = ids(prefix, 0..150).into_iter().map(tracked).collect();
    let output = db.batch_put(&items).concurrency(1).await.unwrap();
    assert_eq!(output.written, 150);
    let log = events(prefix);
    // Prepared request by request, as a stream is: with one request in
    // flight, the after_save of every item of request k ran before the
    // before_save of request k + 2 (all before_save first would fail this).
    assert_after_save_before_two_requests_later(&log, prefix, "before_save");
    let mut saved = ids_of(prefix, "after_save");
    saved.sort();
    assert_eq!(saved, ids(prefix, 0..150), "once per item, every item");
}

#[tokio::test]
async fn a_failing_before_save_stops_a_slice_batch_there() {
    let db = db_with_table::<Tracked>("slice_hooks_before_save").await;
    let prefix = "sls-";
    let key = failing_key(prefix, "before_save", &[40]);
    let items: Vec<Tracked> = (0..100).map(|i| tracked(key(i))).collect();
    let err = db.batch_put(&items).concurrency(1).await.unwrap_err();
    assert_stopped_at(&err, 40, prefix, "after_save");
    let source = std::error::Error::source(&err)
        .and_then(|source| source.downcast_ref::<Error>())
        .expect("the cause is a dynamodel error");
    match source {
        Error::Item {
            index: 40, source, ..
        } => assert!(source.is_hook() && !source.is_after_hook(), "{source}"),
        other => panic!("expected the item's error, got {other:?}"),
    }
    assert_eq!(
        ids_of(prefix, "before_save").len(),
        41,
        "nothing prepared after it"
    );
    for i in 0..100 {
        assert_eq!(is_stored(&db, &key(i)).await, i < 40, "{i}");
    }
}

#[tokio::test]
async fn a_failing_before_delete_stops_a_slice_batch_there() {
    let db = db_with_table::<Tracked>("slice_hooks_before_delete").await;
    let prefix = "slb-";
    let key = failing_key(prefix, "before_delete", &[30]);
    let keys: Vec<String> = (0..60).map(key).collect();
    let items: Vec<Tracked> = keys.iter().cloned().map(tracked).collect();
    db.batch_put(&items).await.unwrap();
    let err = db
        .batch_delete::<Tracked>(&keys)
        .concurrency(1)
        .await
        .unwrap_err();
    assert_stopped_at(&err, 30, prefix, "after_delete");
    assert_eq!(ids_of(prefix, "before_delete").len(), 31);
    for (i, key) in keys.iter().enumerate() {
        assert_eq!(is_stored(&db, key).await, i >= 30, "{i}");
    }
}

#[tokio::test]
async fn a_slice_batch_prepared_all_first_runs_every_before_hook_first() {
    let db = db_with_table::<Tracked>("slice_hooks_all_first").await;
    let prefix = "sla-";
    let items: Vec<Tracked> = ids(prefix, 0..60).into_iter().map(tracked).collect();
    db.batch_put(&items)
        .prepare_all_first()
        .concurrency(1)
        .await
        .unwrap();
    let log = events(prefix);
    let last_before = log.iter().rposition(|e| e.ends_with(" before_save"));
    let first_after = log.iter().position(|e| e.ends_with(" after_save"));
    assert!(last_before < first_after, "{log:?}");
    assert_eq!(ids_of(prefix, "after_save").len(), 60);
    // A failing before_save then refuses the whole call, nothing written.
    let prefix = "slf-";
    let key = failing_key(prefix, "before_save", &[40]);
    let items: Vec<Tracked> = (0..60).map(|i| tracked(key(i))).collect();
    let err = db
        .batch_put(&items)
        .prepare_all_first()
        .concurrency(1)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Item { index: 40, source, .. } if source.is_hook()),
        "{err:?}"
    );
    for i in [0, 39, 41] {
        assert!(!is_stored(&db, &key(i)).await, "{i}");
    }
    assert!(ids_of(prefix, "after_save").is_empty());
}

/// A model whose `before_save` hook changes the key: `id` lower-cased.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "slice_hooks_keys", hooks)]
struct Lowered {
    #[dynamodel(hash_key)]
    id: String,
}

#[dynamodel::async_trait]
impl Hooks for Lowered {
    fn before_save(&mut self, _kind: WriteKind) -> Result<(), BoxError> {
        self.id = self.id.to_lowercase();
        Ok(())
    }
}

#[tokio::test]
async fn a_slice_batch_checks_the_keys_its_before_save_hook_made() {
    let db = db_with_table::<Lowered>("slice_hooks_keys").await;
    let items: Vec<Lowered> = (0..30)
        .map(|i| Lowered {
            id: if i == 27 {
                "K-3".into()
            } else {
                format!("k-{i}")
            },
        })
        .collect();
    // `K-3` becomes `k-3`, the key of item 3: refused there; the request
    // before it and the items of its own read before it are sent.
    let err = db.batch_put(&items).concurrency(1).await.unwrap_err();
    let incomplete = err.batch_incomplete().expect("BatchIncomplete");
    assert_eq!(incomplete.stopped_at(), Some(27));
    assert_eq!(incomplete.succeeded(), 27);
    let source = std::error::Error::source(&err)
        .and_then(|source| source.downcast_ref::<Error>())
        .expect("the cause is a dynamodel error");
    match source {
        Error::Item {
            index: 27, source, ..
        } => assert!(
            source.to_string().contains(
                "writes the same key as item #3 of this batch (one write per key and call)"
            ),
            "{source}"
        ),
        other => panic!("expected the item's error, got {other:?}"),
    }
    assert!(raw_item::<Lowered>(&db, &"k-26".to_owned()).await.is_some());
    assert!(raw_item::<Lowered>(&db, &"k-28".to_owned()).await.is_none());
}
