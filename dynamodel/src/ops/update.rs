//! `db.update(key)` and `db.upsert(key)`: typed update expressions, also
//! built from a partial value ([`Update::patch`], see [`patch`]) or from the
//! fields changed since an item was read ([`Db::save_changes`], see
//! [`tracked`]).

pub mod apply_once;
pub mod composed;
pub mod patch;
pub mod tracked;

use std::marker::PhantomData;

use crate::key::IntoKey;
use crate::trace::send_traced;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue, ReturnValuesOnConditionCheckFailure};

use crate::expr::{
    Addable, Condition, ConditionNode, ExprBuilder, Field, Numeric, Operand, Optional, Path,
    SetAttribute, SetValue, UpdateAction, UpdateExpression,
};
use crate::ops::condition::{self, Expectation};
use crate::ops::meter::{return_capacity, Meter};
use crate::ops::Request;
use crate::pipeline::UpdateKind;
use crate::settings::{UpdateChanges, UpdateInfo, UpdateReturn, ValidationErrors};
use crate::value::ConvertError;
use crate::{Attribute, Db, Error, Item, Model, Result};

/// The dry run of an update (a [`Request`] with `operation() == "UpdateItem"`).
pub type UpdateRequest = Request;

/// Changes attributes of one item in place: only the paths named are
/// written, so setting `prefs.theme` leaves the other entries of `prefs` as
/// they are. Start it with [`Db::update`] (the item must exist) or
/// [`Db::upsert`] (creates it when missing).
///
/// `R` says what comes back: nothing by default; see [`Update::return_all_new`]
/// and friends.
#[must_use = "an update does nothing until it is sent with `.send().await` or `.await`"]
pub struct Update<M: Model, R = NoReturn> {
    db: Db,
    key: Result<Item>,
    /// The key template fields' own attributes, which an upsert writes.
    key_fields: Result<Item>,
    expression: UpdateExpression,
    condition: Option<Condition<M>>,
    must_exist: bool,
    /// `unconditional()`: neither an existence check nor an upsert's writes.
    unconditional: bool,
    expected_version: Option<i128>,
    /// Validation failures of the values written so far, reported by `send`.
    invalid: ValidationErrors,
    meter: Option<Meter>,
    /// The key as given, kept only for a model with hooks (they receive it).
    hook_key: Option<M::Key>,
    /// A patch was applied ([`Update::patch`]): an update left with nothing
    /// to write is then refused, even on a versioned model.
    patched: bool,
    /// What the update knows of the fields index key templates name (see
    /// [`composed`]).
    composing: composed::Composing,
    returns: PhantomData<fn() -> R>,
}

impl<M: Model, R> std::fmt::Debug for Update<M, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Update")
            .field("model", &M::MODEL_NAME)
            .field("must_exist", &self.must_exist)
            .field("actions", &self.expression.actions())
            .field("condition", &self.condition)
            .finish_non_exhaustive()
    }
}

impl Db {
    /// Updates the item of model `M` stored under `key`; fails with
    /// [`Error::NotFound`] when there is none (it never creates one: see
    /// [`Db::upsert`]).
    pub fn update<M: Model>(&self, key: impl IntoKey<M::Key>) -> Update<M> {
        self.update_as(key.into_key(), true)
    }

    /// Updates the item of model `M` stored under `key`, creating it (with
    /// just the key and the attributes written) when missing.
    pub fn upsert<M: Model>(&self, key: impl IntoKey<M::Key>) -> Update<M> {
        self.update_as(key.into_key(), false)
    }

    fn update_as<M: Model>(&self, key: M::Key, must_exist: bool) -> Update<M> {
        let composing = composed::Composing::from_key(M::index_key_parts(&key));
        Update {
            db: self.clone(),
            key: M::key_to_item(&key),
            key_fields: M::key_field_attributes(&key),
            expression: UpdateExpression::new(),
            condition: None,
            must_exist,
            unconditional: false,
            expected_version: None,
            invalid: ValidationErrors::new(),
            meter: None,
            hook_key: M::HAS_HOOKS.then_some(key),
            patched: false,
            composing,
            returns: PhantomData,
        }
    }
}

