//! Batch writes and reads that never lose an item.
//!
//! [`crate::Db::batch_write`] (puts and deletes of any models), [`crate::Db::batch_put`],
//! [`crate::Db::batch_delete`], [`crate::Db::batch_read`] (gets of any models) and
//! [`crate::Db::batch_get`] take any number of items or keys and:
//!
//! * run every item through [`crate::pipeline::PreparedWrite`] and check it
//!   (size at most 400 KB, no two writes on the same key). [`BatchWrite`]
//!   (and [`SliceBatch::prepare_all_first`]) does so **before sending
//!   anything**: an invalid item fails the whole call with
//!   [`crate::Error::Item`] naming its index. [`crate::Db::batch_put`] and
//!   [`crate::Db::batch_delete`] ([`SliceBatch`]) check every **key** before
//!   sending anything, then prepare the items request by request, in
//!   bounded memory (a model's hooks run request by request): an item that
//!   fails stops the batch there ([`BatchIncomplete::stopped_at`]);
//! * split the work into requests DynamoDB accepts (25 writes or 100 keys per
//!   request; with items of at most 400 KB a write request stays under 16 MB,
//!   and DynamoDB itself caps a read response at 16 MB by returning the rest as
//!   unprocessed keys, which are retried);
//! * send up to [`BatchWrite::concurrency`] requests at a time;
//! * retry `UnprocessedItems` / `UnprocessedKeys`, throttled requests and
//!   server errors with exponential backoff and full jitter within a
//!   [`RetryPolicy`](crate::ops::RetryPolicy);
//! * when the budget runs out, fail with [`crate::Error::BatchIncomplete`], which
//!   holds exactly the items or keys not done ([`BatchIncomplete`]), never a
//!   success with items missing.
//! * [`crate::Db::batch_put_iter`] and friends ([`BatchStream`]) take an
//!   iterator or a stream instead: they send while later items are still
//!   read, in bounded memory, and check each item as it is read (a model's
//!   hooks run request by request: `before_*` as each item is read,
//!   `after_*` once its request is done);
//! * record, if asked, which writes are done in a [`BatchProgress`] handle
//!   that the caller keeps, so a batch cancelled halfway (its future dropped)
//!   still tells what it wrote and can be resumed exactly
//!   ([`BatchWrite::progress`]).
//!
//! ```no_run
//! use dynamodel::{Db, Model};
//! use dynamodel::ops::RetryPolicy;
//!
//! #[derive(Model, Debug, Clone, PartialEq)]
//! #[dynamodel(table = "users")]
//! struct User { #[dynamodel(hash_key)] id: String, name: String }
//!
//! #[derive(Model, Debug, Clone, PartialEq)]
//! #[dynamodel(table = "orders")]
//! struct Order { #[dynamodel(hash_key)] customer: String, #[dynamodel(range_key)] number: u64 }
//!
//! # async fn demo(db: Db, users: Vec<User>, order: Order) -> dynamodel::Result<()> {
//! db.batch_put(&users).concurrency(8).await?;
//! db.batch_write()
//!     .put(&order)
//!     .delete::<User>("u-9")
//!     .retry(RetryPolicy::default().max_attempts(20))
//!     .await?;
//!
//! let read = db.batch_read().get::<User>("u-1").get::<Order>(("u-1".to_string(), 7)).await?;
//! let found_users: Vec<User> = read.items::<User>()?;
//! let missing_orders: Vec<(String, u64)> = read.missing::<Order>();
//!
//! match db.batch_put(&users).await {
//!     Err(err) if err.is_batch_incomplete() => {
//!         let left = err.into_batch_incomplete().map(|i| i.into_unprocessed_writes());
//!         // persist `left` or send it again with `db.batch_write().unprocessed(left)`
//!     }
//!     other => { other?; }
//! }
//! # Ok(()) }
//! ```

/// The request setters every batch builder shares: requests in flight, the
/// retry budget, the capacity meter. `$unprocessed` names what DynamoDB may
/// leave unprocessed (`"items"`, `"keys"`); `$memory` continues
/// `concurrency`'s docs where the builder bounds its memory by it.
macro_rules! request_setters {
    ($unprocessed:literal $(, $memory:literal)?) => {
        /// How many requests may be in flight at once (default
        /// [`DEFAULT_CONCURRENCY`](crate::ops::batch::DEFAULT_CONCURRENCY); at least 1).
        $(#[doc = $memory])?
        pub fn concurrency(mut self, requests: usize) -> Self {
            self.concurrency = requests.max(1);
            self
        }

        #[doc = concat!("The retry budget for unprocessed ", $unprocessed, " and failed requests.")]
        pub fn retry(mut self, policy: crate::ops::RetryPolicy) -> Self {
            self.retry = policy;
            self
        }

        /// Adds every request's consumed capacity (when the meter asks for it)
        /// to `meter`, retries included (see [`crate::ops::meter`]).
        pub fn meter(mut self, meter: &crate::ops::Meter) -> Self {
            self.meter = Some(meter.clone());
            self
        }
    };
}

mod chunked;
mod in_flight;
mod keys_seen;
mod progress;
mod read;
mod read_engine;
mod slice;
mod streamed;
mod typed_key;
mod write;
mod write_engine;

pub use progress::BatchProgress;
pub use read::{BatchGet, BatchGetItems, BatchRead};
pub use slice::SliceBatch;
pub use streamed::BatchStream;
pub use write::BatchWrite;
pub use write_engine::BatchWriteOutput;
// What batches return and report, defined with the error that carries them.
pub use crate::error::{
    BatchGetOutput, BatchIncomplete, BatchStats, UnprocessedKey, UnprocessedWrite, WriteAction,
};

/// Default number of batch requests in flight at once.
pub const DEFAULT_CONCURRENCY: usize = 4;
