//! Generated identifiers (`generate = "uuid_v4" | "uuid_v7" | "ulid"`) on
//! keys, key-template fields and plain fields: filled on whole-item writes
//! only when absent, kept when given, read back through `.saved()`, and on
//! upsert written only where absent.

use dynamodel::{Db, Model};
use dynamodel_tests::{db_with_table, item_count, raw_item, s};
use ulid::Ulid;
use uuid::Uuid;

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "gen_users")]
struct User {
    #[dynamodel(hash_key, generate = "uuid_v7")]
    id: String,
    name: String,
    #[dynamodel(generate = "ulid")]
    invite: Option<String>,
}

fn user(id: &str, name: &str) -> User {
    User {
        id: id.into(),
        name: name.into(),
        invite: None,
    }
}

#[tokio::test]
async fn create_fills_an_empty_key_and_saved_returns_it() {
    let db = db_with_table::<User>("gen_create").await;
    let first = db.create(&user("", "Ada")).saved().await.unwrap();
    let second = db.create(&user("", "Grace")).saved().await.unwrap();
    let parsed = Uuid::parse_str(&first.id).unwrap();
    assert_eq!(parsed.get_version_num(), 7);
    assert_ne!(first.id, second.id);
    assert!(first.id < second.id, "v7 text sorts by creation time");
    // The plain generated field was filled too, with a ULID.
    let invite = first.invite.clone().unwrap();
    assert!(Ulid::from_string(&invite).is_ok());
    // What `.saved()` returned is what is stored.
    let raw = raw_item::<User>(&db, &first.id).await.unwrap();
    assert_eq!(raw["id"], s(&first.id));
    assert_eq!(raw["invite"], s(&invite));
    assert_eq!(
        db.get::<User>(first.id.clone()).consistent().await.unwrap(),
        Some(first)
    );
    assert_eq!(item_count::<User>(&db).await, 2);
}

#[tokio::test]
async fn a_given_value_is_kept_and_put_back_keeps_the_id() {
    let db = db_with_table::<User>("gen_given").await;
    let given = User {
        invite: Some("INV-1".into()),
        ..user("u-given", "Ada")
    };
    let saved = db.create(&given).saved().await.unwrap();
    assert_eq!(saved, given);
    // Writing back an item read from the table overwrites it, no new id.
    let read = db
        .get::<User>("u-given".to_string())
        .await
        .unwrap()
        .unwrap();
    db.put(&User {
        name: "Ada L.".into(),
        ..read
    })
    .await
    .unwrap();
    assert_eq!(item_count::<User>(&db).await, 1);
    let raw = raw_item::<User>(&db, &"u-given".to_string()).await.unwrap();
    assert_eq!(raw["name"], s("Ada L."));
    assert_eq!(raw["invite"], s("INV-1"));
}

#[tokio::test]
async fn batch_put_and_transaction_create_generate_each_key() {
    let db = db_with_table::<User>("gen_batch").await;
    let output = db
        .batch_write()
        .put(&user("", "a"))
        .put(&user("", "b"))
        .send()
        .await
        .unwrap();
    assert_eq!(output.written, 2);
    db.transact_write()
        .create(db.create(&user("", "c")))
        .put(db.put(&user("", "d")))
        .send()
        .await
        .unwrap();
    let mut all = db.scan::<User>().all().await.unwrap();
    all.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(all.len(), 4);
    for item in &all {
        assert_eq!(Uuid::parse_str(&item.id).unwrap().get_version_num(), 7);
        assert!(item.invite.is_some());
    }
}

/// A slice batch cannot check a generated key before the item is
/// prepared: empty keys are filled per item, and a key given twice is
/// refused when its second write is prepared (the batch stops there).
#[tokio::test]
async fn a_slice_batch_generates_keys_and_refuses_a_given_key_twice() {
    let db = db_with_table::<User>("gen_slice").await;
    let fresh: Vec<User> = (0..60).map(|i| user("", &format!("n{i}"))).collect();
    assert_eq!(db.batch_put(&fresh).await.unwrap().written, 60);
    assert_eq!(item_count::<User>(&db).await, 60);

    let mut given: Vec<User> = (0..60).map(|i| user(&format!("g{i}"), "g")).collect();
    given[50].id = "g1".into();
    let err = db.batch_put(&given).concurrency(1).await.unwrap_err();
    let incomplete = err.batch_incomplete().expect("an incomplete batch");
    assert_eq!(incomplete.stopped_at(), Some(50), "{err}");
    assert!(
        incomplete
            .cause()
            .is_some_and(|c| c.to_string().contains("item #1")),
        "{err}"
    );
    assert_eq!(item_count::<User>(&db).await, 110);
}

