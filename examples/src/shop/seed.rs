//! Sample data: two customers with their addresses, orders and order lines.

use chrono::{DateTime, Utc};
use dynamodel::{Db, Result};

use super::models::{Address, Customer, Order, OrderLine, OrderStatus};

/// `2026-03-<day>T10:00:00Z`.
pub fn march(day: u32) -> DateTime<Utc> {
    let seconds = 1_772_359_200 + i64::from(day - 1) * 86_400;
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

/// The sample data, as written by [`seed`].
pub struct Sample {
    /// Ada and Grace.
    pub customers: Vec<Customer>,
    /// Ada's home and work, Grace's home.
    pub addresses: Vec<Address>,
    /// Three orders of Ada's, two of Grace's.
    pub orders: Vec<Order>,
    /// The lines of Ada's first order and of Grace's second.
    pub lines: Vec<OrderLine>,
}

fn customer(id: &str, name: &str, email: &str) -> Customer {
    Customer {
        customer_id: id.into(),
        name: name.into(),
        email: email.into(),
    }
}

fn address(customer_id: &str, label: &str, street: &str, city: &str) -> Address {
    Address {
        customer_id: customer_id.into(),
        label: label.into(),
        street: street.into(),
        city: city.into(),
    }
}

fn order(customer_id: &str, day: u32, id: &str, status: OrderStatus, total: i64) -> Order {
    Order {
        customer_id: customer_id.into(),
        placed_at: march(day),
        order_id: id.into(),
        status,
        total_cents: total,
        ship_to: "home".into(),
        version: 0,
    }
}

fn line(
    customer_id: &str,
    order_id: &str,
    line_no: u16,
    sku: &str,
    quantity: u32,
    price: i64,
) -> OrderLine {
    OrderLine {
        customer_id: customer_id.into(),
        order_id: order_id.into(),
        line_no,
        sku: sku.into(),
        quantity,
        unit_price_cents: price,
    }
}

/// The sample data.
pub fn sample() -> Sample {
    Sample {
        customers: vec![
            customer("c1", "Ada Lovelace", "ada@example.com"),
            customer("c2", "Grace Hopper", "grace@example.com"),
        ],
        addresses: vec![
            address("c1", "home", "12 St James's Square", "London"),
            address("c1", "work", "1 Analytical Row", "London"),
            address("c2", "home", "8 Harbor Lane", "Arlington"),
        ],
        orders: vec![
            order("c1", 2, "o-1001", OrderStatus::Shipped, 4_500),
            order("c1", 9, "o-1002", OrderStatus::Paid, 1_200),
            order("c1", 20, "o-1003", OrderStatus::Pending, 300),
            order("c2", 5, "o-2001", OrderStatus::Paid, 9_900),
            order("c2", 21, "o-2002", OrderStatus::Paid, 2_000),
        ],
        lines: vec![
            line("c1", "o-1001", 1, "NOTEBOOK", 3, 1_000),
            line("c1", "o-1001", 2, "PEN", 3, 500),
            line("c2", "o-2002", 1, "COMPILER-BOOK", 1, 2_000),
        ],
    }
}

/// Writes the sample data and returns it as stored. Customers, addresses
/// and lines go in batch writes; orders are versioned, which a batch write
/// cannot check, so they are created in one transaction (and come back at
/// version 1).
pub async fn seed(db: &Db) -> Result<Sample> {
    let mut sample = sample();
    db.batch_put(&sample.customers).await?;
    db.batch_put(&sample.addresses).await?;
    db.transact_write()
        .create_all(sample.orders.iter().map(|order| db.create(order)))
        .await?;
    db.batch_put(&sample.lines).await?;
    for order in &mut sample.orders {
        order.version += 1;
    }
    Ok(sample)
}
