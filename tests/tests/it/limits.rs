//! DynamoDB's limits checked before sending (index keys, attribute names,
//! expression length, condition depth, transaction and value sizes), and
//! what DynamoDB still refuses coming back typed.

use std::collections::HashMap;

use dynamodel::expr::{Condition, Field, Path};
use dynamodel::limits::{MAX_CONDITION_DEPTH, MAX_PARTITION_KEY_BYTES, MAX_SORT_KEY_BYTES};
use dynamodel::{Db, Error, Model};
use dynamodel_tests::{db_with_table, item_count, raw_item};

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "accounts",
    gsi(name = "by_email", hash = email, range = handle, projection = "all")
)]
struct Account {
    #[dynamodel(hash_key)]
    id: String,
    email: String,
    handle: String,
    prefs: HashMap<String, String>,
    bio: String,
}

fn account(id: &str) -> Account {
    Account {
        id: id.into(),
        email: "a@example.com".into(),
        handle: "ada".into(),
        prefs: HashMap::new(),
        bio: String::new(),
    }
}

/// The validation failure `err` (or the one inside a batch or transaction
/// item) reports for `path`: its rule and message.
fn refusal(err: &Error, path: &str) -> (&'static str, String) {
    // A slice batch stops at the item: its error is the cause.
    let err = match err.batch_incomplete().and_then(|i| i.cause()) {
        Some(cause) => cause,
        None => err,
    };
    let err = match err {
        Error::Item { source, .. } => &**source,
        other => other,
    };
    let Error::Validation { model, errors } = err else {
        panic!("expected a validation error, got {err:?}");
    };
    assert_eq!(*model, "Account");
    let found = errors
        .for_path(path)
        .next()
        .unwrap_or_else(|| panic!("no failure for `{path}` in {errors}"));
    (found.rule, found.message.to_string())
}

/// Every way to write `bad`: put, create, batch put, transaction put and
/// create, and an update and upsert setting its index keys. Each must be
/// refused before sending, naming `path` with rule `key`.
async fn every_write_refuses(db: &Db, bad: &Account, path: &str, expect: &str) {
    let fields = Account::fields();
    let mut errors = vec![
        db.put(bad).await.unwrap_err(),
        db.create(bad).await.unwrap_err(),
        db.batch_put([bad]).await.unwrap_err(),
        db.transact_write().put(db.put(bad)).await.unwrap_err(),
        db.transact_write()
            .create(db.create(bad))
            .await
            .unwrap_err(),
    ];
    for upsert in [false, true] {
        let update = if upsert {
            db.upsert::<Account>(bad.id.clone())
        } else {
            db.update::<Account>(bad.id.clone())
        };
        let update = match path {
            "email" => update.set(&fields.email, bad.email.clone()),
            _ => update.set_if_not_exists(&fields.handle, bad.handle.clone()),
        };
        errors.push(update.await.unwrap_err());
    }
    for err in &errors {
        let (rule, message) = refusal(err, path);
        assert_eq!(rule, "key", "{err}");
        assert!(message.contains(expect), "{message}");
        assert!(message.contains("index `by_email`"), "{message}");
    }
    assert_eq!(item_count::<Account>(db).await, 0);
}

#[tokio::test]
async fn index_key_values_are_checked_on_every_write_path() {
    let db = db_with_table::<Account>("limits_index_keys").await;
    let mut empty = account("e");
    empty.email = String::new();
    every_write_refuses(
        &db,
        &empty,
        "email",
        "partition key of index `by_email` cannot be empty",
    )
    .await;
    let mut empty_sort = account("s");
    empty_sort.handle = String::new();
    every_write_refuses(&db, &empty_sort, "handle", "sort key").await;
    let mut long = account("l");
    long.email = "e".repeat(MAX_PARTITION_KEY_BYTES + 1);
    every_write_refuses(&db, &long, "email", "at most 2048 bytes").await;
    let mut long_sort = account("ls");
    long_sort.handle = "h".repeat(MAX_SORT_KEY_BYTES + 1);
    every_write_refuses(&db, &long_sort, "handle", "at most 1024 bytes").await;

    // At the limits, DynamoDB Local takes them: the checks are not stricter.
    let mut widest = account("w");
    widest.email = "e".repeat(MAX_PARTITION_KEY_BYTES);
    widest.handle = "h".repeat(MAX_SORT_KEY_BYTES);
    db.put(&widest).await.unwrap();
    db.update::<Account>("w")
        .set(&Account::fields().handle, "h".repeat(MAX_SORT_KEY_BYTES))
        .await
        .unwrap();
    assert_eq!(item_count::<Account>(&db).await, 1);
}

