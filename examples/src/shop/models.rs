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
    pub customer_id: String,
    /// The customer's name.
    pub name: String,
    /// The customer's email address, unique per customer.
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
/// customer's orders sort by date), and through `gsi1`
/// `ORDER_STATUS#<status>` / `<placed_at>#<order_id>` (every order of a
/// status, by date).
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "shop",
    pk = "CUSTOMER#{customer_id}",
    sk = "ORDER#{placed_at}#{order_id}",
    gsi(
        name = "gsi1",
        pk = "ORDER_STATUS#{status}",
        sk = "{placed_at}#{order_id}"
    )
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
    pub ship_to: String,
}

/// One line of an order: `ORDER#<order_id>` / `LINE#<line_no>`; the
/// order's partition holds its lines only.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "shop", pk = "ORDER#{order_id}", sk = "LINE#{line_no}")]
pub struct OrderLine {
    /// The order the line belongs to.
    pub order_id: String,
    /// The line's position in the order, from 1.
    pub line_no: u16,
    /// The product.
    pub sku: String,
    /// How many.
    pub quantity: u32,
    /// The price of one, in cents.
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
