//! create / put / get / delete and table management.

use dynamodel::{AttributeValue, Model};
use dynamodel_tests::{db, db_with_table, raw_item};

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "users")]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(rename = "display_name")]
    name: String,
    age: u32,
    balance: i64,
    score: f64,
    ratio: f32,
    active: bool,
    nickname: Option<String>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "orders")]
struct Order {
    #[dynamodel(hash_key)]
    customer: String,
    #[dynamodel(range_key)]
    number: u64,
    total: i128,
}

fn ada() -> User {
    User {
        id: "u-1".into(),
        name: "Ada".into(),
        age: 36,
        balance: -12,
        score: 99.25,
        ratio: 0.1,
        active: true,
        nickname: None,
    }
}

#[tokio::test]
async fn put_then_get_round_trips_and_stores_the_expected_attributes() {
    let db = db_with_table::<User>("put_get").await;
    let user = ada();
    db.put(&user).await.unwrap();

    let read = db.get::<User>("u-1").consistent().await.unwrap();
    assert_eq!(read, Some(user));

    let raw = raw_item::<User>(&db, &"u-1".to_string()).await.unwrap();
    assert_eq!(
        raw.get("display_name"),
        Some(&AttributeValue::S("Ada".into()))
    );
    assert_eq!(raw.get("age"), Some(&AttributeValue::N("36".into())));
    assert_eq!(raw.get("balance"), Some(&AttributeValue::N("-12".into())));
    assert_eq!(raw.get("ratio"), Some(&AttributeValue::N("0.1".into())));
    assert_eq!(raw.get("active"), Some(&AttributeValue::Bool(true)));
    assert!(
        !raw.contains_key("nickname"),
        "None is stored as no attribute"
    );
    assert!(
        !raw.contains_key("name"),
        "renamed field is stored under its new name only"
    );
}

#[tokio::test]
async fn put_overwrites_and_option_some_is_stored() {
    let db = db_with_table::<User>("put_overwrites").await;
    db.put(&ada()).await.unwrap();
    let changed = User {
        age: 37,
        nickname: Some("countess".into()),
        ..ada()
    };
    db.put(&changed).await.unwrap();
    assert_eq!(
        db.get::<User>("u-1").consistent().await.unwrap(),
        Some(changed)
    );
}

#[tokio::test]
async fn create_refuses_an_existing_key_with_a_typed_error() {
    let db = db_with_table::<User>("create_exists").await;
    db.create(&ada()).await.unwrap();
    let second = User { age: 99, ..ada() };
    let err = db.create(&second).await.unwrap_err();
    assert!(err.is_already_exists(), "got {err:?}");
    assert!(err.is_conditional_check_failed());
    assert!(err.to_string().contains("User"), "{err}");
    // The first item is untouched.
    assert_eq!(
        db.get::<User>("u-1").consistent().await.unwrap(),
        Some(ada())
    );
}

#[tokio::test]
async fn get_of_a_missing_key_is_none() {
    let db = db_with_table::<User>("get_missing").await;
    assert_eq!(db.get::<User>("nobody").await.unwrap(), None);
}

#[tokio::test]
async fn delete_removes_the_item_and_returns_it() {
    let db = db_with_table::<User>("delete").await;
    db.put(&ada()).await.unwrap();
    let deleted = db.delete::<User>("u-1").await.unwrap();
    assert_eq!(deleted, Some(ada()));
    assert_eq!(raw_item::<User>(&db, &"u-1".to_string()).await, None);
    assert_eq!(db.delete::<User>("u-1").await.unwrap(), None);
}

