//! Schema settings on the members of nested documents: validation (in
//! nested documents, lists and maps of them, optional ones), `set` / `get`
//! transforms, and the rules carried by the typed nested handles, written to
//! DynamoDB Local and checked in the raw stored item.

use std::collections::BTreeMap;

use dynamodel::{AttributeValue, Document, Model};
use dynamodel_tests::{db_with_table, item_count, n, raw_item, s};

fn trim_upper(v: String) -> String {
    v.trim().to_uppercase()
}

fn lower(v: String) -> String {
    v.to_lowercase()
}

fn no_spaces(v: &str) -> Result<(), &'static str> {
    if v.contains(' ') {
        Err("contains a space")
    } else {
        Ok(())
    }
}

fn lat_lon_not_both_zero(geo: &Geo) -> Result<(), String> {
    if geo.lat == 0.0 && geo.lon == 0.0 {
        Err("lat and lon are both zero".into())
    } else {
        Ok(())
    }
}

#[derive(Document, Debug, Clone, PartialEq)]
#[dynamodel(validate = lat_lon_not_both_zero)]
struct Geo {
    #[dynamodel(range(min = -90, max = 90))]
    lat: f64,
    #[dynamodel(range(min = -180, max = 180))]
    lon: f64,
}

#[derive(Document, Debug, Clone, PartialEq)]
struct Address {
    // The regex only accepts the value after `set` (trimmed, upper case).
    #[dynamodel(rename = "postcode", set = trim_upper, regex = "^[A-Z0-9]{3,8}$")]
    zip: String,
    #[dynamodel(length(min = 1, max = 20), validate = no_spaces, set = lower, get = trim_upper)]
    city: String,
    #[dynamodel(one_of("home", "work"))]
    kind: Option<String>,
    geo: Option<Geo>,
}

#[derive(Document, Debug, Clone, PartialEq)]
struct Line {
    #[dynamodel(length(min = 1))]
    sku: String,
    #[dynamodel(range(min = 1, max = 100))]
    qty: u32,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "customers")]
struct Customer {
    #[dynamodel(hash_key)]
    id: String,
    address: Address,
    billing: Option<Address>,
    items: Vec<Line>,
    by_name: BTreeMap<String, Line>,
}

fn address() -> Address {
    Address {
        zip: " ab12 ".into(),
        city: "Paris".into(),
        kind: Some("home".into()),
        geo: Some(Geo {
            lat: 48.85,
            lon: 2.35,
        }),
    }
}

fn line(sku: &str, qty: u32) -> Line {
    Line {
        sku: sku.into(),
        qty,
    }
}

fn customer() -> Customer {
    Customer {
        id: "c1".into(),
        address: address(),
        billing: None,
        items: vec![line("a", 1), line("b", 2)],
        by_name: BTreeMap::from([("x".to_string(), line("x", 3))]),
    }
}

fn failures(err: &dynamodel::Error) -> Vec<(String, &'static str)> {
    let errors = err
        .validation_errors()
        .unwrap_or_else(|| panic!("expected a validation error, got {err}"));
    errors
        .errors()
        .iter()
        .map(|e| (e.path.clone(), e.rule))
        .collect()
}

