//! The `shop-api` Lambda's cold start, in a binary of its own since it sets
//! process-wide environment variables: `App::from_env` takes the table name
//! from `SHOP_TABLE` and the endpoint from the standard AWS variables, and
//! sends no request until a route needs one (a listener at the endpoint
//! counts connections). A request that then fails at the endpoint is a
//! 500 whose body tells nothing of the failure.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request};
use shop_service::api::{App, TABLE_ENV};
use tokio::net::TcpListener;

#[tokio::test]
async fn from_env_sends_nothing_and_uses_the_named_table() {
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
        (TABLE_ENV, "shop-prod"),
        ("AWS_REGION", "eu-west-3"),
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "not-a-secret"),
        ("AWS_ENDPOINT_URL_DYNAMODB", endpoint.as_str()),
        ("AWS_MAX_ATTEMPTS", "1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_CONFIG_FILE", "/nonexistent/shop-config"),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/shop-credentials",
        ),
    ] {
        std::env::set_var(name, value);
    }

    let app = App::from_env().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "building the app sent a request"
    );
    assert_eq!(app.db().table_name_for("shop"), "shop-prod");

    // The first route reaches the endpoint; its failure is a generic 500.
    let request: Request = lambda_http::http::Request::builder()
        .uri("/customers/c1")
        .body(Body::Empty)
        .unwrap();
    let response = app.handle(request).await;
    assert!(connections.load(Ordering::SeqCst) >= 1);
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let Body::Text(text) = response.body() else {
        panic!("a text body");
    };
    assert_eq!(text, r#"{"error":"internal","message":"internal error"}"#);
}
