//! The crate's one error type, [`Error`], the pieces it carries and every
//! predicate on it.
//!
//! This module imports nothing from the operations: what a batch left undone
//! ([`BatchIncomplete`], with the entries and partial read it lists) and why
//! a transaction was cancelled ([`TransactionCanceled`]) are defined here, and
//! the operations build them.

use std::fmt;

use crate::value::ConvertError;

mod batch;
mod transaction;
mod typed;

pub(crate) use batch::ReadEntry;
pub use batch::{
    BatchGetOutput, BatchIncomplete, BatchStats, UnprocessedKey, UnprocessedWrite, WriteAction,
};
pub use transaction::{CancellationCode, CancellationReason, TransactionCanceled};

/// Every error dynamodel returns.
///
/// Branch on it with the predicates (`is_already_exists()`, `is_not_found()`,
/// `is_conditional_check_failed()`, ...) or match its variants; the enum is
/// `#[non_exhaustive]` so new cases are not breaking changes. Errors from the
/// AWS SDK are kept as the [`std::error::Error::source`] of [`Error::Sdk`].
///
/// Attribute *values* never appear in messages: partition keys often hold
/// e-mail addresses or other personal data, and errors end up in logs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `create` found an item with the same key already in the table.
    #[error("{model}: an item with this key already exists in table `{table}`")]
    AlreadyExists {
        /// The model's name.
        model: &'static str,
        /// The table written to.
        table: String,
    },

    /// An operation that needs an existing item (such as `update`) found none.
    #[error("{model}: no item with this key in table `{table}`")]
    NotFound {
        /// The model's name.
        model: &'static str,
        /// The table read or written.
        table: String,
    },

    /// A condition attached to a write did not hold.
    #[error("{model}: the condition of the {operation} on table `{table}` was not met")]
    ConditionFailed {
        /// The model's name.
        model: &'static str,
        /// The table written to.
        table: String,
        /// The operation (`put`, `update`, `delete`).
        operation: &'static str,
        /// The item as it was in the table, when DynamoDB returned it
        /// (decode it with [`Error::condition_item`]; `Debug` redacts values).
        item: Option<crate::redact::RedactedItem>,
    },

    /// A write of a model with a `#[dynamodel(version)]` attribute found
    /// another version in the table than the one it read: someone else wrote
    /// the item meanwhile. Read it again and retry.
    #[error("{model}: the {operation} on table `{table}` expected version {expected} but the stored item has another (or none)")]
    VersionConflict {
        /// The model's name.
        model: &'static str,
        /// The table written to.
        table: String,
        /// The operation (`put`, `update`, `delete`).
        operation: &'static str,
        /// The version the write expected to find (0: no item).
        expected: String,
        /// The item as it was in the table, when DynamoDB returned it.
        item: Option<crate::redact::RedactedItem>,
    },

    /// A value could not be converted into a DynamoDB attribute.
    #[error("{model}.{attribute}: cannot be stored: {source}")]
    Encode {
        /// The model's name.
        model: &'static str,
        /// The attribute path (for example `address.zip`).
        attribute: String,
        /// What was wrong.
        source: ConvertError,
    },

    /// An item read from DynamoDB does not fit the model.
    #[error("{model}.{attribute}: stored item does not fit the model ({key}): {source}")]
    Decode {
        /// The model's name.
        model: &'static str,
        /// The attribute path (for example `address.zip`).
        attribute: String,
        /// The item's key attributes, names and types only (values are redacted).
        key: KeyDescription,
        /// What was wrong.
        source: ConvertError,
    },

    /// An item, the values an update writes, or a key broke validation rules
    /// (set with `#[dynamodel(...)]`, or DynamoDB's limits on keys and
    /// required attributes); nothing was sent to DynamoDB. Lists every
    /// failing attribute with its path and rule.
    #[error("{model}: validation failed: {errors}")]
    Validation {
        /// The model's name.
        model: &'static str,
        /// Every rule broken, with the attribute path.
        errors: crate::settings::ValidationErrors,
    },

    /// A hook (see [`crate::settings::Hooks`]) that runs before a request
    /// (`before_save`, `before_delete`, `before_update`) or on a read
    /// (`after_load`) returned an error; on a write, nothing was sent to
    /// DynamoDB. (An `after_*` hook's error is [`Error::AfterHook`].)
    #[error("{model}: the {hook} hook failed: {source}")]
    Hook {
        /// The model's name.
        model: &'static str,
        /// The hook (`before_save`, `before_delete`, `before_update`, `after_load`).
        hook: &'static str,
        /// The hook's error.
        #[source]
        source: crate::settings::BoxError,
    },

    /// A hook that runs after DynamoDB carried out a write (`after_save`,
    /// `after_delete`, `after_update`) returned an error: the write DID
    /// happen, only the hook failed (see [`Error::is_after_hook`]). In a
    /// batch or a transaction every write's hook still runs; this reports the
    /// first failure and counts the others.
    #[error("{model}: the {hook} hook failed after the write was done (the write is not undone): {source}{}", more_failures(*further_failures))]
    AfterHook {
        /// The model's name.
        model: &'static str,
        /// The hook (`after_save`, `after_delete`, `after_update`).
        hook: &'static str,
        /// In a batch or a transaction, the position of the write whose hook
        /// failed (0-based, in the order added); `None` for a point operation.
        index: Option<usize>,
        /// How many other writes of the same batch or transaction had an
        /// `after_*` hook fail too.
        further_failures: usize,
        /// The hook's error.
        #[source]
        source: crate::settings::BoxError,
    },

    /// The table has no description of the shape dynamodel needs (for example a
    /// key of the wrong type) or a request was malformed before sending.
    #[error("{model}: invalid request: {message}")]
    InvalidRequest {
        /// The model's name.
        model: &'static str,
        /// What was wrong.
        message: String,
    },

    /// A table did not become ACTIVE (or disappear) within the wait budget.
    #[error("table `{table}` did not become {state} within {seconds} s")]
    TableWaitTimeout {
        /// The table waited for.
        table: String,
        /// The state waited for (`ACTIVE` or `deleted`).
        state: &'static str,
        /// How long dynamodel waited.
        seconds: u64,
    },

    /// The models of a table definition disagree (key attributes, index
    /// names, index keys or projections, attribute types, TTL attribute), or
    /// a setting does not fit the definition; nothing was sent. The message
    /// names the models, indexes and attributes involved.
    #[error("table `{table}`: {message}")]
    TableDefinition {
        /// The table's declared name.
        table: String,
        /// What disagrees, naming both models.
        message: String,
    },

    /// [`crate::table::EnsureTable::apply`] found differences between the
    /// live table and its definition that only deleting something (a table,
    /// an index, their data) or rebuilding it could resolve; nothing was
    /// changed. `changes` lists each of them.
    #[error("table `{table}`: refusing {} destructive change(s): {}", changes.len(), crate::table::Drift::list(changes))]
    DestructiveChange {
        /// The table as sent.
        table: String,
        /// Every difference that would need a deletion.
        changes: Vec<crate::table::Drift>,
    },

    /// One item, key or action of a batch or transaction is invalid (see the
    /// source); nothing was sent. Also what a lenient read reports per item
    /// that does not decode (`Query`, `Scan`, `BatchGetItem`; see
    /// [`crate::query::Page::errors`]): `index` is then the item's position.
    #[error("{operation}: item #{index}: {source}")]
    Item {
        /// The DynamoDB operation (`BatchWriteItem`, `TransactWriteItems`, ...).
        operation: &'static str,
        /// The item's position in the call (0-based, in the order added).
        index: usize,
        /// What was wrong with it.
        source: Box<Error>,
    },

    /// A batch could not do everything within its retry budget: the error
    /// lists exactly the writes or keys left undone.
    #[error(transparent)]
    BatchIncomplete(Box<BatchIncomplete>),

    /// DynamoDB cancelled a transaction: one reason per action.
    #[error(transparent)]
    TransactionCanceled(Box<TransactionCanceled>),
    /// A pagination cursor was refused: altered, truncated, or issued for
    /// another table, index, model, partition or cursor secret.
    #[error("{model}: invalid pagination cursor: {reason}")]
    InvalidCursor {
        /// The model queried.
        model: &'static str,
        /// Why the cursor was refused.
        reason: &'static str,
    },

    /// A query without a named index did not match exactly one way to run it
    /// (the table or one index); dynamodel never falls back to a scan.
    #[error("{model}: cannot choose an index: {message}; candidates: {}", candidates.join(", "))]
    IndexChoice {
        /// The model queried.
        model: &'static str,
        /// What did not match.
        message: String,
        /// The table and indexes considered, as `name(hash[, range])`.
        candidates: Vec<String>,
    },

    /// A request is over one of DynamoDB's limits on whole requests that
    /// dynamodel checks before sending (the length of an expression, the
    /// nesting depth of a condition, the size of a transaction; see
    /// [`crate::limits`]); nothing was sent.
    #[error("{model}: {message}")]
    LimitExceeded {
        /// The model's name (for a transaction, the model of its largest action).
        model: &'static str,
        /// The limit broken (`expression length`, `condition depth`, `transaction size`).
        limit: &'static str,
        /// What was over the limit, by how much (sizes and counts only).
        message: String,
    },

    /// DynamoDB refused the request as invalid (a `ValidationException` or
    /// another client error dynamodel has no specific case for): the request
    /// broke a rule dynamodel does not check before sending. Carries
    /// DynamoDB's own message, which names attributes and rules (DynamoDB
    /// does not echo attribute values in these messages).
    #[error("{model}: DynamoDB refused the {operation} on table `{table}`: {code}: {message}")]
    Rejected {
        /// The DynamoDB operation (`PutItem`, `Query`, ...).
        operation: &'static str,
        /// The model's name.
        model: &'static str,
        /// The table involved.
        table: String,
        /// DynamoDB's error code (`ValidationException`, ...).
        code: String,
        /// DynamoDB's message.
        message: String,
    },

    /// A collection query (with `.report_unlisted()`) read an item whose
    /// entity the collection does not list, or that has no entity attribute.
    #[error("{collection}: an item of an entity the collection does not list ({key})")]
    UnlistedEntity {
        /// The collection's name.
        collection: &'static str,
        /// The item's key attributes (values redacted in messages).
        key: KeyDescription,
    },

    /// DynamoDB or the AWS SDK returned an error dynamodel has no specific case for.
    #[error("{operation} on table `{table}` failed: {source}")]
    Sdk {
        /// The DynamoDB operation (`PutItem`, `GetItem`, ...).
        operation: &'static str,
        /// The table involved.
        table: String,
        /// The SDK's error, kept whole.
        #[source]
        source: Box<aws_sdk_dynamodb::Error>,
    },
}

