//! Optimistic locking: the `#[dynamodel(version)]` attribute.
//!
//! A model with a version attribute has every `put`, `update` and `delete`
//! checked against the version it read: a put of a model whose version is
//! `n` succeeds only if the stored item has version `n` (or, for `n = 0`, no
//! item exists) and stores `n + 1`. A write that loses the race fails with
//! [`crate::Error::VersionConflict`]; read again and retry.

use aws_sdk_dynamodb::types::AttributeValue;

use crate::expr::{ConditionNode, Operand, Path};
use crate::{Error, Item, Model};

/// Integer types usable as a `#[dynamodel(version)]` attribute.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a version attribute",
    label = "`#[dynamodel(version)]` needs an integer field",
    note = "use an integer type such as u64"
)]
pub trait VersionAttribute: crate::Attribute {}

macro_rules! version_types {
    ($($t:ty),*) => {$( impl VersionAttribute for $t {} )*};
}
version_types!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

/// The version stored in `value` (`N`), as an integer.
pub(crate) fn parse(
    model: &'static str,
    name: &str,
    value: Option<&AttributeValue>,
) -> Result<i128, Error> {
    match value {
        None => Ok(0),
        Some(AttributeValue::N(n)) => n.parse::<i128>().map_err(|_| Error::InvalidRequest {
            model,
            message: format!("version attribute `{name}` holds a number that is not an integer"),
        }),
        Some(other) => Err(Error::InvalidRequest {
            model,
            message: format!(
                "version attribute `{name}` holds a {} instead of a number",
                crate::value::type_name(other)
            ),
        }),
    }
}

/// The condition "the stored version is `expected`" (`0`: no item/version).
pub(crate) fn condition(name: &str, expected: i128) -> ConditionNode {
    let path = Path::attribute(name);
    if expected == 0 {
        ConditionNode::NotExists(path)
    } else {
        ConditionNode::Compare(
            Operand::Path(path.clone()),
            crate::expr::Comparator::Eq,
            Operand::Value {
                attribute: path,
                value: Ok(AttributeValue::N(expected.to_string())),
            },
        )
    }
}

/// The version step of the write pipeline: for a versioned model, stores
/// the version read plus one in `item` and returns the attribute's name and
/// the version read.
pub(crate) fn bump<M: Model>(item: &mut Item) -> Result<Option<(&'static str, i128)>, Error> {
    let Some(name) = M::version_attribute() else {
        return Ok(None);
    };
    let read = parse(M::MODEL_NAME, name, item.get(name))?;
    item.insert(name.to_owned(), AttributeValue::N((read + 1).to_string()));
    Ok(Some((name, read)))
}

/// Whether a failed write's returned item shows another version than `expected`.
pub(crate) fn conflicted<M: Model>(expected: i128, item: Option<&Item>) -> bool {
    let Some(name) = M::version_attribute() else {
        return false;
    };
    match item {
        None => expected != 0,
        Some(item) => parse(M::MODEL_NAME, name, item.get(name)).map_or(true, |v| v != expected),
    }
}

/// The error for a versioned write whose check failed.
pub(crate) fn conflict<M: Model>(
    table: &str,
    operation: &'static str,
    expected: i128,
    item: Option<Item>,
) -> Error {
    Error::VersionConflict {
        model: M::MODEL_NAME,
        table: table.to_owned(),
        operation,
        expected: expected.to_string(),
        item: item.map(crate::redact::RedactedItem::new),
    }
}
