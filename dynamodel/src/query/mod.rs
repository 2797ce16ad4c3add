//! Query and scan: typed builders over the table and its secondary indexes,
//! opaque pagination cursors, lazy streams and parallel scans.
//!
//! ```no_run
//! # use dynamodel::{Db, Model};
//! # #[derive(Model, Debug)]
//! # #[dynamodel(table = "orders")]
//! # struct Order {
//! #     #[dynamodel(hash_key)]
//! #     customer: String,
//! #     #[dynamodel(range_key)]
//! #     number: u64,
//! #     total: i64,
//! # }
//! # #[derive(Model, Debug)]
//! # #[dynamodel(table = "users", gsi(name = "by_email", hash = email))]
//! # struct User {
//! #     #[dynamodel(hash_key)]
//! #     id: String,
//! #     email: String,
//! # }
//! # async fn demo(db: Db) -> dynamodel::Result<()> {
//! // The table: partition key equality plus a typed sort-key condition.
//! let page = db.query::<Order>("cust-1").sort_gt(10u64).limit(25).page().await?;
//! // A declared index, named through its generated handle.
//! let users = db.query_index(User::indexes().by_email, "ada@example.com").all().await?;
//! // Let dynamodel pick the index from the condition (or refuse with a typed error).
//! let users = db.query_by(User::fields().email.eq("ada@example.com")).all().await?;
//! // "20 items that pass the filter", and a cursor right after the last one.
//! let page = db.query::<Order>("cust-1").filter(Order::fields().total.gt(100i64)).fill(20).await?;
//! let next = db.query::<Order>("cust-1").filter(Order::fields().total.gt(100i64))
//!     .start_from(page.cursor.as_deref().unwrap()).fill(20).await?;
//! // Every item, 4 segments scanned concurrently.
//! let mut items = db.scan::<Order>().segments(4).stream();
//! # let _ = (users, next, items);
//! # Ok(())
//! # }
//! ```
//!
//! A global index may have a multi-attribute key (up to four partition
//! and four sort attributes): `gsi(name = "by_region", hash(region, status),
//! range(placed_at, seq))`. Its query takes every partition attribute (a
//! tuple, into the generated `{Model}{Index}PartitionKey`), and sort-key
//! conditions take the generated `{Model}{Index}SortKey`: all the sort
//! attributes (a tuple), or a left part of them with
//! `prefix_<field>(..)`, which compares the attributes before `<field>`
//! with `=` and `<field>` with the condition's operator. A sort attribute
//! cannot be skipped: no constructor leaves one out.
//!
//! ```no_run
//! # use dynamodel::{Db, Model};
//! #[derive(Model, Debug)]
//! #[dynamodel(table = "orders", gsi(name = "by_region", hash(region, status), range(placed_at, seq)))]
//! struct Order {
//!     #[dynamodel(hash_key)]
//!     id: String,
//!     region: String,
//!     status: String,
//!     placed_at: u64,
//!     seq: u32,
//! }
//! # async fn demo(db: Db) -> dynamodel::Result<()> {
//! let paid_eu = || db.query_index(Order::indexes().by_region, ("eu".to_owned(), "PAID".to_owned()));
//! // placed_at > 7
//! let after_7 = paid_eu().sort_gt(OrderByRegionSortKey::prefix_placed_at(7)).all().await?;
//! // placed_at = 7 and seq > 2
//! let at_7_after_2 = paid_eu().sort_gt((7u64, 2u32)).all().await?;
//! # let _ = (after_7, at_7_after_2);
//! # Ok(())
//! # }
//! ```
//!
//! # Counts, capacity and pacing
//!
//! Each [`Page`] carries DynamoDB's `Count` (items after the filter) and
//! `ScannedCount` (items read, which the capacity pays for). A
//! [`crate::ops::Meter`] attached with `.meter(&meter)` adds both up over
//! every page and segment of `.stream()`, `.all()`, `.fill(n)` and
//! `.count()`, with the consumed capacity when it asks for it.
//!
//! `.max_capacity_per_second(units)` paces a read to a capacity budget
//! (PynamoDB's rate-limited scan): after each page that has a next one, the
//! read waits as long as that page's consumed capacity takes at the rate.
//! The wait counts from the answer (the request's own time is not
//! credited), so a read runs a little under its budget, never over it; the
//! segments of a parallel scan share the budget; the waits asked for add
//! up in [`crate::ops::Meter::paused`].
//!
//! ```no_run
//! # use dynamodel::{Db, Model};
//! # use dynamodel::ops::{CapacityDetail, Meter};
//! # #[derive(Model, Debug)]
//! # #[dynamodel(table = "orders")]
//! # struct Order { #[dynamodel(hash_key)] id: String, total: i64 }
//! # async fn demo(db: Db) -> dynamodel::Result<()> {
//! let meter = Meter::new().capacity(CapacityDetail::Total);
//! // A background export that leaves the table's other readers 45 RCU of 50.
//! let orders = db.scan::<Order>().max_capacity_per_second(5.0).meter(&meter).all().await?;
//! println!("read {} items, returned {}, {} RCU, waited {:?}",
//!     meter.scanned_count(), meter.count(), meter.consumed_capacity().read_units(), meter.paused());
//! # let _ = orders;
//! # Ok(())
//! # }
//! ```
//!
//! Reads never fall back to a scan: a query names the table or an index, or
//! [`crate::Db::query_by`] finds exactly one that fits, or fails.

mod auto;
mod collection;
pub mod cursor;
mod decode;
pub(crate) mod index;
mod key_condition;
mod pacing;
pub mod projection;
mod read;
mod setters;

pub use collection::{CollectionQuery, OnIndex, OnTable};
pub use cursor::CursorSecret;
pub use index::{Index, KeyValues, NoSortKey, PrefixSortKey, Queryable, SortKey};
pub use projection::ProjectionOf;
pub use read::{Page, Query, Scan};
