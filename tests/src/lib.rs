//! Test support for dynamodel's integration tests: every test gets its own
//! table-name prefix on the one DynamoDB Local of its process.
//!
//! * this file — [`Db`]s on DynamoDB Local, raw reads of what a model stored,
//!   attribute-value shorthands;
//! * [`raw`] — the raw SDK client: clients with a chosen retry policy, tables
//!   with a string key, full scans;
//! * [`streams`] — DynamoDB Streams: turning a table's stream on, reading
//!   its records, the Lambda event for them;
//! * [`cold_start`] — an endpoint counting connections and the AWS
//!   environment pointing at it, to prove that building a client sends nothing;
//! * [`fault`] — the seeded fault-injection proxy ([`fault_proxy`] starts one
//!   in front of DynamoDB Local).

pub mod cold_start;
pub mod event_log;
pub mod fault;
pub mod raw;
pub mod streams;

use std::sync::atomic::{AtomicU32, Ordering};

use dynamodel::{Db, Model};

static NEXT_PREFIX: AtomicU32 = AtomicU32::new(0);

/// A [`Db`] on DynamoDB Local whose tables are prefixed uniquely for `test`.
///
/// Panics (failing the test) when DynamoDB Local cannot be reached or started.
pub async fn db(test: &str) -> Db {
    let client = match dynamodel::local::client().await {
        Ok(client) => client,
        Err(err) => panic!("DynamoDB Local is not available: {err}"),
    };
    let n = NEXT_PREFIX.fetch_add(1, Ordering::Relaxed);
    Db::new(client).with_table_prefix(format!("{test}-{}-{n}-", std::process::id()))
}

/// A fault proxy with `config` in front of this process's DynamoDB Local.
///
/// Panics (failing the test) when DynamoDB Local is not available or the
/// proxy cannot listen.
pub async fn fault_proxy(config: fault::FaultConfig) -> fault::FaultProxy {
    let upstream = raw::local_endpoint().await;
    match fault::FaultProxy::start(&upstream, config).await {
        Ok(proxy) => proxy,
        Err(err) => panic!("starting the fault proxy: {err}"),
    }
}

/// `db`'s tables (same prefix) reached through `proxy`, by a client that
/// makes one attempt per request: every fault reaches dynamodel's own retries.
pub fn db_through_proxy<M: Model>(db: &Db, proxy: &fault::FaultProxy) -> Db {
    let client = raw::client_with_retries(
        &proxy.endpoint(),
        aws_sdk_dynamodb::config::retry::RetryConfig::standard().with_max_attempts(1),
    );
    let table = db.table_name::<M>();
    let prefix = table.strip_suffix(M::TABLE_NAME).unwrap_or_default();
    Db::new(client).with_table_prefix(prefix)
}

/// [`db`] plus a freshly created table for `M`.
pub async fn db_with_table<M: Model>(test: &str) -> Db {
    let db = db(test).await;
    if let Err(err) = db.create_table::<M>().await {
        panic!("creating the table of {}: {err}", M::MODEL_NAME);
    }
    db
}

/// Reads the raw stored item of `M` under `key`, bypassing the model, to check
/// exactly what was written.
pub async fn raw_item<M: Model>(db: &Db, key: &M::Key) -> Option<dynamodel::Item> {
    let key = M::key_to_item(key).expect("key converts");
    db.client()
        .get_item()
        .table_name(db.table_name::<M>())
        .set_key(Some(key))
        .consistent_read(true)
        .send()
        .await
        .expect("raw GetItem succeeds")
        .item
}

/// A string attribute value, for comparing raw items.
pub fn s(text: &str) -> dynamodel::AttributeValue {
    dynamodel::AttributeValue::S(text.into())
}

/// A number attribute value (`text` as DynamoDB stores it), for comparing raw items.
pub fn n(text: &str) -> dynamodel::AttributeValue {
    dynamodel::AttributeValue::N(text.into())
}

/// How many items `M`'s table holds (a consistent scan): checks that a
/// refused write sent nothing.
pub async fn item_count<M: Model>(db: &Db) -> i32 {
    db.client()
        .scan()
        .table_name(db.table_name::<M>())
        .consistent_read(true)
        .send()
        .await
        .expect("raw Scan succeeds")
        .count
}

/// The clock in milliseconds since the Unix epoch, to compare timestamps with.
pub fn now_ms() -> u64 {
    let elapsed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970");
    u64::try_from(elapsed.as_millis()).expect("milliseconds fit u64")
}
