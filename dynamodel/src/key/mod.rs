//! Keys composed from fields (single-table design): the text encoding of the
//! values a key template holds ([`template`]) and the rendered key values
//! the derive's generated key types wrap ([`KeyText`]); and key values
//! converted through a field's storage ([`StoredKey`], e.g. a date-time key
//! stored as ISO 8601 text).
//!
//! A model declares its key attributes as templates over its fields:
//!
//! ```
//! # use dynamodel::Model;
//! #[derive(Model)]
//! #[dynamodel(table = "shop", pk = "CUSTOMER#{customer_id}", sk = "ORDER#{number}")]
//! struct Order {
//!     customer_id: String,
//!     number: u32,
//!     total: i64,
//! }
//! ```
//!
//! `pk` and `sk` above are the stored attribute names (write
//! `pk(name = "PK", template = "...")` for others). Every whole-item write
//! (put, create, batch, transaction) renders them from the fields in the
//! write pipeline's key step; the fields are stored as attributes of their
//! own too, and reads decode the fields from those, never from the key text.
//! Get, delete, update and batches take `Model::Key`, the template's fields
//! (one value, or a tuple in template order: partition fields, then sort
//! fields); queries take the generated `{Model}PartitionKey` /
//! `{Model}SortKey`, whose `prefix_*` constructors target a left part of the
//! sort-key template.
//!
//! The fields of a key template cannot be changed by an update: their
//! handles exist (for conditions), but an update writing one fails with
//! [`crate::Error::InvalidRequest`] before anything is sent, since the key
//! would then disagree with the fields. Write the item again under its new
//! key (and delete the old one, in a transaction) instead.

mod into_key;
pub mod stored;
pub mod template;

pub use into_key::IntoKey;
pub use stored::StoredKey;
pub use template::{KeyPart, KeyText};
