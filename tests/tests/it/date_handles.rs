//! Typed date-time handles: in every date storage a field's handle takes the
//! field's own type (`std::time::SystemTime`, chrono `DateTime<Utc>`, time
//! `OffsetDateTime`) in
//! conditions and updates, and converts it through the field's storage. Each
//! comparison finds exactly the items a hand-written expression over the
//! stored representation finds; each update writes what a put would.

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Utc};
use dynamodel::expr::Condition;
use dynamodel::{AttributeValue, Db, Model};
use dynamodel_tests::{db_with_table, n, raw_item, s};

/// A chrono instant `seconds` + `nanos` after the epoch.
fn chrono_at(seconds: i64, nanos: u32) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, nanos).expect("in range")
}

/// The same instant as a time `OffsetDateTime`.
fn time_at(seconds: i64, nanos: u32) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp_nanos(
        i128::from(seconds) * 1_000_000_000 + i128::from(nanos),
    )
    .expect("in range")
}

/// The same instant as a `std::time::SystemTime`.
fn system_at(seconds: i64, nanos: u32) -> SystemTime {
    let whole = Duration::from_secs(seconds.unsigned_abs());
    let at = if seconds >= 0 {
        UNIX_EPOCH + whole
    } else {
        UNIX_EPOCH - whole
    };
    at + Duration::from_nanos(u64::from(nanos))
}

/// Hand-written stored forms, independent of the library's encoders.
fn epoch_millis(seconds: i64, nanos: u32) -> AttributeValue {
    n(&(seconds * 1000 + i64::from(nanos / 1_000_000)).to_string())
}
fn epoch_seconds(seconds: i64, _nanos: u32) -> AttributeValue {
    n(&seconds.to_string())
}
fn iso(seconds: i64, nanos: u32, digits: usize) -> AttributeValue {
    let text = chrono_at(seconds, 0)
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    let fraction = format!("{nanos:09}");
    s(&format!("{text}.{}Z", &fraction[..digits]))
}
fn iso_millis(seconds: i64, nanos: u32) -> AttributeValue {
    iso(seconds, nanos, 3)
}
fn iso_micros(seconds: i64, nanos: u32) -> AttributeValue {
    iso(seconds, nanos, 6)
}
fn iso_nanos(seconds: i64, nanos: u32) -> AttributeValue {
    iso(seconds, nanos, 9)
}

/// The `seq` values of the items a raw scan with `filter` (over `#at` and
/// `:v0`, `:v1`...) returns: the hand-written expression to compare with.
async fn raw_filter(db: &Db, table: &str, filter: &str, values: &[AttributeValue]) -> Vec<u32> {
    let mut request = db
        .client()
        .scan()
        .table_name(table)
        .consistent_read(true)
        .filter_expression(filter)
        .expression_attribute_names("#at", "at");
    for (i, value) in values.iter().enumerate() {
        request = request.expression_attribute_values(format!(":v{i}"), value.clone());
    }
    let out = request.send().await.expect("raw Scan succeeds");
    let mut seqs: Vec<u32> = out
        .items()
        .iter()
        .map(|item| item["seq"].as_n().expect("a number").parse().expect("u32"))
        .collect();
    seqs.sort();
    seqs
}

/// Instants in time order (seconds, nanoseconds): before 1970, 9 s and 10 s
/// (whose numbers as text sort the other way), and two in 2100 (in the
/// future, so DynamoDB's TTL leaves them be; it ignores the old ones).
const INSTANTS: [(i64, u32); 5] = [
    (-86_400, 0),
    (9, 0),
    (10, 0),
    (4_102_444_800, 0),
    (4_102_444_801, 0),
];

