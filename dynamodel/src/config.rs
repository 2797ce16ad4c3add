//! Building a [`Db`] from the standard AWS configuration (feature
//! `aws-config`): region, credentials, retries, timeouts and endpoint from
//! the environment, the shared config files and the instance role, as every
//! AWS SDK reads them.
//!
//! ```no_run
//! # async fn demo() {
//! // AWS_REGION, AWS_PROFILE / AWS_ACCESS_KEY_ID..., AWS_MAX_ATTEMPTS,
//! // AWS_RETRY_MODE, AWS_ENDPOINT_URL_DYNAMODB are read as usual.
//! let db = dynamodel::Db::from_env().await;
//! # }
//! ```
//!
//! To set some of it in code, start from [`Db::config_loader`] (the same
//! defaults) and change what you need:
//!
//! ```no_run
//! use std::time::Duration;
//! use dynamodel::aws_config::{retry::RetryConfig, timeout::TimeoutConfig, Region};
//!
//! # async fn demo() {
//! let db = dynamodel::Db::from_loader(
//!     dynamodel::Db::config_loader()
//!         .region(Region::new("eu-west-1"))
//!         .retry_config(RetryConfig::standard().with_max_attempts(5))
//!         .timeout_config(
//!             TimeoutConfig::builder()
//!                 .connect_timeout(Duration::from_secs(1))
//!                 .operation_attempt_timeout(Duration::from_secs(2))
//!                 .operation_timeout(Duration::from_secs(10))
//!                 .build(),
//!         )
//!         .endpoint_url("http://localhost:8000"), // DynamoDB Local, a proxy, a VPC endpoint
//! )
//! .await;
//! # }
//! ```
//!
//! # What construction does
//!
//! Building the `Db` sends nothing to DynamoDB and resolves no credentials:
//! credentials are fetched (and cached, and refreshed) on the first request.
//! It reads the environment and the shared config files (`~/.aws/config`,
//! `~/.aws/credentials`); only when no region is set there does it ask the
//! EC2 instance metadata service for one (set `AWS_REGION`, or
//! `AWS_EC2_METADATA_DISABLED=true` off EC2, to avoid that lookup).
//!
//! dynamodel enables aws-config without its `sso` and `credentials-process`
//! features (they add dependencies most servers do not need); enable them on
//! your own `aws-config` dependency to use SSO profiles or
//! `credential_process` (cargo unifies the features).

use aws_config::{BehaviorVersion, ConfigLoader, SdkConfig};
use aws_sdk_dynamodb::Client;

use crate::Db;

impl Db {
    /// A `Db` configured from the environment, the shared config files and
    /// the instance role, the way every AWS SDK is (see [`crate::config`]).
    /// Sends no request.
    pub async fn from_env() -> Db {
        Db::from_loader(Db::config_loader()).await
    }

    /// The configuration loader [`Db::from_env`] uses (aws-config's
    /// defaults, latest behavior version), to change parts of it in code
    /// (region, credentials, retries, timeouts, endpoint) before passing it
    /// to [`Db::from_loader`].
    pub fn config_loader() -> ConfigLoader {
        aws_config::defaults(BehaviorVersion::latest())
    }

    /// A `Db` from a configuration loader (see [`Db::config_loader`]).
    /// Sends no request.
    pub async fn from_loader(loader: ConfigLoader) -> Db {
        Db::from_sdk_config(&loader.load().await)
    }

    /// A `Db` from an already loaded AWS configuration, shared with other
    /// AWS clients of the application.
    pub fn from_sdk_config(config: &SdkConfig) -> Db {
        Db::new(Client::new(config))
    }
}
