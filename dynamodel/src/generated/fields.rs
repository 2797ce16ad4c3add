//! Conversions called by the generated `to_item`, `key_to_item`,
//! `key_from_item` and by `#[derive(Document)]`: one field or member at a
//! time, through the field's adapter, with the model and attribute named on
//! failure.

use aws_sdk_dynamodb::types::AttributeValue;

use crate::value::adapter::Adapter;
use crate::value::ConvertError;
use crate::{Error, Item, Model};

/// Writes one attribute into an item, with the model and attribute named on failure.
///
/// Used by generated code.
#[doc(hidden)]
pub fn encode_field<M: Model, T: crate::value::Attribute>(
    item: &mut Item,
    name: &'static str,
    value: &T,
) -> Result<(), Error> {
    match value.to_attribute() {
        Ok(Some(av)) => {
            item.insert(name.to_owned(), av);
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(source) => Err(encode_error(M::MODEL_NAME, name, source)),
    }
}

/// The error of a field that failed to convert: out of line and not
/// generic, so that each field's (per model and type) conversion keeps
/// only its hot path.
#[cold]
#[inline(never)]
fn encode_error(model: &'static str, attribute: &str, source: ConvertError) -> Error {
    Error::Encode {
        model,
        attribute: attribute.to_owned(),
        source,
    }
}

/// [`encode_error`] of a field whose value sits in a nested document:
/// the error names the full path.
#[cold]
#[inline(never)]
fn located_encode_error(model: &'static str, name: &str, source: ConvertError) -> Error {
    let (attribute, source) = located(name, source);
    Error::Encode {
        model,
        attribute,
        source,
    }
}

/// Converts a key value, naming the model and attribute on failure. Keys may
/// not be absent, empty or longer than DynamoDB allows.
#[doc(hidden)]
pub fn encode_key<M: Model, T: crate::value::Attribute>(
    name: &'static str,
    value: &T,
) -> Result<AttributeValue, Error> {
    encode_key_with::<M, T, crate::value::adapter::Native>(name, value)
}

/// [`encode_key`] of a key template's rendered text: the same attribute
/// and errors, the text moved into the attribute (not copied, then freed).
/// Used by generated code (the key step, `key_to_item`, `to_keyed_item`).
#[doc(hidden)]
pub fn encode_key_text<M: Model>(
    name: &'static str,
    text: crate::key::template::KeyText,
) -> Result<AttributeValue, Error> {
    checked_key_value::<M>(
        name,
        text.into_text().map(|text| Some(AttributeValue::S(text))),
    )
}

/// [`encode_key`] through the key field's storage `A` (a `date` setting), so
/// a key matches the stored attribute exactly.
#[doc(hidden)]
pub fn encode_key_with<M: Model, T, A: Adapter<T>>(
    name: &'static str,
    value: &T,
) -> Result<AttributeValue, Error> {
    checked_key_value::<M>(name, A::to_attribute(value))
}

/// A key value as converted: present, and within DynamoDB's key limits.
pub(crate) fn checked_key_value<M: Model>(
    name: &str,
    converted: Result<Option<AttributeValue>, ConvertError>,
) -> Result<AttributeValue, Error> {
    match converted {
        Ok(Some(av)) => {
            crate::limits::check_key_value::<M>(name, &av)?;
            Ok(av)
        }
        Ok(None) => Err(encode_error(M::MODEL_NAME, name, ConvertError::Missing)),
        Err(source) => Err(encode_error(M::MODEL_NAME, name, source)),
    }
}

/// Reads a key field from the key attributes in `item` (a stream record's
/// `Keys`) through its storage `A`, with the model and attribute named on
/// failure. Used by generated code.
#[doc(hidden)]
pub fn decode_key_with<M: Model, T, A: Adapter<T>>(
    item: &Item,
    name: &'static str,
) -> Result<T, Error> {
    A::from_attribute(item.get(name).cloned()).map_err(|source| Error::Decode {
        model: M::MODEL_NAME,
        attribute: name.to_owned(),
        key: crate::error::KeyDescription::from_item(item, &[name]),
        source,
    })
}

/// Splits a nested error path off `source` so [`Error`] names the full path.
pub(crate) fn located(name: &str, source: ConvertError) -> (String, ConvertError) {
    match source {
        ConvertError::At { path, source } => (crate::value::join_path(name, &path), *source),
        other => (name.to_owned(), other),
    }
}

/// Writes one field into an item through adapter `A`. Used by generated code.
///
/// Always inlined into the generated `to_item`: a conversion that cannot
/// fail (strings, numbers, sets...) then leaves no `Result` to build and
/// check per field, and the attribute is built where the insert takes it.
#[doc(hidden)]
#[inline(always)]
pub fn encode_field_with<M: Model, T, A: Adapter<T>>(
    item: &mut Item,
    name: &'static str,
    value: &T,
) -> Result<(), Error> {
    match A::to_attribute(value) {
        Ok(Some(av)) => {
            item.insert(name.to_owned(), av);
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(source) => Err(located_encode_error(M::MODEL_NAME, name, source)),
    }
}

/// Writes one field's attribute through adapter `A` into `slot` (an item
/// template's entry), and tells whether the field stores one (`false`: an
/// absent optional, `slot` untouched); the model and attribute named on
/// failure. Used by generated code.
///
/// Always inlined, for the reason [`encode_field_with`] is; writing in
/// place spares a move of the attribute through a `Result`.
#[doc(hidden)]
#[inline(always)]
pub fn encode_field_into<M: Model, T, A: Adapter<T>>(
    slot: &mut AttributeValue,
    name: &'static str,
    value: &T,
) -> Result<bool, Error> {
    match A::to_attribute(value) {
        Ok(Some(av)) => {
            crate::generated::item_template::fill_slot(slot, av);
            Ok(true)
        }
        Ok(None) => Ok(false),
        Err(source) => Err(located_encode_error(M::MODEL_NAME, name, source)),
    }
}

/// Writes one member of a nested document (a map). Used by generated code.
#[doc(hidden)]
#[inline]
pub fn encode_member<T, A: Adapter<T>>(
    map: &mut Item,
    name: &'static str,
    value: &T,
) -> Result<(), ConvertError> {
    match A::to_attribute(value) {
        Ok(Some(av)) => {
            map.insert(name.to_owned(), av);
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(source) => Err(source.at(name)),
    }
}

/// The map inside a nested document's attribute. Used by generated code.
#[doc(hidden)]
pub fn document_map(value: Option<AttributeValue>) -> Result<Item, ConvertError> {
    match value {
        Some(AttributeValue::M(map)) => Ok(map),
        Some(other) => Err(crate::value::mismatch("M", &other)),
        None => Err(ConvertError::Missing),
    }
}

/// Writes the catch-all `unknown` attributes into `item`, except names the
/// model declares (its fields win, even when absent). Used by generated code.
#[doc(hidden)]
pub fn write_unknown(item: &mut Item, unknown: &Item, declared: &[&str]) {
    for (name, value) in unknown {
        if !declared.contains(&name.as_str()) && !item.contains_key(name) {
            item.insert(name.clone(), value.clone());
        }
    }
}