macro_rules! date_handles {
    (
        $test:ident, $model:ident, $ty:ty, $at:ident, [$($storage:tt)*],
        [$($later:tt)*], $stored:expr, $sub_nanos:literal
    ) => {
        #[derive(Model, Debug, Clone, PartialEq)]
        #[dynamodel(table = "date_handles")]
        struct $model {
            #[dynamodel(hash_key)]
            stream: String,
            #[dynamodel(range_key)]
            seq: u32,
            #[dynamodel($($storage)*)]
            at: $ty,
            // The same storage (a TTL can only be one attribute: epoch
            // seconds there).
            #[dynamodel($($later)*)]
            later: Option<$ty>,
        }

        #[tokio::test]
        async fn $test() {
            let db = db_with_table::<$model>(stringify!($test)).await;
            let table = db.table_name::<$model>();
            let stored: fn(i64, u32) -> AttributeValue = $stored;
            // `$sub_nanos` past each second: zero for the exact storages, a
            // finer part that the truncating or rounding ones remove.
            let value = |i: usize| $at(INSTANTS[i].0, INSTANTS[i].1 + $sub_nanos);
            for i in 0..INSTANTS.len() {
                db.put(&$model {
                    stream: "s".into(),
                    seq: i as u32,
                    at: value(i),
                    later: None,
                })
                .await
                .expect("put");
            }
            let (seconds, nanos) = INSTANTS[3];
            let raw = raw_item::<$model>(&db, &("s".to_owned(), 3))
                .await
                .expect("stored");
            assert_eq!(raw["at"], stored(seconds, nanos), "the storage");

            let f = $model::fields();
            let pivot = value(2);
            let (low, high) = (value(1), value(3));
            let typed = |condition: Condition<$model>| {
                let db = db.clone();
                async move {
                    let mut seqs: Vec<u32> = db
                        .query::<$model>("s")
                        .filter(condition)
                        .consistent()
                        .all()
                        .await
                        .expect("query")
                        .into_iter()
                        .map(|item| item.seq)
                        .collect();
                    seqs.sort();
                    seqs
                }
            };
            let v = |i: usize| stored(INSTANTS[i].0, INSTANTS[i].1);
            let cases: Vec<(&str, Condition<$model>, &str, Vec<AttributeValue>, Vec<u32>)> = vec![
                ("eq", f.at.eq(pivot), "#at = :v0", vec![v(2)], vec![2]),
                ("ne", f.at.ne(pivot), "#at <> :v0", vec![v(2)], vec![0, 1, 3, 4]),
                ("lt", f.at.lt(pivot), "#at < :v0", vec![v(2)], vec![0, 1]),
                ("le", f.at.le(pivot), "#at <= :v0", vec![v(2)], vec![0, 1, 2]),
                ("gt", f.at.gt(pivot), "#at > :v0", vec![v(2)], vec![3, 4]),
                ("ge", f.at.ge(pivot), "#at >= :v0", vec![v(2)], vec![2, 3, 4]),
                (
                    "between",
                    f.at.between(low, high),
                    "#at BETWEEN :v0 AND :v1",
                    vec![v(1), v(3)],
                    vec![1, 2, 3],
                ),
                (
                    "is_in",
                    f.at.is_in([value(0), value(4)]),
                    "#at IN (:v0, :v1)",
                    vec![v(0), v(4)],
                    vec![0, 4],
                ),
            ];
            for (name, condition, filter, values, expected) in cases {
                let by_hand = raw_filter(&db, &table, filter, &values).await;
                assert_eq!(by_hand, expected, "{name}: the hand-written expression");
                assert_eq!(typed(condition).await, expected, "{name}: the typed handle");
            }

            // Updates write what a put writes; a condition guards them.
            db.update::<$model>(("s".to_owned(), 0))
                .condition(f.at.eq(value(0)))
                .set(&f.at, value(4))
                .set_if_not_exists(&f.later, value(3))
                .await
                .expect("update");
            let raw = raw_item::<$model>(&db, &("s".to_owned(), 0))
                .await
                .expect("stored");
            assert_eq!(raw["at"], v(4), "set");
            assert_eq!(raw["later"], v(3), "set_if_not_exists");
            let refused = db
                .update::<$model>(("s".to_owned(), 0))
                .condition(f.at.eq(value(0)))
                .set(&f.at, value(1))
                .await
                .expect_err("the item no longer holds value(0)");
            assert!(refused.is_conditional_check_failed(), "{refused}");
            let read = db
                .get::<$model>(("s".to_owned(), 0))
                .consistent()
                .await
                .expect("get")
                .expect("found");
            assert_eq!(read.at, $at(INSTANTS[4].0, INSTANTS[4].1));
            let seqs: BTreeSet<u32> = [0].into();
            assert_eq!(
                typed(f.later.eq(value(3))).await.into_iter().collect::<BTreeSet<_>>(),
                seqs
            );
        }
    };
}