impl Error {
    /// `create` failed because the key was already taken.
    pub fn is_already_exists(&self) -> bool {
        matches!(self, Error::AlreadyExists { .. })
    }

    /// The item an operation required was not in the table.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound { .. })
    }

    /// A write's condition did not hold (this includes [`Error::AlreadyExists`]).
    pub fn is_conditional_check_failed(&self) -> bool {
        matches!(
            self,
            Error::ConditionFailed { .. } | Error::AlreadyExists { .. }
        )
    }

    /// A versioned write found another version than the one it read.
    pub fn is_version_conflict(&self) -> bool {
        matches!(self, Error::VersionConflict { .. })
    }

    /// A pagination cursor was refused (see [`Error::InvalidCursor`]).
    pub fn is_invalid_cursor(&self) -> bool {
        matches!(self, Error::InvalidCursor { .. })
    }

    /// Converting a value to or from DynamoDB's representation failed.
    pub fn is_conversion(&self) -> bool {
        matches!(self, Error::Encode { .. } | Error::Decode { .. })
    }

    /// The item broke validation rules; [`Error::validation_errors`] lists them.
    pub fn is_validation(&self) -> bool {
        matches!(self, Error::Validation { .. })
    }

    /// The validation failures, when this is [`Error::Validation`].
    pub fn validation_errors(&self) -> Option<&crate::settings::ValidationErrors> {
        match self {
            Error::Validation { errors, .. } => Some(errors),
            _ => None,
        }
    }

    /// A hook returned an error: a `before_*` or `after_load` one
    /// ([`Error::Hook`]: a write was not sent) or an `after_*` one
    /// ([`Error::AfterHook`]: the write was done). Tell them apart with
    /// [`Error::is_after_hook`].
    pub fn is_hook(&self) -> bool {
        matches!(self, Error::Hook { .. } | Error::AfterHook { .. })
    }

    /// An `after_*` hook failed once DynamoDB had carried out the write:
    /// unlike every other error of a write, the write DID happen.
    pub fn is_after_hook(&self) -> bool {
        matches!(self, Error::AfterHook { .. })
    }

    /// DynamoDB throttled the request (after the SDK's own retries).
    pub fn is_throttling(&self) -> bool {
        match self {
            Error::Sdk { source, .. } => matches!(
                **source,
                aws_sdk_dynamodb::Error::ProvisionedThroughputExceededException(_)
                    | aws_sdk_dynamodb::Error::RequestLimitExceeded(_)
                    | aws_sdk_dynamodb::Error::ThrottlingException(_)
            ),
            _ => false,
        }
    }

    /// The table does not exist.
    pub fn is_table_not_found(&self) -> bool {
        match self {
            Error::Sdk { source, .. } => matches!(
                **source,
                aws_sdk_dynamodb::Error::ResourceNotFoundException(_)
            ),
            _ => false,
        }
    }

    /// A request was over a limit dynamodel checks before sending (see
    /// [`Error::LimitExceeded`]).
    pub fn is_limit_exceeded(&self) -> bool {
        matches!(self, Error::LimitExceeded { .. })
    }

    /// DynamoDB refused the request as invalid (see [`Error::Rejected`]).
    pub fn is_rejected(&self) -> bool {
        matches!(self, Error::Rejected { .. })
    }

    /// The SDK error behind this error, if it came from DynamoDB or the SDK.
    pub fn sdk_error(&self) -> Option<&aws_sdk_dynamodb::Error> {
        match self {
            Error::Sdk { source, .. } => Some(source),
            _ => None,
        }
    }

    /// Wraps an SDK error of operation `operation` on `table` for `model`:
    /// a refusal of the request itself becomes [`Error::Rejected`] with
    /// DynamoDB's code and message, anything else [`Error::Sdk`]. Out of
    /// line: a request's hot path only calls it.
    #[cold]
    #[inline(never)]
    pub(crate) fn sdk(
        model: &'static str,
        operation: &'static str,
        table: &str,
        source: impl Into<aws_sdk_dynamodb::Error>,
    ) -> Self {
        use aws_sdk_dynamodb::error::ProvideErrorMetadata as _;
        let source = source.into();
        if let Some(code) = source.code().filter(|code| is_refusal(code)) {
            return Error::Rejected {
                operation,
                model,
                table: table.to_owned(),
                code: code.to_owned(),
                message: source.message().unwrap_or_default().to_owned(),
            };
        }
        Error::Sdk {
            operation,
            table: table.to_owned(),
            source: Box::new(source),
        }
    }
}