/// What an update returns. Implemented by [`NoReturn`], [`AllOld`],
/// [`AllNew`], [`UpdatedOld`] and [`UpdatedNew`].
pub trait ReturnKind<M: Model>: 'static {
    /// The decoded result.
    type Output: Send + 'static;
    /// The `ReturnValues` asked for.
    fn return_value() -> ReturnValue;
    /// Decodes the returned attributes.
    fn decode(attributes: Option<Item>) -> Result<Self::Output>;
    /// The whole item in `output`, as the `after_update` hook sees it
    /// (`Nothing` by default: raw attributes or nothing were asked for).
    fn returned(output: &Self::Output) -> UpdateReturn<'_, M> {
        let _ = output;
        UpdateReturn::Nothing
    }
}

/// Return nothing (the default).
#[derive(Debug)]
pub struct NoReturn;
/// Return the whole item as it was before the update (`None`: it did not exist).
#[derive(Debug)]
pub struct AllOld;
/// Return the whole item as it is after the update.
#[derive(Debug)]
pub struct AllNew;
/// Return the updated attributes as they were before (raw attributes).
#[derive(Debug)]
pub struct UpdatedOld;
/// Return the updated attributes as they are after (raw attributes).
#[derive(Debug)]
pub struct UpdatedNew;

impl<M: Model> ReturnKind<M> for NoReturn {
    type Output = ();
    fn return_value() -> ReturnValue {
        ReturnValue::None
    }
    fn decode(_: Option<Item>) -> Result<()> {
        Ok(())
    }
}

impl<M: Model> ReturnKind<M> for AllOld {
    type Output = Option<M>;
    fn return_value() -> ReturnValue {
        ReturnValue::AllOld
    }
    fn decode(attributes: Option<Item>) -> Result<Option<M>> {
        attributes
            .map(crate::pipeline::finish_read::<M>)
            .transpose()
    }
    fn returned(output: &Option<M>) -> UpdateReturn<'_, M> {
        UpdateReturn::Old(output.as_ref())
    }
}

impl<M: Model> ReturnKind<M> for AllNew {
    type Output = M;
    fn return_value() -> ReturnValue {
        ReturnValue::AllNew
    }
    fn decode(attributes: Option<Item>) -> Result<M> {
        match attributes {
            Some(item) => crate::pipeline::finish_read::<M>(item),
            None => Err(Error::InvalidRequest {
                model: M::MODEL_NAME,
                message: "DynamoDB returned no item for an update asking for ALL_NEW".to_owned(),
            }),
        }
    }
    fn returned(output: &M) -> UpdateReturn<'_, M> {
        UpdateReturn::New(output)
    }
}

impl<M: Model> ReturnKind<M> for UpdatedOld {
    type Output = Item;
    fn return_value() -> ReturnValue {
        ReturnValue::UpdatedOld
    }
    fn decode(attributes: Option<Item>) -> Result<Item> {
        Ok(attributes.unwrap_or_default())
    }
}

impl<M: Model> ReturnKind<M> for UpdatedNew {
    type Output = Item;
    fn return_value() -> ReturnValue {
        ReturnValue::UpdatedNew
    }
    fn decode(attributes: Option<Item>) -> Result<Item> {
        Ok(attributes.unwrap_or_default())
    }
}

fn converted(
    attribute: &Path,
    value: std::result::Result<AttributeValue, ConvertError>,
) -> Operand {
    Operand::Value {
        attribute: attribute.clone(),
        value,
    }
}

impl<M: Model, R> Update<M, R> {
    fn action(mut self, action: UpdateAction) -> Self {
        self.expression.push(action);
        self
    }

    fn returning<R2>(self) -> Update<M, R2> {
        Update {
            db: self.db,
            key: self.key,
            key_fields: self.key_fields,
            expression: self.expression,
            condition: self.condition,
            must_exist: self.must_exist,
            unconditional: self.unconditional,
            expected_version: self.expected_version,
            invalid: self.invalid,
            meter: self.meter,
            hook_key: self.hook_key,
            patched: self.patched,
            composing: self.composing,
            returns: PhantomData,
        }
    }

    /// `SET field = value`. The value goes through the field's `set`
    /// transform and validation, as in a whole-item write.
    ///
    /// On a field an index key template names, the update also writes the
    /// index attribute, rendered from the new values: set every field of
    /// the template that is not in the item's key (see [`composed`]).
    pub fn set<T: Attribute, P>(
        mut self,
        field: &Field<M, T, P>,
        value: impl crate::expr::IntoFieldValue<T>,
    ) -> Self {
        let (value, key_part) = crate::pipeline::update::prepare_value(
            field,
            crate::expr::IntoFieldValue::into_value(value),
            &mut self.invalid,
        );
        self.set_prepared(field.path().clone(), value, key_part)
    }