date_handles!(
    millis_chrono,
    MillisChrono,
    DateTime<Utc>,
    chrono_at,
    [date = "millis"],
    [date = "millis"],
    epoch_millis,
    0
);
date_handles!(
    default_millis_time,
    DefaultMillisTime,
    time::OffsetDateTime,
    time_at,
    [],
    [],
    epoch_millis,
    0
);
date_handles!(
    millis_truncated,
    MillisTruncated,
    DateTime<Utc>,
    chrono_at,
    [date = "millis", truncate],
    [date = "millis", truncate],
    epoch_millis,
    700
);
date_handles!(
    seconds_chrono,
    SecondsChrono,
    DateTime<Utc>,
    chrono_at,
    [date = "seconds"],
    [date = "seconds"],
    epoch_seconds,
    0
);
date_handles!(
    seconds_time,
    SecondsTime,
    time::OffsetDateTime,
    time_at,
    [date = "seconds"],
    [date = "seconds"],
    epoch_seconds,
    0
);
date_handles!(
    seconds_truncated,
    SecondsTruncated,
    DateTime<Utc>,
    chrono_at,
    [date = "seconds", truncate],
    [date = "seconds", truncate],
    epoch_seconds,
    700_000_000
);
date_handles!(
    iso8601_chrono,
    IsoChrono,
    DateTime<Utc>,
    chrono_at,
    [date = "iso8601"],
    [date = "iso8601"],
    iso_millis,
    0
);
date_handles!(
    iso8601_time,
    IsoTime,
    time::OffsetDateTime,
    time_at,
    [date = "iso8601"],
    [date = "iso8601"],
    iso_millis,
    0
);
date_handles!(
    iso8601_truncated,
    IsoTruncated,
    time::OffsetDateTime,
    time_at,
    [date = "iso8601", truncate],
    [date = "iso8601", truncate],
    iso_millis,
    999
);
date_handles!(
    iso8601_micros,
    IsoMicros,
    DateTime<Utc>,
    chrono_at,
    [date = "iso8601_micros"],
    [date = "iso8601_micros"],
    iso_micros,
    0
);
date_handles!(
    iso8601_nanos,
    IsoNanos,
    time::OffsetDateTime,
    time_at,
    [date = "iso8601_nanos"],
    [date = "iso8601_nanos"],
    iso_nanos,
    0
);
date_handles!(
    ttl_chrono,
    TtlChrono,
    DateTime<Utc>,
    chrono_at,
    [ttl],
    [date = "seconds"],
    epoch_seconds,
    0
);

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "rounded_seconds")]
struct Rounded {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(date = "seconds", round)]
    at: DateTime<Utc>,
}

