//! Consumed capacity and counts: a `Meter` on every operation adds up what
//! DynamoDB Local reports (capacity units per request, retries and pages
//! included), and queries and scans report `Count` and `ScannedCount` per
//! page and in total.

use dynamodel::ops::{CapacityDetail, Meter};
use dynamodel::{Db, Model};
use dynamodel_tests::db_with_table;

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "meters", gsi(name = "by_kind", hash = kind, range = n))]
struct Reading {
    #[dynamodel(hash_key)]
    site: String,
    #[dynamodel(range_key)]
    n: u32,
    kind: String,
    /// About 1 KB, so one item is one write unit and one read unit.
    pad: String,
}

fn reading(site: &str, n: u32) -> Reading {
    Reading {
        site: site.to_owned(),
        n,
        kind: if n.is_multiple_of(2) { "even" } else { "odd" }.to_owned(),
        pad: "x".repeat(900),
    }
}

async fn table(test: &str, items: u32) -> Db {
    let db = db_with_table::<Reading>(test).await;
    db.batch_put(&(0..items).map(|n| reading("s", n)).collect::<Vec<_>>())
        .await
        .unwrap();
    db
}

fn total() -> Meter {
    Meter::new().capacity(CapacityDetail::Total)
}

#[tokio::test]
async fn a_get_costs_one_unit_consistent_and_half_eventually() {
    let db = table("cap-get", 1).await;
    let strong = total();
    let got = db
        .get::<Reading>(("s".to_owned(), 0))
        .consistent()
        .meter(&strong)
        .await
        .unwrap();
    assert!(got.is_some());
    assert_eq!(strong.consumed_capacity().read_units(), 1.0);
    assert_eq!(strong.consumed_capacity().units(), 1.0);
    assert_eq!(strong.requests(), 1);
    let eventual = total();
    db.get::<Reading>(("s".to_owned(), 0))
        .meter(&eventual)
        .await
        .unwrap();
    assert_eq!(eventual.consumed_capacity().read_units(), 0.5);
    // A meter that does not ask for capacity gets none, but counts requests.
    let plain = Meter::new();
    db.get::<Reading>(("s".to_owned(), 0))
        .meter(&plain)
        .await
        .unwrap();
    assert_eq!(plain.consumed_capacity().units(), 0.0);
    assert_eq!(plain.requests(), 1);
}

#[tokio::test]
async fn writes_report_write_units() {
    let db = db_with_table::<Reading>("cap-writes").await;
    // A 1 KB put: one unit for the table, one for the index it also writes.
    let put = Meter::new().capacity(CapacityDetail::Indexes);
    db.put(&reading("s", 1)).meter(&put).await.unwrap();
    let used = put.consumed_capacity();
    assert_eq!(used.write_units(), 2.0, "{used:?}");
    assert_eq!(
        used.tables().get(&db.table_name::<Reading>()),
        Some(&1.0),
        "{used:?}"
    );
    assert_eq!(used.indexes().get("by_kind"), Some(&1.0), "{used:?}");
    let meter = total();
    db.put(&reading("s", 1)).meter(&meter).await.unwrap();
    db.create(&reading("s", 2)).meter(&meter).await.unwrap();
    db.update::<Reading>(("s".to_owned(), 2))
        .set(&Reading::fields().kind, "odd".to_owned())
        .meter(&meter)
        .await
        .unwrap();
    db.delete::<Reading>(("s".to_owned(), 1))
        .meter(&meter)
        .await
        .unwrap();
    let used = meter.consumed_capacity();
    assert_eq!(meter.requests(), 4);
    assert!(used.write_units() >= 8.0, "{used:?}");
    assert_eq!(used.read_units(), 0.0, "{used:?}");
    assert_eq!(used.units(), used.write_units());
}

#[tokio::test]
async fn batches_and_transactions_add_up_every_request() {
    let db = db_with_table::<Reading>("cap-batch").await;
    let meter = total();
    // 30 writes: two BatchWriteItem requests (25 + 5), one unit each
    // write, and one for the index each also writes.
    let items: Vec<Reading> = (0..30).map(|n| reading("s", n)).collect();
    db.batch_put(&items)
        .concurrency(1)
        .meter(&meter)
        .await
        .unwrap();
    assert_eq!(meter.requests(), 2);
    assert_eq!(meter.consumed_capacity().write_units(), 60.0);

    let reads = total();
    let keys: Vec<(String, u32)> = (0..30).map(|n| ("s".to_owned(), n)).collect();
    let got = db
        .batch_get::<Reading>(keys)
        .consistent()
        .concurrency(1)
        .meter(&reads)
        .await
        .unwrap();
    assert_eq!(got.items.len(), 30);
    assert_eq!(
        reads.requests(),
        1,
        "30 keys: one BatchGetItem of up to 100"
    );
    assert_eq!(reads.consumed_capacity().read_units(), 30.0);

    // Transactions cost twice: 2 units per item.
    let tx = total();
    db.transact_get()
        .get::<Reading>(("s".to_owned(), 0))
        .get::<Reading>(("s".to_owned(), 1))
        .meter(&tx)
        .await
        .unwrap();
    assert_eq!(tx.consumed_capacity().read_units(), 4.0);
    let tw = total();
    db.transact_write()
        .put(db.put(&reading("s", 40)))
        .meter(&tw)
        .await
        .unwrap();
    assert_eq!(
        tw.consumed_capacity().write_units(),
        4.0,
        "table and index, twice"
    );
}

