//! Typed conditions, updates, conditional writes, optimistic locking and dry
//! runs, against DynamoDB Local.

use std::collections::{BTreeSet, HashMap};

use dynamodel::expr::{
    Addable, AttributeType, Condition, Containable, Field, HasSize, Path, SetAttribute,
};
use dynamodel::{Attribute, AttributeValue, ConvertError, Db, Error, Model};
use dynamodel_tests::{db_with_table, raw_item};

/// A string set (SS), as a user would define one.
#[derive(Debug, Clone, PartialEq, Default)]
struct Tags(BTreeSet<String>);

impl Tags {
    fn of(items: &[&str]) -> Self {
        Tags(items.iter().map(|s| s.to_string()).collect())
    }
}

impl Attribute for Tags {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        if self.0.is_empty() {
            return Ok(None);
        }
        Ok(Some(AttributeValue::Ss(self.0.iter().cloned().collect())))
    }
    fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
        match value {
            None => Ok(Tags::default()),
            Some(AttributeValue::Ss(list)) => Ok(Tags(list.into_iter().collect())),
            Some(_) => Err(ConvertError::Invalid("expected SS".into())),
        }
    }
}
impl SetAttribute for Tags {
    type Element = String;
}
impl Addable for Tags {}
impl Containable for Tags {
    type Element = String;
}
impl HasSize for Tags {}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "profiles")]
struct Profile {
    #[dynamodel(hash_key)]
    id: String,
    name: String,
    #[dynamodel(rename = "status")]
    state: String,
    age: u32,
    active: bool,
    score: f64,
    nickname: Option<String>,
    prefs: HashMap<String, String>,
    tags: Vec<String>,
    labels: Tags,
    visits: i64,
    touched: Option<u32>,
}

fn ada() -> Profile {
    Profile {
        id: "ada@example.com".into(),
        name: "Ada".into(),
        state: "active".into(),
        age: 36,
        active: true,
        score: 9.5,
        nickname: Some("countess".into()),
        prefs: HashMap::from([
            ("theme".to_string(), "light".to_string()),
            ("lang".to_string(), "en".to_string()),
        ]),
        tags: vec!["math".into(), "engines".into()],
        labels: Tags::of(&["a", "b"]),
        visits: 10,
        touched: None,
    }
}

/// Whether `condition` holds on the stored item (a conditional update that
/// either succeeds or fails with ConditionFailed).
async fn holds(db: &Db, condition: Condition<Profile>) -> bool {
    let f = Profile::fields();
    match db
        .update::<Profile>("ada@example.com")
        .set(&f.touched, 1u32)
        .condition(condition)
        .await
    {
        Ok(()) => true,
        Err(err) if err.is_conditional_check_failed() => false,
        Err(err) => panic!("unexpected error: {err:?}"),
    }
}

#[tokio::test]
async fn every_condition_operator_is_evaluated_by_dynamodb() {
    let db = db_with_table::<Profile>("expr_ops").await;
    db.put(&ada()).await.unwrap();
    let f = Profile::fields();
    let cases: Vec<(&str, Condition<Profile>, bool)> = vec![
        ("eq", f.name.eq("Ada"), true),
        ("eq false", f.name.eq("Bob"), false),
        ("ne", f.state.ne("banned"), true),
        ("lt", f.age.lt(37u32), true),
        ("le", f.age.le(35u32), false),
        ("gt", f.score.gt(9.0), true),
        ("ge", f.age.ge(36u32), true),
        ("between", f.age.between(30u32, 40u32), true),
        ("between false", f.age.between(37u32, 40u32), false),
        ("in", f.state.is_in(["active", "pending"]), true),
        ("in false", f.state.is_in(["banned"]), false),
        ("bool eq", f.active.eq(true), true),
        ("begins_with", f.name.begins_with("Ad"), true),
        ("contains substring", f.name.contains("da"), true),
        ("contains list element", f.tags.contains("engines"), true),
        (
            "contains list element false",
            f.tags.contains("poetry"),
            false,
        ),
        ("contains set element", f.labels.contains("b"), true),
        ("contains set element false", f.labels.contains("z"), false),
        ("exists", f.nickname.exists(), true),
        ("not_exists", f.nickname.not_exists(), false),
        ("map key exists", f.prefs.key("theme").exists(), true),
        ("map key eq", f.prefs.key("lang").eq("en"), true),
        ("list element eq", f.tags.at(1).eq("engines"), true),
        ("size gt", f.tags.size().gt(1), true),
        ("size eq", f.name.size().eq(3), true),
        ("size of set", f.labels.size().lt(2), false),
        ("size between", f.prefs.size().between(2, 2), true),
        (
            "attribute_type",
            f.age.attribute_type(AttributeType::Number),
            true,
        ),
        (
            "attribute_type false",
            f.age.attribute_type(AttributeType::String),
            false,
        ),
        (
            "attribute_type set",
            f.labels.attribute_type(AttributeType::StringSet),
            true,
        ),
        ("not", f.name.eq("Bob").not(), true),
        ("and", f.name.eq("Ada").and(f.age.gt(100u32)), false),
        ("or", f.name.eq("Bob").or(f.age.gt(30u32)), true),
        (
            "grouping",
            // (false OR true) AND true, not false OR (true AND true)
            Condition::all([
                Condition::any([f.name.eq("Bob"), f.age.eq(36u32)]),
                f.active.eq(true),
            ]),
            true,
        ),
        (
            "grouping false",
            Condition::all([
                Condition::any([f.name.eq("Bob"), f.age.eq(1u32)]),
                f.active.eq(true),
            ]),
            false,
        ),
        ("eq_field", f.state.eq_field(&f.name), false),
    ];
    for (label, condition, expected) in cases {
        assert_eq!(holds(&db, condition).await, expected, "{label}");
    }
}

