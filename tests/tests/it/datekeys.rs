//! Date-times as plain table and index keys, in every storage: the table's
//! key type, the stored value and its type, get / delete / batch get with a
//! key built from the date-time, and sort conditions that compare in time
//! order.

use chrono::{DateTime, Utc};
use dynamodel::{AttributeValue, Db, Error, Model};
use dynamodel_tests::{db_with_table, n, s};

fn at(seconds: i64, millis: u32) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, millis * 1_000_000).expect("valid")
}

/// The items of `M`'s table, read raw (not through the model's key code).
async fn raw_items<M: Model>(db: &Db) -> Vec<dynamodel::Item> {
    dynamodel_tests::raw::scan_all(db.client(), &db.table_name::<M>()).await
}

/// The scalar type of `M`'s attribute `name`, as DynamoDB describes the table.
async fn key_type<M: Model>(db: &Db, name: &str) -> String {
    let table = db
        .client()
        .describe_table()
        .table_name(db.table_name::<M>())
        .send()
        .await
        .expect("DescribeTable succeeds")
        .table
        .expect("a table");
    let definition = table
        .attribute_definitions()
        .iter()
        .find(|d| d.attribute_name() == name)
        .expect("the key attribute is defined");
    definition.attribute_type().as_str().to_owned()
}

/// Four instants in time order: one before 1970, then 9 s and 10 s (whose
/// numbers in text would sort the other way), then 2026-11-01T08:00:00
/// plus `millis`.
fn instants(millis: u32) -> [DateTime<Utc>; 4] {
    [
        at(-86_400, millis),
        at(9, 0),
        at(10, 0),
        at(1_793_520_000, millis),
    ]
}

macro_rules! date_key_storage {
    ($test:ident, $model:ident, $storage:literal, $millis:literal, $ty:literal, $stored:expr) => {
        #[derive(Model, Debug, Clone, PartialEq)]
        #[dynamodel(table = "events")]
        struct $model {
            #[dynamodel(hash_key)]
            stream: String,
            #[dynamodel(range_key, date = $storage)]
            at: DateTime<Utc>,
            seq: u32,
        }

        #[tokio::test]
        async fn $test() {
            let db = db_with_table::<$model>(stringify!($test)).await;
            assert_eq!(key_type::<$model>(&db, "at").await, $ty);
            let instants = instants($millis);
            // Written newest first, so only the key order can sort them.
            for (seq, when) in instants.iter().enumerate().rev() {
                let item = $model {
                    stream: "s".into(),
                    at: *when,
                    seq: seq as u32,
                };
                db.put(&item).await.expect("put");
            }
            let raw = raw_items::<$model>(&db).await;
            let newest = raw
                .iter()
                .find(|item| item["seq"] == n("3"))
                .expect("stored");
            let expected: AttributeValue = $stored;
            assert_eq!(newest["at"], expected);

            // Get with a key built from the date-time.
            let key = ("s".to_owned(), instants[3]);
            let read = db
                .get::<$model>(key.clone())
                .consistent()
                .await
                .expect("get");
            // The key field decodes back to the instant it was built from.
            assert_eq!(
                read.map(|m| (m.stream, m.at, m.seq)),
                Some(("s".to_owned(), instants[3], 3))
            );

            // Sort conditions in time order.
            let seqs = |items: Vec<$model>| items.into_iter().map(|m| m.seq).collect::<Vec<_>>();
            let all = db.query::<$model>("s").all().await.expect("query");
            assert_eq!(seqs(all), [0, 1, 2, 3]);
            let after = db
                .query::<$model>("s")
                .sort_gt(instants[1])
                .all()
                .await
                .expect("query");
            assert_eq!(seqs(after), [2, 3]);
            let between = db
                .query::<$model>("s")
                .sort_between(instants[0], instants[2])
                .descending()
                .all()
                .await
                .expect("query");
            assert_eq!(seqs(between), [2, 1, 0]);

            let batch = db
                .batch_get::<$model>([("s".to_owned(), instants[0]), ("s".to_owned(), instants[2])])
                .consistent()
                .await
                .expect("batch get");
            let mut got = seqs(batch.items);
            got.sort();
            assert_eq!(got, [0, 2]);

            // Delete with a key built from the date-time.
            db.delete::<$model>(key.clone()).await.expect("delete");
            assert_eq!(db.get::<$model>(key).consistent().await.expect("get"), None);
            assert_eq!(raw_items::<$model>(&db).await.len(), 3);
        }
    };
}

date_key_storage!(
    date_key_millis,
    EventMillis,
    "millis",
    500,
    "N",
    n("1793520000500")
);
date_key_storage!(
    date_key_seconds,
    EventSeconds,
    "seconds",
    0,
    "N",
    n("1793520000")
);
date_key_storage!(
    date_key_iso8601,
    EventIso,
    "iso8601",
    500,
    "S",
    s("2026-11-01T08:00:00.500Z")
);
date_key_storage!(
    date_key_iso8601_micros,
    EventIsoMicros,
    "iso8601_micros",
    500,
    "S",
    s("2026-11-01T08:00:00.500000Z")
);
date_key_storage!(
    date_key_iso8601_nanos,
    EventIsoNanos,
    "iso8601_nanos",
    500,
    "S",
    s("2026-11-01T08:00:00.500000000Z")
);

