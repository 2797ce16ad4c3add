//! The `shop-api` Lambda's cold start, in a binary of its own since it sets
//! process-wide environment variables: `App::from_env` takes the table name
//! from `SHOP_TABLE` and the endpoint from the standard AWS variables, and
//! sends no request until a route needs one (a listener at the endpoint
//! counts connections). A request that then fails at the endpoint is a
//! 500 whose body tells nothing of the failure.

use std::time::Duration;

use dynamodel_tests::cold_start::CountingEndpoint;

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request};
use shop_service::api::{App, TABLE_ENV};

#[tokio::test]
async fn from_env_sends_nothing_and_uses_the_named_table() {
    let endpoint = CountingEndpoint::start().await;
    endpoint.set_aws_env(1);
    std::env::set_var(TABLE_ENV, "shop-prod");

    let app = App::from_env().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(endpoint.connections(), 0, "building the app sent a request");
    assert_eq!(app.db().table_name_for("shop"), "shop-prod");

    // The first route reaches the endpoint; its failure is a generic 500.
    let request: Request = lambda_http::http::Request::builder()
        .uri("/customers/c1")
        .body(Body::Empty)
        .unwrap();
    let response = app.handle(request).await;
    assert!(endpoint.connections() >= 1);
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let Body::Text(text) = response.body() else {
        panic!("a text body");
    };
    assert_eq!(text, r#"{"error":"internal","message":"internal error"}"#);
}
