//! The shop's models: four entity types on one table (`shop`), keyed by
//! templates over their fields, and two of them sharing the generic index
//! attributes `gsi1pk` / `gsi1sk` (GSI overloading).

use chrono::{DateTime, Utc};
use dynamodel::key::KeyPart;
use dynamodel::{Collection, ConvertError, Document, Model};

/// The name of the shop's one table.
pub const TABLE: &str = "shop";

/// A customer's profile: the item `CUSTOMER#<id>` / `PROFILE`, found by
/// email through `gsi1` (`CUSTOMER_EMAIL#<email>` / `PROFILE`).
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "shop",
    pk = "CUSTOMER#{customer_id}",
    sk = "PROFILE",
    gsi(name = "gsi1", pk = "CUSTOMER_EMAIL#{email}", sk = "PROFILE")
)]
pub struct Customer {
    /// The customer's id.
    #[dynamodel(length(min = 1, max = 64))]
    pub customer_id: String,
    /// The customer's name.
    #[dynamodel(length(min = 1, max = 200))]
    pub name: String,
    /// The customer's email address, unique per customer.
    #[dynamodel(regex = "^[^@\\s]+@[^@\\s]+$")]
    pub email: String,
}

/// A delivery address of a customer: `CUSTOMER#<id>` / `ADDRESS#<label>`,
/// beside the profile and the orders in the customer's partition.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "shop", pk = "CUSTOMER#{customer_id}", sk = "ADDRESS#{label}")]
pub struct Address {
    /// The customer the address belongs to.
    pub customer_id: String,
    /// The customer's name for it ("home", "work").
    pub label: String,
    /// Street and number.
    pub street: String,
    /// City.
    pub city: String,
}

/// Where an order stands.
#[derive(Document, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStatus {
    /// Placed, not paid yet.
    Pending,
    /// Paid, not shipped yet.
    Paid,
    /// On its way or delivered.
    Shipped,
}

impl OrderStatus {
    /// The status as stored (and written into keys).
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Pending => "Pending",
            OrderStatus::Paid => "Paid",
            OrderStatus::Shipped => "Shipped",
        }
    }
}

/// The status can be part of a key template (`ORDER_STATUS#{status}`).
impl KeyPart for OrderStatus {
    fn write_key_part(&self, out: &mut String) -> Result<(), ConvertError> {
        self.as_str().write_key_part(out)
    }
}

/// An order: `CUSTOMER#<id>` / `ORDER#<placed_at>#<order_id>` (a
/// customer's orders sort by date), through `gsi1`
/// `ORDER_STATUS#<status>` / `<placed_at>#<order_id>` (every order of a
/// status, by date), and through `gsi2` `ORDER#<order_id>` / `ORDER` (the
/// order beside its lines, found by its id alone).
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "shop",
    pk = "CUSTOMER#{customer_id}",
    sk = "ORDER#{placed_at}#{order_id}",
    gsi(
        name = "gsi1",
        pk = "ORDER_STATUS#{status}",
        sk = "{placed_at}#{order_id}"
    ),
    gsi(name = "gsi2", pk = "ORDER#{order_id}", sk = "ORDER")
)]
pub struct Order {
    /// The customer who placed it.
    pub customer_id: String,
    /// When it was placed.
    pub placed_at: DateTime<Utc>,
    /// The order's id.
    pub order_id: String,
    /// Where it stands.
    pub status: OrderStatus,
    /// The sum of its lines, in cents.
    pub total_cents: i64,
    /// The label of the customer's address it ships to.
    #[dynamodel(length(min = 1, max = 64))]
    pub ship_to: String,
    /// Optimistic locking: 1 once created, bumped by every write; a write
    /// that read an older version fails with a version conflict.
    #[dynamodel(version)]
    pub version: u64,
}

/// One line of an order: `CUSTOMER#<customer_id>` / `LINE#<order_id>#<line_no>`
/// (in the customer's partition, beside the order, under its own `LINE#`
/// prefix so that order queries never read lines), and through `gsi2`
/// `ORDER#<order_id>` / `LINE#<line_no>`: the order's index partition holds
/// the order and its lines ([`OrderWithLines`]).
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "shop",
    pk = "CUSTOMER#{customer_id}",
    sk = "LINE#{order_id}#{line_no}",
    gsi(name = "gsi2", pk = "ORDER#{order_id}", sk = "LINE#{line_no}")
)]
pub struct OrderLine {
    /// The customer who placed the order.
    pub customer_id: String,
    /// The order the line belongs to.
    pub order_id: String,
    /// The line's position in the order, from 1.
    pub line_no: u16,
    /// The product.
    #[dynamodel(length(min = 1, max = 64))]
    pub sku: String,
    /// How many.
    #[dynamodel(range(min = 1, max = 1000))]
    pub quantity: u32,
    /// The price of one, in cents.
    #[dynamodel(range(min = 0))]
    pub unit_price_cents: i64,
}

/// A customer's profile and orders, read together from the customer's
/// partition (access pattern 9): the members share the partition template
/// `CUSTOMER#{customer_id}`, which the derive checks.
#[derive(Collection, Debug, Clone, PartialEq)]
pub enum CustomerWithOrders {
    /// The profile (`PROFILE`).
    Customer(Customer),
    /// One of the customer's orders (`ORDER#...`).
    Order(Order),
}

/// An order with its lines, read together from the order's `gsi2` partition
/// `ORDER#<order_id>` (access pattern 10): both members live in the
/// customer's partition of the table and store the same `gsi2pk`.
#[derive(Collection, Debug, Clone, PartialEq)]
pub enum OrderWithLines {
    /// The order (`gsi2sk` `ORDER`).
    Order(Order),
    /// One of its lines (`gsi2sk` `LINE#<line_no>`).
    OrderLine(OrderLine),
}
