//! Every supported type round-trips through DynamoDB Local, stored as the
//! exact DynamoDB type expected (checked on the raw item).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use aws_sdk_dynamodb::primitives::Blob;
use dynamodel::{AttributeValue, Binary, Document, Model, Number};
use dynamodel_tests::{db_with_table, n, raw_item, s};

#[derive(Document, Debug, Clone, PartialEq)]
struct Geo {
    lat: f64,
    lon: f64,
}

#[derive(Document, Debug, Clone, PartialEq)]
struct Address {
    city: String,
    #[dynamodel(rename = "postcode")]
    zip: u32,
    geo: Option<Geo>,
}

#[derive(Document, Debug, Clone, Copy, PartialEq)]
enum Plan {
    Free,
    #[dynamodel(rename = "PRO")]
    Pro,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
enum Shape {
    Circle { radius: u32 },
    Square(u32),
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "everything")]
struct Everything {
    #[dynamodel(hash_key)]
    id: String,
    small: i8,
    unsigned: u16,
    wide: i128,
    exact: Number,
    price: f64,
    blob: Vec<u8>,
    maybe_blob: Option<Vec<u8>>,
    binary: Binary,
    bytes: bytes::Bytes,
    names: HashSet<String>,
    sorted: BTreeSet<String>,
    numbers: BTreeSet<i64>,
    exact_numbers: BTreeSet<Number>,
    blobs: BTreeSet<Binary>,
    empty_set: HashSet<String>,
    list: Vec<u32>,
    map: HashMap<String, i32>,
    tree: BTreeMap<String, Vec<String>>,
    address: Address,
    plan: Plan,
    absent: Option<String>,
    #[dynamodel(null)]
    stored_null: Option<String>,
    #[dynamodel(serde)]
    shape: Shape,
}

fn everything() -> Everything {
    Everything {
        id: "e1".into(),
        small: -8,
        unsigned: 65535,
        wide: -170141183460469231731687303715884105728 / 10_000,
        exact: "12345678901234567890123456789012345678".parse().unwrap(),
        price: 0.1,
        blob: vec![0, 1, 2, 255],
        maybe_blob: Some(vec![]),
        binary: Binary(vec![9, 8]),
        bytes: bytes::Bytes::from_static(b"raw"),
        names: ["a".to_string(), "b".to_string()].into(),
        sorted: ["x".to_string()].into(),
        numbers: [-1, 0, 7].into(),
        exact_numbers: ["0.1".parse().unwrap(), "1E+100".parse().unwrap()].into(),
        blobs: [Binary(vec![1]), Binary(vec![2, 3])].into(),
        empty_set: HashSet::new(),
        list: vec![3, 1, 2],
        map: [("k".to_string(), -1)].into(),
        tree: [("t".to_string(), vec!["u".to_string()])].into(),
        address: Address {
            city: "Paris".into(),
            zip: 75001,
            geo: Some(Geo {
                lat: 48.86,
                lon: 2.35,
            }),
        },
        plan: Plan::Pro,
        absent: None,
        stored_null: None,
        shape: Shape::Circle { radius: 3 },
    }
}

#[tokio::test]
async fn every_type_round_trips_with_the_expected_dynamodb_types() {
    let db = db_with_table::<Everything>("types_all").await;
    let value = everything();
    db.put(&value).await.unwrap();
    let read = db.get::<Everything>("e1").consistent().await.unwrap();
    assert_eq!(read, Some(value));

    let raw = raw_item::<Everything>(&db, &"e1".to_string())
        .await
        .unwrap();
    assert_eq!(raw["small"], n("-8"));
    assert_eq!(raw["unsigned"], n("65535"));
    assert_eq!(raw["exact"], n("12345678901234567890123456789012345678"));
    assert_eq!(raw["price"], n("0.1"));
    assert_eq!(
        raw["blob"],
        AttributeValue::B(Blob::new(vec![0, 1, 2, 255]))
    );
    assert_eq!(raw["maybe_blob"], AttributeValue::B(Blob::new(vec![])));
    assert_eq!(raw["binary"], AttributeValue::B(Blob::new(vec![9, 8])));
    assert_eq!(raw["bytes"], AttributeValue::B(Blob::new(b"raw".to_vec())));
    let AttributeValue::Ss(mut names) = raw["names"].clone() else {
        panic!("names not SS: {:?}", raw["names"]);
    };
    names.sort();
    assert_eq!(names, ["a", "b"]);
    let AttributeValue::Ns(mut numbers) = raw["numbers"].clone() else {
        panic!("numbers not NS: {:?}", raw["numbers"]);
    };
    numbers.sort();
    assert_eq!(numbers, ["-1", "0", "7"]);
    assert!(matches!(&raw["exact_numbers"], AttributeValue::Ns(v) if v.len() == 2));
    assert!(matches!(&raw["blobs"], AttributeValue::Bs(v) if v.len() == 2));
    assert!(
        !raw.contains_key("empty_set"),
        "an empty set is no attribute"
    );
    assert_eq!(raw["list"], AttributeValue::L(vec![n("3"), n("1"), n("2")]));
    assert_eq!(
        raw["map"],
        AttributeValue::M([("k".to_string(), n("-1"))].into())
    );
    let AttributeValue::M(address) = &raw["address"] else {
        panic!("address not M");
    };
    assert_eq!(address["city"], s("Paris"));
    assert_eq!(address["postcode"], n("75001"));
    assert!(matches!(&address["geo"], AttributeValue::M(geo) if geo["lat"] == n("48.86")));
    assert_eq!(raw["plan"], s("PRO"));
    assert!(!raw.contains_key("absent"));
    assert_eq!(raw["stored_null"], AttributeValue::Null(true));
    let AttributeValue::M(shape) = &raw["shape"] else {
        panic!("serde enum not M");
    };
    assert!(shape.contains_key("Circle"));
}

