//! Transactions: [`Db::transact_write`] and [`Db::transact_get`].
//!
//! A write transaction mixes creates, puts, deletes and condition checks
//! over any models (updates plug into the same action list). Before anything
//! is sent, dynamodel checks that there are 1 to
//! [`MAX_TRANSACTION_ACTIONS`] actions and no two on the same item, and runs
//! every written item through [`crate::schema::prepare_write`]; a mistake
//! fails with [`Error::Item`] naming the action's index.
//!
//! Every write transaction carries a client request token (yours, from
//! [`TransactWrite::client_request_token`], or a random one), so dynamodel
//! can safely send it again after throttling, a server error or a lost
//! response: DynamoDB applies a token's transaction at most once (within 10
//! minutes). A cancelled transaction fails with
//! [`Error::TransactionCanceled`], one [`CancellationReason`] per action.
//!
//! ```no_run
//! use dynamodel::{Db, Model};
//! use dynamodel::ops::CancellationCode;
//!
//! #[derive(Model, Debug, Clone, PartialEq)]
//! #[dynamodel(table = "accounts")]
//! struct Account { #[dynamodel(hash_key)] id: String, balance: i64 }
//!
//! # async fn demo(db: Db) -> dynamodel::Result<()> {
//! let result = db
//!     .transact_write()
//!     .put_if(&Account { id: "a".into(), balance: 90 }, Account::fields().balance.eq(100))
//!     .put_if(&Account { id: "b".into(), balance: 10 }, Account::fields().balance.eq(0))
//!     .client_request_token("transfer-42")
//!     .await;
//! if let Err(err) = &result {
//!     for reason in err.cancellation_reasons().unwrap_or_default() {
//!         if reason.code == CancellationCode::ConditionalCheckFailed {
//!             let current: Option<Account> = reason.item::<Account>().transpose()?;
//!             println!("action #{} failed; the item is now {current:?}", reason.index);
//!         }
//!     }
//! }
//!
//! let read = db.transact_get().get::<Account>("a").get::<Account>("b").await?;
//! let accounts: Vec<Account> = read.items::<Account>()?;
//! # Ok(()) }
//! ```

use std::any::TypeId;
use std::collections::HashMap;
use std::fmt;
use std::time::Instant;

use aws_sdk_dynamodb::operation::transact_get_items::TransactGetItemsError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    ConditionCheck, Delete, Get, Put, ReturnValuesOnConditionCheckFailure, TransactGetItem,
    TransactWriteItem,
};
use tracing::Instrument;

use crate::expr::{Condition, ConditionNode, ExprBuilder, Path};
use crate::ops::batch::{build_error, canonical_key, into_future_plain, GetEntry};
use crate::ops::retry::{is_retryable, Budget, RetryPolicy};
use crate::ops::{BatchGetOutput, BatchStats};
use crate::schema::{finish_read, prepare_write, WriteKind};
use crate::{Db, Error, Item, Model, Result};

/// Most actions in one transaction.
pub const MAX_TRANSACTION_ACTIONS: usize = 100;

/// One action of a write transaction, built from typed inputs.
///
/// New kinds of action (such as `update`) are added by building the SDK's
/// [`TransactWriteItem`] and calling `TransactWrite::push_action`.
struct Action {
    model: &'static str,
    type_id: TypeId,
    table: String,
    kind: &'static str,
    canon: Vec<u8>,
    item: TransactWriteItem,
}

/// A write transaction over any models. Start it with [`Db::transact_write`].
#[must_use = "a transaction does nothing until it is sent with `.send().await` or `.await`"]
pub struct TransactWrite {
    db: Db,
    actions: Vec<Action>,
    error: Option<Error>,
    token: Option<String>,
    retry: RetryPolicy,
}

