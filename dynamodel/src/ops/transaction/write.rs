//! [`TransactWrite`]: creates, puts, deletes, updates and condition checks
//! over any models, applied all or nothing.
//!
//! Each action is the point operation's builder: its request is built by
//! that operation (conditions, version check and bump included) and only
//! turned into a transaction item here, always asking for the stored item
//! on a failed condition (`ALL_OLD`) so cancellation reasons carry it.

use std::any::TypeId;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use crate::key::IntoKey;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete as SdkDelete, Put as SdkPut, ReturnValue,
    ReturnValuesOnConditionCheckFailure, TransactWriteItem, Update as SdkUpdate,
};

use crate::error::TransactionCanceled;
use crate::expr::Condition;
use crate::limits::{
    check_client_request_token, check_transaction_actions, check_transaction_size,
};
use crate::ops::future::into_future_plain;
use crate::ops::keys::KeyNames;
use crate::ops::meter::{return_capacity, Meter};
use crate::ops::put::TransactPut;
use crate::ops::replay::SavedBody;
use crate::ops::request::build_error;
use crate::ops::retry::{is_retryable, Budget, RetryPolicy};
use crate::ops::{condition, Create, Delete, Put, Request, Update};
use crate::pipeline::hooks::{run_after, run_before, ActionHooks};
use crate::pipeline::WriteKind;
use crate::{Db, Error, Item, Model, Result};

use super::keys::ActionKeys;

/// What every action returns when its condition fails: the stored item, so
/// cancellation reasons carry it.
const ALL_OLD: ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure::AllOld;

/// How many actions a transaction makes room for at its first one (unless
/// `*_all` reserved already): most transactions hold a few to a dozen.
const FIRST_ACTIONS_CAPACITY: usize = 16;

/// What one action of a write transaction does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ActionKind {
    Create,
    Put,
    Delete,
    Update,
    ConditionCheck,
}

impl ActionKind {
    /// The name cancellation reasons and errors give the action.
    fn name(self) -> &'static str {
        match self {
            ActionKind::Create => "create",
            ActionKind::Put => "put",
            ActionKind::Delete => "delete",
            ActionKind::Update => "update",
            ActionKind::ConditionCheck => "condition_check",
        }
    }

    /// The SDK action for `request`, built by the point operation.
    fn sdk_action(self, model: &'static str, request: Request) -> Result<SdkAction> {
        let action = match self {
            ActionKind::Create | ActionKind::Put => SdkAction::Put(
                SdkPut::builder()
                    .table_name(request.table)
                    .set_item(request.item)
                    .set_condition_expression(request.condition_expression)
                    .set_expression_attribute_names(request.names)
                    .set_expression_attribute_values(request.values)
                    .return_values_on_condition_check_failure(ALL_OLD)
                    .build()
                    .map_err(|e| build_error(model, e))?,
            ),
            ActionKind::Delete => SdkAction::Delete(
                SdkDelete::builder()
                    .table_name(request.table)
                    .set_key(request.key)
                    .set_condition_expression(request.condition_expression)
                    .set_expression_attribute_names(request.names)
                    .set_expression_attribute_values(request.values)
                    .return_values_on_condition_check_failure(ALL_OLD)
                    .build()
                    .map_err(|e| build_error(model, e))?,
            ),
            ActionKind::Update => SdkAction::Update(
                SdkUpdate::builder()
                    .table_name(request.table)
                    .set_key(request.key)
                    .set_update_expression(request.update_expression)
                    .set_condition_expression(request.condition_expression)
                    .set_expression_attribute_names(request.names)
                    .set_expression_attribute_values(request.values)
                    .return_values_on_condition_check_failure(ALL_OLD)
                    .build()
                    .map_err(|e| build_error(model, e))?,
            ),
            ActionKind::ConditionCheck => SdkAction::ConditionCheck(
                ConditionCheck::builder()
                    .table_name(request.table)
                    .set_key(request.key)
                    .set_condition_expression(request.condition_expression)
                    .set_expression_attribute_names(request.names)
                    .set_expression_attribute_values(request.values)
                    .return_values_on_condition_check_failure(ALL_OLD)
                    .build()
                    .map_err(|e| build_error(model, e))?,
            ),
        };
        Ok(action)
    }
}

/// One action's SDK request, wrapped in its `TransactWriteItem` only when
/// the transaction is sent: that wrapper holds every kind of action inline
/// (888 bytes), so keeping it from the start copied it on every move and
/// every growth of the list.
enum SdkAction {
    Put(SdkPut),
    Delete(SdkDelete),
    Update(SdkUpdate),
    ConditionCheck(ConditionCheck),
}

