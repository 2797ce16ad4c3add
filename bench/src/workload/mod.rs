//! The workload, phase by phase: the same requests through dynamodel and by
//! hand. Each phase returns what it read (items or updates seen), which the
//! driver compares between the two sides.

pub mod by_hand;
pub mod with_dynamodel;

use crate::model::{order, Order};

/// Requests in flight at once for single-item operations and batches.
pub const IN_FLIGHT: usize = 8;
/// Partitions the batch-put items are spread over (one query each).
pub const PARTITIONS: usize = 20;
/// Puts per transaction.
pub const TRANSACTION_SIZE: usize = 10;

/// One phase of the workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// `items` creates (PutItem with `attribute_not_exists`).
    Create,
    /// `10 × items` puts in BatchWriteItem requests of 25: dynamodel's
    /// `batch_put` of a slice, which checks every key before sending any,
    /// then prepares each request's items when a request slot is free.
    BatchPut,
    /// The same puts again, streamed: dynamodel's `batch_put_iter`, which
    /// prepares each request's items when a request slot is free, as the
    /// hand-written side does in both phases.
    BatchPutStreamed,
    /// `items` gets of the created items.
    Get,
    /// One filtered query per partition of the batch items, all pages.
    Query,
    /// `items` updates of the created items, returning the new item.
    Update,
    /// `items / 10` transactions of 10 creates.
    Transaction,
    /// One filtered scan of the whole table, all pages.
    Scan,
    /// `items` deletes of the created items, returning the old item.
    Delete,
}

impl Phase {
    /// Every phase, in the order they run.
    pub const ALL: [Phase; 9] = [
        Phase::Create,
        Phase::BatchPut,
        Phase::BatchPutStreamed,
        Phase::Get,
        Phase::Query,
        Phase::Update,
        Phase::Transaction,
        Phase::Scan,
        Phase::Delete,
    ];

    /// The earlier phases that write what this phase reads, for a profile
    /// of this phase alone against DynamoDB Local.
    pub fn reads_written_by(self) -> &'static [Phase] {
        match self {
            Phase::Get | Phase::Update | Phase::Delete => &[Phase::Create],
            Phase::Query | Phase::Scan => &[Phase::BatchPut],
            Phase::Create | Phase::BatchPut | Phase::BatchPutStreamed | Phase::Transaction => &[],
        }
    }

    /// The phase's name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Create => "create",
            Phase::BatchPut => "batch put",
            Phase::BatchPutStreamed => "batch put streamed",
            Phase::Get => "get",
            Phase::Query => "query",
            Phase::Update => "update",
            Phase::Transaction => "transaction",
            Phase::Scan => "scan",
            Phase::Delete => "delete",
        }
    }

    /// The items (or requests, for reads of many items) the phase works on:
    /// what its per-item cost is divided by.
    pub fn units(self, items: usize) -> usize {
        match self {
            Phase::Create | Phase::Get | Phase::Update | Phase::Delete => items,
            Phase::BatchPut | Phase::BatchPutStreamed => items * 10,
            Phase::Transaction => items / TRANSACTION_SIZE * TRANSACTION_SIZE,
            Phase::Query => PARTITIONS,
            Phase::Scan => 1,
        }
    }

    /// [`Phase::units`] when the phase runs over both halves of the data
    /// ([`Data::halves`]): the same, but a scan reads the whole table in
    /// each half.
    pub fn units_in_halves(self, items: usize) -> usize {
        match self {
            Phase::Scan => 2,
            other => other.units(items),
        }
    }
}

/// The data of one run of the workload, made before any timing: the keys
/// of round `round` are apart from every other round's.
#[derive(Debug, Clone)]
pub struct Data {
    /// Created, read, updated and deleted one at a time.
    pub singles: Vec<Order>,
    /// Written by the batch puts.
    pub batch: Vec<Order>,
    /// Written by the transactions, [`TRANSACTION_SIZE`] at a time.
    pub transacted: Vec<Order>,
    /// The partitions of `batch`, queried.
    pub partitions: Vec<String>,
}

impl Data {
    /// The data of round `round` with `items` single items.
    pub fn new(items: usize, round: usize) -> Self {
        let partitions: Vec<String> = (0..PARTITIONS).map(|p| format!("b{round}-{p}")).collect();
        Data {
            singles: (0..items)
                .map(|i| order(format!("s{round}-{i}"), 0))
                .collect(),
            batch: (0..items * 10)
                .map(|i| order(partitions[i % PARTITIONS].clone(), i))
                .collect(),
            transacted: (0..items / TRANSACTION_SIZE * TRANSACTION_SIZE)
                .map(|i| order(format!("t{round}-{}", i / TRANSACTION_SIZE), i))
                .collect(),
            partitions,
        }
    }
}

impl Data {
    /// The data in two halves, so that each side of a pair can go first in
    /// one half and second in the other: singles, batch items and
    /// partitions split in two, transactions at a transaction's boundary.
    pub fn halves(&self) -> [Data; 2] {
        fn split<T: Clone>(items: &[T], at: usize) -> [Vec<T>; 2] {
            let (first, second) = items.split_at(at.min(items.len()));
            [first.to_vec(), second.to_vec()]
        }
        let transactions = self.transacted.len() / TRANSACTION_SIZE;
        let [singles0, singles1] = split(&self.singles, self.singles.len() / 2);
        let [batch0, batch1] = split(&self.batch, self.batch.len() / 2);
        let [transacted0, transacted1] =
            split(&self.transacted, transactions / 2 * TRANSACTION_SIZE);
        let [partitions0, partitions1] = split(&self.partitions, self.partitions.len() / 2);
        [
            Data {
                singles: singles0,
                batch: batch0,
                transacted: transacted0,
                partitions: partitions0,
            },
            Data {
                singles: singles1,
                batch: batch1,
                transacted: transacted1,
                partitions: partitions1,
            },
        ]
    }
}

/// The queries' filter: `age > QUERY_MIN_AGE`.
pub const QUERY_MIN_AGE: u32 = 45;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_halves_hold_every_item_once_and_whole_transactions() {
        let data = Data::new(35, 0);
        let [first, second] = data.halves();
        let keys = |orders: &[Order]| -> Vec<(String, String)> {
            orders
                .iter()
                .map(|o| (o.pk.clone(), o.sk.clone()))
                .collect()
        };
        for (whole, a, b) in [
            (&data.singles, &first.singles, &second.singles),
            (&data.batch, &first.batch, &second.batch),
            (&data.transacted, &first.transacted, &second.transacted),
        ] {
            assert_eq!(keys(&[a.clone(), b.clone()].concat()), keys(whole));
            assert!(a.len().abs_diff(b.len()) <= TRANSACTION_SIZE);
        }
        assert_eq!(first.singles.len(), 17);
        // 30 transacted items: one transaction in the first half, two in the second.
        assert_eq!(first.transacted.len(), TRANSACTION_SIZE);
        assert_eq!(second.transacted.len(), 2 * TRANSACTION_SIZE);
        assert_eq!(
            [first.partitions.clone(), second.partitions.clone()].concat(),
            data.partitions
        );
        assert_eq!(first.partitions.len(), PARTITIONS / 2);
    }
}
