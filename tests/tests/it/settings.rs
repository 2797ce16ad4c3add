//! Schema settings: rename_all, defaults, validation, transforms, skip,
//! timestamps, the unknown catch-all and hooks, written to DynamoDB Local and
//! checked in the raw stored item.

use std::collections::HashMap;

use dynamodel::pipeline::WriteKind;
use dynamodel::settings::BoxError;
use dynamodel::{AttributeValue, Hooks, Model, ValidationErrors};
use dynamodel_tests::{db_with_table, item_count, n, now_ms, raw_item, s};

// ---------------------------------------------------------------- rename_all

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "renamed", rename_all = "camelCase")]
struct Renamed {
    #[dynamodel(hash_key)]
    user_id: String,
    display_name: String,
    #[dynamodel(rename = "EXPLICIT")]
    given_name: String,
}

#[tokio::test]
async fn rename_all_names_stored_attributes_and_rename_wins() {
    let db = db_with_table::<Renamed>("rename_all").await;
    let item = Renamed {
        user_id: "u1".into(),
        display_name: "Ada".into(),
        given_name: "Augusta".into(),
    };
    db.put(&item).await.unwrap();
    let raw = raw_item::<Renamed>(&db, &"u1".to_string()).await.unwrap();
    let mut names: Vec<_> = raw.keys().cloned().collect();
    names.sort();
    assert_eq!(names, ["EXPLICIT", "displayName", "userId"]);
    assert_eq!(Renamed::key_schema().hash.name, "userId");
    assert_eq!(
        db.get::<Renamed>("u1").consistent().await.unwrap(),
        Some(item)
    );
}

#[derive(Model, Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
#[dynamodel(table = "serde_agree", rename_all = "PascalCase")]
struct SerdeAgrees {
    #[dynamodel(hash_key)]
    user_id: String,
    #[serde(rename = "Nick")]
    #[dynamodel(rename = "Nick")]
    nickname: String,
}

#[tokio::test]
async fn rename_all_matching_serde_stores_serde_names() {
    let db = db_with_table::<SerdeAgrees>("serde_agree").await;
    let item = SerdeAgrees {
        user_id: "u1".into(),
        nickname: "ada".into(),
    };
    db.put(&item).await.unwrap();
    let raw = raw_item::<SerdeAgrees>(&db, &"u1".to_string())
        .await
        .unwrap();
    let json = serde_json::to_value(&item).unwrap();
    let mut json_names: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
    let mut stored: Vec<_> = raw.keys().cloned().collect();
    json_names.sort();
    stored.sort();
    assert_eq!(stored, json_names);
}

// ---------------------------------------------------------------- defaults

fn default_role() -> String {
    "member".into()
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "defaults")]
struct Defaults {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(default = "pending")]
    status: Option<String>,
    #[dynamodel(default = 3)]
    retries: Option<u32>,
    #[dynamodel(default_with = default_role)]
    role: String,
    #[dynamodel(default = 2, force_default)]
    schema_version: u32,
    #[dynamodel(default = vec!["a".to_string()])]
    tags: Vec<String>,
}

fn bare(id: &str) -> Defaults {
    Defaults {
        id: id.into(),
        status: None,
        retries: None,
        role: String::new(),
        schema_version: 0,
        tags: vec![],
    }
}

#[tokio::test]
async fn defaults_fill_absent_values_and_force_default_always_wins() {
    let db = db_with_table::<Defaults>("defaults").await;
    let item = bare("d1");
    db.create(&item).await.unwrap();
    // The caller's value is not changed: the pipeline works on a copy.
    assert_eq!(item, bare("d1"));
    let raw = raw_item::<Defaults>(&db, &"d1".to_string()).await.unwrap();
    assert_eq!(raw.get("status"), Some(&s("pending")));
    assert_eq!(raw.get("retries"), Some(&n("3")));
    assert_eq!(raw.get("role"), Some(&s("member")));
    assert_eq!(raw.get("schema_version"), Some(&n("2")));
    assert_eq!(raw.get("tags"), Some(&AttributeValue::L(vec![s("a")])));

    // Present values are kept, except the forced one; put applies them too.
    let explicit = Defaults {
        id: "d2".into(),
        status: Some("done".into()),
        retries: Some(0),
        role: "admin".into(),
        schema_version: 7,
        tags: vec!["x".into()],
    };
    db.put(&explicit).await.unwrap();
    let read = db
        .get::<Defaults>("d2")
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        read,
        Defaults {
            schema_version: 2,
            ..explicit
        }
    );
}

