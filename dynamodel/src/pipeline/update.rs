//! The per-attribute variant of the write pipeline, for updates: the values
//! an update writes through typed handles, what it writes by itself, and
//! what an upsert must write. The order is documented in [`crate::pipeline`].

use crate::expr::{
    is_top_level, Field, Operand, Path, PathElement, SetValue, UpdateAction, UpdateExpression,
};
use crate::settings::validation::ValidationErrors;
use crate::value::{Attribute, ConvertError};
use crate::write_kind::UpdateKind;
use crate::{Error, Item, Model, Result};

/// Converts a value an update writes, the way a whole-item write would
/// store it: the field's `set` transform, then its validation and the rules
/// of the nested documents inside it (failures are added to `errors` under
/// the handle's path), then conversion. For a field an index key template
/// names, also the value's key encoding (after the transform, as a
/// whole-item write renders it), so the update can render the index key.
pub(crate) fn prepare_value<M: Model, T: Attribute, P>(
    field: &Field<M, T, P>,
    value: T,
    errors: &mut ValidationErrors,
) -> (Operand, Option<KeyPart>) {
    let rules = field.rules();
    let value = match rules.set {
        Some(set) => set(value),
        None => value,
    };
    let mut found = ValidationErrors::new();
    if let Some(check) = rules.check {
        check(&value, &mut found);
    }
    value.validate_members(&mut found);
    let key_part = rules.key_part.map(|write| {
        let mut out = String::new();
        write(&value, &mut out).map(|()| out)
    });
    // The value is not needed after: moved into the attribute, not copied.
    let converted = rules.store_owned(value).and_then(crate::value::present);
    (finish_encoded(field, converted, found, errors), key_part)
}

/// Converts a value an update is told is stored (`Update::composite`): the
/// field's `set` transform and storage, as in a condition (no validation:
/// it is compared, not written by the caller), and its key encoding when
/// an index key template names the field.
pub(crate) fn prepare_current<M: Model, T: Attribute, P>(
    field: &Field<M, T, P>,
    value: T,
) -> (Operand, Option<KeyPart>) {
    let rules = field.rules();
    let value = match rules.set {
        Some(set) => set(value),
        None => value,
    };
    let key_part = rules.key_part.map(|write| {
        let mut out = String::new();
        write(&value, &mut out).map(|()| out)
    });
    let converted = rules
        .store_owned(value)
        .and_then(crate::value::present)
        .and_then(|av| match rules.encoded {
            Some(rule) => rule(av, None),
            None => Ok(av),
        });
    let operand = Operand::Value {
        attribute: field.path().clone(),
        value: converted,
    };
    (operand, key_part)
}

/// A value's encoding in a key template, or why it has none.
pub(crate) type KeyPart = std::result::Result<String, ConvertError>;

/// [`prepare_value`] for a value already converted by the field's storage
/// adapter (a patch of a `date` / `serde` / binary field, see
/// `ops::update::patch`): the handle's rule on converted values applies the
/// transform and validation.
pub(crate) fn prepare_encoded<M: Model, T: Attribute, P>(
    field: &Field<M, T, P>,
    converted: std::result::Result<crate::AttributeValue, ConvertError>,
    errors: &mut ValidationErrors,
) -> Operand {
    finish_encoded(field, converted, ValidationErrors::new(), errors)
}

/// Applies the handle's rule on converted values (if any), then reports the
/// validation failures `found` under the handle's path.
fn finish_encoded<M: Model, T: Attribute, P>(
    field: &Field<M, T, P>,
    converted: std::result::Result<crate::AttributeValue, ConvertError>,
    mut found: ValidationErrors,
    errors: &mut ValidationErrors,
) -> Operand {
    let converted = converted.and_then(|av| match field.rules().encoded {
        Some(rule) => rule(av, Some(&mut found)),
        None => Ok(av),
    });
    // The path's name is formatted only for a failure.
    if !found.is_empty() {
        errors.nest(&field.path().display_name(), found);
    }
    Operand::Value {
        attribute: field.path().clone(),
        value: converted,
    }
}

/// Adds what the model's settings write on every update (`updated_at`,
/// `force_default`) and, on an upsert, where absent (`created_at`,
/// defaults, and `key_fields`: the key template fields' own attributes, so
/// the item it creates can be read), except on the attributes the update
/// writes itself.
pub(crate) fn add_automatic_updates<M: Model>(
    expression: &mut UpdateExpression,
    kind: UpdateKind,
    key_fields: Item,
) -> Result<()> {
    let mut always = Item::new();
    let mut if_absent = Item::new();
    M::automatic_updates(kind, &mut always, &mut if_absent)?;
    if kind == UpdateKind::Upsert {
        if_absent.extend(key_fields);
    }
    for (values, only_if_absent) in [(always, false), (if_absent, true)] {
        if values.is_empty() {
            // Most models write nothing by themselves: no list to sort.
            continue;
        }
        // Sorted, so the same update always renders the same expression.
        let mut values: Vec<_> = values.into_iter().collect();
        values.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, value) in values {
            let path = Path::attribute(name);
            if expression.touches(&path) {
                continue;
            }
            let operand = Operand::Value {
                attribute: path.clone(),
                value: Ok(value),
            };
            let value = if only_if_absent {
                SetValue::IfNotExists(operand)
            } else {
                SetValue::Value(operand)
            };
            expression.push(UpdateAction::Set(path, value));
        }
    }
    Ok(())
}

/// An upsert may create the item: refuses one that would create it without
/// an attribute the model requires (it could not be read back).
pub(crate) fn check_required<M: Model>(expression: &UpdateExpression) -> Result<()> {
    let mut missing = ValidationErrors::new();
    for name in M::required_attributes() {
        let written = expression.actions().iter().any(|action| {
            !matches!(action, UpdateAction::Remove(_) | UpdateAction::Delete(..))
                && is_top_level(action.path(), name)
        });
        if !written && M::version_attribute() != Some(name) {
            missing.add(
                name,
                "required",
                "an upsert creates the item when it is missing, and that item would lack this attribute, which the model requires: write it (`set_if_not_exists` keeps the stored value) or use `update`",
            );
        }
    }
    missing.into_result().map_err(|errors| Error::Validation {
        model: M::MODEL_NAME,
        errors,
    })
}

/// DynamoDB's limits on what an update writes, checked before sending: a
/// value stored in a key attribute of a secondary index (the table's own key
/// cannot be updated) obeys the key rules, and no single value is over the
/// 400 KB item limit.
pub(crate) fn check_limits<M: Model>(expression: &UpdateExpression) -> Result<()> {
    for action in expression.actions() {
        if let (Some(value), [PathElement::Attribute(name)]) =
            (action.stored_value(), action.path().elements())
        {
            crate::limits::check_key_value::<M>(name, value)?;
        }
        for operand in action.operands() {
            if let Operand::Value {
                attribute,
                value: Ok(value),
            } = operand
            {
                // The path's name is formatted only for a value over the limit.
                if crate::limits::value_size(value) > crate::limits::MAX_ITEM_SIZE {
                    crate::limits::check_value_size::<M>(&attribute.display_name(), value)?;
                }
            }
        }
    }
    Ok(())
}
