//! Building SDK clients for DynamoDB Local: the credentials and region of
//! the standard AWS environment variables when set (else dummy static
//! credentials DynamoDB Local accepts and us-east-1), the chosen endpoint.

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};

/// The access key id used when `AWS_ACCESS_KEY_ID` is not set. DynamoDB
/// Local 2+ accepts only letters and digits in access key ids.
const DEFAULT_ACCESS_KEY: &str = "dynamodel";
/// The region used when neither `AWS_REGION` nor `AWS_DEFAULT_REGION` is set.
const DEFAULT_REGION: &str = "us-east-1";

/// The standard AWS settings a DynamoDB Local client takes from the
/// environment, each `None` when unset or empty.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct AwsEnv {
    /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (both needed).
    pub(super) credentials: Option<(String, String)>,
    /// `AWS_SESSION_TOKEN`, used with the credentials.
    pub(super) session_token: Option<String>,
    /// `AWS_REGION`, else `AWS_DEFAULT_REGION`.
    pub(super) region: Option<String>,
    /// `DYNAMODB_ENDPOINT`, else `AWS_ENDPOINT_URL_DYNAMODB`.
    pub(super) endpoint: Option<String>,
}

impl AwsEnv {
    /// Reads the settings through `var` (the process environment in
    /// production, a map in tests).
    pub(super) fn read(var: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &str| {
            var(name)
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty())
        };
        let credentials = get("AWS_ACCESS_KEY_ID").zip(get("AWS_SECRET_ACCESS_KEY"));
        AwsEnv {
            session_token: credentials.as_ref().and(get("AWS_SESSION_TOKEN")),
            credentials,
            region: get("AWS_REGION").or_else(|| get("AWS_DEFAULT_REGION")),
            endpoint: get("DYNAMODB_ENDPOINT").or_else(|| get("AWS_ENDPOINT_URL_DYNAMODB")),
        }
    }

    /// The settings of this process's environment.
    pub(super) fn from_process() -> Self {
        AwsEnv::read(|name| std::env::var(name).ok())
    }
}

/// Builds a client for any endpoint, with the credentials and region of the
/// standard AWS environment variables (`AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION` or
/// `AWS_DEFAULT_REGION`) when set, else dummy static credentials and region
/// us-east-1 (see the [module documentation](super)).
///
/// Nothing is checked or started: requests fail if nothing answers at `endpoint`.
pub fn client_for_endpoint(endpoint: &str) -> aws_sdk_dynamodb::Client {
    aws_sdk_dynamodb::Client::from_conf(config_for_endpoint(endpoint).build())
}

/// The configuration used by [`client_for_endpoint`], open to tweaks before `build()`.
pub(super) fn config_for_endpoint(endpoint: &str) -> aws_sdk_dynamodb::config::Builder {
    config_with(endpoint, AwsEnv::from_process())
}

fn config_with(endpoint: &str, env: AwsEnv) -> aws_sdk_dynamodb::config::Builder {
    let (region, credentials) = region_and_credentials(env);
    aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(region)
        .credentials_provider(credentials)
        .endpoint_url(endpoint)
}

/// The region and credentials of `env`, or the defaults.
fn region_and_credentials(env: AwsEnv) -> (Region, Credentials) {
    let (key, secret) = env
        .credentials
        .unwrap_or_else(|| (DEFAULT_ACCESS_KEY.to_owned(), DEFAULT_ACCESS_KEY.to_owned()));
    let region = Region::new(env.region.unwrap_or_else(|| DEFAULT_REGION.to_owned()));
    let credentials = Credentials::new(key, secret, env.session_token, None, "dynamodel-local");
    (region, credentials)
}

