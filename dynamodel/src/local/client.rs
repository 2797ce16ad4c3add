//! Building SDK clients for DynamoDB Local: dummy static credentials DynamoDB Local
//! accepts, region us-east-1, the chosen endpoint.

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};

/// Builds a client for any endpoint with dummy static credentials and region us-east-1.
///
/// Nothing is checked or started: requests fail if nothing answers at `endpoint`.
pub fn client_for_endpoint(endpoint: &str) -> aws_sdk_dynamodb::Client {
    aws_sdk_dynamodb::Client::from_conf(config_for_endpoint(endpoint).build())
}

/// The configuration used by [`client_for_endpoint`], open to tweaks before `build()`.
pub(super) fn config_for_endpoint(endpoint: &str) -> aws_sdk_dynamodb::config::Builder {
    aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        // DynamoDB Local 2+ accepts only letters and digits in access key IDs.
        .credentials_provider(Credentials::new(
            "dynamodel",
            "dynamodel",
            None,
            None,
            "dynamodel-local",
        ))
        .endpoint_url(endpoint)
}