    /// Gives the value stored in a field an index key template names, which
    /// this update does not change (ElectroDB's `composite()`): an update
    /// setting the template's other fields renders the index key from it.
    /// The value is not written; the update carries the condition that the
    /// stored value is `value`, so a wrong one fails the update with
    /// [`Error::ConditionFailed`] and nothing is written (on an upsert, the
    /// condition also holds when the item is missing, and the item created
    /// gets `value`). See [`composed`].
    ///
    /// ```
    /// # use dynamodel::{Db, Model};
    /// # use chrono::{DateTime, Utc};
    /// #[derive(Model)]
    /// #[dynamodel(pk = "ORDER#{id}", gsi(name = "gsi1", pk = "{customer}", sk = "{status}#{placed_at}"))]
    /// struct Order { id: String, customer: String, status: String, placed_at: DateTime<Utc> }
    ///
    /// # fn demo(db: &Db, placed_at: DateTime<Utc>) -> dynamodel::Result<dynamodel::ops::UpdateRequest> {
    /// let fields = Order::fields();
    /// db.update::<Order>("o1".to_owned())
    ///     .set(&fields.status, "SHIPPED".to_owned())
    ///     .composite(&fields.placed_at, placed_at) // renders gsi1sk; condition placed_at = ..
    ///     .to_request()
    /// # }
    /// ```
    ///
    /// A field no index key template names, a field of the item's key, a
    /// field this update writes, or a field given twice fails the update
    /// with [`Error::InvalidRequest`] before anything is sent.
    pub fn composite<T: Attribute, P>(
        mut self,
        field: &Field<M, T, P>,
        value: impl crate::expr::IntoFieldValue<T>,
    ) -> Self {
        let (value, part) = crate::pipeline::update::prepare_current(
            field,
            crate::expr::IntoFieldValue::into_value(value),
        );
        self.composing
            .supply(composed::Supplied::new(field.path().clone(), part, value));
        self
    }

    /// `SET path = value` of a prepared value, noting its key encoding (a
    /// field an index key template names).
    pub(super) fn set_prepared(
        mut self,
        path: Path,
        value: Operand,
        key_part: Option<crate::pipeline::update::KeyPart>,
    ) -> Self {
        if let Some(part) = key_part {
            let at = self.expression.actions().len();
            self.composing.record(at, composed::Written::Part(part));
        }
        self.action(UpdateAction::Set(path, SetValue::Value(value)))
    }

    /// Notes that the next action leaves a field an index key template
    /// names absent (`NULL`).
    pub(super) fn note_absent(&mut self) {
        let at = self.expression.actions().len();
        self.composing.record(at, composed::Written::Absent);
    }

    /// Takes the index attributes from `keys` (a whole-item write's key
    /// attributes) instead of rendering them: a tracked save knows the item.
    pub(super) fn with_whole_item_keys(mut self, keys: Item) -> Self {
        self.composing.use_whole_item(keys);
        self
    }

    /// `SET field = if_not_exists(field, value)`: writes only when the
    /// attribute is absent. The value goes through the field's `set`
    /// transform and validation.
    pub fn set_if_not_exists<T: Attribute, P>(
        mut self,
        field: &Field<M, T, P>,
        value: impl crate::expr::IntoFieldValue<T>,
    ) -> Self {
        let (value, _) = crate::pipeline::update::prepare_value(
            field,
            crate::expr::IntoFieldValue::into_value(value),
            &mut self.invalid,
        );
        self.action(UpdateAction::Set(
            field.path().clone(),
            SetValue::IfNotExists(value),
        ))
    }

    /// `SET field = other`: copies another attribute of the same type.
    pub fn set_to_field<T: Attribute, P, Q>(
        self,
        field: &Field<M, T, P>,
        other: &Field<M, T, Q>,
    ) -> Self {
        self.action(UpdateAction::Set(
            field.path().clone(),
            SetValue::Path(other.path().clone()),
        ))
    }