/// Builds a DynamoDB Streams client for any endpoint (DynamoDB Local serves
/// the Streams API on its DynamoDB endpoint), with the same credentials and
/// region as [`client_for_endpoint`]. Nothing is checked or started.
#[cfg(feature = "streams")]
pub fn streams_client_for_endpoint(endpoint: &str) -> aws_sdk_dynamodbstreams::Client {
    let (region, credentials) = region_and_credentials(AwsEnv::from_process());
    let config = aws_sdk_dynamodbstreams::Config::builder()
        .behavior_version(aws_sdk_dynamodbstreams::config::BehaviorVersion::latest())
        .region(region)
        .credentials_provider(credentials)
        .endpoint_url(endpoint)
        .build();
    aws_sdk_dynamodbstreams::Client::from_conf(config)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env(vars: &[(&str, &str)]) -> AwsEnv {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        AwsEnv::read(|name| vars.get(name).cloned())
    }

    #[test]
    fn nothing_set_means_nothing_chosen() {
        assert_eq!(env(&[]), AwsEnv::default());
        assert_eq!(
            env(&[("AWS_ACCESS_KEY_ID", " "), ("AWS_REGION", "")]),
            AwsEnv::default()
        );
    }

    #[test]
    fn the_standard_variables_are_read() {
        let read = env(&[
            ("AWS_ACCESS_KEY_ID", "otherkey"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
            ("AWS_SESSION_TOKEN", "token"),
            ("AWS_REGION", " eu-west-1 "),
            ("AWS_DEFAULT_REGION", "us-west-2"),
            ("AWS_ENDPOINT_URL_DYNAMODB", "http://localhost:8000"),
        ]);
        assert_eq!(
            read,
            AwsEnv {
                credentials: Some(("otherkey".into(), "secret".into())),
                session_token: Some("token".into()),
                region: Some("eu-west-1".into()),
                endpoint: Some("http://localhost:8000".into()),
            }
        );
    }

    #[test]
    fn fallbacks_and_precedence() {
        let read = env(&[
            ("AWS_ACCESS_KEY_ID", "onlykey"),
            ("AWS_SESSION_TOKEN", "token"),
            ("AWS_DEFAULT_REGION", "us-west-2"),
            ("DYNAMODB_ENDPOINT", "http://127.0.0.1:9"),
            ("AWS_ENDPOINT_URL_DYNAMODB", "http://localhost:8000"),
        ]);
        assert_eq!(
            read.credentials, None,
            "a key id without a secret is not used"
        );
        assert_eq!(read.session_token, None, "nor a token without credentials");
        assert_eq!(read.region.as_deref(), Some("us-west-2"));
        assert_eq!(read.endpoint.as_deref(), Some("http://127.0.0.1:9"));
    }

    /// The `Authorization` header of the first request `config` sends.
    async fn authorization(config: aws_sdk_dynamodb::config::Builder) -> String {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut head = Vec::new();
            let mut buf = [0u8; 4096];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = stream.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                head.extend_from_slice(&buf[..n]);
            }
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
            String::from_utf8_lossy(&head).into_owned()
        });
        let config = config
            .endpoint_url(endpoint)
            .retry_config(aws_sdk_dynamodb::config::retry::RetryConfig::disabled())
            .build();
        let _ = aws_sdk_dynamodb::Client::from_conf(config)
            .list_tables()
            .send()
            .await;
        let head = server.join().unwrap();
        head.lines()
            .find(|line| line.to_ascii_lowercase().starts_with("authorization:"))
            .unwrap_or_default()
            .to_owned()
    }

    #[tokio::test]
    async fn the_client_uses_them_or_the_defaults() {
        let config = config_with(
            "http://127.0.0.1:1",
            env(&[
                ("AWS_ACCESS_KEY_ID", "otherkey"),
                ("AWS_SECRET_ACCESS_KEY", "secret"),
                ("AWS_REGION", "eu-west-1"),
            ]),
        );
        assert_eq!(
            config.clone().build().region().map(Region::as_ref),
            Some("eu-west-1")
        );
        let auth = authorization(config).await;
        assert!(auth.contains("Credential=otherkey/"), "{auth}");
        assert!(auth.contains("/eu-west-1/dynamodb/"), "{auth}");

        let config = config_with("http://127.0.0.1:1", AwsEnv::default());
        let auth = authorization(config).await;
        assert!(
            auth.contains(&format!("Credential={DEFAULT_ACCESS_KEY}/")),
            "{auth}"
        );
        assert!(
            auth.contains(&format!("/{DEFAULT_REGION}/dynamodb/")),
            "{auth}"
        );
    }
}