/// A date-time key without a `date` setting: the type's own storage, epoch
/// milliseconds; and `time::OffsetDateTime` as an ISO 8601 key.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "plain")]
struct Plain {
    #[dynamodel(hash_key)]
    at: DateTime<Utc>,
    note: String,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "shifts")]
struct Shift {
    #[dynamodel(hash_key)]
    worker: String,
    #[dynamodel(range_key, date = "iso8601")]
    starts: time::OffsetDateTime,
}

#[tokio::test]
async fn default_storage_and_time_keys() {
    let db = db_with_table::<Plain>("date_key_plain").await;
    assert_eq!(key_type::<Plain>(&db, "at").await, "N");
    let plain = Plain {
        at: at(1_793_520_000, 7),
        note: "x".into(),
    };
    db.put(&plain).await.expect("put");
    assert_eq!(raw_items::<Plain>(&db).await[0]["at"], n("1793520000007"));
    let read = db.get::<Plain>(plain.at).consistent().await.expect("get");
    assert_eq!(read, Some(plain));

    let db = db_with_table::<Shift>("date_key_time").await;
    assert_eq!(key_type::<Shift>(&db, "starts").await, "S");
    let offset = time::UtcOffset::from_hms(2, 0, 0).expect("offset");
    let starts = time::OffsetDateTime::from_unix_timestamp(1_793_520_000)
        .expect("valid")
        .to_offset(offset);
    for hours in [0, 1, 2] {
        let shift = Shift {
            worker: "w".into(),
            starts: starts + time::Duration::hours(hours),
        };
        db.put(&shift).await.expect("put");
    }
    assert_eq!(
        raw_items::<Shift>(&db).await[0]["starts"],
        s("2026-11-01T08:00:00.000Z")
    );
    let later = db
        .query::<Shift>("w")
        .sort_ge(starts + time::Duration::hours(1))
        .all()
        .await
        .expect("query");
    assert_eq!(later.len(), 2);
    // A key from the same instant at another offset finds the item.
    let read = db
        .get::<Shift>(("w".to_owned(), starts.to_offset(time::UtcOffset::UTC)))
        .consistent()
        .await
        .expect("get");
    assert!(read.is_some());
}

/// A key finer than its storage is refused before anything is sent, naming
/// the model and the attribute (no value).
#[tokio::test]
async fn a_key_finer_than_its_storage_is_refused() {
    let db = db_with_table::<EventSeconds>("date_key_finer").await;
    let err = db
        .get::<EventSeconds>(("s".to_owned(), at(10, 5)))
        .await
        .expect_err("refused");
    assert!(
        matches!(&err, Error::Encode { model: "EventSeconds", attribute, .. } if attribute == "at"),
        "{err:?}"
    );
    let err = db
        .query::<EventSeconds>("s")
        .sort_gt(at(10, 5))
        .all()
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::Encode { .. }), "{err:?}");
}

/// A global index whose keys are date-times (ISO 8601 partition key, epoch
/// seconds sort key).
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "visits",
    gsi(name = "by_day", hash = day, range = left)
)]
struct Visit {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(date = "iso8601")]
    day: DateTime<Utc>,
    #[dynamodel(date = "seconds")]
    left: Option<DateTime<Utc>>,
}

#[tokio::test]
async fn a_global_index_keyed_by_date_times() {
    let db = db_with_table::<Visit>("date_key_gsi").await;
    assert_eq!(key_type::<Visit>(&db, "day").await, "S");
    assert_eq!(key_type::<Visit>(&db, "left").await, "N");
    let day = at(1_793_491_200, 0);
    for (id, left) in [
        ("a", Some(30)),
        ("b", Some(9)),
        ("c", Some(10)),
        ("d", None),
    ] {
        let visit = Visit {
            id: id.into(),
            day,
            left: left.map(|s| at(1_793_491_200 + s, 0)),
        };
        db.put(&visit).await.expect("put");
    }
    let ids = |items: Vec<Visit>| items.into_iter().map(|v| v.id).collect::<Vec<_>>();
    let all = db
        .query_index(Visit::indexes().by_day, day)
        .all()
        .await
        .expect("query");
    // "d" has no sort key: not in the sparse index.
    assert_eq!(ids(all), ["b", "c", "a"]);
    let late = db
        .query_index(Visit::indexes().by_day, day)
        .sort_ge(at(1_793_491_210, 0))
        .all()
        .await
        .expect("query");
    assert_eq!(ids(late), ["c", "a"]);
    let other_day = db
        .query_index(Visit::indexes().by_day, at(1_793_491_200 + 86_400, 0))
        .all()
        .await
        .expect("query");
    assert!(other_day.is_empty());
}
