//! Consumed capacity and counts: a [`Meter`] attached to any operation
//! (`.meter(&meter)`) adds up what DynamoDB reports for every request the
//! operation sends.
//!
//! ```no_run
//! # use dynamodel::{Db, Model};
//! # use dynamodel::ops::{CapacityDetail, Meter};
//! # #[derive(Model, Debug)]
//! # #[dynamodel(table = "users")]
//! # struct User { #[dynamodel(hash_key)] id: String, name: String }
//! # async fn demo(db: Db) -> dynamodel::Result<()> {
//! let meter = Meter::new().capacity(CapacityDetail::Total);
//! let user = db.get::<User>("u-1").consistent().meter(&meter).await?;
//! let users = db.scan::<User>().meter(&meter).all().await?;
//! let used = meter.consumed_capacity();
//! println!("{} RCU over {} requests; scanned {}, returned {}",
//!     used.read_units(), meter.requests(), meter.scanned_count(), meter.count());
//! # let _ = (user, users);
//! # Ok(())
//! # }
//! ```
//!
//! # Guarantees
//!
//! - With [`Meter::capacity`], every request of an operation carrying the
//!   meter asks for `ReturnConsumedCapacity` (`TOTAL` or `INDEXES`), and
//!   the meter adds what each answer reports: every page of a query or scan
//!   (every segment of a parallel scan), every request of a batch including
//!   its retries of unprocessed entries, every attempt of a transaction.
//!   Without it no capacity is asked for (the default of DynamoDB: `NONE`).
//! - A request that fails reports nothing (DynamoDB does not say what a
//!   refused request consumed), so the total is what successful answers
//!   reported.
//! - [`Meter::count`] and [`Meter::scanned_count`] add up queries' and
//!   scans' `Count` (items after the filter) and `ScannedCount` (items read
//!   before it), page by page (Dynamoose's `count` and `scannedCount`).
//! - With `.max_capacity_per_second(units)` on a query or scan, the
//!   waits that pacing asked for add up in [`Meter::paused`].
//! - A meter is a cheap handle (`Clone` shares it): one meter can add up
//!   several operations, concurrent ones included.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use aws_sdk_dynamodb::types::{ConsumedCapacity, ReturnConsumedCapacity};

/// How much detail DynamoDB reports about consumed capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapacityDetail {
    /// The total per table (`ReturnConsumedCapacity = TOTAL`).
    Total,
    /// The total, and the part of it each table and secondary index used
    /// (`INDEXES`).
    Indexes,
}

impl CapacityDetail {
    fn to_sdk(self) -> ReturnConsumedCapacity {
        match self {
            CapacityDetail::Total => ReturnConsumedCapacity::Total,
            CapacityDetail::Indexes => ReturnConsumedCapacity::Indexes,
        }
    }
}

/// Capacity units consumed, added up over the requests a [`Meter`] saw.
///
/// DynamoDB reports the total (`CapacityUnits`) of each request, and, on
/// provisioned tables, how much of it was reads and writes; with
/// [`CapacityDetail::Indexes`] also per table and per index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Capacity {
    units: f64,
    read_units: f64,
    write_units: f64,
    tables: BTreeMap<String, f64>,
    indexes: BTreeMap<String, f64>,
}

impl Capacity {
    /// All capacity units consumed (reads and writes).
    pub fn units(&self) -> f64 {
        self.units
    }

    /// Read capacity units: a strongly consistent read of up to 4 KB is 1,
    /// an eventually consistent one 0.5, a transactional one 2. When
    /// DynamoDB does not split the total (on-demand tables may not), the
    /// read part of reads is counted here: a read-only operation's total.
    pub fn read_units(&self) -> f64 {
        self.read_units
    }

    /// Write capacity units: a write of up to 1 KB is 1, a transactional
    /// one 2 (same rule as [`Capacity::read_units`] when not split).
    pub fn write_units(&self) -> f64 {
        self.write_units
    }

