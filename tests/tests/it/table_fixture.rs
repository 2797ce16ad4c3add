//! The `shop` table shared by the table tests: three models in one table,
//! an overloaded GSI (`gsi1`, declared by two models with different
//! INCLUDE lists), a second GSI (`by_status`) and an LSI (`by_updated`,
//! declared by two models), with a TTL attribute (`expires`).

use chrono::{DateTime, Utc};
use dynamodel::table::{Billing, TableDef};
use dynamodel::Model;

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "shop",
    gsi(name = "gsi1", hash = gsi1pk, range = gsi1sk, projection = include(email)),
    lsi(name = "by_updated", range = updated, projection = "keys_only")
)]
pub struct Customer {
    #[dynamodel(hash_key)]
    pub pk: String,
    #[dynamodel(range_key)]
    pub sk: String,
    pub gsi1pk: String,
    pub gsi1sk: String,
    pub email: String,
    pub updated: u64,
    /// A date-time TTL: stored as epoch seconds, not the default millis.
    #[dynamodel(ttl)]
    pub expires: Option<DateTime<Utc>>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "shop",
    gsi(name = "gsi1", hash = gsi1pk, range = gsi1sk, projection = include(total)),
    gsi(name = "by_status", hash = status, range = placed, projection = "all")
)]
pub struct Order {
    #[dynamodel(hash_key)]
    pub pk: String,
    #[dynamodel(range_key)]
    pub sk: String,
    pub gsi1pk: String,
    pub gsi1sk: String,
    pub status: String,
    pub placed: u64,
    pub total: u64,
    /// An epoch-seconds TTL.
    #[dynamodel(ttl)]
    pub expires: Option<i64>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "shop",
    lsi(name = "by_updated", range = updated, projection = "keys_only")
)]
pub struct Product {
    #[dynamodel(hash_key)]
    pub pk: String,
    #[dynamodel(range_key)]
    pub sk: String,
    pub name: String,
    pub updated: u64,
}

/// The full definition: three models, provisioned, a stream.
pub fn shop() -> TableDef {
    TableDef::builder("shop")
        .model::<Customer>()
        .model::<Order>()
        .model::<Product>()
        .billing(Billing::provisioned(5, 4))
        .index_throughput("by_status", 3, 2)
        .stream(aws_sdk_dynamodb::types::StreamViewType::NewAndOldImages)
        .build()
        .expect("the shop models agree")
}

pub fn customer(id: &str, expires: Option<DateTime<Utc>>) -> Customer {
    Customer {
        pk: format!("c#{id}"),
        sk: "profile".into(),
        gsi1pk: "customers".into(),
        gsi1sk: id.into(),
        email: format!("{id}@example.com"),
        updated: 1,
        expires,
    }
}

pub fn order(id: &str, expires: Option<i64>) -> Order {
    Order {
        pk: "c#ann".into(),
        sk: format!("o#{id}"),
        gsi1pk: "orders".into(),
        gsi1sk: id.into(),
        status: "open".into(),
        placed: 7,
        total: 42,
        expires,
    }
}
