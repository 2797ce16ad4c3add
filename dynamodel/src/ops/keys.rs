//! Keys as batches and transactions compare them: a canonical byte string
//! per key (to refuse two actions on one item and to match DynamoDB's
//! unprocessed entries back to the caller's), and the read entries both
//! batch and transactional reads are built from.

use std::any::TypeId;

use crate::error::ReadEntry;
use crate::{Db, Error, Item, Model, Result};

/// A byte string identifying a key within a table, for duplicate detection
/// and for matching DynamoDB's unprocessed entries back to the caller's;
/// `None` when `item` lacks one of the key attributes `names` (or holds a
/// non-key type there).
pub(crate) fn canonical_key(item: &Item, names: &[&str]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for name in names {
        crate::schema::key_value_bytes(&mut out, item.get(*name)?)?;
    }
    Some(out)
}

/// The names of a table's key attributes (partition key first), without
/// an allocation per write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyNames {
    names: [&'static str; 2],
    len: usize,
}

impl KeyNames {
    /// The key attribute names of `schema`.
    pub(crate) fn of(schema: &crate::schema::KeySchema) -> Self {
        match schema.range {
            Some(range) => KeyNames {
                names: [schema.hash.name, range.name],
                len: 2,
            },
            None => KeyNames {
                names: [schema.hash.name, ""],
                len: 1,
            },
        }
    }

    /// From a list of one or two names; `None` for any other length.
    pub(crate) fn from_slice(names: &[&'static str]) -> Option<Self> {
        match *names {
            [hash] => Some(KeyNames {
                names: [hash, ""],
                len: 1,
            }),
            [hash, range] => Some(KeyNames {
                names: [hash, range],
                len: 2,
            }),
            _ => None,
        }
    }

    /// The names, partition key first.
    pub(crate) fn as_slice(&self) -> &[&'static str] {
        &self.names[..self.len]
    }
}

/// The entry for a read of `key` of model `M`, its key converted.
fn read_entry<M: Model>(db: &Db, key: M::Key) -> Result<ReadEntry> {
    let item = M::key_to_item(&key)?;
    let names = M::key_schema().names();
    let canon = canonical_key(&item, &names).ok_or_else(|| Error::InvalidRequest {
        model: M::MODEL_NAME,
        message: format!("the key lacks a key attribute ({})", names.join(", ")),
    })?;
    Ok(ReadEntry {
        model: M::MODEL_NAME,
        type_id: TypeId::of::<M>(),
        table: db.table_name::<M>(),
        key: item,
        canon,
        key_names: names,
        typed_key: Box::new(key),
        projection: None,
        ttl: M::ttl_attribute(),
    })
}

/// Adds a read of `key` to a batch or transaction read, keeping the first
/// error (with the key's position) for `send` to report.
pub(crate) fn push_read<M: Model>(
    db: &Db,
    entries: &mut Vec<ReadEntry>,
    error: &mut Option<Error>,
    operation: &'static str,
    key: M::Key,
    projection: Option<Vec<&'static str>>,
) {
    let index = entries.len();
    match read_entry::<M>(db, key) {
        Ok(entry) => entries.push(ReadEntry {
            projection,
            ..entry
        }),
        Err(err) => {
            if error.is_none() {
                *error = Some(Error::Item {
                    operation,
                    index,
                    source: Box::new(err),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AttributeValue;

    #[test]
    fn canonical_keys_tell_types_and_boundaries_apart() {
        let a = Item::from([
            ("h".to_owned(), AttributeValue::S("ab".into())),
            ("r".to_owned(), AttributeValue::S("c".into())),
        ]);
        let b = Item::from([
            ("h".to_owned(), AttributeValue::S("a".into())),
            ("r".to_owned(), AttributeValue::S("bc".into())),
        ]);
        let n = Item::from([
            ("h".to_owned(), AttributeValue::N("1".into())),
            ("r".to_owned(), AttributeValue::S("c".into())),
        ]);
        let s = Item::from([
            ("h".to_owned(), AttributeValue::S("1".into())),
            ("r".to_owned(), AttributeValue::S("c".into())),
        ]);
        let names = ["h", "r"];
        assert_ne!(canonical_key(&a, &names), canonical_key(&b, &names));
        assert_ne!(canonical_key(&n, &names), canonical_key(&s, &names));
        assert_eq!(canonical_key(&a, &["h", "missing"]), None);
    }

    #[test]
    fn key_names_keep_one_or_two_names_in_order() {
        use crate::schema::{KeyAttr, KeySchema, ScalarType};
        let attr = |name| KeyAttr {
            name,
            scalar_type: ScalarType::String,
        };
        let both = KeyNames::of(&KeySchema {
            hash: attr("h"),
            range: Some(attr("r")),
        });
        assert_eq!(both.as_slice(), ["h", "r"]);
        let hash_only = KeyNames::of(&KeySchema {
            hash: attr("h"),
            range: None,
        });
        assert_eq!(hash_only.as_slice(), ["h"]);
        assert_eq!(KeyNames::from_slice(&["h", "r"]), Some(both));
        assert_eq!(KeyNames::from_slice(&["h"]), Some(hash_only));
        assert_eq!(KeyNames::from_slice(&[]), None);
        assert_eq!(KeyNames::from_slice(&["a", "b", "c"]), None);
    }
}