impl SdkAction {
    /// The table the action writes to.
    fn table(&self) -> &str {
        match self {
            SdkAction::Put(put) => put.table_name(),
            SdkAction::Delete(delete) => delete.table_name(),
            SdkAction::Update(update) => update.table_name(),
            SdkAction::ConditionCheck(check) => check.table_name(),
        }
    }

    /// A put's item, otherwise the key acted on.
    fn item_or_key(&self) -> &Item {
        match self {
            SdkAction::Put(put) => put.item(),
            SdkAction::Delete(delete) => delete.key(),
            SdkAction::Update(update) => update.key(),
            SdkAction::ConditionCheck(check) => check.key(),
        }
    }

    /// The values of the action's expressions.
    fn values(&self) -> Option<&HashMap<String, AttributeValue>> {
        match self {
            SdkAction::Put(put) => put.expression_attribute_values(),
            SdkAction::Delete(delete) => delete.expression_attribute_values(),
            SdkAction::Update(update) => update.expression_attribute_values(),
            SdkAction::ConditionCheck(check) => check.expression_attribute_values(),
        }
    }

    /// The transaction item sent.
    fn into_item(self) -> TransactWriteItem {
        let item = TransactWriteItem::builder();
        match self {
            SdkAction::Put(put) => item.put(put),
            SdkAction::Delete(delete) => item.delete(delete),
            SdkAction::Update(update) => item.update(update),
            SdkAction::ConditionCheck(check) => item.condition_check(check),
        }
        .build()
    }
}

/// The model of an action, as the non-generic
/// [`State::push_action`] takes it.
struct ActionModel {
    /// The model's name ([`Model::MODEL_NAME`]).
    name: &'static str,
    type_id: TypeId,
    /// Its table's key attributes.
    key_names: KeyNames,
}

impl ActionModel {
    /// Of model `M`.
    fn of<M: Model>() -> Self {
        ActionModel {
            name: M::MODEL_NAME,
            type_id: TypeId::of::<M>(),
            key_names: KeyNames::of(&M::key_schema()),
        }
    }
}

/// What an action's SDK request sends, as
/// [`State::record`] counts and records it.
struct Sent<'a> {
    /// The table written to.
    table: &'a str,
    /// A put's item, otherwise the key acted on.
    item_or_key: &'a Item,
    /// The values of its expressions.
    values: Option<&'a HashMap<String, AttributeValue>>,
}

/// What is known of an action besides its SDK request (a put's or
/// create's write pipeline found it), so it is not found again.
#[derive(Default)]
struct Known {
    /// Its item's size (else counted from the request).
    item_size: Option<usize>,
    /// Its table's shared name (else shared from the request's).
    table: Option<Arc<str>>,
}

/// One action of a write transaction, ready to send.
struct Action {
    model: &'static str,
    type_id: TypeId,
    /// Shared by the actions on one table: one name, one pointer (see
    /// [`State::shared_table`]).
    table: Arc<str>,
    kind: ActionKind,
    /// What the action counts against the transaction's 4 MB (see
    /// [`crate::limits::check_transaction_size`]): at least its size.
    bytes: usize,
    /// The SDK request, taken by `send`; `None` for an action that failed
    /// to build (then nothing is sent).
    request: Option<SdkAction>,
}

/// A write transaction over any models. Start it with [`Db::transact_write`].
#[must_use = "a transaction does nothing until it is sent with `.send().await` or `.await`"]
pub struct TransactWrite {
    /// Boxed, once per transaction: each builder step moves the
    /// transaction by value, and inline its hundreds of bytes were copied
    /// at every action added.
    state: Box<State>,
}

/// What a [`TransactWrite`] holds.
struct State {
    db: Db,
    actions: Vec<Action>,
    error: Option<Error>,
    token: Option<String>,
    retry: RetryPolicy,
    meter: Option<Meter>,
    /// The hooks of the actions whose model has any.
    hooks: Vec<ActionHooks>,
    /// Each action's key, to refuse two actions on one item.
    keys: ActionKeys,
    /// The last model a put or create was added for, with its shared table
    /// name as `db` sends it: the next action of that model (from a handle
    /// naming tables as `db` does) reuses it instead of resolving it again.
    last_table: Option<(TypeId, Arc<str>)>,
}

