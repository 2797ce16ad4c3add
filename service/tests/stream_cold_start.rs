//! Cold start: building the client and `Db` the way the `shop-stream`
//! Lambda does (`shop_service::stream::init`, from a Lambda's environment)
//! sends no request; the first one goes out with the first event. Its own
//! test binary, since it sets process environment variables.

use std::time::Duration;

use dynamodel_examples::shop::models::Order;
use shop_service::stream::{init, CustomerTotals, TABLE_ENV};

#[tokio::test]
async fn building_the_db_the_way_the_lambda_does_sends_no_request() {
    // Every endpoint the SDK could reach (DynamoDB, STS, instance metadata)
    // points at this listener, which counts connections.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    // What Lambda sets (the role's credentials come as environment
    // variables), plus the template's table variable.
    for (name, value) in [
        ("AWS_REGION", "eu-west-1"),
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "not-a-secret"),
        ("AWS_SESSION_TOKEN", "not-a-token"),
        ("AWS_ENDPOINT_URL", endpoint.as_str()),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.as_str()),
        ("AWS_CONFIG_FILE", "/nonexistent/config"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        (TABLE_ENV, "shop-prod-ShopTable-1A2B"),
    ] {
        std::env::set_var(name, value);
    }

    let db = init().await;
    let early = tokio::time::timeout(Duration::from_millis(500), listener.accept()).await;
    assert!(early.is_err(), "init connected to an AWS endpoint");
    assert_eq!(db.table_name::<Order>(), "shop-prod-ShopTable-1A2B");
    assert_eq!(
        db.table_name::<CustomerTotals>(),
        "shop-prod-ShopTable-1A2B"
    );

    // The listener does see requests: the first read connects to it.
    let read = tokio::spawn(async move { db.get::<CustomerTotals>("c1").await.map(|_| ()) });
    let connected = tokio::time::timeout(Duration::from_secs(20), listener.accept()).await;
    assert!(connected.is_ok(), "the first request goes to the endpoint");
    read.abort();
}
