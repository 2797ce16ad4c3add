//! The shop's access patterns: one function each, and each one request
//! (a GetItem or a Query; `tests/tests/it/shop.rs` counts them).

use chrono::{DateTime, Utc};
use dynamodel::query::Page;
use dynamodel::{Db, Model, Result};

use super::models::{
    Address, AddressSortKey, Customer, CustomerWithOrders, Order, OrderGsi1SortKey, OrderLine,
    OrderSortKey, OrderStatus, OrderWithLines,
};

/// Pattern 1: a customer's profile, by id (GetItem).
pub async fn customer(db: &Db, customer_id: &str) -> Result<Option<Customer>> {
    db.get::<Customer>(customer_id.to_owned()).await
}

/// Pattern 2: a customer's profile, by email (Query of `gsi1`).
pub async fn customer_by_email(db: &Db, email: &str) -> Result<Option<Customer>> {
    let page = db
        .query_index(Customer::indexes().gsi1, email)
        .limit(1)
        .page()
        .await?;
    Ok(page.items.into_iter().next())
}

/// Pattern 3: a customer's addresses (Query: the `ADDRESS#` items of the
/// customer's partition).
pub async fn addresses(db: &Db, customer_id: &str) -> Result<Vec<Address>> {
    db.query::<Address>(customer_id)
        .sort_begins_with(AddressSortKey::prefix())
        .all()
        .await
}

/// Pattern 4: a customer's latest orders, newest first (Query: the `ORDER#` items
/// of the customer's partition, descending); the page's cursor reads on.
pub async fn latest_orders(db: &Db, customer_id: &str, count: u32) -> Result<Page<Order>> {
    db.query::<Order>(customer_id)
        .sort_begins_with(OrderSortKey::prefix())
        .descending()
        .limit(count)
        .page()
        .await
}

/// Pattern 5: a customer's orders placed in `[from, to)` (Query: a range of the
/// sort key, through its typed date prefix).
pub async fn orders_between(
    db: &Db,
    customer_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Order>> {
    db.query::<Order>(customer_id)
        .sort_between(
            OrderSortKey::prefix_placed_at(from),
            OrderSortKey::prefix_placed_at(to),
        )
        .all()
        .await
}

/// Pattern 6: one order, by its full key (GetItem).
pub async fn order(
    db: &Db,
    customer_id: &str,
    placed_at: DateTime<Utc>,
    order_id: &str,
) -> Result<Option<Order>> {
    db.get::<Order>((customer_id.to_owned(), placed_at, order_id.to_owned()))
        .await
}

/// Pattern 7: an order's lines, in line order (Query of the order's `gsi2`
/// partition, which the order overloads with its own item).
pub async fn order_lines(db: &Db, order_id: &str) -> Result<Vec<OrderLine>> {
    db.query_index(OrderLine::indexes().gsi2, order_id)
        .all()
        .await
}

/// Pattern 8: every order of a status placed since `since`, oldest first (Query
/// of `gsi1`, which `Customer` overloads with its own partitions).
pub async fn orders_by_status_since(
    db: &Db,
    status: OrderStatus,
    since: DateTime<Utc>,
) -> Result<Vec<Order>> {
    db.query_index(Order::indexes().gsi1, status)
        .sort_ge(OrderGsi1SortKey::prefix_placed_at(since))
        .all()
        .await
}

/// Pattern 9: a customer's profile with their latest `count` orders, newest
/// first, in one Query of a collection. The sort key runs from `ORDER#` up:
/// orders sort before `PROFILE` (and addresses before both, out of range),
/// so reading descending gives the profile first, then the newest orders.
pub async fn customer_with_latest_orders(
    db: &Db,
    customer_id: &str,
    count: u32,
) -> Result<(Option<Customer>, Vec<Order>)> {
    let page = db
        .collection::<CustomerWithOrders>(customer_id)
        .sort_ge::<Order>(OrderSortKey::prefix())
        .descending()
        .limit(count + 1)
        .page()
        .await?;
    let mut customer = None;
    let mut orders = Vec::new();
    for item in page.items {
        match item {
            CustomerWithOrders::Customer(found) => customer = Some(found),
            CustomerWithOrders::Order(order) => orders.push(order),
        }
    }
    Ok((customer, orders))
}

/// Pattern 10: an order with its lines, by the order's id alone, in one
/// Query of the `gsi2` partition `ORDER#<order_id>` decoded into the
/// [`OrderWithLines`] collection. `None` when there is no such order.
pub async fn order_with_lines(db: &Db, order_id: &str) -> Result<Option<(Order, Vec<OrderLine>)>> {
    let items = db
        .collection_index::<OrderWithLines, _>(Order::indexes().gsi2, order_id)
        .all()
        .await?;
    let mut order = None;
    let mut lines = Vec::new();
    for item in items {
        match item {
            OrderWithLines::Order(found) => order = Some(found),
            OrderWithLines::OrderLine(line) => lines.push(line),
        }
    }
    Ok(order.map(|order| (order, lines)))
}

/// Pattern 11: an order changes status (`Paid` to `Shipped`, say) in one
/// UpdateItem, if no one wrote it since `version` was read. `status`
/// composes the order's `gsi1` key (`ORDER_STATUS#<status>`), so the
/// update writes `gsi1pk` too, rendered as a put would: the order leaves
/// its old status's partition of `gsi1` and joins the new one (pattern 8
/// finds it there). The item as stored is returned.
pub async fn set_order_status(
    db: &Db,
    key: <Order as Model>::Key,
    status: OrderStatus,
    version: u64,
) -> Result<Order> {
    db.update::<Order>(key)
        .set(&Order::fields().status, status)
        .if_version(version)
        .return_all_new()
        .await
}