impl fmt::Debug for TransactWrite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kinds: Vec<String> = self
            .state
            .actions
            .iter()
            .map(|a| format!("{} {}", a.kind.name(), a.model))
            .collect();
        f.debug_struct("TransactWrite")
            .field("actions", &kinds)
            .field("client_request_token", &self.state.token)
            .finish()
    }
}

impl Db {
    /// Starts a write transaction.
    pub fn transact_write(&self) -> TransactWrite {
        let state = State {
            db: self.clone(),
            actions: Vec::new(),
            error: None,
            token: None,
            retry: RetryPolicy::default(),
            meter: None,
            hooks: Vec::new(),
            keys: ActionKeys::default(),
            last_table: None,
        };
        TransactWrite {
            state: Box::new(state),
        }
    }
}

impl State {
    /// The shared name of table `name`, from an earlier action when one
    /// acts on the same table: actions on one table hold one `Arc`, so the
    /// duplicate check compares tables by pointer.
    fn shared_table(&self, name: &str) -> Arc<str> {
        self.actions
            .iter()
            .rev()
            .find(|action| *action.table == *name)
            .map_or_else(|| Arc::from(name), |action| action.table.clone())
    }

    /// The shared name of the table of model `model` (declared as
    /// `declared`) as `db` sends it: the one resolved for the previous
    /// action when it was on the same model and `db` names tables as the
    /// transaction's handle does, else resolved now (and kept when `db` does).
    fn table_of(&mut self, db: &Db, model: TypeId, declared: &'static str) -> Arc<str> {
        let same_rules = db.names_tables_as(&self.db);
        if let Some((last, table)) = &self.last_table {
            if *last == model && same_rules {
                return table.clone();
            }
        }
        let table = self.shared_table(&db.table_name_for(declared));
        if same_rules {
            self.last_table = Some((model, table.clone()));
        }
        table
    }

    /// Adds an action whose request a point operation built; a failure to
    /// build it is reported by `send`, with the action's index.
    fn add<M: Model>(&mut self, kind: ActionKind, request: Result<Request>) {
        match request.and_then(|request| kind.sdk_action(M::MODEL_NAME, request)) {
            Ok(sdk) => self.push_action(ActionModel::of::<M>(), kind, sdk, Known::default()),
            Err(err) => self.add_failed::<M>(kind, err, None),
        }
    }

    /// Adds the action of `sdk` of `model`, with what is `known` of it.
    /// Not generic: one copy for every model.
    #[inline(never)]
    fn push_action(&mut self, model: ActionModel, kind: ActionKind, sdk: SdkAction, known: Known) {
        let (table, bytes) = self.record(
            &model,
            Sent {
                table: sdk.table(),
                item_or_key: sdk.item_or_key(),
                values: sdk.values(),
            },
            known,
        );
        self.actions.push(Action {
            model: model.name,
            type_id: model.type_id,
            table,
            kind,
            bytes,
            request: Some(sdk),
        });
    }

    /// Adds the put or create `put` of `model`, with what is `known` of
    /// it: as [`State::push_action`], wrapped as an [`SdkAction`]
    /// where it is pushed rather than copied into one first.
    #[inline(never)]
    fn push_put(&mut self, model: ActionModel, kind: ActionKind, put: SdkPut, known: Known) {
        let (table, bytes) = self.record(
            &model,
            Sent {
                table: put.table_name(),
                item_or_key: put.item(),
                values: put.expression_attribute_values(),
            },
            known,
        );
        self.actions.push(Action {
            model: model.name,
            type_id: model.type_id,
            table,
            kind,
            bytes,
            request: Some(SdkAction::Put(put)),
        });
    }

    /// Records the key of an action of `model` that sends `sent`, with what
    /// is `known` of it, making room for the action; returns its table's
    /// shared name and what it counts against the transaction's size.
    fn record(&mut self, model: &ActionModel, sent: Sent<'_>, known: Known) -> (Arc<str>, usize) {
        let item_size = known
            .item_size
            .unwrap_or_else(|| crate::limits::item_size(sent.item_or_key));
        let bytes = crate::limits::action_size(
            item_size,
            sent.values.into_iter().flat_map(|values| values.values()),
        );
        let table = known.table.unwrap_or_else(|| self.shared_table(sent.table));
        if self.actions.capacity() == 0 {
            // Room for most transactions at once: grown from 4, a list of
            // ten actions was allocated and copied three times.
            self.actions.reserve(FIRST_ACTIONS_CAPACITY);
        }
        // The keys sized as the list of actions is, at their first.
        self.keys
            .push_of_item(sent.item_or_key, model.key_names, self.actions.capacity());
        (table, bytes)
    }