/// `round`: writes, condition values and update values are rounded to the
/// nearest second alike (halves up), where the default refuses them.
#[tokio::test]
async fn seconds_round_to_the_nearest_in_writes_conditions_and_updates() {
    let db = db_with_table::<Rounded>("date_handles_rounded").await;
    for (id, seconds, millis) in [("a", 12, 500), ("b", 20, 499)] {
        db.put(&Rounded {
            id: id.into(),
            at: chrono_at(seconds, millis * 1_000_000),
        })
        .await
        .expect("put");
    }
    let stored = |id: &'static str| {
        let db = db.clone();
        async move {
            raw_item::<Rounded>(&db, &id.to_owned())
                .await
                .expect("stored")["at"]
                .clone()
        }
    };
    assert_eq!(stored("a").await, n("13"), "12.5 s rounds up");
    assert_eq!(stored("b").await, n("20"), "20.499 s rounds down");

    let f = Rounded::fields();
    let ids = |condition| {
        let db = db.clone();
        async move {
            let mut ids: Vec<String> = db
                .scan::<Rounded>()
                .filter(condition)
                .consistent()
                .all()
                .await
                .expect("scan")
                .into_iter()
                .map(|item| item.id)
                .collect();
            ids.sort();
            ids
        }
    };
    // 12.7 s is stored 13: equal to item a's stored 13.
    assert_eq!(ids(f.at.eq(chrono_at(12, 700_000_000))).await, ["a"]);
    // 19.6 s is 20: item b (20) is not below it, item a (13) is.
    assert_eq!(ids(f.at.lt(chrono_at(19, 600_000_000))).await, ["a"]);
    assert_eq!(ids(f.at.ge(chrono_at(19, 600_000_000))).await, ["b"]);

    db.update::<Rounded>("a")
        .condition(f.at.eq(chrono_at(13, 0)))
        .set(&f.at, chrono_at(30, 500_000_000))
        .await
        .expect("update");
    assert_eq!(stored("a").await, n("31"), "an update value rounds too");
    let read = db.get::<Rounded>("a").consistent().await.expect("get");
    assert_eq!(read.map(|r| r.at), Some(chrono_at(31, 0)));
}

// `std::time::SystemTime` in every storage.
date_handles!(
    default_millis_system,
    DefaultMillisSystem,
    SystemTime,
    system_at,
    [],
    [],
    epoch_millis,
    0
);
date_handles!(
    seconds_system,
    SecondsSystem,
    SystemTime,
    system_at,
    [date = "seconds"],
    [date = "seconds"],
    epoch_seconds,
    0
);
date_handles!(
    iso8601_system,
    IsoSystem,
    SystemTime,
    system_at,
    [date = "iso8601"],
    [date = "iso8601"],
    iso_millis,
    0
);
date_handles!(
    iso8601_micros_system,
    IsoMicrosSystem,
    SystemTime,
    system_at,
    [date = "iso8601_micros"],
    [date = "iso8601_micros"],
    iso_micros,
    0
);
date_handles!(
    iso8601_nanos_system,
    IsoNanosSystem,
    SystemTime,
    system_at,
    [date = "iso8601_nanos"],
    [date = "iso8601_nanos"],
    iso_nanos,
    0
);
date_handles!(
    ttl_system,
    TtlSystem,
    SystemTime,
    system_at,
    [ttl],
    [date = "seconds"],
    epoch_seconds,
    0
);

// `round` in every storage with a unit: a finer part below the half goes
// (writes, conditions and updates alike).
date_handles!(
    millis_rounded_system,
    MillisRoundedSystem,
    SystemTime,
    system_at,
    [date = "millis", round],
    [date = "millis", round],
    epoch_millis,
    499_999
);
date_handles!(
    iso8601_rounded,
    IsoRounded,
    DateTime<Utc>,
    chrono_at,
    [date = "iso8601", round],
    [date = "iso8601", round],
    iso_millis,
    300
);
date_handles!(
    iso8601_micros_rounded,
    IsoMicrosRounded,
    time::OffsetDateTime,
    time_at,
    [date = "iso8601_micros", round],
    [date = "iso8601_micros", round],
    iso_micros,
    499
);
date_handles!(
    ttl_rounded_system,
    TtlRoundedSystem,
    SystemTime,
    system_at,
    [ttl, round],
    [date = "seconds", round],
    epoch_seconds,
    300_000_000
);

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "rounded_units")]
struct RoundedUnits {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(date = "millis", round)]
    millis: SystemTime,
    #[dynamodel(date = "iso8601", round)]
    iso: DateTime<Utc>,
    #[dynamodel(date = "iso8601_micros", round)]
    micros: time::OffsetDateTime,
    #[dynamodel(ttl, round)]
    expires: SystemTime,
}