#[tokio::test]
async fn nested_errors_name_the_full_path() {
    let db = db_with_table::<Everything>("types_nested_err").await;
    let mut item = everything().to_item_for_test();
    let AttributeValue::M(address) = item.get_mut("address").unwrap() else {
        panic!()
    };
    address.insert("postcode".into(), s("not a number"));
    db.client()
        .put_item()
        .table_name(db.table_name::<Everything>())
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
    let err = db.get::<Everything>("e1").consistent().await.unwrap_err();
    match &err {
        dynamodel::Error::Decode { attribute, .. } => assert_eq!(attribute, "address.postcode"),
        other => panic!("expected a decode error, got {other}"),
    }
    assert!(
        err.to_string().contains("Everything.address.postcode"),
        "{err}"
    );

    let mut bad = everything();
    bad.address.geo = Some(Geo {
        lat: f64::NAN,
        lon: 0.0,
    });
    let err = db.put(&bad).await.unwrap_err();
    match &err {
        dynamodel::Error::Encode { attribute, .. } => assert_eq!(attribute, "address.geo.lat"),
        other => panic!("expected an encode error, got {other}"),
    }
}

trait ToItemForTest {
    fn to_item_for_test(&self) -> dynamodel::Item;
}

impl<M: Model> ToItemForTest for M {
    fn to_item_for_test(&self) -> dynamodel::Item {
        self.to_item().unwrap()
    }
}

#[test]
fn nested_handles_carry_the_full_path() {
    let fields = Everything::fields();
    let city = fields.address.nested().city;
    assert_eq!(city.path().display_name(), "address.city");
    let lat = fields.address.nested().geo.nested().lat;
    assert_eq!(lat.path().display_name(), "address.geo.lat");
    let _typed: dynamodel::expr::Field<Everything, u32> = fields.address.nested().zip;
    // A Vec<u8> field's handle compares with binary, not a list.
    let _blob: dynamodel::expr::Field<Everything, Binary> = fields.blob;
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "binary_keys")]
struct ByBinary {
    #[dynamodel(hash_key)]
    id: Binary,
    #[dynamodel(range_key)]
    sort: Number,
    value: String,
}

#[tokio::test]
async fn binary_and_number_keys() {
    let db = db_with_table::<ByBinary>("types_bin_key").await;
    let item = ByBinary {
        id: Binary(vec![0xde, 0xad]),
        sort: "-1.5".parse().unwrap(),
        value: "v".into(),
    };
    db.put(&item).await.unwrap();
    let key = (Binary(vec![0xde, 0xad]), "-1.50".parse::<Number>().unwrap());
    let read = db.get::<ByBinary>(key.clone()).consistent().await.unwrap();
    assert_eq!(read, Some(item));
    let raw = raw_item::<ByBinary>(&db, &key).await.unwrap();
    assert_eq!(raw["id"], AttributeValue::B(Blob::new(vec![0xde, 0xad])));
    assert_eq!(raw["sort"], n("-1.5"));
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "dates")]
struct Dated {
    #[dynamodel(hash_key)]
    id: String,
    default_chrono: chrono::DateTime<chrono::Utc>,
    #[dynamodel(date = "millis")]
    millis_time: time::OffsetDateTime,
    #[dynamodel(date = "seconds")]
    seconds_chrono: chrono::DateTime<chrono::Utc>,
    #[dynamodel(date = "iso8601_nanos")]
    iso_chrono: chrono::DateTime<chrono::Utc>,
    #[dynamodel(date = "iso8601_nanos")]
    iso_time: Option<time::OffsetDateTime>,
    #[dynamodel(date = "seconds", null)]
    no_time: Option<chrono::DateTime<chrono::Utc>>,
}

