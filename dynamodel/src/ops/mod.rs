//! Item operations: typed, `#[must_use]` builders started from [`crate::Db`].
//!
//! Every builder can be sent with `.send().await` or simply `.await`, and
//! every request runs inside a `tracing` span naming the operation, model and
//! table (attribute values are never logged).

pub mod batch;
mod delete;
mod get;
mod put;
mod request;
mod retry;
pub mod transaction;
mod update;

pub use delete::Delete;
pub use get::Get;
pub use put::{Create, Put};
pub use request::Request;
pub use update::{
    AllNew, AllOld, NoReturn, ReturnKind, Update, UpdateRequest, UpdatedNew, UpdatedOld,
};

pub use batch::{
    item_size, value_size, BatchGet, BatchGetItems, BatchGetOutput, BatchIncomplete, BatchRead,
    BatchStats, BatchWrite, BatchWriteOutput, UnprocessedKey, UnprocessedWrite, WriteAction,
    DEFAULT_CONCURRENCY, MAX_BATCH_GET, MAX_BATCH_WRITE, MAX_ITEM_SIZE,
};
pub use retry::RetryPolicy;
pub use transaction::{
    CancellationCode, CancellationReason, TransactGet, TransactGetOutput, TransactWrite,
    TransactionCanceled, MAX_TRANSACTION_ACTIONS,
};

/// Implements `IntoFuture` for a builder with an `async fn send(self)`.
macro_rules! into_future {
    ($builder:ident, $output:ty) => {
        impl<M: $crate::Model> ::std::future::IntoFuture for $builder<M> {
            type Output = $crate::Result<$output>;
            type IntoFuture = ::futures::future::BoxFuture<'static, $crate::Result<$output>>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    };
}
pub(crate) use into_future;

/// Turns a `ConditionalCheckFailedException`'s returned item into a decoded-later payload.
pub(crate) fn condition_failed<M: crate::Model>(
    table: &str,
    operation: &'static str,
    item: Option<crate::Item>,
) -> crate::Error {
    crate::Error::ConditionFailed {
        model: M::MODEL_NAME,
        table: table.to_owned(),
        operation,
        item: item.map(crate::redact::RedactedItem::new),
    }
}