// ---------------------------------------------------------------- validation

fn no_spaces(v: &str) -> Result<(), String> {
    if v.contains(' ') {
        Err("must not contain spaces".into())
    } else {
        Ok(())
    }
}

fn dates_in_order(m: &Signup) -> Result<(), String> {
    match m.ends {
        Some(ends) if ends < m.starts => Err("ends before it starts".into()),
        _ => Ok(()),
    }
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "signups", validate = dates_in_order)]
struct Signup {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(range(min = 18, max = 130))]
    age: u32,
    #[dynamodel(range(min = -1.5, max = 1.5))]
    ratio: f64,
    #[dynamodel(length(min = 5, max = 20), validate = no_spaces)]
    username: String,
    #[dynamodel(length(max = 2))]
    tags: Vec<String>,
    #[dynamodel(one_of("free", "pro"))]
    plan: String,
    #[dynamodel(regex = "^[^@]+@[^@]+$")]
    email: Option<String>,
    starts: u64,
    ends: Option<u64>,
}

fn valid_signup() -> Signup {
    Signup {
        id: "s1".into(),
        age: 30,
        ratio: 0.5,
        username: "adalove".into(),
        tags: vec!["a".into()],
        plan: "pro".into(),
        email: Some("ada@example.com".into()),
        starts: 10,
        ends: Some(20),
    }
}

#[tokio::test]
async fn valid_items_are_written() {
    let db = db_with_table::<Signup>("valid").await;
    let item = Signup {
        email: None,
        ..valid_signup()
    };
    db.create(&item).await.unwrap();
    assert_eq!(item.validate(), Ok(()));
    assert_eq!(
        db.get::<Signup>("s1").consistent().await.unwrap(),
        Some(item)
    );
}

#[tokio::test]
async fn every_broken_rule_is_reported_and_nothing_is_written() {
    let db = db_with_table::<Signup>("invalid").await;
    let bad = Signup {
        id: "s1".into(),
        age: 12,
        ratio: 2.0,
        username: "a b".into(),
        tags: vec!["a".into(), "b".into(), "c".into()],
        plan: "gold".into(),
        email: Some("secret-person.example.com".into()),
        starts: 20,
        ends: Some(10),
    };
    for kind in ["create", "put"] {
        let err = if kind == "create" {
            db.create(&bad).await.unwrap_err()
        } else {
            db.put(&bad).await.unwrap_err()
        };
        assert!(err.is_validation(), "{kind}: {err}");
        let errors = err.validation_errors().unwrap();
        let found: Vec<(&str, &str)> = errors
            .errors()
            .iter()
            .map(|e| (e.path.as_str(), e.rule))
            .collect();
        assert_eq!(
            found,
            [
                ("age", "range"),
                ("ratio", "range"),
                ("username", "length"),
                ("username", "validate"),
                ("tags", "length"),
                ("plan", "one_of"),
                ("email", "regex"),
                ("", "validate"),
            ],
            "{kind}"
        );
        let message = err.to_string();
        assert!(message.contains("Signup"), "{message}");
        assert!(
            message.contains("length 3 is below the minimum 5"),
            "{message}"
        );
        assert!(
            message.contains("value is below the minimum 18"),
            "{message}"
        );
        assert!(message.contains("ends before it starts"), "{message}");
        assert!(
            !message.contains("secret-person") && !message.contains("gold"),
            "values are not in messages: {message}"
        );
    }
    assert_eq!(item_count::<Signup>(&db).await, 0, "nothing was sent");
}

#[test]
fn validation_errors_nest_under_a_prefix() {
    let mut inner = ValidationErrors::new();
    inner.add("zip", "length", "length 3 is below the minimum 5");
    inner.add("", "validate", "whole address");
    let mut outer = ValidationErrors::new();
    outer.nest("address", inner);
    let paths: Vec<_> = outer.errors().iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["address.zip", "address"]);
    assert_eq!(outer.for_path("address.zip").count(), 1);
}

// ---------------------------------------------------------------- transforms

fn trim_lower(v: String) -> String {
    v.trim().to_lowercase()
}

fn shout(v: String) -> String {
    v.to_uppercase()
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "contacts")]
struct Contact {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(set = trim_lower, regex = "^[a-z@.]+$")]
    email: String,
    #[dynamodel(set = trim_lower, get = shout)]
    city: Option<String>,
}

