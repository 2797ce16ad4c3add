//! Lifecycle hooks around requests (`after_save`, `before_delete`,
//! `after_delete`, `before_update`, `after_update`) on DynamoDB Local: each
//! runs, in the documented order relative to validation, awaits, sees what it
//! is documented to see; a failing `before_*` hook sends nothing, a failing
//! `after_*` hook reports a write that was done.
//!
//! The hooks record into one log shared by the tests of this file; each test
//! reads only the entries of its own item ids (the tests run in parallel).

use dynamodel::pipeline::{UpdateKind, WriteKind};
use dynamodel::settings::{BoxError, Hooks, UpdateChanges, UpdateInfo, UpdateReturn};
use dynamodel::{Error, Model};
use dynamodel_tests::event_log::EventLog;
use dynamodel_tests::{db_with_table, n, raw_item};

/// `(item id, event)` in the order the events happened.
static LOG: EventLog = EventLog::new();

fn record(id: &str, event: impl Into<String>) {
    LOG.record(id, event);
}

/// The events recorded for the items whose id starts with `prefix`.
fn events(prefix: &str) -> Vec<String> {
    LOG.events(prefix)
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "hook_log", hooks, validate = record_validation)]
struct Logged {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(length(max = 10))]
    title: String,
    #[dynamodel(default = 7)]
    count: Option<i64>,
}

/// The struct's validation: records that it ran (after `before_save`).
fn record_validation(item: &Logged) -> Result<(), String> {
    record(&item.id, "validate");
    Ok(())
}

/// Whether the item id asks hook `hook` to fail.
fn fails(id: &str, hook: &str) -> Result<(), BoxError> {
    if id.contains(&format!("fail-{hook}")) {
        return Err(format!("{hook} refused").into());
    }
    Ok(())
}

#[dynamodel::async_trait]
impl Hooks for Logged {
    fn before_save(&mut self, kind: WriteKind) -> Result<(), BoxError> {
        record(&self.id, format!("before_save {kind:?}"));
        fails(&self.id, "before_save")
    }

    async fn after_save(&self, kind: WriteKind) -> Result<(), BoxError> {
        // A real await: the hook may call another service.
        tokio::task::yield_now().await;
        record(
            &self.id,
            format!("after_save {kind:?} count={:?}", self.count),
        );
        fails(&self.id, "after_save")
    }

    async fn before_delete(key: &String) -> Result<(), BoxError> {
        tokio::task::yield_now().await;
        record(key, "before_delete");
        fails(key, "before_delete")
    }

    async fn after_delete(key: &String, deleted: Option<&Self>) -> Result<(), BoxError> {
        tokio::task::yield_now().await;
        let title = deleted.map(|item| item.title.as_str());
        record(key, format!("after_delete deleted={title:?}"));
        fails(key, "after_delete")
    }

    async fn before_update(update: &UpdateInfo<'_, Self>) -> Result<(), BoxError> {
        tokio::task::yield_now().await;
        let changes: Vec<String> = update
            .changes()
            .iter()
            .map(|(path, kind)| format!("{path}:{kind:?}"))
            .collect();
        record(
            update.key(),
            format!("before_update {:?} {}", update.kind(), changes.join(",")),
        );
        fails(update.key(), "before_update")
    }

    async fn after_update(
        update: &UpdateInfo<'_, Self>,
        returned: UpdateReturn<'_, Self>,
    ) -> Result<(), BoxError> {
        tokio::task::yield_now().await;
        let returned = match returned {
            UpdateReturn::Nothing => "nothing".to_owned(),
            UpdateReturn::Old(item) => format!("old count={:?}", item.and_then(|i| i.count)),
            UpdateReturn::New(item) => format!("new count={:?}", item.count),
            _ => "other".to_owned(),
        };
        assert!(update.changes().touches("count"));
        record(update.key(), format!("after_update {returned}"));
        fails(update.key(), "after_update")
    }
}

fn logged(id: &str) -> Logged {
    Logged {
        id: id.to_owned(),
        title: "t".to_owned(),
        count: None,
    }
}

async fn stored(db: &dynamodel::Db, id: &str) -> Option<dynamodel::Item> {
    raw_item::<Logged>(db, &id.to_owned()).await
}

// ---------------------------------------------------------------- after_save

#[tokio::test]
async fn after_save_runs_after_create_and_put_on_the_item_as_written() {
    let db = db_with_table::<Logged>("hooks_after_save").await;
    db.create(&logged("as-1")).await.unwrap();
    db.put(&logged("as-1")).await.unwrap();
    // `saved()` returns the item and the hook still runs once.
    let saved = db.put(&logged("as-1")).saved().await.unwrap();
    assert_eq!(saved.count, Some(7));
    assert_eq!(
        events("as-1"),
        [
            // before_save first, then validation, then (after the write) after_save,
            // which sees the default the pipeline filled in.
            "as-1 before_save Create",
            "as-1 validate",
            "as-1 after_save Create count=Some(7)",
            "as-1 before_save Put",
            "as-1 validate",
            "as-1 after_save Put count=Some(7)",
            "as-1 before_save Put",
            "as-1 validate",
            "as-1 after_save Put count=Some(7)",
        ]
    );
}

