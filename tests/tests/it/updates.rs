//! Updates run the schema's write pipeline per attribute: `set` transforms
//! and validation on the values written, `updated_at` and `force_default`
//! on every update, `created_at` and defaults (if absent) on upsert, and an
//! upsert must write every attribute the model requires. Checked in the raw
//! stored items of DynamoDB Local.

use std::collections::BTreeSet;

use dynamodel::{AttributeValue, Binary, Error, Model};
use dynamodel_tests::{db_with_table, n, now_ms, raw_item, s};

fn number(item: &dynamodel::Item, name: &str) -> u64 {
    match item.get(name) {
        Some(AttributeValue::N(v)) => v.parse().unwrap(),
        other => panic!("`{name}` is not a number: {other:?}"),
    }
}

/// The (path, rule) pairs of a validation error, or a panic naming what came instead.
fn broken_rules(err: &Error, expected_model: &str) -> Vec<(String, &'static str)> {
    match err {
        Error::Validation { model, errors } => {
            assert_eq!(*model, expected_model);
            errors
                .errors()
                .iter()
                .map(|e| (e.path.clone(), e.rule))
                .collect()
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn lower(v: String) -> String {
    v.trim().to_lowercase()
}

fn no_spaces(v: &str) -> Result<(), String> {
    if v.contains(' ') {
        Err("contains a space".into())
    } else {
        Ok(())
    }
}

fn non_empty_blob(v: &[u8]) -> Result<(), &'static str> {
    if v.is_empty() {
        Err("must not be empty")
    } else {
        Ok(())
    }
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "accounts")]
struct Account {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(range(min = 18, max = 130))]
    age: u32,
    #[dynamodel(set = lower, length(min = 3, max = 12), validate = no_spaces)]
    handle: String,
    #[dynamodel(one_of("free", "pro"))]
    plan: Option<String>,
    #[dynamodel(length(max = 2))]
    tags: BTreeSet<String>,
    #[dynamodel(validate = non_empty_blob)]
    avatar: Option<Vec<u8>>,
}

fn account() -> Account {
    Account {
        id: "a1".into(),
        age: 30,
        handle: "adalove".into(),
        plan: Some("pro".into()),
        tags: BTreeSet::new(),
        avatar: Some(vec![1, 2]),
    }
}

#[tokio::test]
async fn update_values_are_validated_all_at_once_and_nothing_is_written() {
    let db = db_with_table::<Account>("upd_validate").await;
    db.put(&account()).await.unwrap();
    let before = raw_item::<Account>(&db, &"a1".to_string()).await.unwrap();
    let f = Account::fields();

    let err = db
        .update::<Account>("a1")
        .set(&f.age, 200u32)
        .set(&f.handle, "  has space  ")
        .set_if_not_exists(&f.plan, "gold")
        .set(
            &f.tags,
            BTreeSet::from(["a".into(), "b".into(), "c".into()]),
        )
        .set(&f.avatar, Binary::from(Vec::new()))
        .await
        .unwrap_err();
    assert_eq!(
        broken_rules(&err, "Account"),
        [
            ("age".to_string(), "range"),
            ("handle".to_string(), "validate"),
            ("plan".to_string(), "one_of"),
            ("tags".to_string(), "length"),
            ("avatar".to_string(), "validate"),
        ]
    );
    let message = err.to_string();
    assert!(message.contains("Account"), "{message}");
    assert!(!message.contains("has space"), "values stay out: {message}");
    assert_eq!(
        raw_item::<Account>(&db, &"a1".to_string()).await.unwrap(),
        before,
        "nothing was written"
    );

    // The dry run refuses too: the request is never built.
    let err = db
        .update::<Account>("a1")
        .set(&f.age, 3u32)
        .to_request()
        .unwrap_err();
    assert_eq!(
        broken_rules(&err, "Account"),
        [("age".to_string(), "range")]
    );
}