#[tokio::test]
async fn date_times_in_each_format() {
    let db = db_with_table::<Dated>("types_dates").await;
    let ms = chrono::DateTime::from_timestamp_millis(1_700_000_000_123).unwrap();
    let secs = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
    let precise = chrono::DateTime::from_timestamp(1_700_000_000, 123_456_789).unwrap();
    let t = time::macros::datetime!(2023-11-14 22:13:20.123 UTC);
    let t_precise = time::macros::datetime!(2023-11-14 22:13:20.123456789 +02:00);
    let value = Dated {
        id: "d".into(),
        default_chrono: ms,
        millis_time: t,
        seconds_chrono: secs,
        iso_chrono: precise,
        iso_time: Some(t_precise),
        no_time: None,
    };
    db.put(&value).await.unwrap();
    let read = db.get::<Dated>("d").consistent().await.unwrap().unwrap();
    assert_eq!(read, value);
    let raw = raw_item::<Dated>(&db, &"d".to_string()).await.unwrap();
    assert_eq!(raw["default_chrono"], n("1700000000123"));
    assert_eq!(raw["millis_time"], n("1700000000123"));
    assert_eq!(raw["seconds_chrono"], n("1700000000"));
    assert_eq!(raw["iso_chrono"], s("2023-11-14T22:13:20.123456789Z"));
    assert_eq!(raw["iso_time"], s("2023-11-14T20:13:20.123456789Z"));
    assert_eq!(raw["no_time"], AttributeValue::Null(true));

    // Storage in millis or seconds refuses what it would cut, naming the field.
    for (finer, field) in [
        (
            Dated {
                default_chrono: precise,
                ..value.clone()
            },
            "default_chrono",
        ),
        (
            Dated {
                seconds_chrono: ms,
                ..value.clone()
            },
            "seconds_chrono",
        ),
        (
            Dated {
                no_time: Some(ms),
                ..value.clone()
            },
            "no_time",
        ),
    ] {
        let err = db.put(&finer).await.unwrap_err();
        match &err {
            dynamodel::Error::Encode {
                model, attribute, ..
            } => assert_eq!((*model, attribute.as_str()), ("Dated", field)),
            other => panic!("expected an encode error, got {other:?}"),
        }
        assert!(err.to_string().contains("truncate"), "{err}");
    }
    let read = db.get::<Dated>("d").consistent().await.unwrap().unwrap();
    assert_eq!(read, value, "nothing was written");
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "readings")]
struct Reading {
    #[dynamodel(hash_key)]
    sensor: String,
    #[dynamodel(range_key)]
    n: u32,
    #[dynamodel(date = "iso8601")]
    at: chrono::DateTime<chrono::Utc>,
    #[dynamodel(date = "iso8601")]
    seen: time::OffsetDateTime,
    #[dynamodel(date = "iso8601_micros", truncate)]
    precise: Option<chrono::DateTime<chrono::Utc>>,
}