#[tokio::test]
async fn put_reports_every_invalid_member_at_its_path_and_sends_nothing() {
    let db = db_with_table::<Customer>("doc_invalid_put").await;
    let mut bad = customer();
    bad.address.zip = "no!".into();
    bad.address.city = "New York".into();
    bad.address.kind = Some("castle".into());
    bad.address.geo = Some(Geo {
        lat: 91.0,
        lon: 0.0,
    });
    bad.billing = Some(Address {
        geo: Some(Geo { lat: 0.0, lon: 0.0 }),
        ..address()
    });
    bad.items = vec![line("a", 1), line("", 0), line("c", 101)];
    bad.by_name = BTreeMap::from([("k".to_string(), line("k", 500))]);

    let err = db.put(&bad).await.unwrap_err();
    assert!(err.is_validation(), "{err}");
    let found = failures(&err);
    let expected: Vec<(String, &str)> = [
        ("address.postcode", "regex"),
        ("address.city", "validate"),
        ("address.kind", "one_of"),
        ("address.geo.lat", "range"),
        ("billing.geo", "validate"),
        ("items[1].sku", "length"),
        ("items[1].qty", "range"),
        ("items[2].qty", "range"),
        ("by_name.k.qty", "range"),
    ]
    .iter()
    .map(|(p, r)| (p.to_string(), *r))
    .collect();
    assert_eq!(found, expected);
    let message = err.to_string();
    assert!(message.contains("Customer"), "{message}");
    assert!(
        message.contains("value is above the maximum 100"),
        "{message}"
    );
    assert!(!message.contains("castle"), "values stay out: {message}");
    assert_eq!(item_count::<Customer>(&db).await, 0, "nothing was sent");

    // `create` goes through the same pipeline.
    let err = db.create(&bad).await.unwrap_err();
    assert_eq!(failures(&err), expected);
    assert_eq!(item_count::<Customer>(&db).await, 0, "nothing was sent");
}

#[tokio::test]
async fn member_transforms_apply_on_write_and_read() {
    let db = db_with_table::<Customer>("doc_transforms").await;
    let mut item = customer();
    item.billing = Some(Address {
        zip: "zz9".into(),
        city: "LYON".into(),
        kind: None,
        geo: None,
    });
    db.put(&item).await.unwrap();

    let raw = raw_item::<Customer>(&db, &"c1".to_string()).await.unwrap();
    let Some(AttributeValue::M(stored)) = raw.get("address") else {
        panic!("address is a map: {raw:?}");
    };
    assert_eq!(stored.get("postcode"), Some(&s("AB12")), "set on write");
    assert_eq!(stored.get("city"), Some(&s("paris")), "set on write");
    let Some(AttributeValue::M(geo)) = stored.get("geo") else {
        panic!("geo is a map: {stored:?}");
    };
    assert_eq!(geo.get("lat"), Some(&n("48.85")));
    let Some(AttributeValue::M(billing)) = raw.get("billing") else {
        panic!("billing is a map: {raw:?}");
    };
    assert_eq!(billing.get("postcode"), Some(&s("ZZ9")));
    assert_eq!(billing.get("city"), Some(&s("lyon")));
    assert!(!billing.contains_key("kind"));

    // The value in hand is untouched: only the written copy is transformed.
    assert_eq!(item.address.zip, " ab12 ");

    let read = db
        .get::<Customer>("c1")
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.address.zip, "AB12");
    assert_eq!(read.address.city, "PARIS", "get on read");
    assert_eq!(read.billing.as_ref().unwrap().city, "LYON", "get on read");
    assert_eq!(read.items, item.items);
    assert_eq!(read.by_name, item.by_name);
}

