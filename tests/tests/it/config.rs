//! `Db::from_loader` (feature `aws-config`): a `Db` built from aws-config's
//! loader with region, static credentials, retry and timeout settings and a
//! custom endpoint (DynamoDB Local) reads and writes, with those settings.

use std::time::Duration;

use aws_sdk_dynamodb::config::Credentials;
use dynamodel::aws_config::{retry::RetryConfig, timeout::TimeoutConfig, Region};
use dynamodel::{Db, Model};

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "configured")]
struct Note {
    #[dynamodel(hash_key)]
    id: String,
    text: String,
}

#[tokio::test]
async fn a_db_from_the_config_loader_talks_to_its_endpoint_with_its_settings() {
    let endpoint = dynamodel::local::endpoint().await.unwrap();
    let loader = Db::config_loader()
        .region(Region::new("us-west-2"))
        .credentials_provider(Credentials::new("dynamodel", "local", None, None, "test"))
        .retry_config(RetryConfig::standard().with_max_attempts(4))
        .timeout_config(
            TimeoutConfig::builder()
                .operation_timeout(Duration::from_secs(30))
                .build(),
        )
        .endpoint_url(endpoint);
    let db = Db::from_loader(loader)
        .await
        .with_table_prefix(format!("cfg-{}-", std::process::id()));
    let config = db.client().config();
    assert_eq!(config.region().map(|r| r.as_ref()), Some("us-west-2"));
    assert_eq!(config.retry_config().map(|r| r.max_attempts()), Some(4));
    assert_eq!(
        config.timeout_config().and_then(|t| t.operation_timeout()),
        Some(Duration::from_secs(30))
    );

    db.create_table::<Note>().await.unwrap();
    let note = Note {
        id: "n-1".into(),
        text: "hello".into(),
    };
    db.create(&note).await.unwrap();
    assert_eq!(
        db.get::<Note>("n-1").consistent().await.unwrap(),
        Some(note)
    );
}
