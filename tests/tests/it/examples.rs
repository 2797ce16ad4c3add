//! The per-topic examples, run against this binary's DynamoDB Local: each
//! example's `run(&db)` (the whole example but the client set-up) with a
//! table prefix of its own. An example that stops working fails here, so
//! `cargo test` keeps them runnable without building and starting each
//! example binary in CI.

#[allow(dead_code)]
#[path = "../../../examples/examples/batches_transactions.rs"]
mod batches_transactions;
#[allow(dead_code)]
#[path = "../../../examples/examples/documents_sets_dates.rs"]
mod documents_sets_dates;
#[allow(dead_code)]
#[path = "../../../examples/examples/indexes_cursors_streams.rs"]
mod indexes_cursors_streams;
#[allow(dead_code)]
#[path = "../../../examples/examples/versioning_conditions.rs"]
mod versioning_conditions;

use dynamodel_tests::db;

#[tokio::test]
async fn example_documents_sets_dates_runs() {
    documents_sets_dates::run(&db("ex_docs").await)
        .await
        .unwrap();
}

#[tokio::test]
async fn example_indexes_cursors_streams_runs() {
    indexes_cursors_streams::run(&db("ex_index").await)
        .await
        .unwrap();
}

#[tokio::test]
async fn example_batches_transactions_runs() {
    batches_transactions::run(&db("ex_batch").await)
        .await
        .unwrap();
}

#[tokio::test]
async fn example_versioning_conditions_runs() {
    versioning_conditions::run(&db("ex_version").await)
        .await
        .unwrap();
}
