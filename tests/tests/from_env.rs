//! `Db::from_env` (feature `aws-config`) in a binary of its own, since it
//! sets process-wide environment variables: the region, credentials,
//! endpoint and retry settings come from the environment, and building the
//! `Db` sends no request (a listener at the endpoint counts connections).

use std::time::Duration;

use dynamodel::{Db, Model};
use dynamodel_tests::cold_start::CountingEndpoint;

#[derive(Model, Debug, Clone)]
#[dynamodel(table = "users")]
struct User {
    #[dynamodel(hash_key)]
    id: String,
}

#[tokio::test]
async fn from_env_reads_the_environment_and_sends_nothing_until_a_request() {
    let endpoint = CountingEndpoint::start().await;
    endpoint.set_aws_env(2);

    let db = Db::from_env().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(endpoint.connections(), 0, "construction sent a request");

    let config = db.client().config();
    assert_eq!(config.region().map(|r| r.as_ref()), Some("eu-west-3"));
    assert_eq!(config.retry_config().map(|r| r.max_attempts()), Some(2));

    // The first request goes to the endpoint from the environment.
    let err = db.get::<User>("u-1").await.unwrap_err();
    assert!(
        endpoint.connections() >= 1,
        "the request did not reach the configured endpoint: {err:?}"
    );
}