#[tokio::test]
async fn empty_any_is_a_typed_error_not_a_request() {
    let db = db_with_table::<Profile>("expr_empty_any").await;
    let f = Profile::fields();
    let err = db
        .update::<Profile>("x")
        .set(&f.age, 1u32)
        .condition(Condition::any([]))
        .to_request()
        .unwrap_err();
    assert!(
        matches!(err, dynamodel::Error::InvalidRequest { .. }),
        "{err}"
    );
}

#[tokio::test]
async fn update_actions_change_only_what_they_name() {
    let db = db_with_table::<Profile>("expr_update").await;
    db.put(&ada()).await.unwrap();
    let f = Profile::fields();
    let new = db
        .update::<Profile>("ada@example.com")
        .set(&f.prefs.key("theme"), "dark")
        .set(&f.name, "Ada L.")
        .set_if_not_exists(&f.touched, 7u32)
        .set_if_not_exists(&f.age, 99u32)
        .increment(&f.visits, 5)
        .decrement(&f.score, 0.5)
        .remove(&f.nickname)
        .append(&f.tags, ["poetry".to_string()])
        .add(&f.labels, Tags::of(&["c"]))
        .return_all_new()
        .await
        .unwrap();
    assert_eq!(new.prefs.get("theme").map(String::as_str), Some("dark"));
    // the other key of the map survives: only the path was written
    assert_eq!(new.prefs.get("lang").map(String::as_str), Some("en"));
    assert_eq!(new.name, "Ada L.");
    assert_eq!(new.touched, Some(7));
    assert_eq!(new.age, 36);
    assert_eq!(new.visits, 15);
    assert_eq!(new.score, 9.0);
    assert_eq!(new.nickname, None);
    assert_eq!(new.tags, vec!["math", "engines", "poetry"]);
    assert_eq!(new.labels, Tags::of(&["a", "b", "c"]));

    let raw = raw_item::<Profile>(&db, &"ada@example.com".to_string())
        .await
        .unwrap();
    let AttributeValue::M(prefs) = &raw["prefs"] else {
        panic!("prefs is a map")
    };
    assert_eq!(prefs.len(), 2);
    assert!(!raw.contains_key("nickname"));

    let old = db
        .update::<Profile>("ada@example.com")
        .prepend(&f.tags, ["first".to_string()])
        .delete(&f.labels, Tags::of(&["a", "c"]))
        .add(&f.visits, 100)
        .set_to_field(&f.state, &f.name)
        .remove(&f.prefs.key("lang"))
        .return_all_old()
        .await
        .unwrap();
    assert_eq!(old.map(|o| o.visits), Some(15));
    db.update::<Profile>("ada@example.com")
        .remove(&f.tags.at(1))
        .await
        .unwrap();
    let now = db
        .get::<Profile>("ada@example.com")
        .consistent()
        .await
        .unwrap()
        .unwrap();
    // prepend "first", then remove index 1 ("math")
    assert_eq!(now.tags, vec!["first", "engines", "poetry"]);
    assert_eq!(now.labels, Tags::of(&["b"]));
    assert_eq!(now.visits, 115);
    assert_eq!(now.state, "Ada L.");
    assert_eq!(
        now.prefs,
        HashMap::from([("theme".to_string(), "dark".to_string())])
    );

    let updated_old = db
        .update::<Profile>("ada@example.com")
        .increment(&f.age, 1u32)
        .return_updated_old()
        .await
        .unwrap();
    assert_eq!(
        updated_old.get("age"),
        Some(&AttributeValue::N("36".into()))
    );
    assert_eq!(updated_old.len(), 1);
    let updated_new = db
        .update::<Profile>("ada@example.com")
        .increment(&f.age, 1u32)
        .return_updated_new()
        .await
        .unwrap();
    assert_eq!(
        updated_new.get("age"),
        Some(&AttributeValue::N("38".into()))
    );
}