    /// The units each table's own data used (with [`CapacityDetail::Indexes`];
    /// table names include the [`crate::Db`]'s prefix).
    pub fn tables(&self) -> &BTreeMap<String, f64> {
        &self.tables
    }

    /// The units each secondary index used (with [`CapacityDetail::Indexes`]),
    /// by index name.
    pub fn indexes(&self) -> &BTreeMap<String, f64> {
        &self.indexes
    }

    /// Adds one reported `ConsumedCapacity`; `writes` tells which side an
    /// unsplit total counts to.
    fn add(&mut self, consumed: &ConsumedCapacity, writes: bool) {
        let units = consumed.capacity_units.unwrap_or(0.0);
        self.units += units;
        match (consumed.read_capacity_units, consumed.write_capacity_units) {
            (None, None) if writes => self.write_units += units,
            (None, None) => self.read_units += units,
            (read, write) => {
                self.read_units += read.unwrap_or(0.0);
                self.write_units += write.unwrap_or(0.0);
            }
        }
        if let Some(table) = &consumed.table {
            if let (Some(name), Some(units)) = (&consumed.table_name, table.capacity_units) {
                *self.tables.entry(name.clone()).or_default() += units;
            }
        }
        let indexes = consumed.global_secondary_indexes.iter().flatten();
        let local = consumed.local_secondary_indexes.iter().flatten();
        for (name, index) in indexes.chain(local) {
            *self.indexes.entry(name.clone()).or_default() += index.capacity_units.unwrap_or(0.0);
        }
    }
}

#[derive(Debug, Default)]
struct Totals {
    capacity: Capacity,
    requests: u64,
    count: u64,
    scanned_count: u64,
    paused: std::time::Duration,
}

/// Adds up the consumed capacity (when asked for) and the item counts of
/// every request of the operations it is attached to. See the
/// [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct Meter {
    detail: Option<CapacityDetail>,
    totals: Arc<Mutex<Totals>>,
}

impl Meter {
    /// A meter that counts requests and items, and asks for no capacity.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks every request for its consumed capacity, with `detail`.
    #[must_use]
    pub fn capacity(mut self, detail: CapacityDetail) -> Self {
        self.detail = Some(detail);
        self
    }

    /// The capacity consumed so far (zero without [`Meter::capacity`]).
    pub fn consumed_capacity(&self) -> Capacity {
        self.lock().capacity.clone()
    }

    /// The requests answered so far.
    pub fn requests(&self) -> u64 {
        self.lock().requests
    }

    /// Items queries and scans returned (after the filter), over all pages.
    pub fn count(&self) -> u64 {
        self.lock().count
    }

    /// Items queries and scans read (before the filter), over all pages.
    pub fn scanned_count(&self) -> u64 {
        self.lock().scanned_count
    }

    /// The waits that pacing (`max_capacity_per_second` on a query or scan)
    /// asked for so far, added up.
    pub fn paused(&self) -> std::time::Duration {
        self.lock().paused
    }

    fn lock(&self) -> MutexGuard<'_, Totals> {
        // The totals stay consistent whatever a panicking holder did: each
        // update is a few additions.
        self.totals
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// What to send as `ReturnConsumedCapacity`.
    pub(crate) fn return_capacity(&self) -> Option<ReturnConsumedCapacity> {
        self.detail.map(CapacityDetail::to_sdk)
    }

    /// Records one answer of a read (`writes` false) or write request.
    pub(crate) fn record<'a>(
        &self,
        consumed: impl IntoIterator<Item = &'a ConsumedCapacity>,
        writes: bool,
    ) {
        let mut totals = self.lock();
        totals.requests += 1;
        for consumed in consumed {
            totals.capacity.add(consumed, writes);
        }
    }

    /// Records a wait pacing asked for.
    pub(crate) fn record_pause(&self, delay: std::time::Duration) {
        let mut totals = self.lock();
        totals.paused = totals.paused.saturating_add(delay);
    }

    /// Records one page of a query or scan.
    pub(crate) fn record_page(
        &self,
        consumed: Option<&ConsumedCapacity>,
        count: u64,
        scanned: u64,
    ) {
        let mut totals = self.lock();
        totals.requests += 1;
        totals.count += count;
        totals.scanned_count += scanned;
        if let Some(consumed) = consumed {
            totals.capacity.add(consumed, false);
        }
    }
}