/// `Reading`'s table plus a local index whose range key is the text of `at`.
async fn create_readings_table(db: &dynamodel::Db) {
    use aws_sdk_dynamodb::types::{
        AttributeDefinition, BillingMode, KeySchemaElement, KeyType, LocalSecondaryIndex,
        Projection, ProjectionType, ScalarAttributeType,
    };
    let attr = |name: &str, kind| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(kind)
            .build()
            .unwrap()
    };
    let key = |name: &str, kind| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(kind)
            .build()
            .unwrap()
    };
    db.client()
        .create_table()
        .table_name(db.table_name::<Reading>())
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(attr("sensor", ScalarAttributeType::S))
        .attribute_definitions(attr("n", ScalarAttributeType::N))
        .attribute_definitions(attr("at", ScalarAttributeType::S))
        .key_schema(key("sensor", KeyType::Hash))
        .key_schema(key("n", KeyType::Range))
        .local_secondary_indexes(
            LocalSecondaryIndex::builder()
                .index_name("by_at")
                .key_schema(key("sensor", KeyType::Hash))
                .key_schema(key("at", KeyType::Range))
                .projection(
                    Projection::builder()
                        .projection_type(ProjectionType::All)
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn iso8601_text_has_one_width_and_sorts_in_time_order() {
    let db = dynamodel_tests::db("types_iso_sort").await;
    create_readings_table(&db).await;
    // Whole seconds and fractions mixed: with variable-width text
    // (`...:00Z` vs `...:00.5Z`) these sort out of time order.
    let millis = [
        1_793_520_000_000,
        1_793_520_000_500,
        1_793_520_000_007,
        1_793_520_001_000,
        1_793_520_000_050,
        1_793_519_999_999,
        1_793_520_060_000,
    ];
    for (i, ms) in millis.iter().enumerate() {
        let at = chrono::DateTime::from_timestamp_millis(*ms).unwrap();
        let seen =
            time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(*ms) * 1_000_000).unwrap();
        db.put(&Reading {
            sensor: "s1".into(),
            n: i as u32,
            at,
            seen,
            precise: (i == 0)
                .then(|| chrono::DateTime::from_timestamp(1_793_520_000, 123_456_789).unwrap()),
        })
        .await
        .unwrap();
    }
    let raw = raw_item::<Reading>(&db, &("s1".to_string(), 0))
        .await
        .unwrap();
    assert_eq!(raw["at"], s("2026-11-01T08:00:00.000Z"));
    assert_eq!(
        raw["seen"],
        s("2026-11-01T08:00:00.000Z"),
        "time writes what chrono writes"
    );
    assert_eq!(raw["precise"], s("2026-11-01T08:00:00.123456Z"));
    let raw = raw_item::<Reading>(&db, &("s1".to_string(), 1))
        .await
        .unwrap();
    assert_eq!(raw["at"], s("2026-11-01T08:00:00.500Z"));
    assert_eq!(raw["seen"], s("2026-11-01T08:00:00.500Z"));

    // DynamoDB orders the text byte by byte: in a range key (a local index on
    // `at`, which dynamodel's keys cannot be yet) and in comparisons.
    let mut sorted = millis.to_vec();
    sorted.sort();
    let by_time = |descending: bool| {
        let db = db.clone();
        async move {
            let out = db
                .client()
                .query()
                .table_name(db.table_name::<Reading>())
                .index_name("by_at")
                .key_condition_expression("sensor = :s")
                .expression_attribute_values(":s", s("s1"))
                .scan_index_forward(!descending)
                .send()
                .await
                .unwrap();
            out.items()
                .iter()
                .map(|item| millis[item["n"].as_n().unwrap().parse::<usize>().unwrap()])
                .collect::<Vec<i64>>()
        }
    };
    assert_eq!(by_time(false).await, sorted, "the range key orders by time");
    let mut reversed = sorted.clone();
    reversed.reverse();
    assert_eq!(by_time(true).await, reversed);
    let f = Reading::fields();
    let mut after: Vec<i64> = db
        .query::<Reading>("s1")
        .filter(f.at.gt(chrono::DateTime::from_timestamp(1_793_520_000, 0).unwrap()))
        .all()
        .await
        .unwrap()
        .iter()
        .map(|r| r.at.timestamp_millis())
        .collect();
    after.sort();
    let expected: Vec<i64> = sorted
        .iter()
        .copied()
        .filter(|ms| *ms > 1_793_520_000_000)
        .collect();
    assert_eq!(
        after, expected,
        "a comparison of texts is a comparison of times"
    );

    // A value finer than a millisecond is refused, naming the field.
    let err = db
        .put(&Reading {
            sensor: "s1".into(),
            n: 99,
            at: chrono::DateTime::from_timestamp(1_793_520_000, 1_000).unwrap(),
            seen: time::OffsetDateTime::UNIX_EPOCH,
            precise: None,
        })
        .await
        .unwrap_err();
    match &err {
        dynamodel::Error::Encode { attribute, .. } => assert_eq!(attribute, "at"),
        other => panic!("expected an encode error, got {other}"),
    }
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "dates_cut")]
struct DatedTruncated {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(date = "millis", truncate)]
    at_ms: chrono::DateTime<chrono::Utc>,
    #[dynamodel(date = "seconds", truncate)]
    at_s: Option<time::OffsetDateTime>,
}

#[tokio::test]
async fn truncate_opts_into_rounding_toward_the_past() {
    let db = db_with_table::<DatedTruncated>("types_dates_cut").await;
    let precise = chrono::DateTime::from_timestamp(1_700_000_000, 123_456_789).unwrap();
    let before_epoch = time::macros::datetime!(1969-12-31 23:59:59.5 UTC);
    db.put(&DatedTruncated {
        id: "t".into(),
        at_ms: precise,
        at_s: Some(before_epoch),
    })
    .await
    .unwrap();
    let raw = raw_item::<DatedTruncated>(&db, &"t".to_string())
        .await
        .unwrap();
    assert_eq!(raw["at_ms"], n("1700000000123"));
    assert_eq!(raw["at_s"], n("-1"), "toward the past, also before 1970");
    let read = db.get::<DatedTruncated>("t").await.unwrap().unwrap();
    assert_eq!(read.at_ms.timestamp_millis(), 1_700_000_000_123);
}

#[test]
fn numbers_refuse_what_dynamodb_cannot_store() {
    assert!("1E+126".parse::<Number>().is_err());
    assert!("123456789012345678901234567890123456789"
        .parse::<Number>()
        .is_err());
    assert_eq!(i64::try_from(&Number::from(-5i64)), Ok(-5));
    assert!(u8::try_from(&Number::from(300u32)).is_err());
}