#[tokio::test]
async fn update_requires_the_item_and_upsert_creates_it() {
    let db = db_with_table::<Profile>("expr_upsert").await;
    let f = Profile::fields();
    let err = db
        .update::<Profile>("ghost")
        .set(&f.age, 3u32)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert!(raw_item::<Profile>(&db, &"ghost".to_string())
        .await
        .is_none());

    // An upsert may create the item: it must write every attribute the
    // model requires, or the item could not be read back.
    let err = db
        .upsert::<Profile>("ghost")
        .set(&f.age, 3u32)
        .increment(&f.visits, 1)
        .await
        .unwrap_err();
    let Error::Validation { model, errors } = &err else {
        panic!("expected a validation error, got {err:?}");
    };
    assert_eq!(*model, "Profile");
    let missing: Vec<_> = errors
        .errors()
        .iter()
        .map(|e| (e.path.as_str(), e.rule))
        .collect();
    assert_eq!(
        missing,
        [
            ("name", "required"),
            ("status", "required"),
            ("active", "required"),
            ("score", "required"),
            ("prefs", "required"),
            ("tags", "required")
        ]
    );
    assert!(raw_item::<Profile>(&db, &"ghost".to_string())
        .await
        .is_none());

    db.upsert::<Profile>("ghost")
        .set(&f.age, 3u32)
        .increment(&f.visits, 1)
        .set_if_not_exists(&f.name, "Ghost")
        .set_if_not_exists(&f.state, "new")
        .set_if_not_exists(&f.active, false)
        .set_if_not_exists(&f.score, 0.0)
        .set_if_not_exists(&f.prefs, HashMap::new())
        .append(&f.tags, ["new".to_string()])
        .await
        .unwrap();
    assert_eq!(
        db.get::<Profile>("ghost").await.unwrap().unwrap().name,
        "Ghost"
    );
    let raw = raw_item::<Profile>(&db, &"ghost".to_string())
        .await
        .unwrap();
    assert_eq!(raw.get("age"), Some(&AttributeValue::N("3".into())));
    assert_eq!(raw.get("visits"), Some(&AttributeValue::N("1".into())));
    // and now update finds it
    db.update::<Profile>("ghost")
        .set(&f.age, 4u32)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_failed_condition_carries_the_stored_item_decodable_into_the_model() {
    let db = db_with_table::<Profile>("expr_cond_item").await;
    db.put(&ada()).await.unwrap();
    let f = Profile::fields();
    let err = db
        .update::<Profile>("ada@example.com")
        .set(&f.age, 1u32)
        .condition(f.age.gt(100u32))
        .await
        .unwrap_err();
    assert!(matches!(err, dynamodel::Error::ConditionFailed { .. }));
    assert_eq!(err.condition_item::<Profile>().unwrap().unwrap(), ada());
    // Debug of the error redacts values (the key is an e-mail address)
    let debug = format!("{err:?}");
    assert!(!debug.contains("ada@example.com"), "{debug}");
    assert!(debug.contains("S(<redacted>)"), "{debug}");

    let err = db
        .put(&ada())
        .condition(f.state.eq("banned"))
        .await
        .unwrap_err();
    assert_eq!(err.condition_item::<Profile>().unwrap().unwrap(), ada());
    let err = db
        .delete::<Profile>("ada@example.com")
        .condition(f.active.eq(false))
        .await
        .unwrap_err();
    assert_eq!(err.condition_item::<Profile>().unwrap().unwrap(), ada());
    assert!(db
        .get::<Profile>("ada@example.com")
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn writing_a_key_or_overlapping_paths_is_refused_before_sending() {
    let db = db_with_table::<Profile>("expr_refuse").await;
    let f = Profile::fields();
    let err = db
        .upsert::<Profile>("k")
        .set(&f.id, "other")
        .to_request()
        .unwrap_err();
    assert!(err.to_string().contains("primary key"), "{err}");
    let err = db
        .upsert::<Profile>("k")
        .set(&f.prefs.key("a"), "1")
        .remove(&f.prefs.key("a"))
        .to_request()
        .unwrap_err();
    assert!(err.to_string().contains("overlapping"), "{err}");
}

#[tokio::test]
async fn dry_runs_expose_the_exact_request_and_debug_redacts_values() {
    let db = db_with_table::<Profile>("expr_dry").await;
    let f = Profile::fields();
    let request = db
        .update::<Profile>("ada@example.com")
        .set(&f.name, "secret name")
        .remove(&f.nickname)
        .condition(f.state.eq("active"))
        .return_all_new()
        .to_request()
        .unwrap();
    assert_eq!(request.operation(), "UpdateItem");
    assert_eq!(
        request.update_expression(),
        Some("SET #n0 = :v0 REMOVE #n1")
    );
    assert_eq!(
        request.condition_expression(),
        Some("(attribute_exists(#n2)) AND (#n3 = :v1)")
    );
    let names = request.names().unwrap();
    assert_eq!(names["#n0"], "name");
    assert_eq!(names["#n1"], "nickname");
    assert_eq!(names["#n2"], "id");
    assert_eq!(names["#n3"], "status");
    assert_eq!(
        request.values().unwrap()[":v0"],
        AttributeValue::S("secret name".into())
    );
    let debug = format!("{request:?}");
    assert!(!debug.contains("secret name"), "{debug}");
    assert!(!debug.contains("ada@example.com"), "{debug}");
    assert!(debug.contains("SET #n0 = :v0 REMOVE #n1"), "{debug}");

    // nothing was sent
    assert!(raw_item::<Profile>(&db, &"ada@example.com".to_string())
        .await
        .is_none());

    let put = db
        .put(&ada())
        .condition(f.age.lt(50u32))
        .to_request()
        .unwrap();
    assert_eq!(put.operation(), "PutItem");
    assert_eq!(put.condition_expression(), Some("#n0 < :v0"));
    assert_eq!(put.item().unwrap()["age"], AttributeValue::N("36".into()));
    assert!(!format!("{put:?}").contains("Ada"));
    let create = db.create(&ada()).to_request().unwrap();
    assert_eq!(
        create.condition_expression(),
        Some("attribute_not_exists(#n0)")
    );
    let get = db.get::<Profile>("k").consistent().to_request().unwrap();
    assert_eq!(get.operation(), "GetItem");
    assert_eq!(get.consistent_read(), Some(true));
    // Eventually consistent is DynamoDB's default: the field is left out,
    // as a hand-written request leaves it.
    let get = db.get::<Profile>("k").to_request().unwrap();
    assert_eq!(get.consistent_read(), None);
    let delete = db
        .delete::<Profile>("k")
        .condition(f.visits.ge(0))
        .to_request()
        .unwrap();
    assert_eq!(delete.condition_expression(), Some("#n0 >= :v0"));
    assert_eq!(delete.key().unwrap()["id"], AttributeValue::S("k".into()));
}

#[tokio::test]
async fn runtime_paths_are_placeholder_safe() {
    let db = db_with_table::<Profile>("expr_dynamic").await;
    db.put(&ada()).await.unwrap();
    let weird = Field::<Profile, String, _>::dynamic(Path::attribute("a.b #c :d"));
    db.update::<Profile>("ada@example.com")
        .set(&weird, "v")
        .condition(weird.not_exists())
        .await
        .unwrap();
    let raw = raw_item::<Profile>(&db, &"ada@example.com".to_string())
        .await
        .unwrap();
    assert_eq!(raw.get("a.b #c :d"), Some(&AttributeValue::S("v".into())));
    assert!(holds(&db, weird.eq("v")).await);
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "counters")]
struct Counter {
    #[dynamodel(hash_key)]
    id: String,
    value: u64,
    #[dynamodel(version)]
    version: u64,
}

#[tokio::test]
async fn versioned_puts_detect_stale_writes() {
    let db = db_with_table::<Counter>("expr_version").await;
    let fresh = Counter {
        id: "c".into(),
        value: 0,
        version: 0,
    };
    db.put(&fresh).await.unwrap();
    let stored = db.get::<Counter>("c").consistent().await.unwrap().unwrap();
    assert_eq!(stored.version, 1);
    // a second "new" item with the same key is a conflict, not an overwrite
    let err = db.put(&fresh).await.unwrap_err();
    assert!(err.is_version_conflict(), "{err:?}");
    assert_eq!(err.condition_item::<Counter>().unwrap().unwrap(), stored);

    let mut a = stored.clone();
    let mut b = stored.clone();
    a.value = 1;
    b.value = 2;
    db.put(&a).await.unwrap();
    let err = db.put(&b).await.unwrap_err();
    assert!(err.is_version_conflict(), "{err:?}");
    let now = db.get::<Counter>("c").consistent().await.unwrap().unwrap();
    assert_eq!((now.value, now.version), (1, 2));

    // updates bump the version and check it when asked
    let f = Counter::fields();
    let err = db
        .update::<Counter>("c")
        .increment(&f.value, 1u64)
        .if_version(1)
        .await
        .unwrap_err();
    assert!(err.is_version_conflict(), "{err:?}");
    let after = db
        .update::<Counter>("c")
        .increment(&f.value, 1u64)
        .if_version(2)
        .return_all_new()
        .await
        .unwrap();
    assert_eq!((after.value, after.version), (2, 3));
    // deletes too
    let err = db.delete::<Counter>("c").if_version(2).await.unwrap_err();
    assert!(err.is_version_conflict(), "{err:?}");
    db.delete::<Counter>("c").if_version(3).await.unwrap();

    // delete_item checks the version the item holds.
    db.put(&Counter {
        id: "c".into(),
        value: 0,
        version: 0,
    })
    .await
    .unwrap();
    let read = db.get::<Counter>("c").await.unwrap().unwrap();
    db.update::<Counter>("c")
        .increment(&f.value, 1u64)
        .await
        .unwrap();
    let err = db.delete_item(&read).await.unwrap_err();
    assert!(err.is_version_conflict(), "{err:?}");
    assert!(
        db.get::<Counter>("c").await.unwrap().is_some(),
        "not deleted"
    );
    let fresh = db.get::<Counter>("c").await.unwrap().unwrap();
    assert_eq!(db.delete_item(&fresh).await.unwrap(), Some(fresh));
    assert!(db.get::<Counter>("c").await.unwrap().is_none());

    // `saved()` returns the item as written, bumped version included, so a
    // read-modify-write loop needs no read between writes.
    let mut counter = db
        .create(&Counter {
            id: "s".into(),
            value: 1,
            version: 0,
        })
        .saved()
        .await
        .unwrap();
    assert_eq!(counter.version, 1);
    for expected in 2..=4u64 {
        counter.value += 1;
        counter = db.put(&counter).saved().await.unwrap();
        assert_eq!(counter.version, expected);
    }
    assert_eq!(db.get::<Counter>("s").await.unwrap(), Some(counter.clone()));
    counter.version = 2;
    let err = db.put(&counter).saved().await.unwrap_err();
    assert!(err.is_version_conflict(), "{err:?}");
    assert!(db.get::<Counter>("c").consistent().await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_read_modify_write_loses_no_increment() {
    let db = db_with_table::<Counter>("expr_race").await;
    db.put(&Counter {
        id: "race".into(),
        value: 0,
        version: 0,
    })
    .await
    .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let mut conflicts = 0u32;
            for _ in 0..50 {
                loop {
                    let mut c = db
                        .get::<Counter>("race")
                        .consistent()
                        .await
                        .unwrap()
                        .unwrap();
                    c.value += 1;
                    match db.put(&c).await {
                        Ok(()) => break,
                        Err(err) if err.is_version_conflict() => conflicts += 1,
                        Err(err) => panic!("{err:?}"),
                    }
                }
            }
            conflicts
        }));
    }
    let mut conflicts = 0;
    for task in tasks {
        conflicts += task.await.unwrap();
    }
    let end = db
        .get::<Counter>("race")
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(end.value, 400);
    assert_eq!(end.version, 401);
    println!("conflicts retried: {conflicts}");
}