impl fmt::Debug for TransactWrite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kinds: Vec<String> = self
            .actions
            .iter()
            .map(|a| format!("{} {}", a.kind, a.model))
            .collect();
        f.debug_struct("TransactWrite")
            .field("actions", &kinds)
            .field("client_request_token", &self.token)
            .finish()
    }
}

impl Db {
    /// Starts a write transaction.
    pub fn transact_write(&self) -> TransactWrite {
        TransactWrite {
            db: self.clone(),
            actions: Vec::new(),
            error: None,
            token: None,
            retry: RetryPolicy::default(),
        }
    }

    /// Starts a transactional read of items of any models.
    pub fn transact_get(&self) -> TransactGet {
        TransactGet {
            db: self.clone(),
            entries: Vec::new(),
            error: None,
            retry: RetryPolicy::default(),
        }
    }
}

/// Renders a condition into `(expression, names, values)`.
type Rendered = (
    String,
    Option<HashMap<String, String>>,
    Option<HashMap<String, crate::AttributeValue>>,
);

fn render<M: Model>(condition: &Condition<M>) -> Result<Rendered> {
    let mut builder = ExprBuilder::new();
    let expression = condition.render(&mut builder)?;
    let (names, values) = builder.into_parts();
    Ok((expression, names, values))
}

impl TransactWrite {
    fn fail(&mut self, index: usize, source: Error) {
        if self.error.is_none() {
            self.error = Some(Error::Item {
                operation: "TransactWriteItems",
                index,
                source: Box::new(source),
            });
        }
    }

    /// Adds an action built elsewhere in dynamodel (for example an update):
    /// `key` is the item's primary key attributes, used to reject two actions
    /// on one item.
    #[allow(dead_code)]
    pub(crate) fn push_action<M: Model>(
        mut self,
        kind: &'static str,
        key: &Item,
        item: Result<TransactWriteItem>,
    ) -> Self {
        let index = self.actions.len();
        let table = self.db.table_name::<M>();
        let names = M::key_schema().names();
        let canon = canonical_key(key, &names).unwrap_or_default();
        let item = match item {
            Ok(item) => item,
            Err(err) => {
                self.fail(index, err);
                TransactWriteItem::builder().build()
            }
        };
        self.actions.push(Action {
            model: M::MODEL_NAME,
            type_id: TypeId::of::<M>(),
            table,
            kind,
            canon,
            item,
        });
        self
    }