/// `meter`'s `ReturnConsumedCapacity`, for an optional meter.
pub(crate) fn return_capacity(meter: Option<&Meter>) -> Option<ReturnConsumedCapacity> {
    meter.and_then(Meter::return_capacity)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::types::Capacity as SdkCapacity;

    fn consumed(units: f64) -> ConsumedCapacity {
        ConsumedCapacity::builder()
            .table_name("t")
            .capacity_units(units)
            .build()
    }

    #[test]
    fn unsplit_totals_count_to_the_side_of_the_request() {
        let meter = Meter::new().capacity(CapacityDetail::Total);
        meter.record([&consumed(0.5)], false);
        meter.record([&consumed(2.0)], true);
        let c = meter.consumed_capacity();
        assert_eq!(
            (c.units(), c.read_units(), c.write_units()),
            (2.5, 0.5, 2.0)
        );
        assert_eq!(meter.requests(), 2);
    }

    #[test]
    fn split_totals_are_taken_as_reported() {
        let meter = Meter::new();
        let split = ConsumedCapacity::builder()
            .capacity_units(3.0)
            .read_capacity_units(1.0)
            .write_capacity_units(2.0)
            .build();
        meter.record([&split], false);
        let c = meter.consumed_capacity();
        assert_eq!(
            (c.units(), c.read_units(), c.write_units()),
            (3.0, 1.0, 2.0)
        );
    }

    #[test]
    fn tables_and_indexes_add_up_by_name() {
        let meter = Meter::new().capacity(CapacityDetail::Indexes);
        let detailed = ConsumedCapacity::builder()
            .table_name("t")
            .capacity_units(3.0)
            .table(SdkCapacity::builder().capacity_units(1.0).build())
            .global_secondary_indexes("g", SdkCapacity::builder().capacity_units(1.5).build())
            .local_secondary_indexes("l", SdkCapacity::builder().capacity_units(0.5).build())
            .build();
        meter.record([&detailed, &detailed], false);
        let c = meter.consumed_capacity();
        assert_eq!(c.units(), 6.0);
        assert_eq!(c.tables().get("t"), Some(&2.0));
        assert_eq!(c.indexes().get("g"), Some(&3.0));
        assert_eq!(c.indexes().get("l"), Some(&1.0));
    }

    #[test]
    fn pages_add_counts_and_capacity() {
        let meter = Meter::new();
        meter.record_page(Some(&consumed(1.5)), 3, 10);
        meter.record_page(None, 2, 4);
        assert_eq!(
            (meter.count(), meter.scanned_count(), meter.requests()),
            (5, 14, 2)
        );
        assert_eq!(meter.consumed_capacity().read_units(), 1.5);
        assert_eq!(meter.clone().count(), 5, "clones share the totals");
        meter.record_pause(std::time::Duration::from_millis(300));
        meter
            .clone()
            .record_pause(std::time::Duration::from_millis(200));
        assert_eq!(meter.paused(), std::time::Duration::from_millis(500));
        meter.record_pause(std::time::Duration::MAX);
        assert_eq!(meter.paused(), std::time::Duration::MAX, "saturates");
    }

    #[test]
    fn only_a_capacity_meter_asks_for_capacity() {
        assert_eq!(Meter::new().return_capacity(), None);
        assert_eq!(return_capacity(None), None);
        let total = Meter::new().capacity(CapacityDetail::Total);
        assert_eq!(
            return_capacity(Some(&total)),
            Some(ReturnConsumedCapacity::Total)
        );
        let indexes = Meter::new().capacity(CapacityDetail::Indexes);
        assert_eq!(
            indexes.return_capacity(),
            Some(ReturnConsumedCapacity::Indexes)
        );
    }
}