mod prop {
    use super::*;
    use proptest::prelude::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn attribute_name() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("name".to_string()),
            Just("status".to_string()),
            Just("size".to_string()),
            Just("date".to_string()),
            Just("#n0".to_string()),
            Just(":v0".to_string()),
            "[a-zA-Z0-9 #:.,'\"()\\[\\]_=<>-]{1,16}",
            "\\PC{1,12}",
        ]
        // not the key, and not the map the test writes an entry of
        .prop_filter("not id or prefs", |name| name != "id" && name != "prefs")
    }

    /// 64 cases of arbitrary attribute names (reserved words, `#`, `:`,
    /// quotes, spaces, unicode) and values through conditions and updates.
    #[test]
    fn arbitrary_names_and_values_are_stored_unchanged() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let db = runtime.block_on(db_with_table::<Profile>("expr_prop"));
        let next = AtomicU32::new(0);
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(64));
        let strategy = (attribute_name(), "(?s).{0,40}", any::<i64>());
        let result = runner.run(&strategy, |(name, value, number)| {
            runtime.block_on(async {
                let db = &db;
                let key = format!("k{}", next.fetch_add(1, Ordering::Relaxed));
                let mut item = ada();
                item.id = key.clone();
                db.put(&item).await.unwrap();
                let f = Profile::fields();
                let text = Field::<Profile, String, _>::dynamic(Path::attribute(name.clone()));
                let prefs = f.prefs.key(name.clone());

                // a top-level attribute and a map entry with the arbitrary name
                db.update::<Profile>(key.clone())
                    .set(&text, value.clone())
                    .set(&prefs, value.clone())
                    // exercises the names in a condition; some names are attributes of the item
                    .condition(
                        Condition::any([text.not_exists(), text.exists()]).and(f.id.exists()),
                    )
                    .await
                    .unwrap();
                let raw = raw_item::<Profile>(db, &key).await.unwrap();
                prop_assert_eq!(raw.get(&name), Some(&AttributeValue::S(value.clone())));
                let AttributeValue::M(map) = &raw["prefs"] else {
                    panic!("prefs is a map")
                };
                prop_assert_eq!(map.get(&name), Some(&AttributeValue::S(value.clone())));
                prop_assert_eq!(map.get("lang"), Some(&AttributeValue::S("en".into())));

                // conditions on them hold with the same values
                let prefix: String = value.chars().take(3).collect();
                let holds_now = db
                    .update::<Profile>(key.clone())
                    .set(&f.touched, 1u32)
                    .condition(Condition::all([
                        text.eq(value.clone()),
                        prefs.eq(value.clone()),
                        text.begins_with(prefix),
                        text.is_in([value.clone()]),
                    ]))
                    .await;
                prop_assert!(holds_now.is_ok(), "{:?}", holds_now);

                // a number under the same name, replaced, compared, incremented
                let n = Field::<Profile, i64, _>::dynamic(Path::attribute(name.clone()));
                db.update::<Profile>(key.clone())
                    .set(&n, number)
                    .await
                    .unwrap();
                let raw = raw_item::<Profile>(db, &key).await.unwrap();
                prop_assert_eq!(raw.get(&name), Some(&AttributeValue::N(number.to_string())));
                let compared = db
                    .update::<Profile>(key.clone())
                    .set(&f.touched, 2u32)
                    .condition(n.eq(number).and(n.le(number)))
                    .await;
                prop_assert!(compared.is_ok(), "{:?}", compared);
                Ok(())
            })
        });
        if let Err(failure) = result {
            panic!("{failure}");
        }
    }
}