#[tokio::test]
async fn set_runs_before_validation_and_storage_get_after_reading() {
    let db = db_with_table::<Contact>("transforms").await;
    let item = Contact {
        id: "c1".into(),
        email: "  Ada@Example.COM ".into(),
        city: Some(" London".into()),
    };
    // The regex only accepts lowercase without spaces: it sees the set value.
    db.put(&item).await.unwrap();
    let raw = raw_item::<Contact>(&db, &"c1".to_string()).await.unwrap();
    assert_eq!(raw.get("email"), Some(&s("ada@example.com")));
    assert_eq!(raw.get("city"), Some(&s("london")));
    let read = db.get::<Contact>("c1").consistent().await.unwrap().unwrap();
    assert_eq!(read.email, "ada@example.com");
    assert_eq!(read.city.as_deref(), Some("LONDON"));
}

#[tokio::test]
async fn condition_and_update_values_pass_through_the_set_transform() {
    let db = db_with_table::<Contact>("transform_exprs").await;
    let item = Contact {
        id: "c1".into(),
        email: "ada@example.com".into(),
        city: None,
    };
    db.put(&item).await.unwrap();
    let fields = Contact::fields();
    // "  ADA@Example.com" only matches the stored value after `set`.
    db.delete::<Contact>("c1")
        .condition(fields.email.eq("  ADA@Example.com"))
        .to_request()
        .map(|request| {
            let values = request.values().cloned().unwrap_or_default();
            assert!(values.values().any(|v| v == &s("ada@example.com")));
        })
        .unwrap();
    db.update::<Contact>("c1")
        .set(&fields.city, " PARIS ")
        .condition(fields.email.eq("  ADA@Example.com"))
        .await
        .unwrap();
    let raw = raw_item::<Contact>(&db, &"c1".to_string()).await.unwrap();
    assert_eq!(raw.get("city"), Some(&s("paris")));
}

// ---------------------------------------------------------------- skip

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "skips", rename_all = "PascalCase")]
struct WithSkip {
    #[dynamodel(hash_key)]
    id: String,
    name: String,
    #[dynamodel(skip)]
    cached_len: usize,
}

#[tokio::test]
async fn skip_fields_are_never_stored_and_default_on_read() {
    let db = db_with_table::<WithSkip>("skip").await;
    db.put(&WithSkip {
        id: "k1".into(),
        name: "Ada".into(),
        cached_len: 3,
    })
    .await
    .unwrap();
    let raw = raw_item::<WithSkip>(&db, &"k1".to_string()).await.unwrap();
    let mut names: Vec<_> = raw.keys().cloned().collect();
    names.sort();
    assert_eq!(names, ["Id", "Name"], "skip fields have no attribute");
    let read = db
        .get::<WithSkip>("k1")
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.cached_len, 0);
}

// ---------------------------------------------------------------- timestamps

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "posts", timestamps)]
struct Post {
    #[dynamodel(hash_key)]
    id: String,
    body: String,
    created_at: u64,
    updated_at: i64,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "notes", rename_all = "camelCase")]
struct Note {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(created_at)]
    made: Option<i64>,
    #[dynamodel(updated_at)]
    touched: Option<u64>,
}

#[tokio::test]
async fn timestamps_created_on_create_kept_on_put_updated_every_write() {
    let db = db_with_table::<Post>("timestamps").await;
    let before = now_ms();
    db.create(&Post {
        id: "p1".into(),
        body: "hi".into(),
        created_at: 0,
        updated_at: 0,
    })
    .await
    .unwrap();
    let first = db.get::<Post>("p1").consistent().await.unwrap().unwrap();
    assert!(first.created_at >= before, "{first:?}");
    assert!(first.updated_at as u64 >= before);
    let raw = raw_item::<Post>(&db, &"p1".to_string()).await.unwrap();
    assert_eq!(
        raw.get("created_at"),
        Some(&n(&first.created_at.to_string()))
    );

    // Read, modify, put: created_at is kept, updated_at moves on.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let edited = Post {
        body: "edited".into(),
        ..first.clone()
    };
    db.put(&edited).await.unwrap();
    let second = db.get::<Post>("p1").consistent().await.unwrap().unwrap();
    assert_eq!(second.created_at, first.created_at);
    assert!(second.updated_at > first.updated_at);

    // A put of a value built in code (created_at unset) fills created_at.
    db.put(&Post {
        id: "p2".into(),
        body: "new".into(),
        created_at: 0,
        updated_at: 0,
    })
    .await
    .unwrap();
    let third = db.get::<Post>("p2").consistent().await.unwrap().unwrap();
    assert!(third.created_at >= before);

    // create always stamps, even over a copied value.
    db.create(&Post {
        id: "p3".into(),
        created_at: 1,
        ..first
    })
    .await
    .unwrap();
    let fourth = db.get::<Post>("p3").consistent().await.unwrap().unwrap();
    assert!(fourth.created_at >= before);
}