/// The tail of [`Error::AfterHook`]'s message counting the other failures.
fn more_failures(further: usize) -> String {
    match further {
        0 => String::new(),
        1 => " (and 1 other write's hook failed)".to_owned(),
        n => format!(" (and {n} other writes' hooks failed)"),
    }
}

/// Whether an error code DynamoDB returns says the request itself is
/// invalid (as opposed to throttling, a missing table, a server fault).
fn is_refusal(code: &str) -> bool {
    matches!(
        code,
        "ValidationException" | "SerializationException" | "InvalidParameterValueException"
    )
}

/// The key attributes of the item an error is about.
///
/// `Display` shows only their names and DynamoDB types (values are redacted,
/// since keys often hold personal data); [`KeyDescription::attributes`] gives
/// the values to code that decides to log them.
#[derive(Clone, Default, PartialEq)]
pub struct KeyDescription {
    parts: Vec<(String, Option<aws_sdk_dynamodb::types::AttributeValue>)>,
}

impl KeyDescription {
    /// Describes the key attributes `names` found in `item`.
    pub fn from_item(item: &crate::Item, names: &[&str]) -> Self {
        let parts = names
            .iter()
            .map(|name| ((*name).to_owned(), item.get(*name).cloned()))
            .collect();
        KeyDescription { parts }
    }