#[tokio::test]
async fn after_save_does_not_run_when_the_write_is_refused() {
    let db = db_with_table::<Logged>("hooks_after_save_refused").await;
    // Validation fails: nothing is sent, so no after_save.
    let err = db
        .put(&Logged {
            title: "far too long a title".to_owned(),
            ..logged("ar-1")
        })
        .await
        .unwrap_err();
    assert!(err.is_validation(), "{err}");
    // A create on a taken key is refused by DynamoDB: no after_save either.
    db.create(&logged("ar-2")).await.unwrap();
    let err = db.create(&logged("ar-2")).await.unwrap_err();
    assert!(err.is_already_exists(), "{err}");
    assert_eq!(
        events("ar-"),
        [
            // Validation collects every failure, the struct's rule included.
            "ar-1 before_save Put",
            "ar-1 validate",
            "ar-2 before_save Create",
            "ar-2 validate",
            "ar-2 after_save Create count=Some(7)",
            "ar-2 before_save Create",
            "ar-2 validate",
        ]
    );
}

#[tokio::test]
async fn failing_before_save_sends_nothing_and_failing_after_save_reports_the_write() {
    let db = db_with_table::<Logged>("hooks_save_failures").await;
    let err = db.put(&logged("sf-fail-before_save")).await.unwrap_err();
    assert!(err.is_hook() && !err.is_after_hook(), "{err}");
    assert!(stored(&db, "sf-fail-before_save").await.is_none());

    let err = db.put(&logged("sf-fail-after_save")).await.unwrap_err();
    assert!(err.is_hook() && err.is_after_hook(), "{err}");
    assert!(
        matches!(
            &err,
            Error::AfterHook {
                model: "Logged",
                hook: "after_save",
                index: None,
                further_failures: 0,
                ..
            }
        ),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("after the write was done"), "{message}");
    assert!(message.contains("after_save refused"), "{message}");
    // The write DID happen.
    let raw = stored(&db, "sf-fail-after_save").await.unwrap();
    assert_eq!(raw.get("count"), Some(&n("7")));
}

// ---------------------------------------------------------------- delete

#[tokio::test]
async fn delete_hooks_receive_the_key_and_the_deleted_item() {
    let db = db_with_table::<Logged>("hooks_delete").await;
    db.put(&logged("dl-1")).await.unwrap();
    let deleted = db.delete::<Logged>("dl-1").await.unwrap();
    assert!(deleted.is_some());
    // A missing item: the hooks run, with no deleted item.
    db.delete::<Logged>("dl-2").await.unwrap();
    // delete_item goes through the same hooks.
    db.put(&logged("dl-3")).await.unwrap();
    db.delete_item(&logged("dl-3")).await.unwrap();
    let deletes: Vec<String> = events("dl-")
        .into_iter()
        .filter(|e| e.contains("delete"))
        .collect();
    assert_eq!(
        deletes,
        [
            "dl-1 before_delete",
            "dl-1 after_delete deleted=Some(\"t\")",
            "dl-2 before_delete",
            "dl-2 after_delete deleted=None",
            "dl-3 before_delete",
            "dl-3 after_delete deleted=Some(\"t\")",
        ]
    );
    assert!(stored(&db, "dl-3").await.is_none());
}

#[tokio::test]
async fn failing_before_delete_sends_nothing_and_failing_after_delete_reports_the_delete() {
    let db = db_with_table::<Logged>("hooks_delete_failures").await;
    db.put(&logged("df-fail-before_delete")).await.unwrap();
    let err = db
        .delete::<Logged>("df-fail-before_delete")
        .await
        .unwrap_err();
    assert!(err.is_hook() && !err.is_after_hook(), "{err}");
    assert!(err.to_string().contains("before_delete"), "{err}");
    assert!(stored(&db, "df-fail-before_delete").await.is_some());
    assert!(!events("df-fail-before_delete")
        .iter()
        .any(|e| e.contains("after_delete")));

    db.put(&logged("df-fail-after_delete")).await.unwrap();
    let err = db
        .delete::<Logged>("df-fail-after_delete")
        .await
        .unwrap_err();
    assert!(err.is_after_hook(), "{err}");
    assert!(stored(&db, "df-fail-after_delete").await.is_none());
}

