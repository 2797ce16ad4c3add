//! The item `to_item` builds from the model's template map (a clone filled
//! in place, no name hashed): written to DynamoDB Local, it holds exactly
//! the present fields' attributes, and an error is that of the first
//! failing field in declaration order whatever the map's (random) order.
//! A single-table model's written item (`to_keyed_item`: fields, composed
//! table and index keys, entity attributes from one template) likewise,
//! and keys (`key_to_item`, also from a template) read it back.

use dynamodel::{AttributeValue, Error, Model};
use dynamodel_tests::{db_with_table, item_count, n, raw_item, s};

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "readings")]
struct Reading {
    #[dynamodel(hash_key)]
    id: String,
    a: f64,
    b: f64,
    c: f64,
    d: f64,
    e: f64,
    f: f64,
    note: Option<String>,
    label: Option<String>,
    /// `None` stored as `NULL`: the value the template's entries hold
    /// before they are filled, here a real attribute.
    #[dynamodel(null)]
    cleared: Option<String>,
    #[dynamodel(rename = "seen")]
    seen_count: u32,
}

const FLOATS: [&str; 6] = ["a", "b", "c", "d", "e", "f"];

fn reading(id: &str) -> Reading {
    Reading {
        id: id.into(),
        a: 1.0,
        b: 2.0,
        c: 3.0,
        d: 4.0,
        e: 5.0,
        f: 6.5,
        note: None,
        label: Some("kitchen".into()),
        cleared: None,
        seen_count: 7,
    }
}

fn set_float(reading: &mut Reading, index: usize, value: f64) {
    let field = match index {
        0 => &mut reading.a,
        1 => &mut reading.b,
        2 => &mut reading.c,
        3 => &mut reading.d,
        4 => &mut reading.e,
        _ => &mut reading.f,
    };
    *field = value;
}

#[tokio::test]
async fn the_item_holds_exactly_the_present_fields() {
    let db = db_with_table::<Reading>("item_template").await;
    let first = reading("r1");
    db.put(&first).await.unwrap();
    let raw = raw_item::<Reading>(&db, &"r1".to_string()).await.unwrap();
    let mut expected: dynamodel::Item = [
        ("id", s("r1")),
        ("a", n("1")),
        ("b", n("2")),
        ("c", n("3")),
        ("d", n("4")),
        ("e", n("5")),
        ("f", n("6.5")),
        ("label", s("kitchen")),
        ("cleared", AttributeValue::Null(true)),
        ("seen", n("7")),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect();
    assert_eq!(raw, expected);
    assert_eq!(
        db.get::<Reading>("r1").consistent().await.unwrap(),
        Some(first)
    );

    // The other way round: the absent one present, the present one absent.
    let mut second = reading("r2");
    second.note = Some("by the window".into());
    second.label = None;
    second.cleared = Some("yes".into());
    db.put(&second).await.unwrap();
    let raw = raw_item::<Reading>(&db, &"r2".to_string()).await.unwrap();
    expected.insert("id".into(), s("r2"));
    expected.remove("label");
    expected.insert("note".into(), s("by the window"));
    expected.insert("cleared".into(), s("yes"));
    assert_eq!(raw, expected);
    assert_eq!(
        db.get::<Reading>("r2").consistent().await.unwrap(),
        Some(second)
    );

    // Many items from the one template: each its own values.
    for i in 0..20 {
        let mut item = reading(&format!("many{i}"));
        item.seen_count = i;
        item.note = (i % 2 == 0).then(|| format!("note {i}"));
        let converted = item.to_item().unwrap();
        assert_eq!(converted.get("seen"), Some(&n(&i.to_string())));
        assert_eq!(converted.contains_key("note"), i % 2 == 0);
        assert_eq!(Reading::from_item(converted).unwrap(), item);
    }
}

#[tokio::test]
async fn the_error_is_the_first_failing_field_in_declaration_order() {
    let db = db_with_table::<Reading>("item_template_errors").await;
    // Every pair: whatever the map's order, some pair has its later field
    // visited first.
    for (first, name) in FLOATS.iter().enumerate() {
        for second in first + 1..FLOATS.len() {
            let mut bad = reading("bad");
            set_float(&mut bad, first, f64::NAN);
            set_float(&mut bad, second, f64::INFINITY);
            let err = db.put(&bad).await.unwrap_err();
            match &err {
                Error::Encode {
                    model: "Reading",
                    attribute,
                    ..
                } => assert_eq!(attribute, name, "{err}"),
                other => panic!("expected an encode error, got {other}"),
            }
        }
    }
    // Nothing was written.
    assert_eq!(raw_item::<Reading>(&db, &"bad".to_string()).await, None);
}

/// A single-table model: composed table keys, two index templates (one
/// sparse, over an `Option`), an entity with a schema version.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "keyed_template",
    pk = "CUSTOMER#{customer_id}",
    sk = "ORDER#{order_id}",
    gsi(name = "gsi1", pk = "STATUS#{status}", sk = "{status}#{order_id}"),
    gsi(name = "gsi2", pk(name = "coupon_key", template = "COUPON#{coupon}")),
    entity(name = "order", version = 3)
)]
struct Keyed {
    customer_id: String,
    order_id: String,
    status: String,
    coupon: Option<String>,
    rate: f64,
    note: Option<String>,
}

fn keyed(order_id: &str) -> Keyed {
    Keyed {
        customer_id: "c1".into(),
        order_id: order_id.into(),
        status: "PAID".into(),
        coupon: Some("WELCOME".into()),
        rate: 0.5,
        note: None,
    }
}

fn item_of(pairs: &[(&str, AttributeValue)]) -> dynamodel::Item {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), value.clone()))
        .collect()
}

