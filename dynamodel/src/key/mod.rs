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
//! Secondary indexes compose their keys the same way, which is how several
//! models share generic index attributes (GSI overloading):
//!
//! ```
//! # use dynamodel::Model;
//! #[derive(Model)]
//! #[dynamodel(
//!     table = "shop",
//!     pk = "CUSTOMER#{customer_id}",
//!     sk = "ORDER#{order_id}",
//!     gsi(name = "gsi1", pk = "ORDER_STATUS#{status}", sk = "{placed_at}#{order_id}"),
//!     gsi(name = "by_coupon", pk(name = "coupon_pk", template = "COUPON#{coupon}")),
//!     lsi(name = "lsi1", sk = "TOTAL#{total}#{order_id}")
//! )]
//! struct Order {
//!     customer_id: String,
//!     order_id: String,
//!     status: String,
//!     placed_at: u64,
//!     total: i64,
//!     coupon: Option<String>,
//! }
//! # async fn demo(db: dynamodel::Db) -> dynamodel::Result<()> {
//! let paid_since = db
//!     .query_index(Order::indexes().gsi1, "PAID")
//!     .sort_gt(OrderGsi1SortKey::prefix_placed_at(1_767_225_600))
//!     .all()
//!     .await?;
//! # let _ = paid_since;
//! # Ok(())
//! # }
//! ```
//!
//! An index template's attribute is named `name = "..."`, else the index
//! name followed by `pk` / `sk` (`gsi1pk`, `gsi1sk` above); another model
//! on the table may write the same attributes with its own templates (give
//! each model its own constant prefix so a partition of the index holds one
//! model's items). The key step writes them on every whole-item write, like
//! the table's key. A template over an `Option` field writes no attribute
//! when the value is `None`, leaving the item out of the index (a sparse
//! index: `by_coupon` above). A local index takes the table's partition key.
//! Queries of an index take the generated `{Model}{Index}PartitionKey` /
//! `{Model}{Index}SortKey` (`OrderGsi1SortKey`), with the same prefixes.
//! Index key values are checked against DynamoDB's key limits before
//! sending, like the table's.
//!
//! An update that writes fields of an index template writes the index
//! attribute too, as ElectroDB does, rendered from the new values exactly as
//! a put renders it (see [`crate::ops::update::composed`]): with `gsi1` above,
//! `db.update::<Order>(key).set(&Order::fields().status, "SHIPPED".to_owned())`
//! also sets `gsi1pk` to `ORDER_STATUS#SHIPPED` (the sort key's fields are
//! the item's key, which the update knows), so the order moves in the
//! index. The update must know every field of the template (written by it,
//! or part of the item's key): setting `status` of a template
//! `"{status}#{total}"` alone fails with [`crate::Error::InvalidRequest`]
//! naming the index and `total`, before anything is sent. Removing an
//! `Option` field removes the index attribute (the item leaves a sparse
//! index). Writes whose result the update cannot know (`add`, `increment`,
//! `set_if_not_exists`, `set_to_field`) are refused on template fields. An
//! index template may not name a timestamp, a field with a default, or the
//! version, which updates write on their own.
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
