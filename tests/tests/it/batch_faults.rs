//! Batches and transactions through the seeded fault-injection proxy:
//! throttles, server errors, partial batches and lost responses. Every check
//! reads DynamoDB Local directly, not through the proxy.
//!
//! Run with `--nocapture` to see the figures.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::config::retry::RetryConfig;
use dynamodel::ops::RetryPolicy;
use dynamodel::{Db, Item, Model};
use dynamodel_tests::fault::{FaultConfig, FaultProxy, LostResponseMode};
use dynamodel_tests::raw::{client_with_retries, scan_all};
use dynamodel_tests::{db_with_table, fault_proxy};

use crate::batch::{user, User};

/// One scenario's world: a fresh table for `M` on DynamoDB Local, read
/// directly, and a `Db` on the same tables through a fault proxy.
struct Setup {
    /// The tables, without the proxy in the way: for setup and checks.
    direct: Db,
    proxy: FaultProxy,
    /// The same tables through `proxy`, with the SDK's own retry backoff
    /// shortened so the tests stay quick.
    db: Db,
}

impl Setup {
    async fn start<M: Model>(test: &str, config: FaultConfig) -> Setup {
        let direct = db_with_table::<M>(test).await;
        let proxy = fault_proxy(config).await;
        let client = client_with_retries(
            &proxy.endpoint(),
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(5))
                .with_max_backoff(Duration::from_millis(50)),
        );
        let table = direct.table_name::<M>();
        let prefix = table.strip_suffix(M::TABLE_NAME).unwrap().to_owned();
        let db = Db::new(client).with_table_prefix(prefix);
        Setup { direct, proxy, db }
    }

    /// Every item of `M`'s table, by partition key `hash`, read directly.
    async fn stored<M: Model>(&self, hash: &str) -> BTreeMap<String, Item> {
        let mut items = BTreeMap::new();
        for item in scan_all(self.direct.client(), &self.direct.table_name::<M>()).await {
            let key = item[hash].as_s().unwrap().clone();
            assert!(
                items.insert(key, item).is_none(),
                "scan returned an item twice"
            );
        }
        items
    }
}

fn quick_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(attempts)
        .max_elapsed(None)
        .base_delay(Duration::from_millis(2))
        .max_delay(Duration::from_millis(100))
}