    fn put_action<M: Model>(
        self,
        kind: &'static str,
        model: &M,
        write: WriteKind,
        condition: Option<Condition<M>>,
    ) -> Self {
        let table = self.db.table_name::<M>();
        // A versioned model's put checks the version it read and bumps it,
        // exactly as `Db::put` does; a stale one cancels the transaction.
        let mut condition = condition;
        let prepared = prepare_write(model, write).and_then(|mut item| {
            if let Some((check, _)) = crate::version::prepare_put::<M>(&mut item)? {
                let check = Condition::from_node(check);
                condition = Some(match condition.take() {
                    Some(existing) => existing.and(check),
                    None => check,
                });
            }
            Ok(item)
        });
        let key = prepared
            .as_ref()
            .map(|item| key_attributes::<M>(item))
            .unwrap_or_default();
        let action = prepared.and_then(|item| {
            let mut put = Put::builder()
                .table_name(&table)
                .set_item(Some(item))
                .return_values_on_condition_check_failure(
                    ReturnValuesOnConditionCheckFailure::AllOld,
                );
            if let Some(condition) = &condition {
                let (expression, names, values) = render(condition)?;
                put = put
                    .condition_expression(expression)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values);
            }
            let put = put.build().map_err(|e| build_error(M::MODEL_NAME, e))?;
            Ok(TransactWriteItem::builder().put(put).build())
        });
        self.push_action::<M>(kind, &key, action)
    }

    /// Adds a create: a put that cancels the transaction (reason
    /// `ConditionalCheckFailed`) if an item with the key exists.
    pub fn create<M: Model>(self, item: &M) -> Self {
        let hash = Path::attribute(M::key_schema().hash.name);
        let condition = Condition::from_node(ConditionNode::NotExists(hash));
        self.put_action("create", item, WriteKind::Create, Some(condition))
    }

    /// Adds a put, replacing any item with the same key.
    pub fn put<M: Model>(self, item: &M) -> Self {
        self.put_action("put", item, WriteKind::Put, None)
    }

    /// Adds a put that applies only if `condition` holds on the stored item.
    pub fn put_if<M: Model>(self, item: &M, condition: Condition<M>) -> Self {
        self.put_action("put", item, WriteKind::Put, Some(condition))
    }

    fn key_action<M: Model>(
        self,
        kind: &'static str,
        key: M::Key,
        condition: Option<Condition<M>>,
    ) -> Self {
        let table = self.db.table_name::<M>();
        let key_item = M::key_to_item(&key);
        let canon_source = key_item.as_ref().cloned().unwrap_or_default();
        let action = key_item.and_then(|key| {
            let rendered = condition.as_ref().map(render).transpose()?;
            let item = if kind == "condition_check" {
                let (expression, names, values) =
                    rendered.ok_or_else(|| Error::InvalidRequest {
                        model: M::MODEL_NAME,
                        message: "a condition check needs a condition".into(),
                    })?;
                let check = ConditionCheck::builder()
                    .table_name(&table)
                    .set_key(Some(key))
                    .condition_expression(expression)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .return_values_on_condition_check_failure(
                        ReturnValuesOnConditionCheckFailure::AllOld,
                    )
                    .build()
                    .map_err(|e| build_error(M::MODEL_NAME, e))?;
                TransactWriteItem::builder().condition_check(check).build()
            } else {
                let mut delete = Delete::builder()
                    .table_name(&table)
                    .set_key(Some(key))
                    .return_values_on_condition_check_failure(
                        ReturnValuesOnConditionCheckFailure::AllOld,
                    );
                if let Some((expression, names, values)) = rendered {
                    delete = delete
                        .condition_expression(expression)
                        .set_expression_attribute_names(names)
                        .set_expression_attribute_values(values);
                }
                let delete = delete.build().map_err(|e| build_error(M::MODEL_NAME, e))?;
                TransactWriteItem::builder().delete(delete).build()
            };
            Ok(item)
        });
        self.push_action::<M>(kind, &canon_source, action)
    }

    /// Adds a delete of the item under `key` (deleting a missing item succeeds).
    pub fn delete<M: Model>(self, key: impl Into<M::Key>) -> Self {
        self.key_action::<M>("delete", key.into(), None)
    }

    /// Adds a delete that applies only if `condition` holds on the stored item.
    pub fn delete_if<M: Model>(self, key: impl Into<M::Key>, condition: Condition<M>) -> Self {
        self.key_action::<M>("delete", key.into(), Some(condition))
    }

    /// Adds a check that `condition` holds on the item under `key`, without
    /// writing it: the transaction is cancelled if it does not.
    pub fn condition_check<M: Model>(
        self,
        key: impl Into<M::Key>,
        condition: Condition<M>,
    ) -> Self {
        self.key_action::<M>("condition_check", key.into(), Some(condition))
    }

    /// Sets the idempotency token (1 to 36 characters). Sending the same
    /// transaction with the same token within 10 minutes applies it at most
    /// once. Without one, dynamodel makes a random token per `send`.
    pub fn client_request_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The retry budget for throttling, server errors, lost responses, and
    /// cancellations caused only by conflicts or throttling.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The number of actions added so far.
    pub fn len(&self) -> usize {
        self.actions.len()
    }

    /// Whether no action was added.
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    fn check(&self) -> Result<()> {
        let model = self.actions.first().map_or("transaction", |a| a.model);
        if self.actions.is_empty() || self.actions.len() > MAX_TRANSACTION_ACTIONS {
            return Err(Error::InvalidRequest {
                model,
                message: format!(
                    "a transaction takes 1 to {MAX_TRANSACTION_ACTIONS} actions, got {}",
                    self.actions.len()
                ),
            });
        }
        let mut seen: HashMap<(&str, &[u8]), usize> = HashMap::new();
        for (index, action) in self.actions.iter().enumerate() {
            if let Some(first) = seen.insert((&action.table, &action.canon), index) {
                return Err(Error::Item {
                    operation: "TransactWriteItems",
                    index,
                    source: Box::new(Error::InvalidRequest {
                        model: action.model,
                        message: format!(
                            "{} of an item that action #{first} ({} {}) already acts on: a transaction allows one action per item",
                            action.kind, self.actions[first].kind, self.actions[first].model
                        ),
                    }),
                });
            }
        }
        if let Some(token) = &self.token {
            if token.is_empty() || token.len() > 36 {
                return Err(Error::InvalidRequest {
                    model,
                    message: format!(
                        "a client request token has 1 to 36 characters, got {}",
                        token.len()
                    ),
                });
            }
        }
        Ok(())
    }

    /// Sends the transaction, retrying with the same token within the budget.
    pub async fn send(mut self) -> Result<()> {
        if let Some(err) = self.error.take() {
            return Err(err);
        }
        self.check()?;
        let token = self.token.clone().unwrap_or_else(random_token);
        let items: Vec<TransactWriteItem> = self.actions.iter().map(|a| a.item.clone()).collect();
        let table = self.actions[0].table.clone();
        let mut budget = Budget::new(self.retry, Instant::now());
        loop {
            let span = tracing::debug_span!(
                "dynamodel.request",
                operation = "TransactWriteItems",
                actions = items.len()
            );
            let result = self
                .db
                .client()
                .transact_write_items()
                .set_transact_items(Some(items.clone()))
                .client_request_token(&token)
                .send()
                .instrument(span)
                .await;
            let err = match result {
                Ok(_) => return Ok(()),
                Err(err) if is_retryable(&err) => {
                    Error::sdk("TransactWriteItems", &table, err.into_service_error())
                }
                Err(err) => match err.into_service_error() {
                    TransactWriteItemsError::TransactionCanceledException(canceled) => {
                        TransactionCanceled::new(
                            "TransactWriteItems",
                            self.actions
                                .iter()
                                .map(|a| (a.model, a.type_id, a.table.clone(), a.kind)),
                            canceled.cancellation_reasons.unwrap_or_default(),
                            canceled.message,
                        )
                        .into_retryable_error()?
                    }
                    other => return Err(Error::sdk("TransactWriteItems", &table, other)),
                },
            };
            if !budget.next_attempt().await {
                return Err(err);
            }
        }
    }
}