    /// Records the first action that failed to build (`send` reports it),
    /// keeping the index numbering of later actions. Its table is `table`,
    /// resolved by the action's own handle, when known (a put or create);
    /// else (a delete, update or condition check) as the transaction's
    /// handle names it. Nothing reads it: `send` fails first, with the
    /// error.
    #[cold]
    #[inline(never)]
    fn add_failed<M: Model>(&mut self, kind: ActionKind, err: Error, table: Option<Arc<str>>) {
        if self.error.is_none() {
            self.error = Some(Error::Item {
                operation: "TransactWriteItems",
                index: self.actions.len(),
                source: Box::new(err),
            });
        }
        self.keys.push_empty();
        self.actions.push(Action {
            model: M::MODEL_NAME,
            type_id: TypeId::of::<M>(),
            table: table.unwrap_or_else(|| self.shared_table(&self.db.table_name::<M>())),
            kind,
            bytes: 0,
            request: None,
        });
    }

    /// Adds a put or create, built as the SDK's `Put` (with its item's
    /// size) by the point operation, and its `after_save` hook if the model
    /// has one.
    fn add_save<M: Model>(
        &mut self,
        kind: ActionKind,
        write: WriteKind,
        table: Arc<str>,
        put: Result<TransactPut>,
    ) {
        match put {
            Ok(TransactPut { put, size }) => {
                let hooks = ActionHooks::save::<M>(self.actions.len(), put.item(), write);
                let known = Known {
                    item_size: Some(size),
                    table: Some(table),
                };
                self.push_put(ActionModel::of::<M>(), kind, put, known);
                self.hooks.extend(hooks);
            }
            Err(err) => self.add_failed::<M>(kind, err, Some(table)),
        }
    }

    /// Adds `create` (see [`TransactWrite::create`]).
    fn add_create<M: Model>(&mut self, create: Create<M>) {
        let table = self.table_of(create.db(), TypeId::of::<M>(), M::TABLE_NAME);
        // Named first: made between the create's move and its call, the
        // name made the create be copied first.
        let name = String::from(&*table);
        let put = create.transact_put(ALL_OLD, name);
        self.add_save::<M>(ActionKind::Create, WriteKind::Create, table, put);
    }

    /// Adds `put` (see [`TransactWrite::put`]).
    fn add_put<M: Model>(&mut self, put: Put<M>) {
        let table = self.table_of(&put.db, TypeId::of::<M>(), M::TABLE_NAME);
        // Named first: see `add_create`.
        let name = String::from(&*table);
        let put = put.transact_put(ALL_OLD, name);
        self.add_save::<M>(ActionKind::Put, WriteKind::Put, table, put);
    }

    /// Refuses what DynamoDB would: the number of actions, two on one
    /// item, over 4 MB (counted exactly on `items` before refusing), the token.
    fn check(&self, items: &[TransactWriteItem]) -> Result<()> {
        let model = self.actions.first().map_or("transaction", |a| a.model);
        check_transaction_actions(model, self.actions.len())?;
        // Actions on one table share its name's `Arc`.
        let same_table =
            |a: usize, b: usize| Arc::ptr_eq(&self.actions[a].table, &self.actions[b].table);
        if let Some((index, first)) = self.keys.first_duplicate(same_table) {
            let action = &self.actions[index];
            return Err(Error::Item {
                operation: "TransactWriteItems",
                index,
                source: Box::new(Error::InvalidRequest {
                    model: action.model,
                    message: format!(
                        "{} of an item that action #{first} ({} {}) already acts on: a transaction allows one action per item",
                        action.kind.name(), self.actions[first].kind.name(), self.actions[first].model
                    ),
                }),
            });
        }
        if check_transaction_size(self.actions.iter().map(|a| (a.model, a.bytes))).is_err() {
            // The items' sizes counted so far may exceed the true ones
            // (numbers by their text's length): only exact sizes refuse.
            check_transaction_size(
                self.actions
                    .iter()
                    .zip(items)
                    .map(|(a, item)| (a.model, crate::limits::transact_item_size(item))),
            )?;
        }
        if let Some(token) = &self.token {
            check_client_request_token(model, token)?;
        }
        Ok(())
    }