#[tokio::test]
async fn update_values_are_transformed_before_validation_and_storage() {
    let db = db_with_table::<Account>("upd_transform").await;
    db.put(&account()).await.unwrap();
    let f = Account::fields();
    // "  ABC  " is too long before the transform, and 3 characters after it.
    let updated = db
        .update::<Account>("a1")
        .set(&f.handle, "  ABC  ")
        .set(&f.age, 40u32)
        .set(&f.avatar, Binary::from(vec![9]))
        .return_all_new()
        .await
        .unwrap();
    assert_eq!(updated.handle, "abc");
    let raw = raw_item::<Account>(&db, &"a1".to_string()).await.unwrap();
    assert_eq!(raw.get("handle"), Some(&s("abc")));
    assert_eq!(raw.get("age"), Some(&n("40")));
    assert_eq!(raw.get("avatar"), Some(&AttributeValue::B(vec![9].into())));
}

// ------------------------------------------------- automatic writes

fn default_role() -> String {
    "member".into()
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "members", timestamps)]
struct Member {
    #[dynamodel(hash_key)]
    id: String,
    name: String,
    #[dynamodel(default_with = default_role)]
    role: String,
    #[dynamodel(default = "active", set = lower)]
    status: Option<String>,
    #[dynamodel(default = 2, force_default)]
    schema_version: u32,
    visits: Option<u64>,
    created_at: u64,
    updated_at: u64,
}

/// Waits until the clock has moved past `t` (so a new timestamp differs).
async fn after(t: u64) {
    while now_ms() <= t {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
}

#[tokio::test]
async fn upsert_applies_created_at_and_defaults_only_where_absent() {
    let db = db_with_table::<Member>("upd_upsert_defaults").await;
    let f = Member::fields();
    let before = now_ms();
    let created = db
        .upsert::<Member>("m1")
        .set(&f.name, "Ada")
        .return_all_new()
        .await
        .unwrap();
    let raw = raw_item::<Member>(&db, &"m1".to_string()).await.unwrap();
    assert_eq!(raw.get("role"), Some(&s("member")), "default_with applied");
    assert_eq!(raw.get("status"), Some(&s("active")), "default applied");
    assert_eq!(
        raw.get("schema_version"),
        Some(&n("2")),
        "force_default applied"
    );
    let created_at = number(&raw, "created_at");
    assert!(created_at >= before, "created_at set on creation");
    assert_eq!(number(&raw, "updated_at"), created_at);
    assert_eq!(created.created_at, created_at);

    // A second upsert finds the item: created_at and the defaults stay (the
    // stored values differ from the defaults now), updated_at moves.
    db.update::<Member>("m1")
        .set(&f.role, "admin")
        .set(&f.status, "  AWAY ")
        .await
        .unwrap();
    after(created_at).await;
    db.upsert::<Member>("m1")
        .set(&f.name, "Ada L.")
        .await
        .unwrap();
    let raw = raw_item::<Member>(&db, &"m1".to_string()).await.unwrap();
    assert_eq!(raw.get("name"), Some(&s("Ada L.")));
    assert_eq!(raw.get("role"), Some(&s("admin")), "default not reapplied");
    assert_eq!(raw.get("status"), Some(&s("away")), "set transform applied");
    assert_eq!(number(&raw, "created_at"), created_at, "created_at kept");
    assert!(
        number(&raw, "updated_at") > created_at,
        "updated_at refreshed"
    );
}

#[tokio::test]
async fn update_refreshes_updated_at_and_forces_force_default() {
    let db = db_with_table::<Member>("upd_updated_at").await;
    let f = Member::fields();
    db.upsert::<Member>("m2")
        .set(&f.name, "Grace")
        .await
        .unwrap();
    // Somebody else stored another schema version.
    db.client()
        .update_item()
        .table_name(db.table_name::<Member>())
        .key("id", s("m2"))
        .update_expression("SET schema_version = :v")
        .expression_attribute_values(":v", n("1"))
        .send()
        .await
        .unwrap();
    let first = number(
        &raw_item::<Member>(&db, &"m2".to_string()).await.unwrap(),
        "updated_at",
    );
    after(first).await;

    let request = db
        .update::<Member>("m2")
        .increment(&f.visits, 1u64)
        .to_request()
        .unwrap();
    let mut names: Vec<&str> = request
        .names()
        .unwrap()
        .values()
        .map(String::as_str)
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["id", "schema_version", "updated_at", "visits"],
        "an update (the item exists) writes no created_at and no defaults"
    );
    db.update::<Member>("m2")
        .increment(&f.visits, 1u64)
        .await
        .unwrap();
    let raw = raw_item::<Member>(&db, &"m2".to_string()).await.unwrap();
    assert_eq!(raw.get("visits"), Some(&n("1")));
    assert_eq!(
        raw.get("schema_version"),
        Some(&n("2")),
        "force_default wins"
    );
    assert!(number(&raw, "updated_at") > first, "updated_at refreshed");
    assert!(number(&raw, "created_at") <= first, "created_at untouched");

    // A value the update writes itself wins over the automatic one.
    db.update::<Member>("m2")
        .set(&f.updated_at, 7u64)
        .set(&f.schema_version, 5u32)
        .await
        .unwrap();
    let raw = raw_item::<Member>(&db, &"m2".to_string()).await.unwrap();
    assert_eq!(raw.get("updated_at"), Some(&n("7")));
    assert_eq!(raw.get("schema_version"), Some(&n("5")));
}

