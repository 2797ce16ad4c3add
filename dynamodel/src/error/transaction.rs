//! Why DynamoDB cancelled a transaction ([`TransactionCanceled`], carried by
//! [`Error::TransactionCanceled`]): one [`CancellationReason`] per action,
//! naming its model, table and action.

use std::any::TypeId;
use std::fmt;

use crate::{Error, Item, Result};

/// Why DynamoDB cancelled (or did not need) one action of a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CancellationCode {
    /// This action was fine; another one cancelled the transaction.
    None,
    /// The action's condition did not hold (for a create: the item exists).
    ConditionalCheckFailed,
    /// Another transaction or write was working on the item.
    TransactionConflict,
    /// The item's table or index was throttled.
    Throttled,
    /// The action was invalid (for example a wrong key or a too large item).
    ValidationError,
    /// An item collection of a local secondary index would exceed 10 GB.
    ItemCollectionSizeLimitExceeded,
    /// A code dynamodel does not know, as DynamoDB sent it.
    Other(String),
}

impl CancellationCode {
    fn parse(code: Option<&str>) -> Self {
        match code {
            None | Some("None") => CancellationCode::None,
            Some("ConditionalCheckFailed") => CancellationCode::ConditionalCheckFailed,
            Some("TransactionConflict") => CancellationCode::TransactionConflict,
            Some("ThrottlingError" | "ProvisionedThroughputExceeded" | "RequestLimitExceeded") => {
                CancellationCode::Throttled
            }
            Some("ValidationError") => CancellationCode::ValidationError,
            Some("ItemCollectionSizeLimitExceeded") => {
                CancellationCode::ItemCollectionSizeLimitExceeded
            }
            Some(other) => CancellationCode::Other(other.to_owned()),
        }
    }
}

/// One action's outcome in a cancelled transaction. Its `Debug` shows the
/// stored item's attribute names and types only.
#[derive(Clone)]
pub struct CancellationReason {
    /// The action's position in the transaction (0-based, in the order added).
    pub index: usize,
    /// The model acted on.
    pub model: &'static str,
    /// The table acted on (prefix included).
    pub table: String,
    /// The action: `create`, `put`, `delete`, `condition_check`, `update` or `get`.
    pub action: &'static str,
    /// Why DynamoDB cancelled it ([`CancellationCode::None`] if it did not).
    pub code: CancellationCode,
    /// DynamoDB's message, if any.
    pub message: Option<String>,
    pub(super) type_id: TypeId,
    pub(super) item: Option<Item>,
}

impl fmt::Debug for CancellationReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CancellationReason")
            .field("index", &self.index)
            .field("model", &self.model)
            .field("table", &self.table)
            .field("action", &self.action)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("item", &self.item.as_ref().map(crate::redact::RedactedMap))
            .finish_non_exhaustive()
    }
}

impl CancellationReason {
    /// Whether this action caused the cancellation.
    pub fn is_failure(&self) -> bool {
        self.code != CancellationCode::None
    }

    /// The item as stored when the condition failed (DynamoDB returns it for
    /// `ConditionalCheckFailed`; `None` if there was no item).
    pub fn raw_item(&self) -> Option<&Item> {
        self.item.as_ref()
    }
}

/// A transaction DynamoDB cancelled, with one reason per action. Carried by
/// [`Error::TransactionCanceled`]; nothing of the transaction was applied.
#[derive(Debug, Clone)]
pub struct TransactionCanceled {
    operation: &'static str,
    reasons: Vec<CancellationReason>,
    message: Option<String>,
}

impl TransactionCanceled {
    pub(crate) fn new(
        operation: &'static str,
        actions: impl Iterator<Item = (&'static str, TypeId, String, &'static str)>,
        reasons: Vec<aws_sdk_dynamodb::types::CancellationReason>,
        message: Option<String>,
    ) -> Self {
        let mut sdk_reasons = reasons.into_iter();
        let reasons = actions
            .enumerate()
            .map(|(index, (model, type_id, table, action))| {
                let reason = sdk_reasons.next();
                CancellationReason {
                    index,
                    model,
                    type_id,
                    table,
                    action,
                    code: CancellationCode::parse(reason.as_ref().and_then(|r| r.code.as_deref())),
                    message: reason.as_ref().and_then(|r| r.message.clone()),
                    item: reason.and_then(|r| r.item),
                }
            })
            .collect();
        TransactionCanceled {
            operation,
            reasons,
            message,
        }
    }

    /// One reason per action, in the order the actions were added.
    pub fn reasons(&self) -> &[CancellationReason] {
        &self.reasons
    }

    /// The reasons of the actions that caused the cancellation.
    pub fn failures(&self) -> impl Iterator<Item = &CancellationReason> {
        self.reasons.iter().filter(|r| r.is_failure())
    }

    /// The error for this cancellation: `Ok` when only conflicts or
    /// throttling cancelled it (worth another attempt with the same token),
    /// `Err` when it is final.
    pub(crate) fn into_retryable_error(self) -> Result<Error, Error> {
        let retryable = self.is_retryable();
        let err = Error::TransactionCanceled(Box::new(self));
        if retryable {
            Ok(err)
        } else {
            Err(err)
        }
    }

    /// Whether sending again may succeed: every failure is a conflict or throttling.
    pub fn is_retryable(&self) -> bool {
        let mut failures = self.failures().peekable();
        failures.peek().is_some()
            && failures.all(|r| {
                matches!(
                    r.code,
                    CancellationCode::TransactionConflict | CancellationCode::Throttled
                )
            })
    }
}

impl fmt::Display for TransactionCanceled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} was cancelled", self.operation)?;
        let mut first = true;
        for reason in self.failures() {
            f.write_str(if first { ": " } else { "; " })?;
            first = false;
            write!(
                f,
                "action #{} ({} {} on table `{}`): {:?}",
                reason.index, reason.action, reason.model, reason.table, reason.code
            )?;
        }
        if first {
            if let Some(message) = &self.message {
                write!(f, ": {message}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for TransactionCanceled {}

impl Error {
    /// DynamoDB cancelled a transaction; see [`Error::cancellation_reasons`].
    pub fn is_transaction_canceled(&self) -> bool {
        matches!(self, Error::TransactionCanceled(_))
    }

    /// One reason per action of a cancelled transaction, in the order the
    /// actions were added; `None` for other errors.
    pub fn cancellation_reasons(&self) -> Option<&[CancellationReason]> {
        match self {
            Error::TransactionCanceled(canceled) => Some(canceled.reasons()),
            _ => None,
        }
    }
}