    /// `ADD field value`: adds to a number (starting from 0 when absent) or
    /// unites a set with `value` (an empty set adds nothing). Takes what
    /// [`set`](Self::set) takes (the field's type, or one with `Into` it:
    /// `[String; N]` for a `HashSet<String>`), converted through the field's
    /// storage and `set` transform as in a condition.
    pub fn add<T: Addable, P>(
        self,
        field: &Field<M, T, P>,
        value: impl crate::expr::IntoFieldValue<T>,
    ) -> Self {
        let value = crate::expr::IntoFieldValue::into_value(value);
        match value.to_attribute() {
            Ok(None) => self,
            _ => {
                let value = field.operand(value);
                self.action(UpdateAction::Add(field.path().clone(), value))
            }
        }
    }

    /// `SET field = if_not_exists(field, 0) + by`. `by` is a value of the
    /// field's type (or one with `Into` it), converted through the field's
    /// storage; the `set` transform does not apply to an amount.
    pub fn increment<T: Numeric, P>(
        self,
        field: &Field<M, T, P>,
        by: impl crate::expr::IntoFieldValue<T>,
    ) -> Self {
        let zero = field.stored_operand(&T::zero());
        let amount = field.stored_operand(&crate::expr::IntoFieldValue::into_value(by));
        self.action(UpdateAction::Set(
            field.path().clone(),
            SetValue::Increment { zero, amount },
        ))
    }

    /// `SET field = if_not_exists(field, 0) - by`, `by` taken as in
    /// [`increment`](Self::increment).
    pub fn decrement<T: Numeric, P>(
        self,
        field: &Field<M, T, P>,
        by: impl crate::expr::IntoFieldValue<T>,
    ) -> Self {
        let zero = field.stored_operand(&T::zero());
        let amount = field.stored_operand(&crate::expr::IntoFieldValue::into_value(by));
        self.action(UpdateAction::Set(
            field.path().clone(),
            SetValue::Decrement { zero, amount },
        ))
    }

    /// `REMOVE field`: only for attributes that may be absent (`Option`
    /// fields, map entries, list elements).
    pub fn remove<T: Attribute>(self, field: &Field<M, T, Optional>) -> Self {
        self.action(UpdateAction::Remove(field.path().clone()))
    }

    /// `DELETE field elements`: removes `elements` from a set (an empty set
    /// removes nothing). Takes what [`add`](Self::add) takes, converted the
    /// same way, so the elements match what was stored.
    pub fn delete<T: SetAttribute, P>(
        self,
        field: &Field<M, T, P>,
        elements: impl crate::expr::IntoFieldValue<T>,
    ) -> Self {
        let elements = crate::expr::IntoFieldValue::into_value(elements);
        match elements.to_attribute() {
            Ok(None) => self,
            _ => {
                let value = field.operand(elements);
                self.action(UpdateAction::Delete(field.path().clone(), value))
            }
        }
    }

    /// Appends `elements` to a list (creating it when absent).
    pub fn append<T: Attribute, P>(
        self,
        field: &Field<M, Vec<T>, P>,
        elements: impl IntoIterator<Item = T>,
    ) -> Self {
        self.list_action(field, elements, SetValue::Append)
    }

    /// Puts `elements` in front of a list (creating it when absent).
    pub fn prepend<T: Attribute, P>(
        self,
        field: &Field<M, Vec<T>, P>,
        elements: impl IntoIterator<Item = T>,
    ) -> Self {
        self.list_action(field, elements, SetValue::Prepend)
    }

    /// An append or prepend (`place`) of `elements` to a list.
    fn list_action<T: Attribute, P>(
        self,
        field: &Field<M, Vec<T>, P>,
        elements: impl IntoIterator<Item = T>,
        place: fn(Operand) -> SetValue,
    ) -> Self {
        let list: Vec<T> = elements.into_iter().collect();
        let value = converted(field.path(), list_value(&list));
        self.action(UpdateAction::Set(field.path().clone(), place(value)))
    }

    /// Updates only if `condition` holds on the stored item; otherwise fails
    /// with [`Error::ConditionFailed`] carrying that item. Several calls are
    /// combined with AND.
    pub fn condition(mut self, condition: Condition<M>) -> Self {
        self.condition = Some(condition::and(self.condition.take(), condition));
        self
    }