#[tokio::test]
async fn a_delete_refused_by_its_condition_runs_no_after_delete() {
    let db = db_with_table::<Logged>("hooks_delete_condition").await;
    db.put(&logged("dc-1")).await.unwrap();
    let fields = Logged::fields();
    let err = db
        .delete::<Logged>("dc-1")
        .condition(fields.title.eq("other"))
        .await
        .unwrap_err();
    assert!(err.is_conditional_check_failed(), "{err}");
    let deletes: Vec<String> = events("dc-1")
        .into_iter()
        .filter(|e| e.contains("delete"))
        .collect();
    assert_eq!(deletes, ["dc-1 before_delete"]);
}

// ---------------------------------------------------------------- update

#[tokio::test]
async fn update_hooks_see_the_key_the_changes_and_the_returned_item() {
    let db = db_with_table::<Logged>("hooks_update").await;
    db.put(&logged("up-1")).await.unwrap();
    let fields = Logged::fields();
    db.update::<Logged>("up-1")
        .set(&fields.count, 3i64)
        .await
        .unwrap();
    let new = db
        .update::<Logged>("up-1")
        .increment(&fields.count, 1i64)
        .return_all_new()
        .await
        .unwrap();
    assert_eq!(new.count, Some(4));
    db.upsert::<Logged>("up-1")
        .set_if_not_exists(&fields.count, 9i64)
        .set(&fields.title, "u")
        .return_all_old()
        .await
        .unwrap();
    db.update::<Logged>("up-1")
        .remove(&fields.count)
        .await
        .unwrap();
    let updates: Vec<String> = events("up-1")
        .into_iter()
        .filter(|e| e.contains("update"))
        .collect();
    assert_eq!(
        updates,
        [
            "up-1 before_update Update count:Set",
            "up-1 after_update nothing",
            "up-1 before_update Update count:Arithmetic",
            "up-1 after_update new count=Some(4)",
            "up-1 before_update Upsert count:SetIfNotExists,title:Set",
            "up-1 after_update old count=Some(4)",
            "up-1 before_update Update count:Remove",
            "up-1 after_update nothing",
        ]
    );
}

#[tokio::test]
async fn update_hooks_run_after_validation_and_a_failing_before_update_sends_nothing() {
    let db = db_with_table::<Logged>("hooks_update_failures").await;
    let fields = Logged::fields();
    db.put(&logged("uf-1")).await.unwrap();
    // An invalid value: refused before the hook, which never sees it.
    let err = db
        .update::<Logged>("uf-1")
        .set(&fields.title, "far too long a title")
        .set(&fields.count, 1i64)
        .await
        .unwrap_err();
    assert!(err.is_validation(), "{err}");
    assert!(!events("uf-1").iter().any(|e| e.contains("update")));

    db.put(&logged("uf-fail-before_update")).await.unwrap();
    let err = db
        .update::<Logged>("uf-fail-before_update")
        .set(&fields.count, 1i64)
        .await
        .unwrap_err();
    assert!(err.is_hook() && !err.is_after_hook(), "{err}");
    let raw = stored(&db, "uf-fail-before_update").await.unwrap();
    assert_eq!(raw.get("count"), Some(&n("7")));
    assert!(!events("uf-fail-before_update")
        .iter()
        .any(|e| e.contains("after_update")));

    db.put(&logged("uf-fail-after_update")).await.unwrap();
    let err = db
        .update::<Logged>("uf-fail-after_update")
        .set(&fields.count, 1i64)
        .await
        .unwrap_err();
    assert!(err.is_after_hook(), "{err}");
    let raw = stored(&db, "uf-fail-after_update").await.unwrap();
    assert_eq!(raw.get("count"), Some(&n("1")));
}

// ---------------------------------------------------------------- batches

#[tokio::test]
async fn batch_writes_run_hooks_per_item() {
    let db = db_with_table::<Logged>("hooks_batch").await;
    let items = [logged("bt-1"), logged("bt-2")];
    db.batch_put(&items).await.unwrap();
    db.batch_delete::<Logged>(["bt-1", "bt-2"]).await.unwrap();
    let mut seen = events("bt-");
    seen.retain(|e| !e.contains("validate") && !e.contains("before_save"));
    assert_eq!(
        seen,
        [
            "bt-1 after_save Put count=Some(7)",
            "bt-2 after_save Put count=Some(7)",
            "bt-1 before_delete",
            "bt-2 before_delete",
            // BatchWriteItem returns no items: the hook gets none.
            "bt-1 after_delete deleted=None",
            "bt-2 after_delete deleted=None",
        ]
    );
}