#[tokio::test]
async fn updates_through_nested_handles_are_validated_and_transformed() {
    let db = db_with_table::<Customer>("doc_updates").await;
    db.put(&customer()).await.unwrap();
    let before = raw_item::<Customer>(&db, &"c1".to_string()).await.unwrap();
    let address = Customer::fields().address.nested();

    let err = db
        .update::<Customer>("c1")
        .set(&address.zip, "x")
        .set(&address.city, "San Francisco")
        .set(&address.geo, Geo { lat: 0.0, lon: 0.0 })
        .await
        .unwrap_err();
    assert!(err.is_validation(), "{err}");
    assert_eq!(
        failures(&err),
        [
            ("address.postcode".to_string(), "regex"),
            ("address.city".to_string(), "validate"),
            ("address.geo".to_string(), "validate"),
        ]
    );
    let lat = Customer::fields().address.nested().geo.nested().lat;
    let err = db
        .update::<Customer>("c1")
        .set(&lat, -100.0)
        .await
        .unwrap_err();
    assert_eq!(failures(&err), [("address.geo.lat".to_string(), "range")]);
    let err = db
        .update::<Customer>("c1")
        .set(&Customer::fields().items, vec![line("a", 0)])
        .await
        .unwrap_err();
    assert_eq!(failures(&err), [("items[0].qty".to_string(), "range")]);
    assert_eq!(
        raw_item::<Customer>(&db, &"c1".to_string()).await.unwrap(),
        before,
        "nothing was written"
    );

    // Valid values are written through the members' `set` transforms.
    db.update::<Customer>("c1")
        .set(&address.zip, " cd34 ")
        .set(&address.city, "Nantes")
        .set(&lat, 47.2)
        .await
        .unwrap();
    let raw = raw_item::<Customer>(&db, &"c1".to_string()).await.unwrap();
    let Some(AttributeValue::M(stored)) = raw.get("address") else {
        panic!("address is a map: {raw:?}");
    };
    assert_eq!(stored.get("postcode"), Some(&s("CD34")));
    assert_eq!(stored.get("city"), Some(&s("nantes")));
    let read = db
        .get::<Customer>("c1")
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.address.city, "NANTES");
    assert_eq!(read.address.geo.unwrap().lat, 47.2);

    // Conditions compare with the transformed value.
    db.update::<Customer>("c1")
        .set(&address.kind, "work")
        .condition(address.zip.eq("cd34 "))
        .await
        .unwrap();
    let read = db
        .get::<Customer>("c1")
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.address.kind.as_deref(), Some("work"));
}

#[test]
fn validate_members_nests_paths_and_skips_valid_values() {
    use dynamodel::{Attribute, ValidationErrors};

    let mut errors = ValidationErrors::new();
    vec![line("a", 1), line("b", 0)].validate_members(&mut errors);
    Some(line("c", 0)).validate_members(&mut errors);
    None::<Line>.validate_members(&mut errors);
    BTreeMap::from([("k".to_string(), line("", 1))]).validate_members(&mut errors);
    let paths: Vec<_> = errors.errors().iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["[1].qty", "qty", "k.sku"]);

    let mut errors = ValidationErrors::new();
    vec![line("a", 1); 3].validate_members(&mut errors);
    assert!(errors.is_empty());

    // Containers of plain values skip the walk entirely.
    const {
        assert!(<Vec<Option<Line>> as Attribute>::HAS_MEMBERS);
        assert!(<BTreeMap<String, Vec<Line>> as Attribute>::HAS_MEMBERS);
        assert!(!<Vec<String> as Attribute>::HAS_MEMBERS);
        assert!(!<std::collections::HashMap<String, i64> as Attribute>::HAS_MEMBERS);
    }
}

#[derive(Document, Debug, Clone, PartialEq)]
#[dynamodel(rename_all = "camelCase")]
struct Renamed {
    street_name: String,
    #[dynamodel(rename = "ZIP")]
    zip_code: String,
}

#[derive(Document, Debug, Clone, Copy, PartialEq)]
#[dynamodel(rename_all = "SCREAMING_SNAKE_CASE")]
enum Tier {
    FreeTier,
    #[dynamodel(rename = "pro")]
    Pro,
}

#[test]
fn rename_all_names_members_and_variants() {
    use dynamodel::Attribute;

    let doc = Renamed {
        street_name: "Main".into(),
        zip_code: "1".into(),
    };
    let Some(AttributeValue::M(map)) = doc.to_attribute().unwrap() else {
        panic!("a document is a map");
    };
    let mut names: Vec<_> = map.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(names, ["ZIP", "streetName"]);
    assert_eq!(
        Renamed::from_attribute(Some(AttributeValue::M(map))).unwrap(),
        doc
    );
    assert_eq!(Tier::FreeTier.to_attribute().unwrap(), Some(s("FREE_TIER")));
    assert_eq!(Tier::Pro.to_attribute().unwrap(), Some(s("pro")));
    assert_eq!(
        Tier::from_attribute(Some(s("FREE_TIER"))).unwrap(),
        Tier::FreeTier
    );
}