#[tokio::test]
async fn upsert_writes_a_generated_field_only_where_absent() {
    let db = db_with_table::<User>("gen_upsert").await;
    db.upsert::<User>("u-up".to_string())
        .set(&User::fields().name, "Ada".to_string())
        .await
        .unwrap();
    let created = db.get::<User>("u-up".to_string()).await.unwrap().unwrap();
    let invite = created.invite.clone().unwrap();
    assert_eq!(invite.len(), 26);
    db.upsert::<User>("u-up".to_string())
        .set(&User::fields().name, "Ada L.".to_string())
        .await
        .unwrap();
    let again = db.get::<User>("u-up".to_string()).await.unwrap().unwrap();
    assert_eq!(again.invite, Some(invite));
    assert_eq!(again.name, "Ada L.");
}

/// Typed identifiers, a generated sort key, a generated template field.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "gen_typed")]
struct Event {
    #[dynamodel(hash_key, generate = "uuid_v4")]
    stream: Uuid,
    #[dynamodel(range_key, generate = "ulid")]
    seq: Ulid,
    label: String,
}

#[tokio::test]
async fn uuid_and_ulid_fields_are_generated_stored_as_text_and_read_back() {
    let db = db_with_table::<Event>("gen_typed").await;
    let blank = Event {
        stream: Uuid::nil(),
        seq: Ulid::nil(),
        label: "first".into(),
    };
    let saved = db.create(&blank).saved().await.unwrap();
    assert_eq!(saved.stream.get_version_num(), 4);
    assert!(!saved.seq.is_nil());
    let raw = raw_item::<Event>(&db, &(saved.stream, saved.seq))
        .await
        .unwrap();
    assert_eq!(raw["stream"], s(&saved.stream.hyphenated().to_string()));
    assert_eq!(raw["seq"], s(&saved.seq.to_string()));
    assert_eq!(
        db.get::<Event>((saved.stream, saved.seq)).await.unwrap(),
        Some(saved.clone())
    );
    // A later ULID in the same partition sorts after the first.
    std::thread::sleep(std::time::Duration::from_millis(2));
    let second = Event {
        stream: saved.stream,
        label: "second".into(),
        ..blank
    };
    db.create(&second).await.unwrap();
    let page = db.query::<Event>(saved.stream).all().await.unwrap();
    let labels: Vec<_> = page.iter().map(|e| e.label.as_str()).collect();
    assert_eq!(labels, ["first", "second"]);
    let after_first = db
        .query::<Event>(saved.stream)
        .sort_gt(saved.seq)
        .all()
        .await
        .unwrap();
    assert_eq!(after_first.len(), 1);
    assert_eq!(after_first[0].label, "second");
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "gen_tpl", pk = "ORDER#{order_id}", sk = "META")]
struct Order {
    #[dynamodel(generate = "ulid")]
    order_id: String,
    total: i64,
}

#[tokio::test]
async fn a_generated_template_field_is_filled_before_the_key_step() {
    let db: Db = db_with_table::<Order>("gen_tpl").await;
    let saved = db
        .create(&Order {
            order_id: String::new(),
            total: 5,
        })
        .saved()
        .await
        .unwrap();
    assert_eq!(saved.order_id.len(), 26);
    let raw = raw_item::<Order>(&db, &saved.order_id).await.unwrap();
    assert_eq!(raw["pk"], s(&format!("ORDER#{}", saved.order_id)));
    assert_eq!(raw["order_id"], s(&saved.order_id));
    assert_eq!(
        db.get::<Order>(saved.order_id.clone()).await.unwrap(),
        Some(saved)
    );
}