fn faults(seed: u64) -> FaultConfig {
    // 5% each: about 20% of requests get a fault.
    FaultConfig {
        throttle: 0.05,
        server_error: 0.05,
        partial_batch: 0.05,
        lost_response: 0.05,
        ..FaultConfig::seeded(seed)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_thousand_items_under_faults_are_written_and_read_exactly_once() {
    const N: usize = 50_000;
    let setup = Setup::start::<User>("faults_50k", faults(7)).await;
    let (proxy, db) = (&setup.proxy, &setup.db);
    let users: Vec<User> = (0..N).map(user).collect();

    let started = Instant::now();
    let out = db
        .batch_put(&users)
        .concurrency(16)
        .retry(quick_retries(40))
        .await
        .expect("every item written");
    let write_time = started.elapsed();
    let write_faults = proxy.stats();
    assert_eq!(out.written, N);

    proxy.faults_off();
    let stored = setup.stored::<User>("id").await;
    assert_eq!(stored.len(), N, "the table holds exactly the items written");
    for user in &users {
        assert_eq!(
            stored.get(&user.id),
            Some(&user.to_item().unwrap()),
            "item {} unchanged",
            user.id
        );
    }
    println!(
        "batch_put: {N} items, fault rate {:.1}% of {} requests ({}), dynamodel requests {} \
         (retries {}, failed {}, unprocessed returned {}), items lost 0, run time {:.1?}",
        100.0 * write_faults.faults() as f64 / write_faults.eligible as f64,
        write_faults.eligible,
        write_faults,
        out.stats.requests,
        out.stats.retries,
        out.stats.failed_requests,
        out.stats.unprocessed_returned,
        write_time
    );
    assert!(write_faults.partial_batches > 0 && write_faults.lost_responses > 0);
    assert!(write_faults.throttled > 0 && write_faults.server_errors > 0);

    proxy.set_config(faults(8));
    let before = proxy.stats();
    let started = Instant::now();
    let read = db
        .batch_get::<User>(users.iter().map(|u| u.id.clone()))
        .concurrency(8)
        .retry(quick_retries(40))
        .await
        .expect("every key read");
    let read_time = started.elapsed();
    let after = proxy.stats();
    assert!(read.missing.is_empty());
    assert_eq!(read.items.len(), N, "every item exactly once");
    assert_eq!(read.items, users, "in the order asked, unchanged");
    let read_faults = after.faults() - before.faults();
    let read_requests = after.eligible - before.eligible;
    println!(
        "batch_get: {N} keys, fault rate {:.1}% of {read_requests} requests \
         (partial batches {}), dynamodel requests {} (retries {}, failed {}, unprocessed returned {}), \
         items missing 0, duplicates 0, run time {:.1?}",
        100.0 * read_faults as f64 / read_requests as f64,
        after.partial_batches - before.partial_batches,
        read.stats.requests,
        read.stats.retries,
        read.stats.failed_requests,
        read.stats.unprocessed_returned,
        read_time
    );
    assert!(after.partial_batches > before.partial_batches);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spent_budget_reports_exactly_the_items_not_written() {
    const N: usize = 5_000;
    // No lost responses here: a lost response hides whether a write happened,
    // and such a write is reported as not done (sending it again is harmless).
    let config = FaultConfig {
        throttle: 0.2,
        server_error: 0.1,
        partial_batch: 0.6,
        ..FaultConfig::seeded(11)
    };
    let setup = Setup::start::<User>("faults_budget", config).await;
    let (proxy, db) = (&setup.proxy, &setup.db);
    let users: Vec<User> = (0..N).map(user).collect();

    let err = db
        .batch_put(&users)
        .concurrency(16)
        .retry(quick_retries(2))
        .await
        .expect_err("two attempts cannot finish under these faults");
    let incomplete = err.into_batch_incomplete().expect("BatchIncomplete");
    proxy.faults_off();
    let stored: BTreeSet<String> = setup.stored::<User>("id").await.into_keys().collect();
    let all: BTreeSet<String> = users.iter().map(|u| u.id.clone()).collect();
    let missing: BTreeSet<String> = all.difference(&stored).cloned().collect();
    let reported: BTreeSet<String> = incomplete
        .unprocessed_writes()
        .iter()
        .map(|w| w.key::<User>().unwrap().clone())
        .collect();
    assert!(!missing.is_empty());
    assert_eq!(
        reported, missing,
        "the error lists exactly the items missing"
    );
    assert_eq!(incomplete.unprocessed_writes().len(), missing.len());
    assert_eq!(incomplete.succeeded(), stored.len());
    for write in incomplete.unprocessed_writes() {
        let decoded = write.decode::<User>().unwrap().unwrap();
        assert_eq!(decoded, users[write.index], "leftover is the item itself");
    }
    println!(
        "small budget: {N} items, {} written, {} reported unprocessed = {} missing from the table, \
         {} requests",
        incomplete.succeeded(),
        reported.len(),
        missing.len(),
        incomplete.stats().requests
    );

    // The leftovers can be sent again as they are.
    proxy.set_config(FaultConfig {
        seed: 12,
        ..proxy.config()
    });
    let out = db
        .batch_write()
        .unprocessed(incomplete.into_unprocessed_writes())
        .retry(quick_retries(40))
        .await
        .unwrap();
    assert_eq!(out.written, missing.len());
    proxy.faults_off();
    assert_eq!(setup.stored::<User>("id").await.len(), N);

    // A read with a spent budget: what was read plus what was not = all keys.
    proxy.set_config(FaultConfig {
        throttle: 0.2,
        server_error: 0.1,
        partial_batch: 0.6,
        ..FaultConfig::seeded(13)
    });
    let err = db
        .batch_get::<User>(users.iter().map(|u| u.id.clone()))
        .retry(quick_retries(1))
        .await
        .expect_err("one attempt cannot finish");
    let incomplete = err.batch_incomplete().unwrap();
    let read = incomplete.partial_read().unwrap().items::<User>().unwrap();
    let mut seen: BTreeSet<String> = read.iter().map(|u| u.id.clone()).collect();
    assert_eq!(seen.len(), read.len(), "no item twice");
    for key in incomplete.unprocessed_keys() {
        assert!(seen.insert(key.typed_key::<User>().unwrap().clone()));
    }
    assert_eq!(seen, all, "read + unread = every key");
    assert_eq!(incomplete.succeeded(), read.len());
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "fault_counters")]
struct Counter {
    #[dynamodel(hash_key)]
    id: String,
    value: u64,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "fault_steps")]
struct Step {
    #[dynamodel(hash_key)]
    id: String,
    counter_value: u64,
}

async fn increments_apply_exactly_once(mode: LostResponseMode, seed: u64) {
    const STEPS: u64 = 30;
    let config = FaultConfig {
        lost_response: 0.3,
        throttle: 0.1,
        server_error: 0.1,
        lost_response_mode: mode,
        ..FaultConfig::seeded(seed)
    };
    let setup = Setup::start::<Counter>("faults_tx", config).await;
    let (direct, proxy, db) = (&setup.direct, &setup.proxy, &setup.db);
    direct.create_table::<Step>().await.unwrap();
    direct
        .put(&Counter {
            id: "c".into(),
            value: 0,
        })
        .await
        .unwrap();
    let started = Instant::now();
    for step in 0..STEPS {
        // Applied twice, the condition `value = step` would fail and the
        // step would be reported cancelled.
        db.transact_write()
            .put(
                db.put(&Counter {
                    id: "c".into(),
                    value: step + 1,
                })
                .condition(Counter::fields().value.eq(step)),
            )
            .create(db.create(&Step {
                id: format!("step-{step}"),
                counter_value: step + 1,
            }))
            .client_request_token(format!("increment-{seed}-{step}"))
            .retry(quick_retries(30))
            .await
            .unwrap_or_else(|err| panic!("step {step}: {err}"));
    }
    let stats = proxy.stats();
    proxy.faults_off();
    let counter = direct.get::<Counter>("c").consistent().await.unwrap();
    assert_eq!(counter.unwrap().value, STEPS, "each increment applied once");
    let steps = setup.stored::<Step>("id").await;
    assert_eq!(steps.len() as u64, STEPS);
    println!(
        "transactions ({mode:?}): {STEPS} increments, {} requests, {} lost responses, {} throttled, \
         {} server errors; counter = {STEPS}, double applications 0, run time {:.1?}",
        stats.eligible,
        stats.lost_responses,
        stats.throttled,
        stats.server_errors,
        started.elapsed()
    );
    assert!(stats.lost_responses > 0);
}

#[tokio::test]
async fn transactions_retried_with_their_token_apply_exactly_once_server_error() {
    increments_apply_exactly_once(LostResponseMode::ServerError, 21).await;
}

#[tokio::test]
async fn transactions_retried_with_their_token_apply_exactly_once_dropped_connection() {
    increments_apply_exactly_once(LostResponseMode::DropConnection, 22).await;
}

/// The default policy (10 attempts, 60 s, waits from 50 ms doubling) is the
/// one most callers use: under heavy throttling it retries until every item
/// is written, within its time limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_policy_rides_out_throttling() {
    const N: usize = 500;
    let config = FaultConfig {
        // The SDK retries a throttle twice itself: 0.6³ ≈ 22% of requests
        // reach dynamodel's budget as throttled.
        throttle: 0.6,
        operations: Some(vec!["BatchWriteItem".into()]),
        ..FaultConfig::seeded(11)
    };
    let setup = Setup::start::<User>("faults_default_policy", config).await;
    let users: Vec<User> = (0..N).map(user).collect();
    let out = setup
        .db
        .batch_put(&users)
        .concurrency(1)
        .await
        .expect("every item written under the default policy");
    assert_eq!(out.written, N);
    assert!(
        out.stats.retries > 0 && out.stats.failed_requests > 0,
        "the throttles reached dynamodel's retries: {:?}",
        out.stats
    );
    setup.proxy.faults_off();
    assert_eq!(setup.stored::<User>("id").await.len(), N);
    println!(
        "default policy under {}: {:?}",
        setup.proxy.stats(),
        out.stats
    );
}
