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
//!
//! # Cancellation
//!
//! Dropping an operation's future (a `tokio::time::timeout`, a `select!`, a
//! shutdown) stops it where it is. A request already sent may still be
//! carried out by DynamoDB after the drop, and the caller is not told, so
//! what a dropped operation did is:
//!
//! * **Reads** (`get`, `batch_get`/`batch_read`, `transact_get`, queries and
//!   scans with `page`, `fill`, `stream`, `all`): nothing; only the answer is
//!   lost. A query resumes from the cursor of the last page received
//!   (`start_from`).
//! * **Point writes** (`put`, `create`, `delete`, `update`): one request (the
//!   AWS SDK may repeat it inside), done or not. A put or a delete can be sent
//!   again as it is; a create sent again fails with a conditional failure if
//!   the first one went through; an update that adds or increments would
//!   apply twice, so guard it with a condition or a `#[dynamodel(version)]`
//!   attribute, whose check refuses the second one.
//! * **Batch writes**: any subset of the writes, request by request (25 at a
//!   time, several in flight). Attach a [`BatchProgress`] with
//!   [`BatchWrite::progress`] to learn which: the writes it records done are
//!   written, those in flight may be, the others are not; sending the same
//!   batch with the same handle resumes it.
//! * **Write transactions**: all of it or nothing. Sending it again with the
//!   same [`TransactWrite::client_request_token`] within 10 minutes applies it
//!   at most once; without a token of yours each `send` makes a new one, so
//!   set one if a dropped transaction may be sent again.
//! * **Table DDL** (`create_table`, `delete_table`): the request may have been
//!   accepted; ask DynamoDB for the table's state (the SDK's `describe_table`).

pub mod batch;
mod condition;
mod create;
mod delete;
pub(crate) mod future;
mod get;
pub(crate) mod keys;
pub mod meter;
mod put;
mod repeat_table;
pub(crate) mod replay;
mod request;
mod retry;
pub mod transaction;
pub mod update;

pub use create::Create;
pub use delete::Delete;
pub use get::Get;
pub use meter::{Capacity, CapacityDetail, Meter};
pub use put::Put;
pub use request::Request;
pub use update::apply_once::{Applied, ApplyOnce};
pub use update::patch::Patchable;
pub use update::tracked::Tracked;
pub use update::{
    AllNew, AllOld, NoReturn, ReturnKind, Update, UpdateRequest, UpdatedNew, UpdatedOld,
};

pub use batch::{
    BatchGet, BatchGetItems, BatchGetOutput, BatchIncomplete, BatchProgress, BatchRead, BatchStats,
    BatchStream, BatchWrite, BatchWriteOutput, SliceBatch, UnprocessedKey, UnprocessedWrite,
    WriteAction, DEFAULT_CONCURRENCY,
};
pub use retry::RetryPolicy;
pub use transaction::{
    CancellationCode, CancellationReason, TransactGet, TransactGetOutput, TransactWrite,
    TransactionCanceled,
};
