//! Updates from a partial value (`{Model}Patch`, `Update::patch`) and from
//! the fields changed since an item was read (`Tracked`, `save_changes`):
//! the same per-attribute pipeline as `set`, checked in the raw stored
//! items of DynamoDB Local.

use std::collections::BTreeSet;

use dynamodel::ops::Tracked;
use dynamodel::{AttributeValue, Error, Model};
use dynamodel_tests::fault::FaultConfig;
use dynamodel_tests::{db_through_proxy, db_with_table, fault_proxy, n, now_ms, raw_item, s};

fn lower(v: String) -> String {
    v.trim().to_lowercase()
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "profiles", timestamps)]
struct Profile {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(set = lower, length(min = 3, max = 12))]
    handle: String,
    #[dynamodel(range(min = 18, max = 130))]
    age: u32,
    nickname: Option<String>,
    #[dynamodel(null)]
    motto: Option<String>,
    tags: BTreeSet<String>,
    #[dynamodel(version)]
    version: u64,
    created_at: u64,
    updated_at: u64,
}

fn profile() -> Profile {
    Profile {
        id: "p1".into(),
        handle: "adalove".into(),
        age: 36,
        nickname: Some("ada".into()),
        motto: Some("compute".into()),
        tags: BTreeSet::from(["math".to_string()]),
        version: 0,
        created_at: 0,
        updated_at: 0,
    }
}

fn number(item: &dynamodel::Item, name: &str) -> u64 {
    match item.get(name) {
        Some(AttributeValue::N(v)) => v.parse().unwrap(),
        other => panic!("`{name}` is not a number: {other:?}"),
    }
}

async fn stored(db: &dynamodel::Db) -> dynamodel::Item {
    raw_item::<Profile>(db, &"p1".to_string()).await.unwrap()
}

/// Waits until the clock has moved past `t` (so a new timestamp differs).
async fn after(t: u64) {
    while now_ms() <= t {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
}

#[tokio::test]
async fn patch_writes_only_the_fields_given_through_the_set_pipeline() {
    let db = db_with_table::<Profile>("patch_fields").await;
    db.put(&profile()).await.unwrap();
    let before = stored(&db).await;
    after(number(&before, "updated_at")).await;

    let patch = ProfilePatch {
        handle: Some("  ADA  ".into()),
        ..ProfilePatch::default()
    };
    let updated = db
        .update::<Profile>("p1")
        .patch(patch)
        .return_all_new()
        .await
        .unwrap();
    assert_eq!(updated.handle, "ada", "the set transform ran");
    let raw = stored(&db).await;
    assert_eq!(raw.get("handle"), Some(&s("ada")));
    for untouched in ["age", "nickname", "motto", "tags", "created_at"] {
        assert_eq!(raw.get(untouched), before.get(untouched), "{untouched}");
    }
    assert_eq!(raw.get("version"), Some(&n("2")), "version bumped");
    assert!(number(&raw, "updated_at") > number(&before, "updated_at"));

    // The request names exactly the patched attribute plus the automatic ones.
    let request = db
        .update::<Profile>("p1")
        .patch(ProfilePatch {
            age: Some(40),
            ..ProfilePatch::default()
        })
        .to_request()
        .unwrap();
    let mut names: Vec<&str> = request
        .names()
        .unwrap()
        .values()
        .map(String::as_str)
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["age", "id", "updated_at", "version"]);
}

