//! The `shop-api` Lambda: the shop's HTTP API behind API Gateway.
//!
//! `shop-api` runs as a Lambda function (the `Db` is built once, at cold
//! start, and shared by every invocation); `shop-api --local [PORT]` serves
//! the same handler on `127.0.0.1:PORT` (default 3000) against DynamoDB
//! Local (started by itself, or `DYNAMODB_ENDPOINT`), creating the table
//! from the shop's models when it is missing.

use dynamodel::Db;
use lambda_http::{service_fn, Error, Request};
use shop_service::api::{self, App};

use dynamodel_examples::shop::models::TABLE;

/// The local port when `--local` is given without one.
const DEFAULT_PORT: u16 = 3000;

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .without_time()
        .with_ansi(false)
        .init();
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() == Some("--local") {
        let port = match args.next() {
            Some(port) => port.parse()?,
            None => DEFAULT_PORT,
        };
        return run_local(port).await;
    }
    // Cold start: once per execution environment, no request sent.
    let app = App::from_env().await;
    lambda_http::run(service_fn(|request: Request| {
        let app = &app;
        async move { Ok::<_, Error>(app.handle(request).await) }
    }))
    .await
}

/// Serves the API on `127.0.0.1:port` against DynamoDB Local.
async fn run_local(port: u16) -> Result<(), Error> {
    let db = api::with_table_from_env(Db::new(dynamodel::local::client().await?));
    db.ensure_table(&shop_service::table::table_def()?)
        .apply()
        .await?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!(
        "shop-api listening on http://{} (table `{}`)",
        listener.local_addr()?,
        db.table_name_for(TABLE)
    );
    api::local::serve(App::new(db), listener).await?;
    Ok(())
}