/// The attribute path and cause of a decode error.
fn decode_failure(err: &dynamodel::Error) -> (String, String) {
    match err {
        dynamodel::Error::Decode {
            model,
            attribute,
            source,
            ..
        } => {
            assert_eq!(*model, "Customer");
            (attribute.clone(), source.to_string())
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_stored_document_is_read_member_by_name_and_a_bad_member_is_named_by_its_path() {
    let db = db_with_table::<Customer>("doc_decode").await;
    let table = db.table_name::<Customer>();
    let geo = |lat: AttributeValue| {
        AttributeValue::M([("lat".to_string(), lat), ("lon".to_string(), n("2"))].into())
    };
    let address = |members: &[(&str, AttributeValue)]| {
        AttributeValue::M(
            members
                .iter()
                .map(|(name, value)| (name.to_string(), value.clone()))
                .collect(),
        )
    };
    let stored_line = |qty: AttributeValue| {
        AttributeValue::M([("sku".to_string(), s("a")), ("qty".to_string(), qty)].into())
    };
    let stored = |id: &str, address: AttributeValue, qty: AttributeValue| -> dynamodel::Item {
        [
            ("id".to_string(), s(id)),
            ("address".to_string(), address),
            (
                "items".to_string(),
                AttributeValue::L(vec![stored_line(n("1")), stored_line(qty)]),
            ),
            ("by_name".to_string(), AttributeValue::M(Default::default())),
        ]
        .into()
    };
    let good = [
        ("postcode", s("AB12")),
        ("city", s(" paris ")),
        ("geo", geo(n("48"))),
        // A member the document does not declare is dropped.
        ("extra", s("ignored")),
    ];
    let cases: Vec<(&str, dynamodel::Item)> = vec![
        ("ok", stored("ok", address(&good), n("2"))),
        (
            "wrong-type",
            stored(
                "wrong-type",
                address(&[("postcode", n("12")), good[1].clone()]),
                n("2"),
            ),
        ),
        ("missing", stored("missing", address(&good[..1]), n("2"))),
        (
            "deep",
            stored(
                "deep",
                address(&[good[0].clone(), good[1].clone(), ("geo", geo(s("north")))]),
                n("2"),
            ),
        ),
        ("in-list", stored("in-list", address(&good), s("two"))),
        ("not-a-map", stored("not-a-map", s("Paris"), n("2"))),
    ];
    for (_, item) in &cases {
        db.client()
            .put_item()
            .table_name(&table)
            .set_item(Some(item.clone()))
            .send()
            .await
            .unwrap();
    }
    let read = |id: &'static str| {
        let db = db.clone();
        async move { db.get::<Customer>(id).consistent().await }
    };
    let ok = read("ok").await.unwrap().unwrap();
    assert_eq!(
        ok.address,
        Address {
            zip: "AB12".into(),
            // The member's `get` transform applied.
            city: "PARIS".into(),
            kind: None,
            geo: Some(Geo {
                lat: 48.0,
                lon: 2.0
            }),
        }
    );
    assert_eq!(ok.items, vec![line("a", 1), line("a", 2)]);

    let expected = [
        (
            "wrong-type",
            "address.postcode",
            "expected DynamoDB type S, found N",
        ),
        ("missing", "address.city", "required attribute is missing"),
        (
            "deep",
            "address.geo.lat",
            "expected DynamoDB type N, found S",
        ),
        (
            "in-list",
            "items[1].qty",
            "expected DynamoDB type N, found S",
        ),
        ("not-a-map", "address", "expected DynamoDB type M, found S"),
    ];
    for (id, path, cause) in expected {
        let err = read(id).await.unwrap_err();
        assert_eq!(
            decode_failure(&err),
            (path.to_owned(), cause.to_owned()),
            "{id}"
        );
        let text = format!("{err} {err:?}");
        assert!(!text.contains("north") && !text.contains("two"), "{text}");
    }
}
