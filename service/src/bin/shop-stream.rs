//! The `shop-stream` Lambda: the shop table's DynamoDB Streams trigger,
//! keeping per-customer order totals (see `shop_service::stream`).

use aws_lambda_events::dynamodb::Event;
use lambda_runtime::{service_fn, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .without_time()
        .init();
    // Sends no request: the first one goes out with the first event.
    let db = shop_service::stream::init().await;
    let db = &db;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Event>| async move {
        Ok::<_, std::convert::Infallible>(shop_service::stream::handle(db, event.payload).await)
    }))
    .await
}