    /// Describes key attributes given by name and value (`None`: absent).
    pub(crate) fn from_attributes<'a>(
        attributes: impl Iterator<Item = (&'a str, Option<&'a aws_sdk_dynamodb::types::AttributeValue>)>,
    ) -> Self {
        let parts = attributes
            .map(|(name, value)| (name.to_owned(), value.cloned()))
            .collect();
        KeyDescription { parts }
    }

    /// The key attributes: name and value (`None` when the item lacked it).
    pub fn attributes(&self) -> &[(String, Option<aws_sdk_dynamodb::types::AttributeValue>)] {
        &self.parts
    }
}

impl fmt::Debug for KeyDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyDescription({self})")
    }
}

impl fmt::Display for KeyDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("key ")?;
        for (i, (name, value)) in self.parts.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match value {
                Some(value) => write!(f, "{name}={}(<redacted>)", crate::value::type_name(value))?,
                None => write!(f, "{name}=<missing>")?,
            }
        }
        Ok(())
    }
}

/// The result type of dynamodel's operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn after_hook(further_failures: usize) -> Error {
        Error::AfterHook {
            model: "User",
            hook: "after_save",
            index: Some(3),
            further_failures,
            source: "mail service down".into(),
        }
    }

    #[test]
    fn after_hook_errors_say_the_write_was_done_and_count_the_others() {
        assert_eq!(
            after_hook(0).to_string(),
            "User: the after_save hook failed after the write was done (the write is not undone): mail service down"
        );
        assert!(after_hook(1)
            .to_string()
            .ends_with("mail service down (and 1 other write's hook failed)"));
        assert!(after_hook(2)
            .to_string()
            .ends_with("mail service down (and 2 other writes' hooks failed)"));
        assert!(after_hook(0).is_after_hook() && after_hook(0).is_hook());
        let before = Error::Hook {
            model: "User",
            hook: "before_save",
            source: "no".into(),
        };
        assert!(before.is_hook() && !before.is_after_hook());
    }
}