    /// Sends a plain `UpdateItem`, as hand-written SDK code would: no
    /// existence condition (an [`Db::update`] fails on a missing item) and
    /// none of the `if_not_exists` writes of an [`Db::upsert`] (creation
    /// time, defaults, key template fields). Values still go through their
    /// transforms and validation, `updated_at` is still written, and
    /// conditions given with [`Update::condition`] and the version check
    /// still apply.
    ///
    /// On a missing item DynamoDB creates one holding the key and the
    /// attributes written, which may lack attributes the model requires:
    /// use [`Db::upsert`] when the item may be missing and must stay readable.
    pub fn unconditional(mut self) -> Self {
        self.must_exist = false;
        self.unconditional = true;
        self
    }

    /// For a model with a `#[dynamodel(version)]` attribute: updates only if
    /// the stored version is `version` (0: no item), else fails with
    /// [`Error::VersionConflict`]. The version is bumped by every update anyway.
    pub fn if_version(mut self, version: impl Into<i128>) -> Self {
        self.expected_version = Some(version.into());
        self
    }

    /// Returns the whole item as it was before (`None` when it did not exist).
    pub fn return_all_old(self) -> Update<M, AllOld> {
        self.returning()
    }

    /// Returns the whole item as it is after the update.
    pub fn return_all_new(self) -> Update<M, AllNew> {
        self.returning()
    }

    /// Returns the updated attributes as they were before (raw).
    pub fn return_updated_old(self) -> Update<M, UpdatedOld> {
        self.returning()
    }

    /// Returns the updated attributes as they are after (raw).
    pub fn return_updated_new(self) -> Update<M, UpdatedNew> {
        self.returning()
    }

    /// Whether this update may create the item.
    fn kind(&self) -> UpdateKind {
        if self.must_exist || self.unconditional {
            UpdateKind::Update
        } else {
            UpdateKind::Upsert
        }
    }

    /// The hooks of this update, when the model has any (for a transaction).
    pub(super) fn action_hooks(&self, index: usize) -> Option<crate::pipeline::hooks::ActionHooks> {
        let key = self.hook_key.as_ref()?;
        let changes = UpdateChanges::of(self.expression.actions());
        crate::pipeline::hooks::ActionHooks::update::<M>(index, key, self.kind(), changes)
    }