#[tokio::test]
async fn upsert_that_would_create_an_unreadable_item_is_refused() {
    let db = db_with_table::<Member>("upd_required").await;
    let f = Member::fields();
    // `name` has no default: a new item would lack it.
    let err = db
        .upsert::<Member>("m3")
        .increment(&f.visits, 1u64)
        .await
        .unwrap_err();
    assert_eq!(
        broken_rules(&err, "Member"),
        [("name".to_string(), "required")]
    );
    assert!(err.to_string().contains("name"), "{err}");
    assert!(raw_item::<Member>(&db, &"m3".to_string()).await.is_none());

    // `set_if_not_exists` satisfies it without overwriting a stored value.
    db.upsert::<Member>("m3")
        .increment(&f.visits, 1u64)
        .set_if_not_exists(&f.name, "Linus")
        .await
        .unwrap();
    let read = db.get::<Member>("m3").await.unwrap().unwrap();
    assert_eq!(read.name, "Linus");
    assert_eq!(read.visits, Some(1));
    // `update` requires the item, so it may leave attributes alone.
    db.update::<Member>("m3")
        .increment(&f.visits, 1u64)
        .await
        .unwrap();
}

// ------------------------------------------------- exact numbers and binary

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "ledgers")]
struct Ledger {
    #[dynamodel(hash_key)]
    id: String,
    balance: dynamodel::Number,
    digest: Binary,
}

#[tokio::test]
async fn exact_numbers_do_arithmetic_and_compare_and_binary_compares() {
    let db = db_with_table::<Ledger>("upd_numbers").await;
    let f = Ledger::fields();
    let big: dynamodel::Number = "12345678901234567890.5".parse().unwrap();
    db.put(&Ledger {
        id: "l1".into(),
        balance: big,
        digest: Binary::from(vec![1, 2, 3]),
    })
    .await
    .unwrap();
    let cent: dynamodel::Number = "0.25".parse().unwrap();
    db.update::<Ledger>("l1")
        .increment(&f.balance, cent.clone())
        .add(&f.balance.clone(), dynamodel::Number::from(0u8))
        .to_request()
        .unwrap_err(); // two actions on one path: refused before sending
    db.update::<Ledger>("l1")
        .increment(&f.balance, cent)
        .condition(f.balance.gt(dynamodel::Number::from(1_000u32)))
        .condition(f.digest.ge(Binary::from(vec![1, 2])))
        .condition(f.digest.size().eq(3))
        .await
        .unwrap();
    let raw = raw_item::<Ledger>(&db, &"l1".to_string()).await.unwrap();
    assert_eq!(raw.get("balance"), Some(&n("12345678901234567890.75")));

    let err = db
        .update::<Ledger>("l1")
        .decrement(&f.balance, dynamodel::Number::from(1u8))
        .condition(f.digest.lt(Binary::from(vec![1, 2, 3])))
        .await
        .unwrap_err();
    assert!(err.is_conditional_check_failed(), "{err:?}");
}

// ------------------------------------------------- date-time timestamps

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "events", timestamps)]
struct Event {
    #[dynamodel(hash_key)]
    id: String,
    title: String,
    created_at: chrono::DateTime<chrono::Utc>,
    #[dynamodel(date = "iso8601")]
    updated_at: Option<time::OffsetDateTime>,
}

