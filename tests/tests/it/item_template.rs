//! The item `to_item` builds from the model's template map (a clone filled
//! in place, no name hashed): written to DynamoDB Local, it holds exactly
//! the present fields' attributes, and an error is that of the first
//! failing field in declaration order whatever the map's (random) order.

use dynamodel::{AttributeValue, Error, Model};
use dynamodel_tests::{db_with_table, n, raw_item, s};

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
