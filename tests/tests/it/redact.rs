//! No stored value or key in any message: items and keys carrying a
//! sentinel go through every operation and every kind of failure, and every
//! builder, request, result and error is formatted with `{:?}`, `{:#?}` and
//! `{}` (and its `source()` chain walked): the sentinel never appears.
//!
//! The models derive `Debug` (which prints their values): a dynamodel type
//! that embeds a model, an item or a key in its own `Debug` is caught too.

use std::error::Error as _;
use std::fmt::{Debug, Display};
use std::time::Duration;

use dynamodel::ops::RetryPolicy;
use dynamodel::{AttributeValue, Db, Error, Model};
use dynamodel_tests::fault::FaultConfig;
use dynamodel_tests::{db_through_proxy, db_with_table, fault_proxy};

/// The text every value and key carries.
const SENTINEL: &str = "Sentinel7q4Z";

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "redact_notes")]
struct Note {
    #[dynamodel(hash_key)]
    owner: String,
    #[dynamodel(range_key)]
    title: String,
    #[dynamodel(length(max = 60))]
    body: String,
    count: u64,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "redact_versioned")]
struct Versioned {
    #[dynamodel(hash_key)]
    id: String,
    body: String,
    #[dynamodel(version)]
    version: u64,
}

fn secret(tag: &str) -> String {
    format!("{SENTINEL}-{tag}@example.com")
}

fn note(i: usize) -> Note {
    Note {
        owner: secret("owner"),
        title: secret(&format!("title{i}")),
        body: secret("body"),
        count: i as u64,
    }
}

/// Collects every formatted text and the labels of those that leaked.
#[derive(Default)]
struct Leaks {
    checked: usize,
    leaked: Vec<String>,
}

impl Leaks {
    fn text(&mut self, label: &str, how: &str, text: String) {
        self.checked += 1;
        if text.contains(SENTINEL) {
            self.leaked.push(format!("{label} {how}"));
        }
    }

    /// `{:?}` and `{:#?}` of a value.
    fn debug(&mut self, label: &str, value: &dyn Debug) {
        self.text(label, "{:?}", format!("{value:?}"));
        self.text(label, "{:#?}", format!("{value:#?}"));
    }

    /// `{:?}`, `{:#?}` and `{}` of a value.
    fn both(&mut self, label: &str, value: &(impl Debug + Display + ?Sized)) {
        self.debug(label, &value);
        self.text(label, "{}", value.to_string());
    }

    /// An error, then every error of its `source()` chain.
    fn error(&mut self, label: &str, err: &Error) {
        assert!(
            !matches!(err, Error::Item { .. }) || err.source().is_some(),
            "{label}: an item error names its cause"
        );
        self.both(label, err);
        let mut source = err.source();
        let mut depth = 0;
        while let Some(inner) = source {
            depth += 1;
            self.debug(&format!("{label} source#{depth}"), &inner);
            self.text(&format!("{label} source#{depth}"), "{}", inner.to_string());
            source = inner.source();
        }
    }

    /// The result of an operation expected to fail with `expect`.
    fn failure<T>(
        &mut self,
        label: &str,
        result: dynamodel::Result<T>,
        expect: fn(&Error) -> bool,
    ) {
        match result {
            Ok(_) => panic!("{label}: expected a failure"),
            Err(err) => {
                assert!(expect(&err), "{label}: unexpected error kind {}", err);
                self.error(label, &err);
            }
        }
    }
}

fn quick_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(attempts)
        .max_elapsed(None)
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
}