#[tokio::test]
async fn custom_timestamp_fields_use_their_stored_names() {
    let db = db_with_table::<Note>("custom_timestamps").await;
    let before = now_ms() as i64;
    db.create(&Note {
        id: "n1".into(),
        made: None,
        touched: None,
    })
    .await
    .unwrap();
    let raw = raw_item::<Note>(&db, &"n1".to_string()).await.unwrap();
    let AttributeValue::N(made) = raw.get("made").unwrap() else {
        panic!("made is a number: {raw:?}")
    };
    assert!(made.parse::<i64>().unwrap() >= before);
    assert!(raw.contains_key("touched"));
}

// ---------------------------------------------------------------- unknown

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "profiles")]
struct Profile {
    #[dynamodel(hash_key)]
    id: String,
    name: String,
    nickname: Option<String>,
    #[dynamodel(unknown)]
    extra: HashMap<String, AttributeValue>,
}

#[tokio::test]
async fn unknown_attributes_survive_read_modify_put() {
    let db = db_with_table::<Profile>("unknown").await;
    // Written by another service, with attributes this model does not declare.
    db.client()
        .put_item()
        .table_name(db.table_name::<Profile>())
        .item("id", s("p1"))
        .item("name", s("Ada"))
        .item("legacy_score", n("42"))
        .item("flags", AttributeValue::L(vec![AttributeValue::Bool(true)]))
        .send()
        .await
        .unwrap();
    let mut read = db.get::<Profile>("p1").consistent().await.unwrap().unwrap();
    assert_eq!(read.extra.len(), 2, "{:?}", read.extra);
    assert_eq!(read.extra.get("legacy_score"), Some(&n("42")));

    read.name = "Ada Lovelace".into();
    // A catch-all entry that shadows a declared attribute is never written:
    // the declared field (here absent) wins.
    read.extra.insert("nickname".into(), s("ignored"));
    db.put(&read).await.unwrap();
    let raw = raw_item::<Profile>(&db, &"p1".to_string()).await.unwrap();
    assert_eq!(raw.get("name"), Some(&s("Ada Lovelace")));
    assert_eq!(raw.get("legacy_score"), Some(&n("42")));
    assert_eq!(
        raw.get("flags"),
        Some(&AttributeValue::L(vec![AttributeValue::Bool(true)]))
    );
    assert!(!raw.contains_key("nickname"));
    assert!(!raw.contains_key("extra"));
}

// ---------------------------------------------------------------- hooks

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "hooked", hooks)]
struct Hooked {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(length(min = 1))]
    slug: String,
    title: String,
    #[dynamodel(skip)]
    loaded: bool,
    #[dynamodel(skip)]
    saved_as: Option<String>,
}

impl Hooks for Hooked {
    fn before_save(&mut self, kind: WriteKind) -> Result<(), BoxError> {
        if self.title == "forbidden" {
            return Err("titles may not be `forbidden`".into());
        }
        // Runs before validation: the slug it derives satisfies `length`.
        self.slug = self.title.to_lowercase().replace(' ', "-");
        self.saved_as = Some(format!("{kind:?}"));
        Ok(())
    }

    fn after_load(&mut self) -> Result<(), BoxError> {
        self.loaded = true;
        Ok(())
    }
}

#[tokio::test]
async fn hooks_run_before_save_and_after_load() {
    let db = db_with_table::<Hooked>("hooks").await;
    let item = Hooked {
        id: "h1".into(),
        slug: String::new(),
        title: "Hello World".into(),
        loaded: false,
        saved_as: None,
    };
    db.create(&item).await.unwrap();
    let raw = raw_item::<Hooked>(&db, &"h1".to_string()).await.unwrap();
    assert_eq!(raw.get("slug"), Some(&s("hello-world")));
    let read = db.get::<Hooked>("h1").consistent().await.unwrap().unwrap();
    assert!(read.loaded);

    let err = db
        .put(&Hooked {
            id: "h2".into(),
            title: "forbidden".into(),
            ..item
        })
        .await
        .unwrap_err();
    assert!(err.is_hook(), "{err}");
    assert!(err.to_string().contains("before_save"), "{err}");
    assert!(raw_item::<Hooked>(&db, &"h2".to_string()).await.is_none());
}
