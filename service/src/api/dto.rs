//! The API's JSON contract: request and response bodies, separate from the
//! models so that what the API returns is chosen field by field (never a
//! model dump) and the models can change without changing the API.

use serde::{Deserialize, Serialize};

use dynamodel_examples::shop::models::{Customer, Order, OrderLine, OrderStatus};

/// `POST /customers`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCustomer {
    /// The id the client chose (1 to 64 letters, digits, `-`, `_`).
    pub customer_id: String,
    /// The customer's name.
    pub name: String,
    /// The customer's email address.
    pub email: String,
}

/// A customer, as returned.
#[derive(Debug, Serialize)]
pub struct CustomerBody {
    /// The customer's id.
    pub customer_id: String,
    /// The customer's name.
    pub name: String,
    /// The customer's email address.
    pub email: String,
}

impl From<Customer> for CustomerBody {
    fn from(customer: Customer) -> Self {
        CustomerBody {
            customer_id: customer.customer_id,
            name: customer.name,
            email: customer.email,
        }
    }
}

/// `POST /customers/{id}/orders`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOrder {
    /// The label of the customer's address it ships to.
    pub ship_to: String,
    /// The lines, in order (1 to [`super::routes::MAX_LINES`]).
    pub lines: Vec<NewLine>,
}

/// One line of a new order.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLine {
    /// The product.
    pub sku: String,
    /// How many.
    pub quantity: u32,
    /// The price of one, in cents.
    pub unit_price_cents: i64,
}

/// An order's status in the API (the same names as stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatusName {
    /// Placed, not paid yet.
    Pending,
    /// Paid, not shipped yet.
    Paid,
    /// On its way or delivered.
    Shipped,
}

impl From<StatusName> for OrderStatus {
    fn from(status: StatusName) -> Self {
        match status {
            StatusName::Pending => OrderStatus::Pending,
            StatusName::Paid => OrderStatus::Paid,
            StatusName::Shipped => OrderStatus::Shipped,
        }
    }
}

impl From<OrderStatus> for StatusName {
    fn from(status: OrderStatus) -> Self {
        match status {
            OrderStatus::Pending => StatusName::Pending,
            OrderStatus::Paid => StatusName::Paid,
            OrderStatus::Shipped => StatusName::Shipped,
        }
    }
}

/// `PATCH /orders/{id}`: the new status and the version the client read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// The new status.
    pub status: StatusName,
    /// The order's version as the client read it.
    pub version: u64,
}

/// An order, as returned (without its lines).
#[derive(Debug, Serialize)]
pub struct OrderBody {
    /// The order's id.
    pub order_id: String,
    /// The customer who placed it.
    pub customer_id: String,
    /// When it was placed (RFC 3339).
    pub placed_at: String,
    /// Where it stands.
    pub status: StatusName,
    /// The sum of its lines, in cents.
    pub total_cents: i64,
    /// The address label it ships to.
    pub ship_to: String,
    /// The version to send back with a change (optimistic locking).
    pub version: u64,
}

impl From<Order> for OrderBody {
    fn from(order: Order) -> Self {
        OrderBody {
            order_id: order.order_id,
            customer_id: order.customer_id,
            placed_at: order
                .placed_at
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            status: order.status.into(),
            total_cents: order.total_cents,
            ship_to: order.ship_to,
            version: order.version,
        }
    }
}

/// One line of an order, as returned.
#[derive(Debug, Serialize)]
pub struct LineBody {
    /// The line's position, from 1.
    pub line_no: u16,
    /// The product.
    pub sku: String,
    /// How many.
    pub quantity: u32,
    /// The price of one, in cents.
    pub unit_price_cents: i64,
}

impl From<OrderLine> for LineBody {
    fn from(line: OrderLine) -> Self {
        LineBody {
            line_no: line.line_no,
            sku: line.sku,
            quantity: line.quantity,
            unit_price_cents: line.unit_price_cents,
        }
    }
}

/// An order with its lines (`GET /orders/{id}`, `POST .../orders`).
#[derive(Debug, Serialize)]
pub struct OrderWithLinesBody {
    /// The order.
    #[serde(flatten)]
    pub order: OrderBody,
    /// Its lines, in line order.
    pub lines: Vec<LineBody>,
}

/// A page of a customer's orders, newest first.
#[derive(Debug, Serialize)]
pub struct OrderPageBody {
    /// The orders of this page.
    pub orders: Vec<OrderBody>,
    /// Pass as `?cursor=` for the next page; absent at the end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}