#[tokio::test]
async fn a_single_table_item_holds_its_fields_composed_keys_and_entity() {
    let db = db_with_table::<Keyed>("keyed_template").await;
    let first = keyed("o1");
    db.put(&first).await.unwrap();
    let key = first.key();
    let raw = raw_item::<Keyed>(&db, &key).await.expect("stored");
    let mut expected = item_of(&[
        ("customer_id", s("c1")),
        ("order_id", s("o1")),
        ("status", s("PAID")),
        ("coupon", s("WELCOME")),
        ("rate", n("0.5")),
        ("pk", s("CUSTOMER#c1")),
        ("sk", s("ORDER#o1")),
        ("gsi1pk", s("STATUS#PAID")),
        ("gsi1sk", s("PAID#o1")),
        ("coupon_key", s("COUPON#WELCOME")),
        ("__entity", s("order")),
        ("__entity_version", n("3")),
    ]);
    assert_eq!(raw, expected);
    // The key map is exactly the table's key attributes.
    assert_eq!(
        Keyed::key_to_item(&key).unwrap(),
        item_of(&[("pk", s("CUSTOMER#c1")), ("sk", s("ORDER#o1"))])
    );
    assert_eq!(
        db.get::<Keyed>(key).consistent().await.unwrap(),
        Some(first)
    );

    // The sparse index left out (its `Option` field is `None`), the
    // optional field present.
    let mut second = keyed("o2");
    second.coupon = None;
    second.note = Some("gift".into());
    db.put(&second).await.unwrap();
    let raw = raw_item::<Keyed>(&db, &second.key()).await.expect("stored");
    expected.remove("coupon");
    expected.remove("coupon_key");
    expected.insert("note".into(), s("gift"));
    expected.insert("order_id".into(), s("o2"));
    expected.insert("sk".into(), s("ORDER#o2"));
    expected.insert("gsi1sk".into(), s("PAID#o2"));
    assert_eq!(raw, expected);
    assert_eq!(
        db.get::<Keyed>(second.key()).consistent().await.unwrap(),
        Some(second.clone())
    );

    // Deleted by its key map: gone.
    db.delete::<Keyed>(second.key()).await.unwrap();
    assert_eq!(raw_item::<Keyed>(&db, &second.key()).await, None);
}

/// The attribute an error names: a field that does not convert, or a key
/// value over DynamoDB's limits (a validation error of rule `key`).
fn failing(err: &Error) -> String {
    match err {
        Error::Encode { attribute, .. } => attribute.clone(),
        Error::Validation { errors, .. } => match errors.errors() {
            [one] if one.rule == "key" => one.path.clone(),
            _ => panic!("expected one key error, got {err}"),
        },
        other => panic!("expected an encode or key error, got {other}"),
    }
}

#[tokio::test]
async fn a_single_table_item_fails_on_its_first_failing_field_then_its_keys() {
    let db = db_with_table::<Keyed>("keyed_template_errors").await;
    let attribute = |item: &Keyed| failing(&item.to_keyed_item().unwrap_err());
    // A key over DynamoDB's limit (the partition key's 2048 bytes) and a
    // field that does not convert: the field, declared before the keys.
    let mut bad = keyed("o1");
    bad.customer_id = "x".repeat(3000);
    bad.rate = f64::NAN;
    assert_eq!(attribute(&bad), "rate");
    // The keys alone: the partition key, composed before the sort key and
    // the index keys.
    bad.rate = 1.0;
    bad.order_id = "y".repeat(3000);
    bad.status = "z".repeat(3000);
    let err = db.put(&bad).await.unwrap_err();
    assert_eq!(failing(&err), "pk");
    // Then the sort key; then the first index key.
    bad.customer_id = "c1".into();
    assert_eq!(attribute(&bad), "sk");
    bad.order_id = "o1".into();
    assert_eq!(attribute(&bad), "gsi1pk");
    // Key maps likewise: the partition key first.
    let long = |c: &str| c.repeat(3000);
    let key_error = |key: (String, String)| failing(&Keyed::key_to_item(&key).unwrap_err());
    assert_eq!(key_error((long("x"), long("y"))), "pk");
    assert_eq!(key_error(("c1".into(), long("y"))), "sk");
    // Every one from the ordinary way too (the trait's default).
    let mut item = bad.to_item().unwrap();
    assert_eq!(
        failing(&bad.write_key_attributes(&mut item).unwrap_err()),
        "gsi1pk"
    );
    // Nothing was written.
    assert_eq!(item_count::<Keyed>(&db).await, 0);
}

/// Plain key fields, a partition and a sort key: `key_to_item` from a
/// template of their two names.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "pair_template")]
struct Pair {
    #[dynamodel(hash_key)]
    group: String,
    #[dynamodel(range_key, rename = "position")]
    at: String,
    value: u32,
}

#[tokio::test]
async fn a_key_map_holds_exactly_the_key_attributes() {
    let db = db_with_table::<Pair>("pair_template").await;
    let pair = Pair {
        group: "g".into(),
        at: "a".into(),
        value: 4,
    };
    db.put(&pair).await.unwrap();
    let key = pair.key();
    assert_eq!(
        Pair::key_to_item(&key).unwrap(),
        item_of(&[("group", s("g")), ("position", s("a"))])
    );
    assert_eq!(
        db.get::<Pair>(key.clone()).consistent().await.unwrap(),
        Some(pair)
    );
    // An empty key value: the first in key order is named.
    let key_error =
        |key: (&str, &str)| failing(&Pair::key_to_item(&(key.0.into(), key.1.into())).unwrap_err());
    assert_eq!(key_error(("", "")), "group");
    assert_eq!(key_error(("g", "")), "position");
    db.delete::<Pair>(key.clone()).await.unwrap();
    assert_eq!(raw_item::<Pair>(&db, &key).await, None);
}