#[tokio::test]
async fn batch_puts_of_versioned_models_are_refused_before_sending() {
    let db = db_with_table::<Counter>("version_batch").await;
    let counter = Counter {
        id: "c".into(),
        value: 1,
        version: 0,
    };
    let err = db.batch_put(&[counter]).await.unwrap_err();
    assert!(err.to_string().contains("version"), "{err}");
    assert_eq!(raw_item::<Counter>(&db, &"c".to_string()).await, None);
}

#[tokio::test]
async fn transaction_puts_check_and_bump_the_version() {
    let db = db_with_table::<Counter>("version_tx").await;
    let fresh = Counter {
        id: "c".into(),
        value: 1,
        version: 0,
    };
    db.transact_write().put(db.put(&fresh)).await.unwrap();
    let stored = db.get::<Counter>("c").consistent().await.unwrap().unwrap();
    assert_eq!(stored.version, 1);

    // A put carrying the stale version 0 cancels the transaction.
    let stale = Counter { value: 2, ..fresh };
    let err = db.transact_write().put(db.put(&stale)).await.unwrap_err();
    let reasons = err.cancellation_reasons().expect("a cancelled transaction");
    assert_eq!(
        reasons[0].code,
        dynamodel::ops::CancellationCode::ConditionalCheckFailed
    );
    let current = Counter { value: 3, ..stored };
    db.transact_write().put(db.put(&current)).await.unwrap();
    let stored = db.get::<Counter>("c").consistent().await.unwrap().unwrap();
    assert_eq!((stored.value, stored.version), (3, 2));
}
