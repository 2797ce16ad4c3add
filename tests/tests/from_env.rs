//! `Db::from_env` (feature `aws-config`) in a binary of its own, since it
//! sets process-wide environment variables: the region, credentials,
//! endpoint and retry settings come from the environment, and building the
//! `Db` sends no request (a listener at the endpoint counts connections).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use dynamodel::{Db, Model};
use tokio::net::TcpListener;

#[derive(Model, Debug, Clone)]
#[dynamodel(table = "users")]
struct User {
    #[dynamodel(hash_key)]
    id: String,
}

#[tokio::test]
async fn from_env_reads_the_environment_and_sends_nothing_until_a_request() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    tokio::spawn(async move {
        // Accept and drop: every request attempt fails at once.
        while let Ok((stream, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    for (name, value) in [
        ("AWS_REGION", "eu-west-3"),
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "not-a-secret"),
        ("AWS_ENDPOINT_URL_DYNAMODB", endpoint.as_str()),
        ("AWS_MAX_ATTEMPTS", "2"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_CONFIG_FILE", "/nonexistent/dynamodel-config"),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/dynamodel-credentials",
        ),
    ] {
        std::env::set_var(name, value);
    }

    let db = Db::from_env().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "construction sent a request"
    );

    let config = db.client().config();
    assert_eq!(config.region().map(|r| r.as_ref()), Some("eu-west-3"));
    assert_eq!(config.retry_config().map(|r| r.max_attempts()), Some(2));

    // The first request goes to the endpoint from the environment.
    let err = db.get::<User>("u-1").await.unwrap_err();
    assert!(
        connections.load(Ordering::SeqCst) >= 1,
        "the request did not reach the configured endpoint: {err:?}"
    );
}