    /// Sends the transaction (see [`TransactWrite::send`]).
    async fn send(mut self) -> Result<()> {
        if let Some(err) = self.error.take() {
            return Err(err);
        }
        // Wrapped here, each once, into a list of its final size (no
        // action failed to build: `error` would be set).
        let mut items = Vec::with_capacity(self.actions.len());
        items.extend(
            self.actions
                .iter_mut()
                .filter_map(|action| action.request.take())
                .map(SdkAction::into_item),
        );
        self.check(&items)?;
        let mut hooks = std::mem::take(&mut self.hooks);
        run_before("TransactWriteItems", &mut hooks).await?;
        let token = self.token.take().unwrap_or_else(super::random_token);
        // Moved out once and sent by move; a retry sends the first
        // attempt's serialized body again (see `ops::replay`): no copy of
        // the items per attempt.
        let mut items: Option<Vec<TransactWriteItem>> = Some(items);
        let actions = self.actions.len();
        let sent_body = SavedBody::default();
        let table = self.actions[0].table.clone();
        let mut budget = Budget::new(self.retry, Instant::now());
        let mut last_error = None;
        loop {
            let span = tracing::debug_span!(
                "dynamodel.request",
                operation = "TransactWriteItems",
                actions
            );
            let request = self
                .db
                .client()
                .transact_write_items()
                .client_request_token(&token)
                .set_return_consumed_capacity(return_capacity(self.meter.as_ref()));
            let (request, body_slot) = match items.take() {
                Some(items) => (
                    request.set_transact_items(Some(items)),
                    sent_body.recorder(),
                ),
                None => match sent_body.replayer() {
                    Some(replay) => (request.set_transact_items(Some(Vec::new())), replay),
                    // The first attempt was never serialized (so never
                    // sent): nothing to send again.
                    None => {
                        return Err(last_error.unwrap_or_else(|| Error::InvalidRequest {
                            model: self.actions[0].model,
                            message: "the transaction could not be serialized".to_owned(),
                        }))
                    }
                },
            };
            // Boxed: the SDK's future is made in place, not copied into
            // this (chunk's or transaction's) future.
            let result =
                crate::trace::send_traced(span, move || body_slot.send(move || request.send()))
                    .await;
            let err = match result {
                Ok(output) => {
                    if let Some(meter) = &self.meter {
                        meter.record(output.consumed_capacity.iter().flatten(), true);
                    }
                    return run_after(hooks, |_| true).await;
                }
                Err(err) if is_retryable(&err) => {
                    crate::ops::retry::trace_retryable("TransactWriteItems", &err);
                    Error::sdk(
                        self.actions[0].model,
                        "TransactWriteItems",
                        &table,
                        err.into_service_error(),
                    )
                }
                Err(err) => match err.into_service_error() {
                    TransactWriteItemsError::TransactionCanceledException(canceled) => {
                        TransactionCanceled::new(
                            "TransactWriteItems",
                            self.actions
                                .iter()
                                .map(|a| (a.model, a.type_id, a.table.to_string(), a.kind.name())),
                            canceled.cancellation_reasons.unwrap_or_default(),
                            canceled.message,
                        )
                        .into_retryable_error()
                        .inspect(|_| {
                            tracing::warn!(
                                operation = "TransactWriteItems",
                                "transaction cancelled by a conflict or throttling; may retry"
                            );
                        })?
                    }
                    other => {
                        return Err(Error::sdk(
                            self.actions[0].model,
                            "TransactWriteItems",
                            &table,
                            other,
                        ))
                    }
                },
            };
            if !budget.next_attempt().await {
                return Err(err);
            }
            last_error = Some(err);
        }
    }
}

impl TransactWrite {
    /// Adds a create (built with [`Db::create`]): it cancels the transaction
    /// (reason `ConditionalCheckFailed`) if an item with the key exists.
    pub fn create<M: Model>(mut self, create: Create<M>) -> Self {
        self.state.add_create(create);
        self
    }

    /// Adds a put (built with [`Db::put`], with its `.condition(...)` if
    /// any), replacing any item with the same key. A versioned model's put
    /// checks the version it read and bumps it, as `Db::put` does; a stale
    /// one cancels the transaction.
    pub fn put<M: Model>(mut self, put: Put<M>) -> Self {
        self.state.add_put(put);
        self
    }

    /// Adds a delete (built with [`Db::delete`] or [`Db::delete_item`], with
    /// its conditions); deleting a missing item succeeds unless a condition
    /// says otherwise.
    pub fn delete<M: Model>(mut self, delete: Delete<M>) -> Self {
        let hooks = delete.action_hooks(self.state.actions.len());
        self.state.add::<M>(ActionKind::Delete, delete.to_request());
        self.state.hooks.extend(hooks);
        self
    }

