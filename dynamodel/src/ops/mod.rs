//! Item operations: typed, `#[must_use]` builders started from [`crate::Db`].
//!
//! Every builder can be sent with `.send().await` or simply `.await`, and
//! every request runs inside a `tracing` span naming the operation, model and
//! table (attribute values are never logged).
//!
//! Each point operation lives in its own file and builds its own request
//! ([`Request`]); conditions are rendered and `ConditionalCheckFailed` is
//! mapped back to a typed error in one place for all of them, and a
//! transaction takes the point operations' builders as its actions. Batches
//! and transactions share the key canonicalisation and the retry budget.

pub mod batch;
mod condition;
mod create;
mod delete;
pub(crate) mod future;
mod get;
mod keys;
mod put;
mod request;
mod retry;
pub mod transaction;
mod update;

pub use create::Create;
pub use delete::Delete;
pub use get::Get;
pub use put::Put;
pub use request::Request;
pub use update::{
    AllNew, AllOld, NoReturn, ReturnKind, Update, UpdateRequest, UpdatedNew, UpdatedOld,
};

pub use batch::{
    BatchGet, BatchGetItems, BatchGetOutput, BatchIncomplete, BatchProgress, BatchRead, BatchStats,
    BatchWrite, BatchWriteOutput, UnprocessedKey, UnprocessedWrite, WriteAction,
    DEFAULT_CONCURRENCY,
};
// The write pipeline (`schema`) still reaches the size check here; the
// public home of every limit is `crate::limits`.
pub(crate) use crate::limits::{item_size, MAX_ITEM_SIZE};
pub use retry::RetryPolicy;
pub use transaction::{
    CancellationCode, CancellationReason, TransactGet, TransactGetOutput, TransactWrite,
    TransactionCanceled,
};
