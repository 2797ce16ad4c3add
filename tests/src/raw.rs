//! Helpers on the raw SDK client, for tests that check what DynamoDB Local
//! holds without dynamodel in the way, or that talk to it through the fault
//! proxy.

use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
};
use aws_sdk_dynamodb::Client;
use dynamodel::Item;

/// The endpoint of this process's DynamoDB Local (started on first use).
///
/// Panics (failing the test) when DynamoDB Local cannot be reached or started.
pub async fn local_endpoint() -> String {
    match dynamodel::local::endpoint().await {
        Ok(endpoint) => endpoint,
        Err(err) => panic!("DynamoDB Local is not available: {err}"),
    }
}

/// A client for `endpoint` (as [`dynamodel::local::client_for_endpoint`]
/// builds it) with the SDK retrying as `retry` says: disabled, so that injected
/// faults are observable, or with short backoffs, so that tests stay quick.
pub fn client_with_retries(endpoint: &str, retry: RetryConfig) -> Client {
    let client = dynamodel::local::client_for_endpoint(endpoint);
    let config = client.config().to_builder().retry_config(retry).build();
    Client::from_conf(config)
}

/// A table name no other test (or test run) uses, starting with `prefix`.
pub fn unique_table_name(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_nanos())
        .unwrap_or_default();
    format!("{prefix}-{}-{nanos}", std::process::id())
}

/// Creates the on-demand table `table` whose hash key is the string attribute `key`.
///
/// Panics (failing the test) when DynamoDB refuses.
pub async fn create_table_with_string_key(client: &Client, table: &str, key: &str) {
    client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name(key)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .expect("attribute definition"),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name(key)
                .key_type(KeyType::Hash)
                .build()
                .expect("key schema"),
        )
        .send()
        .await
        .expect("create table");
}

/// Every item of `table`: a consistent scan, all pages.
///
/// Panics (failing the test) when a page cannot be read.
pub async fn scan_all(client: &Client, table: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut start = None;
    loop {
        let page = client
            .scan()
            .table_name(table)
            .consistent_read(true)
            .set_exclusive_start_key(start)
            .send()
            .await
            .expect("raw Scan succeeds");
        items.extend(page.items().iter().cloned());
        start = page.last_evaluated_key().cloned();
        if start.is_none() {
            return items;
        }
    }
}