#[tokio::test]
async fn patch_removes_an_option_field_with_some_none_and_an_empty_set() {
    let db = db_with_table::<Profile>("patch_remove").await;
    db.put(&profile()).await.unwrap();
    let patch = ProfilePatch {
        nickname: Some(None),
        motto: Some(None),
        tags: Some(BTreeSet::new()),
        age: Some(37),
        ..ProfilePatch::default()
    };
    let debug = format!("{patch:?}");
    assert_eq!(
        debug,
        "ProfilePatch { age: <set>, nickname: <remove>, motto: <remove>, tags: <set> }"
    );
    db.update::<Profile>("p1").patch(patch).await.unwrap();
    let raw = stored(&db).await;
    assert_eq!(raw.get("nickname"), None, "Some(None) removes");
    assert_eq!(
        raw.get("motto"),
        Some(&AttributeValue::Null(true)),
        "a `null` field stores NULL, as a whole-item write does"
    );
    assert_eq!(raw.get("tags"), None, "an empty set stores no attribute");
    assert_eq!(raw.get("age"), Some(&n("37")));
    let read = db.get::<Profile>("p1").await.unwrap().unwrap();
    assert_eq!((read.nickname, read.motto), (None, None));

    // Some(Some(v)) writes it back.
    db.update::<Profile>("p1")
        .patch(ProfilePatch {
            nickname: Some(Some("countess".into())),
            ..ProfilePatch::default()
        })
        .await
        .unwrap();
    assert_eq!(stored(&db).await.get("nickname"), Some(&s("countess")));
}