#[tokio::test]
async fn no_value_or_key_in_any_debug_display_or_source() {
    let db = db_with_table::<Note>("redact").await;
    db.create_table::<Versioned>().await.unwrap();
    let f = Note::fields();
    let mut leaks = Leaks::default();

    // Builders and their dry runs, on every operation.
    let owner = secret("owner");
    let key = (owner.clone(), secret("title0"));
    leaks.debug("put", &db.put(&note(0)));
    leaks.debug("put request", &db.put(&note(0)).to_request().unwrap());
    leaks.debug("create", &db.create(&note(0)));
    leaks.debug("create request", &db.create(&note(0)).to_request().unwrap());
    leaks.debug("get", &db.get::<Note>(key.clone()));
    leaks.debug(
        "get request",
        &db.get::<Note>(key.clone()).to_request().unwrap(),
    );
    leaks.debug("delete", &db.delete::<Note>(key.clone()));
    leaks.debug(
        "delete_item",
        &db.delete_item(&note(0))
            .condition(f.body.eq(secret("cond"))),
    );
    leaks.debug(
        "delete request",
        &db.delete::<Note>(key.clone()).to_request().unwrap(),
    );
    let update = || {
        db.update::<Note>(key.clone())
            .set(&f.body, secret("new body"))
            .increment(&f.count, 1u64)
            .condition(f.body.begins_with(SENTINEL))
    };
    leaks.debug("update", &update());
    leaks.debug("update return_all_new", &update().return_all_new());
    leaks.debug("update request", &update().to_request().unwrap());
    leaks.debug(
        "condition",
        &f.body.eq(secret("cond")).and(f.count.gt(3u64)),
    );
    leaks.debug(
        "query",
        &db.query::<Note>(owner.clone())
            .sort_begins_with(secret(""))
            .filter(f.body.eq(secret("filter"))),
    );
    leaks.debug("scan", &db.scan::<Note>().filter(f.body.eq(secret("f"))));
    leaks.debug("batch_put", &db.batch_put(&[note(1), note(2)]));
    leaks.debug("batch_delete", &db.batch_delete::<Note>([key.clone()]));
    leaks.debug("batch_get", &db.batch_get::<Note>([key.clone()]));
    leaks.debug("batch_read", &db.batch_read().get::<Note>(key.clone()));
    leaks.debug(
        "transact_write",
        &db.transact_write()
            .put(db.put(&note(3)))
            .update(update())
            .condition_check::<Note>(key.clone(), f.body.eq(secret("c"))),
    );
    leaks.debug("transact_get", &db.transact_get().get::<Note>(key.clone()));

    // Results.
    db.put(&note(0)).await.unwrap();
    let written = db.batch_put(&[note(1), note(2)]).await.unwrap();
    leaks.debug("batch write output", &written);
    let page = db
        .query::<Note>(owner.clone())
        .limit(2)
        .page()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
    leaks.debug("page", &page);
    let got = db
        .batch_get::<Note>([key.clone(), (owner.clone(), secret("none"))])
        .await
        .unwrap();
    leaks.debug("batch get items", &got);
    let read = db.batch_read().get::<Note>(key.clone()).await.unwrap();
    leaks.debug("batch read output", &read);
    let read = db.transact_get().get::<Note>(key.clone()).await.unwrap();
    leaks.debug("transact get output", &read);
    leaks.debug("db", &db);

    // Every kind of failure.
    leaks.failure(
        "condition failed",
        db.put(&note(0)).condition(f.body.eq(secret("other"))).await,
        Error::is_conditional_check_failed,
    );
    leaks.failure(
        "update condition failed",
        update().condition(f.count.gt(100u64)).await,
        Error::is_conditional_check_failed,
    );
    leaks.failure(
        "already exists",
        db.create(&note(0)).await,
        Error::is_already_exists,
    );
    leaks.failure(
        "not found",
        db.update::<Note>((owner.clone(), secret("missing")))
            .set(&f.body, secret("b"))
            .await,
        Error::is_not_found,
    );
    let mut long = note(9);
    long.body = secret(&"x".repeat(80));
    leaks.failure("validation", db.put(&long).await, Error::is_validation);
    let mut no_key = note(9);
    no_key.title = String::new();
    leaks.failure("empty key", db.put(&no_key).await, |e| {
        e.is_validation() || matches!(e, Error::InvalidRequest { .. })
    });
    leaks.failure(
        "batch item",
        db.batch_put(&[long.clone(), note(4)]).await,
        |e| {
            e.batch_incomplete()
                .is_some_and(|i| i.stopped_at() == Some(0))
        },
    );
    leaks.failure(
        "batch item, all first",
        db.batch_put(&[long.clone(), note(4)])
            .prepare_all_first()
            .await,
        |e| matches!(e, Error::Item { .. }),
    );
    leaks.failure(
        "transaction item",
        db.transact_write().put(db.put(&long)).await,
        |e| matches!(e, Error::Item { .. }),
    );

    let versioned = Versioned {
        id: secret("v"),
        body: secret("vbody"),
        version: 0,
    };
    db.put(&versioned).await.unwrap();
    leaks.failure(
        "version conflict",
        db.put(&versioned).await,
        Error::is_version_conflict,
    );
    leaks.failure(
        "delete version conflict",
        db.delete_item(&versioned).await,
        Error::is_version_conflict,
    );

    // A stored item that does not fit the model.
    let mut bad = Note::key_to_item(&(owner.clone(), secret("bad"))).unwrap();
    bad.insert("body".into(), AttributeValue::N("12".into()));
    bad.insert("count".into(), AttributeValue::S(secret("count")));
    db.client()
        .put_item()
        .table_name(db.table_name::<Note>())
        .set_item(Some(bad))
        .send()
        .await
        .unwrap();
    leaks.failure(
        "decode get",
        db.get::<Note>((owner.clone(), secret("bad"))).await,
        Error::is_conversion,
    );
    leaks.failure(
        "decode query",
        db.query::<Note>(owner.clone()).all().await,
        Error::is_conversion,
    );
    leaks.failure(
        "decode batch get (strict)",
        db.batch_get::<Note>([(owner.clone(), secret("bad"))])
            .strict()
            .await,
        Error::is_conversion,
    );
    // Without `.strict()` the bad item comes back as a per-item error beside
    // the good ones: the output and each error are formatted too.
    let lenient = db
        .batch_get::<Note>([(owner.clone(), secret("bad"))])
        .await
        .expect("a lenient batch get returns the bad item as an error");
    assert_eq!(lenient.errors.len(), 1, "the bad item is reported");
    leaks.debug("decode batch get (lenient) output", &lenient);
    for err in &lenient.errors {
        leaks.error("decode batch get (lenient) error", err);
    }
    let page = db
        .query::<Note>(owner.clone())
        .page()
        .await
        .expect("a lenient page returns the bad item as an error");
    assert!(!page.errors.is_empty(), "the bad item is reported");
    leaks.debug("decode page (lenient)", &page);
    for err in &page.errors {
        leaks.error("decode page (lenient) error", err);
    }

    leaks.failure(
        "invalid cursor",
        db.query::<Note>(owner.clone())
            .start_from(secret("cursor"))
            .page()
            .await,
        Error::is_invalid_cursor,
    );

    leaks.failure(
        "transaction canceled",
        db.transact_write()
            .create(db.create(&note(0)))
            .update(
                db.update::<Note>((owner.clone(), secret("title1")))
                    .set(&f.body, secret("b"))
                    .condition(f.body.eq(secret("x"))),
            )
            .await,
        Error::is_transaction_canceled,
    );

    // Errors DynamoDB sends that dynamodel has no case for: a missing table.
    let other = Db::new(db.client().clone()).with_table_prefix("redact-missing-");
    leaks.failure(
        "sdk error",
        other.get::<Note>(key.clone()).await,
        Error::is_table_not_found,
    );
    leaks.failure(
        "sdk error put",
        other.put(&note(0)).await,
        Error::is_table_not_found,
    );

    // An error DynamoDB sends as a validation error (an invalid table name).
    let invalid = Db::new(db.client().clone()).with_table_prefix("redact invalid ");
    leaks.failure("sdk validation error", invalid.put(&note(0)).await, |e| {
        e.is_rejected() || e.sdk_error().is_some() || matches!(e, Error::InvalidRequest { .. })
    });

    // Batches left incomplete: every batch request comes back unprocessed.
    let proxy = fault_proxy(FaultConfig {
        partial_batch: 1.0,
        ..FaultConfig::seeded(5)
    })
    .await;
    let faulty = db_through_proxy::<Note>(&db, &proxy);
    leaks.failure(
        "batch write incomplete",
        faulty
            .batch_write()
            .put_all(&[note(5), note(6), note(7)])
            .delete::<Note>(key.clone())
            .retry(quick_retries(1))
            .await,
        Error::is_batch_incomplete,
    );
    leaks.failure(
        "batch get incomplete",
        faulty
            .batch_get::<Note>([key.clone(), (owner.clone(), secret("title1"))])
            .retry(quick_retries(1))
            .await,
        Error::is_batch_incomplete,
    );
    leaks.failure(
        "batch read incomplete",
        faulty
            .batch_read()
            .get::<Note>(key.clone())
            .get::<Note>((owner.clone(), secret("title2")))
            .retry(quick_retries(1))
            .await,
        Error::is_batch_incomplete,
    );
    let incomplete = faulty
        .batch_put(&[note(5), note(6)])
        .retry(quick_retries(1))
        .await
        .unwrap_err()
        .into_batch_incomplete()
        .unwrap();
    for write in incomplete.unprocessed_writes() {
        leaks.debug("unprocessed write", write);
    }
    leaks.debug("batch incomplete", &incomplete);

    println!(
        "redaction: {} formatted texts checked, {} leaked",
        leaks.checked,
        leaks.leaked.len()
    );
    assert!(
        leaks.leaked.is_empty(),
        "{} of {} formatted texts show a value or key: {:#?}",
        leaks.leaked.len(),
        leaks.checked,
        leaks.leaked
    );
}
