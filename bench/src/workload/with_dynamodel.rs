//! The workload through dynamodel.
//!
//! Each request is built inside the future that sends it, as the
//! hand-written side builds its own: `buffer_unordered` makes up to
//! [`IN_FLIGHT`] futures before polling any, and a request built in the
//! `map` closure (a transaction's prepared items) would sit in memory,
//! cold, until its future is polled, which the hand-written side does not
//! pay. Likewise each item read is decoded and dropped, as by hand, not
//! kept until the phase ends.

use futures::{stream, StreamExt, TryStreamExt};

use super::{Data, Phase, IN_FLIGHT, QUERY_MIN_AGE, TRANSACTION_SIZE};
use crate::model::Order;
use dynamodel::{Db, Model};

/// Runs `phase` over `data`; returns what it read (items or updates).
pub async fn run(db: &Db, phase: Phase, data: &Data) -> dynamodel::Result<usize> {
    let fields = Order::fields();
    match phase {
        Phase::Create => {
            stream::iter(&data.singles)
                .map(|order| async move { db.create(order).send().await })
                .buffer_unordered(IN_FLIGHT)
                .try_collect::<Vec<()>>()
                .await?;
            Ok(0)
        }
        Phase::BatchPut => {
            let output = db.batch_put(&data.batch).concurrency(IN_FLIGHT).await?;
            Ok(output.written)
        }
        Phase::BatchPutStreamed => {
            let output = db
                .batch_put_iter::<Order, _>(&data.batch)
                .concurrency(IN_FLIGHT)
                .await?;
            Ok(output.written)
        }
        Phase::Get => {
            let found: Vec<bool> = stream::iter(&data.singles)
                .map(|order| async move {
                    db.get::<Order>((order.pk.clone(), order.sk.clone()))
                        .send()
                        .await
                        .map(|found| found.is_some())
                })
                .buffer_unordered(IN_FLIGHT)
                .try_collect()
                .await?;
            Ok(found.iter().filter(|f| **f).count())
        }
        Phase::Query => {
            let mut read = 0;
            for partition in &data.partitions {
                let items = db
                    .query::<Order>(partition.clone())
                    .filter(fields.age.gt(QUERY_MIN_AGE))
                    .all()
                    .await?;
                read += items.len();
            }
            Ok(read)
        }
        Phase::Update => {
            let fields = &fields;
            let updated: Vec<()> = stream::iter(&data.singles)
                .map(|order| async move {
                    db.update::<Order>((order.pk.clone(), order.sk.clone()))
                        .set(&fields.name, "Renamed")
                        .increment(&fields.logins, 1u64)
                        .return_all_new()
                        .send()
                        .await
                        .map(drop)
                })
                .buffer_unordered(IN_FLIGHT)
                .try_collect()
                .await?;
            Ok(updated.len())
        }
        Phase::Transaction => {
            stream::iter(data.transacted.chunks(TRANSACTION_SIZE))
                .map(|chunk| async move {
                    chunk
                        .iter()
                        .fold(db.transact_write(), |tx, order| tx.create(db.create(order)))
                        .send()
                        .await
                })
                .buffer_unordered(IN_FLIGHT)
                .try_collect::<Vec<()>>()
                .await?;
            Ok(0)
        }
        Phase::Scan => {
            let items = db
                .scan::<Order>()
                .filter(fields.active.eq(true))
                .all()
                .await?;
            Ok(items.len())
        }
        Phase::Delete => {
            let deleted: Vec<bool> = stream::iter(&data.singles)
                .map(|order| async move {
                    db.delete::<Order>((order.pk.clone(), order.sk.clone()))
                        .send()
                        .await
                        .map(|old| old.is_some())
                })
                .buffer_unordered(IN_FLIGHT)
                .try_collect()
                .await?;
            Ok(deleted.iter().filter(|d| **d).count())
        }
    }
}
