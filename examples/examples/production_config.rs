//! Production set-up: a `Db` from the standard AWS configuration (feature
//! `aws-config` of dynamodel).
//!
//! Run it with `cargo run --example production_config`. It builds the `Db`
//! the way a service would — region, credentials, retries and endpoint from
//! the environment, the shared config files or the instance role — prints
//! what was resolved, and sends nothing: building a `Db` makes no request,
//! and credentials are only fetched on the first one. So it runs anywhere,
//! with or without AWS credentials.

use std::time::Duration;

use dynamodel::aws_config::{retry::RetryConfig, timeout::TimeoutConfig};
use dynamodel::Db;

#[tokio::main]
async fn main() {
    // Off EC2 with no region configured, skip the instance-metadata lookup.
    if std::env::var_os("AWS_REGION").is_none() && std::env::var_os("AWS_PROFILE").is_none() {
        std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    }

    // One line: everything from the environment (AWS_REGION, AWS_PROFILE,
    // AWS_MAX_ATTEMPTS, AWS_RETRY_MODE, AWS_ENDPOINT_URL_DYNAMODB, ...).
    let from_env = Db::from_env().await;
    describe("Db::from_env()", &from_env);

    // The same defaults, with retries and timeouts set in code.
    let tuned = Db::from_loader(
        Db::config_loader()
            .retry_config(RetryConfig::standard().with_max_attempts(5))
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(1))
                    .operation_attempt_timeout(Duration::from_secs(2))
                    .operation_timeout(Duration::from_secs(10))
                    .build(),
            ),
    )
    .await
    .with_table_prefix("prod-");
    describe("Db::from_loader(..)", &tuned);
    println!("no request was sent: credentials are resolved on the first request");
}

/// Prints the settings a `Db`'s client resolved (never credentials).
fn describe(how: &str, db: &Db) {
    let config = db.client().config();
    let region = config
        .region()
        .map_or("(none: set AWS_REGION)", |region| region.as_ref());
    let attempts = config.retry_config().map(|retry| retry.max_attempts());
    let timeout = config
        .timeout_config()
        .and_then(|timeouts| timeouts.operation_timeout());
    println!("{how}: region {region}, max attempts {attempts:?}, operation timeout {timeout:?}");
}
