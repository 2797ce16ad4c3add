//! Temporary stand-in: uses `DYNAMODB_ENDPOINT` only (the full launcher is being written).

/// Errors of the local launcher.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LocalError {
    /// Not configured.
    #[error("set DYNAMODB_ENDPOINT")]
    NoEndpoint,
}

/// The endpoint in use.
pub async fn endpoint() -> Result<String, LocalError> {
    std::env::var("DYNAMODB_ENDPOINT").map_err(|_| LocalError::NoEndpoint)
}

/// A client for the endpoint in use.
pub async fn client() -> Result<aws_sdk_dynamodb::Client, LocalError> {
    Ok(client_for_endpoint(&endpoint().await?))
}

/// A client for any endpoint, with dummy credentials.
pub fn client_for_endpoint(endpoint: &str) -> aws_sdk_dynamodb::Client {
    use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "local",
            "local",
            None,
            None,
            "dynamodel-local",
        ))
        .endpoint_url(endpoint)
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}
