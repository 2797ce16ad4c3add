//! An online shop on one DynamoDB table (single-table design): customers,
//! their addresses, orders and order lines, each access pattern served by
//! one request. `cargo run --example shop` runs them against DynamoDB Local.
//!
//! | entity | `pk` | `sk` | `gsi1pk` | `gsi1sk` |
//! |---|---|---|---|---|
//! | [`Customer`](models::Customer) | `CUSTOMER#<customer_id>` | `PROFILE` | `CUSTOMER_EMAIL#<email>` | `PROFILE` |
//! | [`Address`](models::Address) | `CUSTOMER#<customer_id>` | `ADDRESS#<label>` | | |
//! | [`Order`](models::Order) | `CUSTOMER#<customer_id>` | `ORDER#<placed_at>#<order_id>` | `ORDER_STATUS#<status>` | `<placed_at>#<order_id>` |
//! | [`OrderLine`](models::OrderLine) | `CUSTOMER#<customer_id>` | `LINE#<order_id>#<line_no>` | | |
//!
//! A second overloaded index, `gsi2`, groups an order with its lines under
//! the order's id: [`Order`](models::Order) stores `gsi2pk` `ORDER#<order_id>`
//! / `gsi2sk` `ORDER`, each [`OrderLine`](models::OrderLine) `ORDER#<order_id>`
//! / `LINE#<line_no>`.
//!
//! The access patterns ([`patterns`]):
//!
//! 1. a customer by id (GetItem);
//! 2. a customer by email (Query of `gsi1`);
//! 3. a customer's addresses (Query, `begins_with(sk, "ADDRESS#")`);
//! 4. a customer's latest orders, newest first (Query, `begins_with(sk,
//!    "ORDER#")`, descending, with a cursor for more);
//! 5. a customer's orders between two dates (Query, `sk BETWEEN`);
//! 6. an order by its key (GetItem);
//! 7. an order's lines (Query of `gsi2`, `ORDER#<order_id>`);
//! 8. the orders of a status since a date, oldest first (Query of `gsi1`);
//! 9. a customer with their latest orders (collection Query of
//!    `CUSTOMER#<id>`, `sk >= "ORDER#"`: the profile sorts after the orders);
//! 10. an order with its lines, by the order's id (collection Query of
//!     `gsi2`, `ORDER#<order_id>`);
//! 11. an order changes status (UpdateItem): the update rewrites the
//!     order's `gsi1pk` (`ORDER_STATUS#<status>`) from the new status, so
//!     pattern 8 finds it under its new status only.

pub mod models;
pub mod patterns;
pub mod seed;

use std::io::Write;

use dynamodel::table::TableDef;
use dynamodel::{Db, Model};

use models::OrderStatus;
use seed::march;

/// The shop's table as its four models define it (keys, `gsi1`, `gsi2`),
/// for `db.create_table_from(&def)` or `db.ensure_table(&def)`; fails if
/// the models disagree on a key or an index.
pub fn table_def() -> dynamodel::Result<TableDef> {
    TableDef::builder(models::TABLE)
        .model::<models::Customer>()
        .model::<models::Address>()
        .model::<models::Order>()
        .model::<models::OrderLine>()
        .build()
}

/// Seeds the table (which must exist: `db.create_table::<models::Order>()`)
/// and runs every access pattern, printing what each returns to `out`.
pub async fn run(db: &Db, out: &mut impl Write) -> Result<(), Box<dyn std::error::Error>> {
    seed::seed(db).await?;
    let ada = patterns::customer(db, "c1").await?;
    writeln!(out, "1. customer c1: {ada:?}")?;
    let grace = patterns::customer_by_email(db, "grace@example.com").await?;
    writeln!(out, "2. customer by email: {grace:?}")?;
    for address in patterns::addresses(db, "c1").await? {
        writeln!(out, "3. address of c1: {address:?}")?;
    }
    let latest = patterns::latest_orders(db, "c1", 2).await?;
    for order in &latest.items {
        writeln!(out, "4. latest order of c1: {order:?}")?;
    }
    writeln!(out, "4. more orders of c1: {}", latest.cursor.is_some())?;
    for order in patterns::orders_between(db, "c1", march(1), march(10)).await? {
        writeln!(out, "5. order of c1 in early March: {order:?}")?;
    }
    let one = patterns::order(db, "c2", march(21), "o-2002").await?;
    writeln!(out, "6. order o-2002: {one:?}")?;
    for line in patterns::order_lines(db, "o-1001").await? {
        writeln!(out, "7. line of o-1001: {line:?}")?;
    }
    for order in patterns::orders_by_status_since(db, OrderStatus::Paid, march(6)).await? {
        writeln!(out, "8. paid since March 6: {order:?}")?;
    }
    let (customer, orders) = patterns::customer_with_latest_orders(db, "c1", 2).await?;
    writeln!(
        out,
        "9. c1 with their 2 latest orders: {customer:?}, {orders:?}"
    )?;
    if let Some((order, lines)) = patterns::order_with_lines(db, "o-1001").await? {
        writeln!(out, "10. o-1001 with its lines: {order:?}, {lines:?}")?;
    }
    if let Some(paid) = patterns::order(db, "c1", march(9), "o-1002").await? {
        let shipped =
            patterns::set_order_status(db, paid.key(), OrderStatus::Shipped, paid.version).await?;
        writeln!(out, "11. o-1002 shipped: {shipped:?}")?;
        let still_paid = patterns::orders_by_status_since(db, OrderStatus::Paid, march(1)).await?;
        writeln!(out, "11. paid orders left: {}", still_paid.len())?;
    }
    Ok(())
}
