//! Indexes, cursors and streams of pages: a global secondary index, page
//! by page reads resumed from a cursor, a stream of items across pages,
//! `fill(n)` with a filter, a projected get, and a scan paced to a capacity
//! budget with its consumed capacity and counts.
//!
//! Run it with `cargo run --example indexes_cursors_streams`.

use dynamodel::ops::{CapacityDetail, Meter};
use dynamodel::{Db, Model};
use futures::TryStreamExt;

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "readings",
    gsi(name = "by_kind", hash = kind, range = at, projection = "all")
)]
pub struct Reading {
    #[dynamodel(hash_key)]
    pub device: String,
    #[dynamodel(range_key)]
    pub at: u64,
    pub kind: String,
    pub value: i64,
}

/// Only the kind of a reading: a projection of [`Reading`].
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "readings", projection_of = Reading)]
pub struct ReadingKind {
    #[dynamodel(hash_key)]
    pub device: String,
    #[dynamodel(range_key)]
    pub at: u64,
    pub kind: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let db = Db::new(dynamodel::local::client().await?).with_table_prefix("example-index-");
    run(&db).await
}

/// Writes 25 readings, then reads them back in the ways a service does.
pub async fn run(db: &Db) -> Result<(), Box<dyn std::error::Error>> {
    db.create_table::<Reading>().await?;
    let readings: Vec<Reading> = (0..25)
        .map(|at| Reading {
            device: "d-1".into(),
            at,
            kind: if at % 5 == 0 { "alarm" } else { "ok" }.into(),
            value: at as i64 * 10,
        })
        .collect();
    db.batch_put(&readings).await?;

    // Page by page: hand the cursor to a client, take it back later.
    let first = db.query::<Reading>("d-1").limit(10).page().await?;
    let cursor = first.cursor.clone().ok_or("expected more pages")?;
    let second = db
        .query::<Reading>("d-1")
        .limit(10)
        .start_from(cursor)
        .page()
        .await?;
    println!(
        "pages    {} then {} items, from #{}",
        first.items.len(),
        second.items.len(),
        second.items[0].at
    );
    assert_eq!(second.items[0].at, 10);

    // A stream of items across pages, newest first.
    let newest: Vec<Reading> = db
        .query::<Reading>("d-1")
        .descending()
        .limit(7)
        .stream()
        .try_collect()
        .await?;
    assert_eq!(newest.len(), 25);
    assert_eq!(newest[0].at, 24);

    // The index: every alarm, in time order, with a sort-key condition.
    let alarms = db
        .query_index(Reading::indexes().by_kind, "alarm")
        .sort_ge(10u64)
        .all()
        .await?;
    println!(
        "alarms   at {:?}",
        alarms.iter().map(|r| r.at).collect::<Vec<_>>()
    );
    assert_eq!(alarms.len(), 3);

    // `fill(n)` keeps reading until n items pass the filter.
    let fields = Reading::fields();
    let big = db
        .query::<Reading>("d-1")
        .filter(fields.value.gt(100))
        .limit(4)
        .fill(5)
        .await?;
    assert_eq!(big.items.len(), 5);
    assert!(big.items.iter().all(|r| r.value > 100));

    // A projected get: only the key and `kind` travel.
    let kind = db
        .get::<Reading>(("d-1".to_owned(), 5))
        .project::<ReadingKind>()
        .await?;
    assert_eq!(kind.map(|k| k.kind).as_deref(), Some("alarm"));

    // A background scan paced to 20 read units a second, metered: its
    // consumed capacity, and the items read and returned.
    let meter = Meter::new().capacity(CapacityDetail::Total);
    let alarms = db
        .scan::<Reading>()
        .filter(fields.kind.eq("alarm"))
        .limit(10)
        .max_capacity_per_second(20.0)
        .meter(&meter)
        .all()
        .await?;
    println!(
        "scan     {} of {} items, {} RCU, paced {:?}",
        meter.count(),
        meter.scanned_count(),
        meter.consumed_capacity().read_units(),
        meter.paused()
    );
    assert_eq!((alarms.len(), meter.scanned_count()), (5, 25));

    db.delete_table::<Reading>().await?;
    Ok(())
}