#[tokio::test]
async fn a_failing_before_hook_in_a_batch_sends_nothing_of_it() {
    let db = db_with_table::<Logged>("hooks_batch_failures").await;
    let items = [logged("bf-1"), logged("bf-fail-before_delete")];
    db.batch_put(&items).await.unwrap();
    let err = db
        .batch_write()
        .put(&logged("bf-3"))
        .delete::<Logged>("bf-1")
        .delete::<Logged>("bf-fail-before_delete")
        .await
        .unwrap_err();
    match &err {
        Error::Item { index, source, .. } => {
            assert_eq!(*index, 2);
            assert!(source.is_hook() && !source.is_after_hook(), "{source}");
        }
        other => panic!("expected an item error, got {other}"),
    }
    // Nothing of the batch was written.
    assert!(stored(&db, "bf-1").await.is_some());
    assert!(stored(&db, "bf-3").await.is_none());
    assert!(!events("bf-").iter().any(|e| e.contains("after_delete")));
    assert!(!events("bf-3").iter().any(|e| e.contains("after_save")));
}

#[tokio::test]
async fn failing_after_hooks_in_a_batch_all_run_and_are_counted() {
    let db = db_with_table::<Logged>("hooks_batch_after").await;
    let items = [
        logged("ba-fail-after_save-1"),
        logged("ba-2"),
        logged("ba-fail-after_save-3"),
    ];
    let err = db.batch_put(&items).await.unwrap_err();
    assert!(
        matches!(
            &err,
            Error::AfterHook {
                hook: "after_save",
                index: Some(0),
                further_failures: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("1 other"), "{err}");
    // Every item was written, and every hook ran.
    for item in &items {
        assert!(stored(&db, &item.id).await.is_some());
        assert!(events(&item.id).iter().any(|e| e.contains("after_save")));
    }
}

// ---------------------------------------------------------------- transactions

#[tokio::test]
async fn transaction_hooks_run_per_action_after_commit() {
    let db = db_with_table::<Logged>("hooks_transaction").await;
    db.put(&logged("tx-2")).await.unwrap();
    db.put(&logged("tx-3")).await.unwrap();
    let fields = Logged::fields();
    db.transact_write()
        .create(db.create(&logged("tx-1")))
        .delete(db.delete::<Logged>("tx-2"))
        .update(
            db.update::<Logged>("tx-3")
                .set(&fields.count, 5i64)
                .return_all_new(),
        )
        .await
        .unwrap();
    let mut seen = events("tx-");
    seen.retain(|e| !e.contains("validate") && !e.contains("before_save"));
    assert_eq!(
        seen,
        [
            "tx-2 after_save Put count=Some(7)",
            "tx-3 after_save Put count=Some(7)",
            // Before the transaction is sent, in action order...
            "tx-2 before_delete",
            "tx-3 before_update Update count:Set",
            // ...and after it committed.
            "tx-1 after_save Create count=Some(7)",
            "tx-2 after_delete deleted=None",
            "tx-3 after_update nothing",
        ]
    );
}

#[tokio::test]
async fn a_cancelled_or_refused_transaction_runs_no_after_hooks() {
    let db = db_with_table::<Logged>("hooks_transaction_failures").await;
    db.put(&logged("tf-1")).await.unwrap();
    // Cancelled: the create finds a taken key.
    let err = db
        .transact_write()
        .create(db.create(&logged("tf-1")))
        .delete(db.delete::<Logged>("tf-2"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::TransactionCanceled(_)), "{err}");
    // A before hook refuses: nothing is sent.
    let fields = Logged::fields();
    let err = db
        .transact_write()
        .put(db.put(&logged("tf-3")))
        .update(
            db.update::<Logged>("tf-fail-before_update")
                .set(&fields.count, 1i64),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Item { index: 1, source, .. } if source.is_hook()),
        "{err}"
    );
    assert!(stored(&db, "tf-3").await.is_none());
    let afters: Vec<String> = events("tf-")
        .into_iter()
        .filter(|e| e.contains("after_"))
        .collect();
    // Only the put made before the transactions.
    assert_eq!(afters, ["tf-1 after_save Put count=Some(7)"]);
}

// ---------------------------------------------------------------- no hooks

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "hook_free")]
struct Plain {
    #[dynamodel(hash_key)]
    id: String,
}

#[test]
fn a_model_without_hooks_has_no_hook_to_run() {
    const { assert!(!Plain::HAS_HOOKS) };
    const { assert!(Logged::HAS_HOOKS) };
    let plain = Plain { id: "p".into() };
    assert!(plain.after_save_hook(WriteKind::Put).is_none());
    assert!(Plain::before_delete_hook(&"p".to_owned()).is_none());
    assert!(Plain::after_delete_hook(&"p".to_owned(), None).is_none());
    let changes = UpdateChanges::default();
    let key = "p".to_owned();
    let info = UpdateInfo::<Plain>::new(&key, UpdateKind::Update, &changes);
    assert!(Plain::before_update_hook(&info).is_none());
    assert!(Plain::after_update_hook(&info, UpdateReturn::Nothing).is_none());
}