#[tokio::test]
async fn date_time_fields_can_be_timestamps_set_once_per_write() {
    let db = db_with_table::<Event>("upd_date_timestamps").await;
    let before = chrono::DateTime::from_timestamp_millis(now_ms() as i64 - 1).unwrap();
    let saved = db
        .create(&Event {
            id: "e1".into(),
            title: "launch".into(),
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: None,
        })
        .saved()
        .await
        .unwrap();
    let read = db.get::<Event>("e1").await.unwrap().unwrap();
    assert_eq!(saved, read, "saved() returns the item as stored");
    assert!(
        read.created_at >= before,
        "created_at set: {}",
        read.created_at
    );
    let updated = read.updated_at.expect("updated_at set");
    assert_eq!(
        updated.unix_timestamp_nanos(),
        i128::from(read.created_at.timestamp_millis()) * 1_000_000,
        "one clock reading per write"
    );
    let raw = raw_item::<Event>(&db, &"e1".to_string()).await.unwrap();
    assert!(matches!(raw.get("created_at"), Some(AttributeValue::N(_))));
    assert!(matches!(raw.get("updated_at"), Some(AttributeValue::S(_))));

    // Upsert of a new item: both set, equal; of an existing one: created_at kept.
    let f = Event::fields();
    let new = db
        .upsert::<Event>("e2")
        .set(&f.title, "second")
        .return_all_new()
        .await
        .unwrap();
    assert!(new.created_at >= before);
    assert_eq!(
        new.updated_at.unwrap().unix_timestamp_nanos(),
        i128::from(new.created_at.timestamp_millis()) * 1_000_000
    );
    after(new.created_at.timestamp_millis() as u64).await;
    let again = db
        .upsert::<Event>("e2")
        .set(&f.title, "third")
        .return_all_new()
        .await
        .unwrap();
    assert_eq!(again.created_at, new.created_at);
    assert!(again.updated_at.unwrap() > new.updated_at.unwrap());
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "tickets")]
struct Ticket {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(created_at, date = "seconds")]
    opened: chrono::DateTime<chrono::Utc>,
    #[dynamodel(updated_at, date = "seconds")]
    touched: Option<chrono::DateTime<chrono::Utc>>,
}

#[tokio::test]
async fn timestamps_stored_as_exact_seconds_are_set_to_the_whole_second() {
    let db = db_with_table::<Ticket>("upd_second_timestamps").await;
    let before = (now_ms() / 1000) as i64;
    db.put(&Ticket {
        id: "t1".into(),
        opened: chrono::DateTime::UNIX_EPOCH,
        touched: None,
    })
    .await
    .unwrap();
    let created = db
        .upsert::<Ticket>("t2")
        .set_if_not_exists(&Ticket::fields().opened, chrono::DateTime::UNIX_EPOCH)
        .return_all_new()
        .await
        .unwrap();
    assert_eq!(created.opened.timestamp(), 0, "the explicit value wins");
    for id in ["t1", "t2"] {
        let raw = raw_item::<Ticket>(&db, &id.to_string()).await.unwrap();
        let touched = number(&raw, "touched") as i64;
        assert!(touched >= before, "{id}: {raw:?}");
        if id == "t1" {
            assert_eq!(raw.get("opened"), raw.get("touched"), "one clock reading");
        }
    }
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "prices")]
struct Price {
    #[dynamodel(hash_key)]
    sku: String,
    #[dynamodel(range(min = 0, max = 99.99))]
    amount: dynamodel::Number,
}

#[tokio::test]
async fn range_on_exact_numbers_compares_exactly() {
    let db = db_with_table::<Price>("upd_number_range").await;
    let price = |amount: &str| Price {
        sku: "p".into(),
        amount: amount.parse().unwrap(),
    };
    db.put(&price("99.99")).await.unwrap();
    db.put(&price("0")).await.unwrap();
    for bad in ["99.990000000000000000000000001", "-0.0000001", "100"] {
        let err = db.put(&price(bad)).await.unwrap_err();
        assert_eq!(
            broken_rules(&err, "Price"),
            [("amount".to_string(), "range")],
            "{bad}"
        );
    }
    let f = Price::fields();
    let err = db
        .update::<Price>("p")
        .set(&f.amount, "1E+3".parse::<dynamodel::Number>().unwrap())
        .await
        .unwrap_err();
    assert_eq!(
        broken_rules(&err, "Price"),
        [("amount".to_string(), "range")]
    );
    let raw = raw_item::<Price>(&db, &"p".to_string()).await.unwrap();
    assert_eq!(raw.get("amount"), Some(&n("0")), "nothing written");
}