    /// Builds the UpdateItem request, asking for `return_values`.
    pub(super) fn build(self, return_values: ReturnValue) -> Result<Request> {
        let model = M::MODEL_NAME;
        let key = self.key?;
        let key_fields = self.key_fields?;
        if !self.invalid.is_empty() {
            return Err(Error::Validation {
                model,
                errors: self.invalid,
            });
        }
        // Attributes an update must never write: the primary key and the
        // fields composing it, and the entity attributes. (The fields
        // composing an index key are written with the index key: below.)
        // The key names without a `Vec`: this runs on every update.
        let key_schema = M::key_schema();
        let key_names =
            std::iter::once(key_schema.hash.name).chain(key_schema.range.map(|r| r.name));
        let template_fields = M::key_template_attributes().iter().copied();
        let entity_attributes = M::ENTITY.into_iter().flat_map(|e| e.attributes());
        let refused = key_names
            .chain(template_fields)
            .map(|name| (name, Refused::PrimaryKey))
            .chain(entity_attributes.map(|name| (name, Refused::Entity)));
        for (name, why) in refused {
            if let Some(action) = self
                .expression
                .actions()
                .iter()
                .find(|a| crate::expr::update_starts_at(a.path(), name))
            {
                let path = action.path().display_name();
                return Err(Error::InvalidRequest {
                    model,
                    message: match why {
                        Refused::PrimaryKey => {
                            format!("`{path}` is part of the primary key and cannot be updated")
                        }
                        Refused::Entity => {
                            format!("`{path}` holds the entity name and cannot be updated")
                        }
                    },
                });
            }
        }
        let kind = if self.must_exist || self.unconditional {
            UpdateKind::Update
        } else {
            UpdateKind::Upsert
        };
        if self.patched && self.expression.actions().is_empty() {
            return Err(patch::empty_patch::<M>());
        }
        let templates = M::index_key_templates();
        let primary_key = |name: &str| {
            name == key_schema.hash.name
                || key_schema.range.is_some_and(|range| range.name == name)
                || M::key_template_attributes().contains(&name)
        };
        composed::check_supplied(
            model,
            templates,
            self.expression.actions(),
            &self.composing,
            primary_key,
        )?;
        let mut expression = self.expression;
        for write in composed::index_key_writes(
            model,
            templates,
            expression.actions(),
            &self.composing,
            M::generated_template_fields(),
        )? {
            expression.push(write);
        }
        let mut conditions = Vec::new();
        if kind == UpdateKind::Upsert && !templates.is_empty() {
            let generated = M::generate_index_fields()?;
            let (writes, guards) = composed::created_index_keys(
                templates,
                expression.actions(),
                &self.composing,
                &generated,
            );
            for write in writes {
                expression.push(write);
            }
            conditions.extend(guards);
        }
        // After the index keys: they are rendered from what the caller wrote.
        let (supplied_conditions, supplied_writes) = composed::supplied_checks(
            &self.composing,
            M::key_schema().hash.name,
            kind == UpdateKind::Upsert,
        );
        for write in supplied_writes {
            expression.push(write);
        }
        conditions.extend(supplied_conditions);
        if !expression.actions().is_empty() {
            crate::pipeline::update::add_automatic_updates::<M>(&mut expression, kind, key_fields)?;
        }
        if let Some(name) = M::version_attribute() {
            let path = Path::attribute(name);
            if expression.touches(&path) {
                return Err(Error::InvalidRequest {
                    model,
                    message: format!(
                        "`{name}` is the version attribute: dynamodel bumps it on every write"
                    ),
                });
            }
            expression.push(UpdateAction::Set(
                path,
                SetValue::Increment {
                    zero: converted(&Path::attribute(name), Ok(AttributeValue::N("0".into()))),
                    amount: converted(&Path::attribute(name), Ok(AttributeValue::N("1".into()))),
                },
            ));
            if let Some(expected) = self.expected_version {
                conditions.push(crate::version::condition(name, expected));
            }
        } else if self.expected_version.is_some() {
            return Err(Error::InvalidRequest {
                model,
                message: "`if_version` needs a #[dynamodel(version)] attribute on the model"
                    .to_owned(),
            });
        }
        // The existence check alone (most updates) is rendered without a
        // tree or a list of conditions.
        let sole_exists = self.must_exist
            && conditions.is_empty()
            && M::ENTITY.is_none()
            && self.condition.is_none();
        if self.must_exist && !sole_exists {
            conditions.push(ConditionNode::Exists(Path::attribute(
                M::key_schema().hash.name,
            )));
        }
        // The item under the key must be of this entity: updating another
        // entity's item must not succeed. An upsert may create the item, and
        // then writes the entity attribute.
        if let Some(entity) = M::ENTITY {
            if self.must_exist {
                conditions.push(entity.condition());
            } else {
                conditions.push(entity.condition_if_present::<M>());
                if !expression.actions().is_empty() {
                    let mut marks = Item::new();
                    entity.write(&mut marks);
                    for name in entity.attributes() {
                        let Some(value) = marks.remove(name) else {
                            continue;
                        };
                        let path = Path::attribute(name);
                        let value = converted(&path, Ok(value));
                        expression.push(UpdateAction::Set(path, SetValue::Value(value)));
                    }
                }
            }
        }
        if let Some(condition) = self.condition {
            conditions.push(condition.into_node());
        }
        crate::pipeline::update::check_limits::<M>(&expression)?;
        // Checked before rendering moves the values out, reported after
        // the rendering's own errors, as before.
        let required = if kind == UpdateKind::Upsert {
            crate::pipeline::update::check_required::<M>(&expression)
        } else {
            Ok(())
        };
        // The placeholder maps go to the SDK as they are: sized for the
        // update's placeholders and the existence check's name (other
        // conditions grow them).
        let (names, values) = expression.placeholder_bounds();
        let mut builder = ExprBuilder::with_capacity(names + usize::from(sole_exists), values);
        let update_expression = expression.render_taking(&mut builder, model)?;
        required?;
        let condition_expression = if sole_exists {
            Some(crate::expr::render_sole_exists(
                M::key_schema().hash.name,
                &mut builder,
            ))
        } else {
            condition::render::<M>(conditions, &mut builder)?
        };
        builder.check(
            model,
            &[
                ("update", Some(&update_expression)),
                ("condition", condition_expression.as_deref()),
            ],
        )?;
        let (names, values) = builder.into_parts();
        let mut request = Request::new("UpdateItem", self.db.table_name::<M>());
        request.key = Some(key);
        request.update_expression = Some(update_expression);
        request.condition_expression = condition_expression;
        request.names = names;
        request.values = values;
        request.return_values = Some(return_values);
        Ok(request)
    }
}