#[tokio::test]
async fn attribute_names_are_checked_before_sending() {
    let db = db_with_table::<Account>("limits_names").await;
    let fields = Account::fields();
    let empty_key = fields.prefs.key("");
    let long = "n".repeat(64 * 1024 + 1);
    let dynamic = Field::<Account, String, _>::dynamic(Path::attribute(long.clone()));
    let empty = Field::<Account, String, _>::dynamic(Path::attribute(""));
    let errors = [
        db.update::<Account>("a")
            .set(&empty_key, "dark")
            .to_request()
            .unwrap_err(),
        db.put(&account("a"))
            .condition(empty_key.exists())
            .to_request()
            .unwrap_err(),
        db.update::<Account>("a")
            .set(&dynamic, "x")
            .to_request()
            .unwrap_err(),
        db.delete::<Account>("a")
            .condition(empty.exists())
            .to_request()
            .unwrap_err(),
        db.query::<Account>("a")
            .filter(dynamic.eq("x"))
            .all()
            .await
            .unwrap_err(),
        db.put(&account("a"))
            .condition(dynamic.exists())
            .await
            .unwrap_err(),
    ];
    for err in &errors {
        let Error::Validation { model, errors } = err else {
            panic!("expected a validation error, got {err:?}");
        };
        assert_eq!(*model, "Account");
        let failure = &errors.errors()[0];
        assert_eq!(failure.rule, "name", "{err}");
        assert!(
            failure.path == "prefs." || failure.path.is_empty() || failure.path.ends_with('…'),
            "{}",
            failure.path
        );
        // A 64 KB name is cut in the message.
        assert!(err.to_string().len() < 400, "{err}");
    }
    assert_eq!(item_count::<Account>(&db).await, 0);
}

#[tokio::test]
async fn long_expressions_and_large_values_are_refused_before_sending() {
    let db = db_with_table::<Account>("limits_sizes").await;
    let fields = Account::fields();
    // 300 comparisons: about 5 KB of condition expression.
    let wide = Condition::all((0..300).map(|i| fields.bio.ne(format!("b{i}"))));
    for err in [
        db.put(&account("a"))
            .condition(wide.clone())
            .to_request()
            .unwrap_err(),
        db.update::<Account>("a")
            .set(&fields.bio, "x")
            .condition(wide.clone())
            .to_request()
            .unwrap_err(),
        db.query::<Account>("a")
            .filter(wide.clone())
            .all()
            .await
            .unwrap_err(),
    ] {
        assert!(err.is_limit_exceeded(), "{err:?}");
        let Error::LimitExceeded { model, limit, .. } = &err else {
            unreachable!()
        };
        assert_eq!((*model, *limit), ("Account", "expression length"));
        assert!(err.to_string().contains("4096 bytes"), "{err}");
    }

    // One value over 400 KB can never be stored.
    let err = db
        .upsert::<Account>("a")
        .set(&fields.bio, "b".repeat(400 * 1024 + 1))
        .await
        .unwrap_err();
    assert_eq!(refusal(&err, "bio").0, "size", "{err}");
    assert_eq!(item_count::<Account>(&db).await, 0);
}

#[tokio::test]
async fn transactions_over_4_mb_are_refused_before_sending() {
    let db = db_with_table::<Account>("limits_transaction").await;
    // 11 items of 390 KB: each fits, together 4.2 MB.
    let mut transaction = db.transact_write();
    for i in 0..11 {
        let mut item = account(&format!("t{i}"));
        item.bio = "b".repeat(390 * 1024);
        transaction = transaction.put(db.put(&item));
    }
    let err = transaction.await.unwrap_err();
    assert!(err.is_limit_exceeded(), "{err:?}");
    let Error::LimitExceeded { model, limit, .. } = &err else {
        unreachable!()
    };
    assert_eq!((*model, *limit), ("Account", "transaction size"));
    assert_eq!(item_count::<Account>(&db).await, 0);
    // Under the limit the same transaction goes through.
    let mut transaction = db.transact_write();
    for i in 0..10 {
        let mut item = account(&format!("t{i}"));
        item.bio = "b".repeat(390 * 1024);
        transaction = transaction.put(db.put(&item));
    }
    transaction.await.unwrap();
    // (A scan page stops at 1 MB: read the items one by one.)
    for i in 0..10 {
        assert!(raw_item::<Account>(&db, &format!("t{i}")).await.is_some());
    }
}

/// A model whose numbers' text is far longer than their size: 10^37 is 38
/// characters, 2 bytes as DynamoDB counts it.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "readings")]
struct Reading {
    #[dynamodel(hash_key)]
    id: String,
    note: String,
    values: Vec<u128>,
}

#[tokio::test]
async fn transactions_are_refused_by_their_exact_size_only() {
    let db = db_with_table::<Reading>("limits_transaction_exact").await;
    // 11 items of 345,000 bytes of text and 2,000 such numbers: 3.86 MB as
    // DynamoDB counts them, 4.26 MB if numbers counted by their text's length
    // (as dynamodel first does, cheaply): the exact count lets it through.
    let reading = |i: usize| Reading {
        id: format!("r{i:02}"),
        note: "n".repeat(345_000),
        values: vec![10u128.pow(37); 2_000],
    };
    let mut transaction = db.transact_write();
    for i in 0..11 {
        transaction = transaction.put(db.put(&reading(i)));
    }
    transaction.await.unwrap();
    for i in 0..11 {
        assert!(raw_item::<Reading>(&db, &format!("r{i:02}"))
            .await
            .is_some());
    }
}

