//! The readiness check: DynamoDB Local is ready once it answers a ListTables.

use std::path::Path;
use std::time::{Duration, Instant};

use super::client::config_for_endpoint;
use super::error::LocalError;
use super::server::Server;

/// How long DynamoDB Local may take to answer its first request.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// Polls the server with ListTables until it answers, it exits, or [`START_TIMEOUT`] passes.
pub(super) fn wait_until_ready(
    endpoint: &str,
    server: &Server,
    dir: &Path,
) -> Result<(), LocalError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| LocalError::Internal {
            detail: format!("could not build a tokio runtime for the start-up: {error}"),
        })?;
    let config = config_for_endpoint(endpoint)
        .retry_config(aws_sdk_dynamodb::config::retry::RetryConfig::disabled())
        .timeout_config(
            aws_sdk_dynamodb::config::timeout::TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(1))
                .operation_timeout(Duration::from_secs(5))
                .build(),
        )
        .build();
    runtime.block_on(async {
        let client = aws_sdk_dynamodb::Client::from_conf(config);
        let started = Instant::now();
        loop {
            if let Some(status) = server.exit_status() {
                return Err(LocalError::Exited {
                    status,
                    dir: dir.to_path_buf(),
                    output: server.output_tail(),
                });
            }
            let last_error = match client.list_tables().limit(1).send().await {
                Ok(_) => return Ok(()),
                // It answered, but with an error: waiting will not help.
                Err(error @ aws_sdk_dynamodb::error::SdkError::ServiceError(_)) => {
                    return Err(LocalError::Rejected {
                        endpoint: endpoint.to_owned(),
                        error: aws_sdk_dynamodb::error::DisplayErrorContext(&error).to_string(),
                    });
                }
                Err(error) => aws_sdk_dynamodb::error::DisplayErrorContext(&error).to_string(),
            };
            if started.elapsed() >= START_TIMEOUT {
                return Err(LocalError::StartTimeout {
                    endpoint: endpoint.to_owned(),
                    waited: started.elapsed(),
                    last_error,
                    output: server.output_tail(),
                });
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
}