#[tokio::test]
async fn composite_keys_address_single_items() {
    let db = db_with_table::<Order>("composite").await;
    for number in 1..=3u64 {
        let order = Order {
            customer: "c".into(),
            number,
            total: i128::from(number) * 10i128.pow(30),
        };
        db.put(&order).await.unwrap();
    }
    let second = db
        .get::<Order>(("c".to_string(), 2))
        .consistent()
        .await
        .unwrap();
    assert_eq!(
        second,
        Some(Order {
            customer: "c".into(),
            number: 2,
            total: 2 * 10i128.pow(30)
        })
    );
    db.delete::<Order>(("c".to_string(), 2)).await.unwrap();
    assert_eq!(
        db.get::<Order>(("c".to_string(), 2))
            .consistent()
            .await
            .unwrap(),
        None
    );
    assert!(db
        .get::<Order>(("c".to_string(), 3))
        .consistent()
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn create_table_uses_the_key_schema_and_delete_table_removes_it() {
    let db = db("tables").await;
    db.create_table::<Order>().await.unwrap();
    let table = db.table_name::<Order>();
    let described = db
        .client()
        .describe_table()
        .table_name(&table)
        .send()
        .await
        .unwrap()
        .table
        .unwrap();
    let keys: Vec<(String, String)> = described
        .key_schema()
        .iter()
        .map(|k| {
            (
                k.attribute_name().to_owned(),
                k.key_type().as_str().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        vec![
            ("customer".into(), "HASH".into()),
            ("number".into(), "RANGE".into())
        ]
    );
    let number_type = described
        .attribute_definitions()
        .iter()
        .find(|d| d.attribute_name() == "number")
        .map(|d| d.attribute_type().as_str().to_owned());
    assert_eq!(number_type.as_deref(), Some("N"));

    db.delete_table::<Order>().await.unwrap();
    let err = db.get::<Order>(("c".to_string(), 1)).await.unwrap_err();
    assert!(err.is_table_not_found(), "got {err:?}");
}

#[tokio::test]
async fn an_item_that_does_not_fit_the_model_is_a_typed_error_naming_the_attribute() {
    let db = db_with_table::<User>("decode_error").await;
    let mut item = User::to_item(&ada()).unwrap();
    item.insert("age".into(), AttributeValue::N("5000000000".into()));
    db.client()
        .put_item()
        .table_name(db.table_name::<User>())
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
    let err = db.get::<User>("u-1").consistent().await.unwrap_err();
    assert!(err.is_conversion(), "got {err:?}");
    let message = err.to_string();
    assert!(message.contains("User.age"), "{message}");
    assert!(message.contains("u32"), "{message}");
    assert!(message.contains("id=S(<redacted>)"), "{message}");
}

#[tokio::test]
async fn a_missing_required_attribute_is_a_typed_error() {
    let db = db_with_table::<User>("missing_attr").await;
    let mut item = User::to_item(&ada()).unwrap();
    item.remove("display_name");
    db.client()
        .put_item()
        .table_name(db.table_name::<User>())
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
    let err = db.get::<User>("u-1").consistent().await.unwrap_err();
    let message = err.to_string();
    assert!(message.contains("User.display_name"), "{message}");
    assert!(message.contains("missing"), "{message}");
}

#[tokio::test]
async fn typed_conditions_guard_puts_and_deletes() {
    let db = db_with_table::<User>("conditions").await;
    db.put(&ada()).await.unwrap();
    let fields = User::fields();

    let older = User { age: 40, ..ada() };
    let err = db
        .put(&older)
        .condition(fields.age.gt(50u32))
        .await
        .unwrap_err();
    assert!(err.is_conditional_check_failed(), "got {err:?}");
    match &err {
        dynamodel::Error::ConditionFailed {
            item: Some(item), ..
        } => {
            assert_eq!(item.get("age"), Some(&AttributeValue::N("36".into())));
        }
        other => panic!("expected ConditionFailed with the old item, got {other:?}"),
    }
    db.put(&older)
        .condition(fields.age.lt(50u32).and(fields.name.begins_with("A")))
        .await
        .unwrap();
    assert_eq!(
        db.get::<User>("u-1")
            .consistent()
            .await
            .unwrap()
            .map(|u| u.age),
        Some(40)
    );

    let err = db
        .delete::<User>("u-1")
        .condition(fields.active.eq(false))
        .await
        .unwrap_err();
    assert!(err.is_conditional_check_failed());
    db.delete::<User>("u-1")
        .condition(fields.active.eq(true))
        .await
        .unwrap();
    assert_eq!(db.get::<User>("u-1").consistent().await.unwrap(), None);
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "threads")]
struct Thread {
    #[dynamodel(hash_key)]
    forum: String,
    #[dynamodel(range_key)]
    subject: String,
    body: String,
}

fn key_rule(err: &dynamodel::Error) -> (String, &'static str, String) {
    match err {
        dynamodel::Error::Validation { model, errors } => {
            assert_eq!(*model, "Thread");
            let e = &errors.errors()[0];
            (e.path.clone(), e.rule, e.message.to_string())
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn key_values_outside_dynamodb_limits_are_typed_errors_before_sending() {
    let db = db_with_table::<Thread>("key_limits").await;
    let thread = |forum: &str, subject: &str| Thread {
        forum: forum.into(),
        subject: subject.into(),
        body: "b".into(),
    };
    // The limits themselves are accepted by DynamoDB Local...
    let longest = thread(&"f".repeat(2048), &"s".repeat(1024));
    db.put(&longest).await.unwrap();
    let key = (longest.forum.clone(), longest.subject.clone());
    assert_eq!(db.get::<Thread>(key).await.unwrap(), Some(longest));

    // ...one byte more (or nothing) is refused, naming the attribute.
    let (path, rule, message) = key_rule(&db.put(&thread("", "s")).await.unwrap_err());
    assert_eq!((path.as_str(), rule), ("forum", "key"));
    assert!(
        message.contains("partition key cannot be empty"),
        "{message}"
    );
    let err = db.put(&thread("f", &"s".repeat(1025))).await.unwrap_err();
    let (path, _, message) = key_rule(&err);
    assert_eq!(path, "subject");
    assert!(message.contains("at most 1024 bytes"), "{message}");
    let err = db
        .get::<Thread>(("f".repeat(2049), "s".to_string()))
        .await
        .unwrap_err();
    assert_eq!(key_rule(&err).0, "forum");
    let err = db
        .delete::<Thread>(("f".to_string(), String::new()))
        .await
        .unwrap_err();
    assert_eq!(key_rule(&err).0, "subject");
    let err = db
        .batch_put(&[thread("f", "ok"), thread("", "s")])
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("partition key cannot be empty"),
        "{err}"
    );
    // Nothing but the first item was ever written.
    let stored = db
        .client()
        .scan()
        .table_name(db.table_name::<Thread>())
        .send()
        .await
        .unwrap();
    assert_eq!(stored.count, 1);
}