/// The same table as [`Account`], read with a numeric key: DynamoDB refuses
/// the key's type, a rule dynamodel cannot know before sending.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "accounts")]
struct NumberedAccount {
    #[dynamodel(hash_key)]
    id: u64,
}

#[tokio::test]
async fn dynamodb_refusals_are_typed_with_its_message() {
    let db = db_with_table::<Account>("limits_rejected").await;
    for err in [
        db.put(&NumberedAccount { id: 1 }).await.unwrap_err(),
        db.get::<NumberedAccount>(1u64).await.unwrap_err(),
        db.delete::<NumberedAccount>(1u64).await.unwrap_err(),
    ] {
        assert!(err.is_rejected(), "{err:?}");
        let Error::Rejected {
            model,
            code,
            message,
            table,
            ..
        } = &err
        else {
            unreachable!()
        };
        assert_eq!(*model, "NumberedAccount");
        assert_eq!(code, "ValidationException");
        assert!(table.ends_with("accounts"), "{table}");
        assert!(!message.is_empty());
        assert!(err.to_string().contains(message.as_str()), "{err}");
    }
}

/// `depth` levels of alternating `and`/`or`, built as a user would.
fn nested(depth: usize) -> Condition<Account> {
    let fields = Account::fields();
    let mut condition = fields.bio.ne("x");
    for level in 0..depth {
        condition = if level % 2 == 0 {
            condition.and(fields.handle.exists())
        } else {
            condition.or(fields.email.exists())
        };
    }
    condition
}

#[test]
fn deep_conditions_are_safe_and_refused() {
    // A debug build on a 2 MiB stack, like a tokio worker thread.
    let thread = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            let deep = nested(100_000);
            assert_eq!(deep.node().depth(), 100_000);
            let debug = format!("{deep:?}");
            assert!(
                debug.starts_with("Condition(Or([And([Or(["),
                "{}",
                &debug[..40]
            );
            let copy = deep.clone();
            let err = Db::new(dynamodel::local::client_for_endpoint("http://127.0.0.1:1"))
                .put(&account("a"))
                .condition(copy)
                .to_request()
                .unwrap_err();
            let Error::LimitExceeded {
                model,
                limit,
                message,
            } = &err
            else {
                panic!("expected LimitExceeded, got {err:?}");
            };
            assert_eq!((*model, *limit), ("Account", "condition depth"));
            assert!(message.contains("100000 levels"), "{message}");
            drop(deep);
            // A negation chain too (one child per level).
            let mut not = Account::fields().bio.exists();
            for _ in 0..100_000 {
                not = not.not();
            }
            assert!(format!("{not:?}").starts_with("Condition(Not(Not("));
            drop(not.clone());
            drop(not);
        })
        .unwrap();
    thread.join().unwrap();
}

#[tokio::test]
async fn a_condition_at_the_depth_limit_is_accepted() {
    let db = db_with_table::<Account>("limits_depth").await;
    db.put(&account("a")).await.unwrap();
    // A negation chain stays under the 4 KB expression limit at any depth
    // up to the limit; an odd number of negations of a false comparison holds.
    let mut condition = Account::fields().handle.eq("someone else");
    for _ in 0..MAX_CONDITION_DEPTH {
        condition = condition.not();
    }
    assert_eq!(condition.node().depth(), MAX_CONDITION_DEPTH);
    db.put(&account("a"))
        .condition(condition.clone())
        .await
        .unwrap();
    // One level more is refused before sending...
    let deeper = condition.not();
    let err = db
        .put(&account("a"))
        .condition(deeper.clone())
        .await
        .unwrap_err();
    assert!(err.is_limit_exceeded(), "{err:?}");
    // ...where DynamoDB would refuse it too: one operator per level plus
    // the comparison is over its 300 operators.
    let request = db.put(&account("a")).to_request().unwrap();
    let mut builder = dynamodel::expr::ExprBuilder::new();
    let mut expression = String::new();
    // Rendered without the depth check, by hand: NOT (...) around the leaf.
    let leaf = Account::fields().handle.eq("someone else");
    let leaf = leaf.render(&mut builder).unwrap();
    for _ in 0..=MAX_CONDITION_DEPTH {
        expression.push_str("NOT (");
    }
    expression.push_str(&leaf);
    expression.push_str(&")".repeat(MAX_CONDITION_DEPTH + 1));
    let (names, values) = builder.into_parts();
    let refused = db
        .client()
        .put_item()
        .table_name(request.table())
        .set_item(request.item().cloned())
        .condition_expression(expression)
        .set_expression_attribute_names(names)
        .set_expression_attribute_values(values)
        .send()
        .await
        .unwrap_err();
    let refused = format!("{:?}", refused.into_service_error());
    assert!(refused.contains("too many operators"), "{refused}");
    drop(deeper);
}