into_future_plain!(TransactWrite, ());

/// A random client request token (32 hex digits).
fn random_token() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}

fn key_attributes<M: Model>(item: &Item) -> Item {
    M::key_schema()
        .names()
        .into_iter()
        .filter_map(|name| item.get(name).map(|v| (name.to_owned(), v.clone())))
        .collect()
}

/// A transactional read of up to 100 items of any models, all read at one
/// point in time. Start it with [`Db::transact_get`].
#[must_use = "a transaction does nothing until it is sent with `.send().await` or `.await`"]
pub struct TransactGet {
    db: Db,
    entries: Vec<GetEntry>,
    error: Option<Error>,
    retry: RetryPolicy,
}

impl fmt::Debug for TransactGet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransactGet")
            .field("keys", &self.entries.len())
            .finish()
    }
}

/// What a [`TransactGet`] read: the same accessors as a batch read.
pub type TransactGetOutput = BatchGetOutput;

impl TransactGet {
    /// Adds the key of an item of model `M`.
    pub fn get<M: Model>(mut self, key: impl Into<M::Key>) -> Self {
        crate::ops::batch::push_get::<M>(
            &self.db,
            &mut self.entries,
            &mut self.error,
            "TransactGetItems",
            key.into(),
        );
        self
    }

    /// The retry budget for throttling, server errors and lost responses.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sends the read.
    pub async fn send(mut self) -> Result<TransactGetOutput> {
        if let Some(err) = self.error.take() {
            return Err(err);
        }
        let model = self.entries.first().map_or("transaction", |e| e.model);
        if self.entries.is_empty() || self.entries.len() > MAX_TRANSACTION_ACTIONS {
            return Err(Error::InvalidRequest {
                model,
                message: format!(
                    "a transaction takes 1 to {MAX_TRANSACTION_ACTIONS} actions, got {}",
                    self.entries.len()
                ),
            });
        }
        let mut seen: HashMap<(&str, &[u8]), usize> = HashMap::new();
        let mut items = Vec::with_capacity(self.entries.len());
        for (index, entry) in self.entries.iter().enumerate() {
            if let Some(first) = seen.insert((&entry.table, &entry.canon), index) {
                return Err(Error::Item {
                    operation: "TransactGetItems",
                    index,
                    source: Box::new(Error::InvalidRequest {
                        model: entry.model,
                        message: format!(
                            "reads the same item as action #{first}: a transaction allows one action per item"
                        ),
                    }),
                });
            }
            let get = Get::builder()
                .table_name(&entry.table)
                .set_key(Some(entry.key.clone()))
                .build()
                .map_err(|e| build_error(entry.model, e))?;
            items.push(TransactGetItem::builder().get(get).build());
        }
        let table = self.entries[0].table.clone();
        let mut budget = Budget::new(self.retry, Instant::now());
        let mut stats = BatchStats::default();
        loop {
            stats.requests += 1;
            let span = tracing::debug_span!(
                "dynamodel.request",
                operation = "TransactGetItems",
                actions = items.len()
            );
            let result = self
                .db
                .client()
                .transact_get_items()
                .set_transact_items(Some(items.clone()))
                .send()
                .instrument(span)
                .await;
            let err = match result {
                Ok(output) => {
                    let mut found = HashMap::new();
                    for (entry, response) in self
                        .entries
                        .iter()
                        .zip(output.responses.unwrap_or_default())
                    {
                        if let Some(item) = response.item {
                            found.insert((entry.table.clone(), entry.canon.clone()), item);
                        }
                    }
                    return Ok(BatchGetOutput::new(self.entries, found, stats));
                }
                Err(err) if is_retryable(&err) => {
                    Error::sdk("TransactGetItems", &table, err.into_service_error())
                }
                Err(err) => match err.into_service_error() {
                    TransactGetItemsError::TransactionCanceledException(canceled) => {
                        TransactionCanceled::new(
                            "TransactGetItems",
                            self.entries
                                .iter()
                                .map(|e| (e.model, e.type_id, e.table.clone(), "get")),
                            canceled.cancellation_reasons.unwrap_or_default(),
                            canceled.message,
                        )
                        .into_retryable_error()?
                    }
                    other => return Err(Error::sdk("TransactGetItems", &table, other)),
                },
            };
            if !budget.next_attempt().await {
                return Err(err);
            }
            stats.retries += 1;
        }
    }
}

into_future_plain!(TransactGet, TransactGetOutput);

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

/// One action's outcome in a cancelled transaction.
#[derive(Debug, Clone)]
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
    type_id: TypeId,
    item: Option<Item>,
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

    /// The stored item decoded as `M`; `None` when there is no item or the
    /// action is not on model `M`.
    pub fn item<M: Model>(&self) -> Option<Result<M>> {
        if self.type_id != TypeId::of::<M>() {
            return None;
        }
        self.item.clone().map(finish_read::<M>)
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
    fn new(
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
    fn into_retryable_error(self) -> Result<Error, Error> {
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