fn list_value<T: Attribute>(list: &[T]) -> std::result::Result<AttributeValue, ConvertError> {
    let mut out = Vec::with_capacity(list.len());
    for element in list {
        out.push(
            element
                .to_attribute()?
                .unwrap_or(AttributeValue::Null(true)),
        );
    }
    Ok(AttributeValue::L(out))
}

impl<M: Model, R: ReturnKind<M>> Update<M, R> {
    /// The exact request `send` would make, without sending it (a dry run).
    pub fn to_request(self) -> Result<UpdateRequest> {
        self.build(R::return_value())
    }

    /// Adds the request's consumed capacity (when the meter asks for it) to
    /// `meter` (see [`crate::ops::meter`]).
    pub fn meter(mut self, meter: &Meter) -> Self {
        self.meter = Some(meter.clone());
        self
    }

    /// Sends the request.
    ///
    /// With hooks, `before_update` runs once the request is built and
    /// checked, and `after_update` once DynamoDB answered.
    pub async fn send(mut self) -> Result<R::Output> {
        let db = self.db.clone();
        let meter = self.meter.clone();
        let must_exist = self.must_exist;
        let unconditional = self.unconditional;
        let expected_version = self.expected_version;
        let kind = self.kind();
        // Only a model with hooks keeps its key, and only then are the
        // changes listed for them.
        let hooked = self
            .hook_key
            .take()
            .map(|key| (key, UpdateChanges::of(self.expression.actions())));
        let request = self.to_request()?;
        let hook_info = hooked
            .as_ref()
            .map(|(key, changes)| UpdateInfo::<M>::new(key, kind, changes));
        if let Some(info) = &hook_info {
            crate::pipeline::hooks::before_update(info).await?;
        }
        let span = tracing::debug_span!(
            "dynamodel.request",
            operation = "UpdateItem",
            kind = if must_exist {
                "update"
            } else if unconditional {
                "unconditional update"
            } else {
                "upsert"
            },
            model = M::MODEL_NAME,
            table = %request.table
        );
        let client = db.client();
        // The table name moves into the request (an error names it again).
        let sent = send_traced(span, || {
            client
                .update_item()
                .table_name(request.table)
                .set_key(request.key)
                .set_update_expression(request.update_expression)
                .set_condition_expression(request.condition_expression)
                .set_expression_attribute_names(request.names)
                .set_expression_attribute_values(request.values)
                .set_return_values(request.return_values)
                .return_values_on_condition_check_failure(
                    ReturnValuesOnConditionCheckFailure::AllOld,
                )
                .set_return_consumed_capacity(return_capacity(meter.as_ref()))
                .send()
        })
        .await;
        match sent {
            Ok(output) => {
                if let Some(meter) = &meter {
                    meter.record(&output.consumed_capacity, true);
                }
                let returned = R::decode(output.attributes)?;
                if let Some(info) = &hook_info {
                    crate::pipeline::hooks::after_update(info, R::returned(&returned), None)
                        .await?;
                }
                Ok(returned)
            }
            Err(err) => {
                let table = db.table_name::<M>();
                match err.into_service_error() {
                    UpdateItemError::ConditionalCheckFailedException(failed) => {
                        let (operation, expectation) = if must_exist {
                            ("update", Expectation::Present)
                        } else if unconditional {
                            ("update", Expectation::Conditions)
                        } else {
                            ("upsert", Expectation::Conditions)
                        };
                        Err(condition::failed::<M>(
                            &table,
                            operation,
                            expectation,
                            expected_version,
                            failed.item,
                        ))
                    }
                    other => Err(Error::sdk(M::MODEL_NAME, "UpdateItem", &table, other)),
                }
            }
        }
    }
}

impl<M: Model, R: ReturnKind<M>> std::future::IntoFuture for Update<M, R> {
    type Output = Result<R::Output>;
    type IntoFuture = futures::future::BoxFuture<'static, Result<R::Output>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Why an update may not write an attribute.
enum Refused {
    /// The attribute is (or composes) the primary key.
    PrimaryKey,
    /// The attribute holds the entity name or schema version.
    Entity,
}