/// `round` with millis, ISO 8601 and TTL storage: halves go toward the
/// future, carrying into the next second (and day), exactly as `date =
/// "seconds", round` does; without `round` the same values are refused.
#[tokio::test]
async fn millis_iso8601_and_ttl_round_to_the_nearest_unit() {
    let db = db_with_table::<RoundedUnits>("date_handles_rounded_units").await;
    // 2100-01-01T23:59:59.9995Z: every unit rounds up into the next day.
    let (seconds, nanos) = (4_102_531_199, 999_500_000);
    db.put(&RoundedUnits {
        id: "a".into(),
        millis: system_at(seconds, 400_000_700),
        iso: chrono_at(seconds, nanos),
        micros: time_at(seconds, 999_999_500),
        expires: system_at(seconds, 500_000_000),
    })
    .await
    .expect("put");
    let raw = raw_item::<RoundedUnits>(&db, &"a".to_owned())
        .await
        .expect("stored");
    assert_eq!(raw["millis"], n("4102531199400"), "400.0007 ms rounds down");
    assert_eq!(
        raw["iso"],
        s("2100-01-02T00:00:00.000Z"),
        "a half millisecond rounds up"
    );
    assert_eq!(
        raw["micros"],
        s("2100-01-02T00:00:00.000000Z"),
        "a half microsecond rounds up"
    );
    assert_eq!(raw["expires"], n("4102531200"), "a half second rounds up");

    // A condition value rounds as the write did.
    let f = RoundedUnits::fields();
    db.update::<RoundedUnits>("a")
        .condition(f.iso.eq(chrono_at(seconds + 1, 400_000)))
        .set(&f.millis, system_at(seconds, 400_500_000))
        .await
        .expect("the condition holds after rounding");
    let raw = raw_item::<RoundedUnits>(&db, &"a".to_owned())
        .await
        .expect("stored");
    assert_eq!(
        raw["millis"],
        n("4102531199401"),
        "an update value rounds too"
    );
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "exact_units")]
struct ExactUnits {
    #[dynamodel(hash_key)]
    id: String,
    at: SystemTime,
    #[dynamodel(date = "iso8601")]
    iso: SystemTime,
    #[dynamodel(ttl)]
    expires: Option<SystemTime>,
}

/// Without `round` (or `truncate`), a value finer than its storage is a
/// typed error naming the attribute and the ways out; nothing is sent.
#[tokio::test]
async fn a_system_time_finer_than_its_storage_is_refused() {
    let db = db_with_table::<ExactUnits>("date_handles_exact_units").await;
    let exact = ExactUnits {
        id: "a".into(),
        at: system_at(10, 1_000_000),
        iso: system_at(10, 2_000_000),
        expires: Some(system_at(4_102_444_800, 0)),
    };
    for (attribute, finer) in [
        (
            "at",
            ExactUnits {
                at: system_at(10, 1_000_001),
                ..exact.clone()
            },
        ),
        (
            "iso",
            ExactUnits {
                iso: system_at(10, 2_000_500),
                ..exact.clone()
            },
        ),
        (
            "expires",
            ExactUnits {
                expires: Some(system_at(4_102_444_800, 1)),
                ..exact.clone()
            },
        ),
    ] {
        let err = db.put(&finer).await.expect_err("finer than the storage");
        match &err {
            dynamodel::Error::Encode {
                attribute: named, ..
            } => assert_eq!(named, attribute),
            other => panic!("{attribute}: expected Encode, got {other:?}"),
        }
        let message = err.to_string();
        assert!(message.contains("round"), "{message}");
        assert!(message.contains("truncate"), "{message}");
    }
    assert_eq!(dynamodel_tests::item_count::<ExactUnits>(&db).await, 0);
    db.put(&exact).await.expect("exact values");
    let read = db.get::<ExactUnits>("a").consistent().await.expect("get");
    assert_eq!(read, Some(exact));
}