#[tokio::test]
async fn patch_values_are_validated_naming_the_attributes_and_nothing_is_sent() {
    let db = db_with_table::<Profile>("patch_validate").await;
    db.put(&profile()).await.unwrap();
    let before = stored(&db).await;
    let err = db
        .update::<Profile>("p1")
        .patch(ProfilePatch {
            handle: Some("x".into()),
            age: Some(7),
            nickname: Some(Some("fine".into())),
            ..ProfilePatch::default()
        })
        .await
        .unwrap_err();
    match &err {
        Error::Validation { model, errors } => {
            assert_eq!(*model, "Profile");
            let broken: Vec<(&str, &str)> = errors
                .errors()
                .iter()
                .map(|e| (e.path.as_str(), e.rule))
                .collect();
            assert_eq!(broken, [("handle", "length"), ("age", "range")]);
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(stored(&db).await, before, "nothing was written");
}

#[tokio::test]
async fn patch_with_a_stale_version_is_a_version_conflict() {
    let db = db_with_table::<Profile>("patch_version").await;
    db.put(&profile()).await.unwrap();
    let err = db
        .update::<Profile>("p1")
        .patch(ProfilePatch {
            age: Some(50),
            ..ProfilePatch::default()
        })
        .if_version(7)
        .await
        .unwrap_err();
    assert!(err.is_version_conflict(), "{err:?}");
    assert_eq!(stored(&db).await.get("age"), Some(&n("36")));
    db.update::<Profile>("p1")
        .patch(ProfilePatch {
            age: Some(50),
            ..ProfilePatch::default()
        })
        .if_version(1)
        .await
        .unwrap();
    assert_eq!(stored(&db).await.get("age"), Some(&n("50")));
}

#[tokio::test]
async fn an_empty_patch_is_refused_before_sending() {
    let db = db_with_table::<Profile>("patch_empty").await;
    db.put(&profile()).await.unwrap();
    let before = stored(&db).await;
    let err = db
        .update::<Profile>("p1")
        .patch(ProfilePatch::default())
        .await
        .unwrap_err();
    match &err {
        Error::InvalidRequest { model, message } => {
            assert_eq!(*model, "Profile");
            assert!(message.contains("patch sets no field"), "{message}");
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert_eq!(stored(&db).await, before, "not even the version moved");
    // Combined with another write, an empty patch is just nothing more.
    let f = Profile::fields();
    db.update::<Profile>("p1")
        .patch(ProfilePatch::default())
        .increment(&f.age, 1u32)
        .await
        .unwrap();
    assert_eq!(stored(&db).await.get("age"), Some(&n("37")));
}

#[tokio::test]
async fn tracked_save_writes_exactly_the_changed_attributes_in_one_request() {
    let db = db_with_table::<Profile>("tracked_save").await;
    db.put(&profile()).await.unwrap();
    let proxy = fault_proxy(FaultConfig::seeded(1)).await;
    let counted = db_through_proxy::<Profile>(&db, &proxy);

    let mut tracked = counted
        .get::<Profile>("p1")
        .consistent()
        .tracked()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(format!("{tracked:?}"), "Tracked { model: \"Profile\", .. }");
    let requests = proxy.stats().requests;
    assert!(!counted.save_changes(&mut tracked).await.unwrap());
    assert_eq!(
        proxy.stats().requests,
        requests,
        "nothing changed: no request"
    );

    // Somebody else changes `age` meanwhile without a version: our save of
    // `handle` must not write `age` back.
    db.client()
        .update_item()
        .table_name(db.table_name::<Profile>())
        .key("id", s("p1"))
        .update_expression("SET age = :a")
        .expression_attribute_values(":a", n("99"))
        .send()
        .await
        .unwrap();
    let loaded_updated_at = tracked.updated_at;
    after(loaded_updated_at).await;
    tracked.handle = "  GRACE ".into();
    tracked.nickname = None;
    tracked.tags.insert("navy".into());
    assert_eq!(
        tracked.changed_attributes().unwrap(),
        ["handle", "nickname", "tags"]
    );
    assert!(counted.save_changes(&mut tracked).await.unwrap());
    assert_eq!(proxy.stats().requests, requests + 1, "one UpdateItem");
    let raw = stored(&db).await;
    assert_eq!(raw.get("handle"), Some(&s("grace")), "set transform ran");
    assert_eq!(raw.get("nickname"), None, "None removes");
    assert_eq!(
        raw.get("tags"),
        Some(&AttributeValue::Ss(vec!["math".into(), "navy".into()]))
    );
    assert_eq!(
        raw.get("age"),
        Some(&n("99")),
        "unchanged fields not written"
    );
    assert_eq!(raw.get("motto"), Some(&s("compute")));
    // The tracked value is the stored item now, and tracks from there.
    assert_eq!(tracked.handle, "grace");
    assert_eq!(tracked.age, 99);
    assert_eq!(tracked.version, 2);
    assert!(tracked.updated_at > loaded_updated_at, "updated_at written");
    assert!(tracked.changed_attributes().unwrap().is_empty());
    assert!(!counted.save_changes(&mut tracked).await.unwrap());
    assert_eq!(proxy.stats().requests, requests + 1);
}

#[tokio::test]
async fn tracked_save_checks_the_version_read() {
    let db = db_with_table::<Profile>("tracked_version").await;
    db.put(&profile()).await.unwrap();
    let mut mine = db
        .get::<Profile>("p1")
        .consistent()
        .tracked()
        .await
        .unwrap()
        .unwrap();
    let mut theirs = db
        .get::<Profile>("p1")
        .consistent()
        .tracked()
        .await
        .unwrap()
        .unwrap();
    theirs.age = 40;
    assert!(db.save_changes(&mut theirs).await.unwrap());
    mine.handle = "stale".into();
    let err = db.save_changes(&mut mine).await.unwrap_err();
    assert!(err.is_version_conflict(), "{err:?}");
    assert_eq!(mine.handle, "stale", "the changes are kept for a retry");
    let raw = stored(&db).await;
    assert_eq!(raw.get("handle"), Some(&s("adalove")));
    assert_eq!(raw.get("age"), Some(&n("40")));
}

#[tokio::test]
async fn tracked_save_refuses_a_changed_key_before_sending() {
    let db = db_with_table::<Profile>("tracked_key").await;
    db.put(&profile()).await.unwrap();
    let before = stored(&db).await;
    let mut tracked = Tracked::new(db.get::<Profile>("p1").await.unwrap().unwrap()).unwrap();
    tracked.id = "p2".into();
    tracked.age = 41;
    let err = db.save_changes(&mut tracked).await.unwrap_err();
    match &err {
        Error::InvalidRequest { model, message } => {
            assert_eq!(*model, "Profile");
            assert!(message.starts_with("`id` changed"), "{message}");
            assert!(message.contains("primary key"), "{message}");
            assert!(!message.contains("p2"), "no values: {message}");
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    // A changed version or timestamp is refused the same way.
    tracked.id = "p1".into();
    tracked.version = 9;
    let err = db.save_changes(&mut tracked).await.unwrap_err();
    assert!(err.to_string().contains("version attribute"), "{err}");
    assert_eq!(stored(&db).await, before, "nothing was written");
    assert_eq!(
        raw_item::<Profile>(&db, &"p2".to_string()).await,
        None,
        "no item under the new key"
    );
}

// ------------------------------------------- fields stored through adapters

fn after_2000(v: &chrono::DateTime<chrono::Utc>) -> Result<(), &'static str> {
    if v.timestamp() < 946_684_800 {
        Err("must be after 2000")
    } else {
        Ok(())
    }
}

fn non_empty(v: &[u8]) -> Result<(), &'static str> {
    if v.is_empty() {
        Err("must not be empty")
    } else {
        Ok(())
    }
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "sessions")]
struct Session {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(date = "seconds", validate = after_2000)]
    seen: chrono::DateTime<chrono::Utc>,
    #[dynamodel(date = "iso8601")]
    ends: Option<chrono::DateTime<chrono::Utc>>,
    #[dynamodel(validate = non_empty)]
    token: Vec<u8>,
}

fn at(secs: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(secs, 0).unwrap()
}

#[tokio::test]
async fn patch_and_tracked_save_store_through_the_fields_storage() {
    let db = db_with_table::<Session>("patch_adapters").await;
    let session = Session {
        id: "s1".into(),
        seen: at(1_700_000_000),
        ends: Some(at(1_800_000_000)),
        token: vec![1],
    };
    db.put(&session).await.unwrap();
    let raw_session = |db: dynamodel::Db| async move {
        raw_item::<Session>(&db, &"s1".to_string()).await.unwrap()
    };

    db.update::<Session>("s1")
        .patch(SessionPatch {
            seen: Some(at(1_700_000_060)),
            token: Some(vec![2, 3]),
            ends: Some(None),
        })
        .await
        .unwrap();
    let raw = raw_session(db.clone()).await;
    assert_eq!(raw.get("seen"), Some(&n("1700000060")), "epoch seconds");
    assert_eq!(
        raw.get("token"),
        Some(&AttributeValue::B(vec![2, 3].into())),
        "binary"
    );
    assert_eq!(raw.get("ends"), None);

    // Validation runs on the field's own type, naming the attribute.
    let err = db
        .update::<Session>("s1")
        .patch(SessionPatch {
            seen: Some(at(100)),
            token: Some(Vec::new()),
            ..SessionPatch::default()
        })
        .await
        .unwrap_err();
    match &err {
        Error::Validation { model, errors } => {
            assert_eq!(*model, "Session");
            let broken: Vec<(&str, &str)> = errors
                .errors()
                .iter()
                .map(|e| (e.path.as_str(), e.rule))
                .collect();
            assert_eq!(broken, [("seen", "validate"), ("token", "validate")]);
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    // Storage in seconds refuses what it would cut.
    let precise = chrono::DateTime::from_timestamp(1_700_000_000, 5).unwrap();
    let err = db
        .update::<Session>("s1")
        .patch(SessionPatch {
            seen: Some(precise),
            ..SessionPatch::default()
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("seen"), "{err}");

    // A tracked save compares the stored forms: only `ends` changed.
    let mut tracked = db
        .get::<Session>("s1")
        .consistent()
        .tracked()
        .await
        .unwrap()
        .unwrap();
    tracked.ends = Some(at(1_900_000_000));
    assert_eq!(tracked.changed_attributes().unwrap(), ["ends"]);
    let request = db.update::<Session>("s1").patch(SessionPatch {
        ends: Some(Some(at(1_900_000_000))),
        ..SessionPatch::default()
    });
    assert_eq!(
        request.to_request().unwrap().names().unwrap().len(),
        2,
        "ends and the key condition"
    );
    assert!(db.save_changes(&mut tracked).await.unwrap());
    let raw = raw_session(db.clone()).await;
    assert_eq!(raw.get("ends"), Some(&s("2030-03-17T17:46:40.000Z")));
    assert_eq!(raw.get("seen"), Some(&n("1700000060")));
}
