//! [`TypedKey`]: the typed key a batch write reports when it is left undone
//! ([`UnprocessedWrite::key`](crate::error::UnprocessedWrite::key)).
//!
//! Almost every write is done, so a put does not build its key up front
//! (two string copies and a box per item): the key is read back from the
//! item as sent, only for a write that ends in the report. That is the
//! caller's key exactly when the item encodes the caller's value as given
//! (no write-time setting changed a copy first); other puts, and deletes,
//! keep the key they were given.

use std::any::Any;

use crate::{Item, Model};

/// A typed key, boxed for a report of writes of any models.
pub(super) type BoxedKey = Box<dyn Any + Send + Sync>;

/// The typed key of one batch write: kept, or read back when reported.
pub(super) enum TypedKey {
    /// The key as given (deletes, puts of models with write-time settings,
    /// writes re-added from a report).
    Given(BoxedKey),
    /// To be read back from the put item as sent, by a function of the
    /// write's model ([`TypedKey::of_put`]).
    OfPut(fn(&Item) -> Option<BoxedKey>),
}

impl TypedKey {
    /// The key of a put of model `M` whose item encodes the caller's value
    /// as given, read back from that item when reported.
    pub(super) fn of_put<M: Model>() -> Self {
        TypedKey::OfPut(key_of_put::<M>)
    }

    /// The boxed key, for the report; from `item` (the write's item as
    /// sent) when it was not kept. A key that cannot be read back (the item
    /// was lost, which the engine logs) boxes `()`: `key::<M>()` is `None`.
    pub(super) fn into_boxed(self, item: &Item) -> BoxedKey {
        match self {
            TypedKey::Given(key) => key,
            TypedKey::OfPut(read) => read(item).unwrap_or_else(|| Box::new(())),
        }
    }
}

/// The key of the model `item` decodes into.
fn key_of_put<M: Model>(item: &Item) -> Option<BoxedKey> {
    if item.is_empty() {
        return None;
    }
    let model = M::from_item(item.clone()).ok()?;
    Some(Box::new(model.key()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AttributeValue;

    fn item(id: &str) -> Item {
        Item::from([("id".to_owned(), AttributeValue::S(id.into()))])
    }

    fn read_id(item: &Item) -> Option<BoxedKey> {
        match item.get("id")? {
            AttributeValue::S(id) => Some(Box::new(id.clone())),
            _ => None,
        }
    }

    #[test]
    fn a_given_key_is_reported_whatever_the_item() {
        let key = TypedKey::Given(Box::new(7u32)).into_boxed(&item("other"));
        assert_eq!(key.downcast_ref::<u32>(), Some(&7));
    }

    #[test]
    fn a_put_key_is_read_from_the_item_when_reported() {
        let key = TypedKey::OfPut(read_id).into_boxed(&item("u-1"));
        assert_eq!(
            key.downcast_ref::<String>().map(String::as_str),
            Some("u-1")
        );
        // Not readable: a unit, so that no key of any model is answered.
        let key = TypedKey::OfPut(read_id).into_boxed(&Item::new());
        assert!(key.downcast_ref::<String>().is_none());
        assert!(key.downcast_ref::<()>().is_some());
    }
}