    /// Adds an update (built with [`Db::update`] or [`Db::upsert`], on any
    /// model). It keeps its must-exist condition, its own conditions and the
    /// version check; what it would return is ignored inside a transaction.
    pub fn update<M: Model, R>(mut self, update: Update<M, R>) -> Self {
        let hooks = update.action_hooks(self.state.actions.len());
        self.state
            .add::<M>(ActionKind::Update, update.build(ReturnValue::None));
        self.state.hooks.extend(hooks);
        self
    }

    /// Adds every create of `creates` (see [`TransactWrite::create`]), in order.
    pub fn create_all<M: Model>(self, creates: impl IntoIterator<Item = Create<M>>) -> Self {
        let creates = creates.into_iter();
        self.reserving(creates.size_hint().0)
            .extend_with(creates, |tx, create| tx.create(create))
    }

    /// Adds every put of `puts` (see [`TransactWrite::put`]), in order.
    pub fn put_all<M: Model>(self, puts: impl IntoIterator<Item = Put<M>>) -> Self {
        let puts = puts.into_iter();
        self.reserving(puts.size_hint().0)
            .extend_with(puts, |tx, put| tx.put(put))
    }

    /// Adds every delete of `deletes` (see [`TransactWrite::delete`]), in order.
    pub fn delete_all<M: Model>(self, deletes: impl IntoIterator<Item = Delete<M>>) -> Self {
        let deletes = deletes.into_iter();
        self.reserving(deletes.size_hint().0)
            .extend_with(deletes, |tx, delete| tx.delete(delete))
    }

    /// Adds every update of `updates` (see [`TransactWrite::update`]), in order.
    pub fn update_all<M: Model, R>(self, updates: impl IntoIterator<Item = Update<M, R>>) -> Self {
        let updates = updates.into_iter();
        self.reserving(updates.size_hint().0)
            .extend_with(updates, |tx, update| tx.update(update))
    }

    fn reserving(mut self, additional: usize) -> Self {
        // At most what DynamoDB allows: a longer list is refused by `send`.
        let additional = additional.min(crate::limits::MAX_TRANSACTION_ACTIONS);
        self.state.actions.reserve(additional);
        self
    }

    fn extend_with<T>(self, actions: impl Iterator<Item = T>, add: fn(Self, T) -> Self) -> Self {
        actions.fold(self, add)
    }

    /// Adds a check that `condition` holds on the item under `key`, without
    /// writing it: the transaction is cancelled if it does not.
    pub fn condition_check<M: Model>(
        mut self,
        key: impl IntoKey<M::Key>,
        condition: Condition<M>,
    ) -> Self {
        let table = self.state.db.table_name::<M>();
        let request = M::key_to_item(&key.into_key()).and_then(|key| {
            let mut request = Request::new("ConditionCheck", table);
            request.key = Some(key);
            condition::apply::<M>(&mut request, vec![condition.into_node()])?;
            Ok(request)
        });
        self.state.add::<M>(ActionKind::ConditionCheck, request);
        self
    }

    /// Sets the idempotency token (1 to 36 characters). Sending the same
    /// transaction with the same token within 10 minutes applies it at most
    /// once. Without one, dynamodel makes a random token per `send`.
    pub fn client_request_token(mut self, token: impl Into<String>) -> Self {
        self.state.token = Some(token.into());
        self
    }

    /// The retry budget for throttling, server errors, lost responses, and
    /// cancellations caused only by conflicts or throttling.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.state.retry = policy;
        self
    }

    /// The number of actions added so far.
    pub fn len(&self) -> usize {
        self.state.actions.len()
    }

    /// Whether no action was added.
    pub fn is_empty(&self) -> bool {
        self.state.actions.is_empty()
    }

    /// Adds every request's consumed capacity (when the meter asks for it)
    /// to `meter`, retries included (see [`crate::ops::meter`]).
    pub fn meter(mut self, meter: &Meter) -> Self {
        self.state.meter = Some(meter.clone());
        self
    }

    /// Sends the transaction, retrying with the same token within the budget.
    ///
    /// The `before_*` hooks of its actions run first, in order; their
    /// `after_*` hooks once it committed (see [`crate::Hooks`]).
    pub async fn send(self) -> Result<()> {
        self.state.send().await
    }
}

into_future_plain!(TransactWrite, ());