#[tokio::test]
async fn queries_and_scans_report_counts_per_page_and_in_total() {
    let db = table("cap-query", 20).await;
    let f = Reading::fields();
    let meter = total();
    // Pages of 5 read before the filter; the filter keeps the even ones.
    let page = db
        .query::<Reading>("s")
        .filter(f.kind.eq("even".to_owned()))
        .limit(5)
        .consistent()
        .meter(&meter)
        .page()
        .await
        .unwrap();
    assert_eq!((page.count, page.scanned_count), (3, 5));
    assert_eq!(page.items.len(), 3);
    assert_eq!(
        (meter.count(), meter.scanned_count(), meter.requests()),
        (3, 5, 1)
    );

    let all = total();
    let items = db
        .query::<Reading>("s")
        .filter(f.kind.eq("odd".to_owned()))
        .limit(5)
        .consistent()
        .meter(&all)
        .all()
        .await
        .unwrap();
    assert_eq!(items.len(), 10);
    assert_eq!((all.count(), all.scanned_count()), (10, 20));
    assert!(all.requests() >= 4, "20 items, 5 a page");
    // Every page reads at most 5 KB, consistently: 1 unit per 4 KB, rounded up.
    let units = all.consumed_capacity().read_units();
    assert!((4.0..=10.0).contains(&units), "{units}");

    let scan = Meter::new().capacity(CapacityDetail::Indexes);
    let n = db
        .scan::<Reading>()
        .segments(2)
        .meter(&scan)
        .count()
        .await
        .unwrap();
    assert_eq!(n, 20);
    assert_eq!((scan.count(), scan.scanned_count()), (20, 20));
    assert!(scan.requests() >= 2, "one request per segment at least");
    let used = scan.consumed_capacity();
    assert!(used.units() > 0.0);
    let table = db.table_name::<Reading>();
    assert_eq!(
        used.tables().get(&table).copied(),
        Some(used.units()),
        "{used:?}"
    );

    // An index query reports the index's part with INDEXES.
    let index = Meter::new().capacity(CapacityDetail::Indexes);
    let evens = db
        .query_index(Reading::indexes().by_kind, "even".to_owned())
        .meter(&index)
        .all()
        .await
        .unwrap();
    assert_eq!(evens.len(), 10);
    let used = index.consumed_capacity();
    assert!(
        used.indexes().get("by_kind").copied().unwrap_or(0.0) > 0.0,
        "{used:?}"
    );
}

#[tokio::test]
async fn a_paced_read_waits_each_page_s_capacity_at_the_rate() {
    let db = table("cap-pace", 20).await;
    let rate = 50.0;
    // Page by page: each page with a next one asks for a wait of exactly
    // its consumed capacity at the rate; the last page asks for none.
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let meter = total();
        let mut query = db
            .query::<Reading>("s")
            .limit(6)
            .consistent()
            .max_capacity_per_second(rate)
            .meter(&meter);
        if let Some(cursor) = cursor.take() {
            query = query.start_from(cursor);
        }
        let page = query.page().await.unwrap();
        pages += 1;
        let units = meter.consumed_capacity().units();
        assert!(units > 0.0, "pacing asks for the capacity");
        match page.cursor {
            Some(next) => {
                assert_eq!(
                    meter.paused(),
                    std::time::Duration::from_secs_f64(units / rate)
                );
                cursor = Some(next);
            }
            None => {
                assert_eq!(meter.paused(), std::time::Duration::ZERO);
                break;
            }
        }
    }
    assert!(pages >= 4, "20 items, 6 a page");

    // A stream: the waits add up to the capacity of all pages but the last
    // at the rate; a parallel scan's segments each get half the budget.
    let meter = total();
    let items = db
        .query::<Reading>("s")
        .limit(6)
        .consistent()
        .max_capacity_per_second(rate)
        .meter(&meter)
        .all()
        .await
        .unwrap();
    assert_eq!(items.len(), 20);
    let spent = meter.consumed_capacity().units();
    let paused = meter.paused().as_secs_f64();
    assert!(
        paused > 0.0 && paused <= spent / rate,
        "{paused} for {spent} units"
    );

    let scan = total();
    db.scan::<Reading>()
        .segments(2)
        .limit(4)
        .consistent()
        .max_capacity_per_second(rate)
        .meter(&scan)
        .all()
        .await
        .unwrap();
    let spent = scan.consumed_capacity().units();
    let paused = scan.paused().as_secs_f64();
    // Each segment waits its pages' units at rate / 2: twice as long (a
    // segment's last page may be empty and cost nothing).
    assert!(
        paused > spent / rate && paused <= 2.0 * spent / rate,
        "{paused} for {spent} units"
    );
}

#[tokio::test]
async fn a_capacity_budget_must_be_positive() {
    let db = table("cap-budget", 1).await;
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let err = db
            .scan::<Reading>()
            .max_capacity_per_second(bad)
            .all()
            .await
            .unwrap_err();
        assert!(err.to_string().contains("max_capacity_per_second"), "{err}");
    }
}
