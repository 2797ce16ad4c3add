//! Debug output that shows attribute names and types but never values:
//! partition keys often hold e-mail addresses, and `Debug` ends up in logs.

use std::fmt;

use aws_sdk_dynamodb::types::AttributeValue;

use crate::Item;

/// Formats an attribute value as its DynamoDB type only: `S(<redacted>)`.
pub(crate) struct Redacted<'a>(pub(crate) &'a AttributeValue);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(<redacted>)", crate::value::type_name(self.0))
    }
}

/// Formats a map of attributes with values redacted, names sorted.
pub(crate) struct RedactedMap<'a>(pub(crate) &'a std::collections::HashMap<String, AttributeValue>);

impl fmt::Debug for RedactedMap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut entries: Vec<_> = self.0.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        f.debug_map()
            .entries(entries.into_iter().map(|(k, v)| (k, Redacted(v))))
            .finish()
    }
}

/// Formats an item (or a key) that may have failed to build: its attribute
/// names and types, or the error (whose messages never hold values).
pub(crate) struct RedactedResult<'a, E>(pub(crate) &'a Result<Item, E>);

impl<E: fmt::Debug> fmt::Debug for RedactedResult<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Ok(item) => f.debug_tuple("Ok").field(&RedactedMap(item)).finish(),
            Err(err) => f.debug_tuple("Err").field(err).finish(),
        }
    }
}

/// Formats a collection by its length only: `<3 items>`. For results that
/// hold the caller's models or keys, whose own `Debug` may print values.
pub(crate) struct Count(pub(crate) usize);

impl fmt::Debug for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} items>", self.0)
    }
}

/// A stored item carried by an error (for example the current item when a
/// condition failed). Its `Debug` shows attribute names and DynamoDB types
/// only; read the values with [`RedactedItem::item`] or decode it with
/// [`RedactedItem::decode`].
#[derive(Clone, PartialEq)]
pub struct RedactedItem(Box<Item>);

impl RedactedItem {
    /// Wraps an item.
    pub fn new(item: Item) -> Self {
        RedactedItem(Box::new(item))
    }

    /// The raw attributes, values included.
    pub fn item(&self) -> &Item {
        &self.0
    }

    /// The raw attributes, consuming the wrapper.
    pub fn into_item(self) -> Item {
        *self.0
    }
}

impl std::ops::Deref for RedactedItem {
    type Target = Item;

    fn deref(&self) -> &Item {
        &self.0
    }
}

impl From<Item> for RedactedItem {
    fn from(item: Item) -> Self {
        RedactedItem::new(item)
    }
}

impl fmt::Debug for RedactedItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        RedactedMap(&self.0).fmt(f)
    }
}
