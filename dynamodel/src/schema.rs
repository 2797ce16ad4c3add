//! The schema of a model's table as plain data: which attributes form the
//! primary key, their scalar types, and the secondary indexes (their keys and
//! projections). The derive generates these values; tables are created and
//! queries planned from them. Imports nothing else from the crate.

use aws_sdk_dynamodb::types::ScalarAttributeType;

/// One key attribute of a table or index: its stored name and scalar type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyAttr {
    /// The attribute's name in DynamoDB.
    pub name: &'static str,
    /// `S`, `N` or `B`.
    pub scalar_type: ScalarType,
}

/// The scalar types DynamoDB allows for key attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    /// String (`S`).
    String,
    /// Number (`N`).
    Number,
    /// Binary (`B`).
    Binary,
}

impl ScalarType {
    /// The SDK's scalar type.
    pub fn to_sdk(self) -> ScalarAttributeType {
        match self {
            ScalarType::String => ScalarAttributeType::S,
            ScalarType::Number => ScalarAttributeType::N,
            ScalarType::Binary => ScalarAttributeType::B,
        }
    }
}

/// The primary key of a model's table: a partition (hash) key and an optional sort (range) key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySchema {
    /// The partition key.
    pub hash: KeyAttr,
    /// The sort key, if the table has one.
    pub range: Option<KeyAttr>,
}

impl KeySchema {
    /// The names of the key attributes, partition key first.
    pub fn names(&self) -> Vec<&'static str> {
        let mut names = vec![self.hash.name];
        names.extend(self.range.map(|r| r.name));
        names
    }
}

/// Global or local secondary index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexKind {
    /// A global secondary index: any partition key, its own throughput, eventually consistent.
    Global,
    /// A local secondary index: the table's partition key with another sort key.
    Local,
}

/// Which attributes an index copies from the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexProjection {
    /// Every attribute.
    All,
    /// Only the table's and the index's key attributes.
    KeysOnly,
    /// The key attributes plus these (stored names).
    Include(&'static [&'static str]),
}

/// One secondary index as declared on a model
/// (`#[dynamodel(gsi(...))]` / `#[dynamodel(lsi(...))]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexSchema {
    /// The index name in DynamoDB.
    pub name: &'static str,
    /// Global or local.
    pub kind: IndexKind,
    /// The index's partition key (the first attribute of a multi-attribute one).
    pub hash: KeyAttr,
    /// The index's sort key, if any (the first attribute of a multi-attribute one).
    pub range: Option<KeyAttr>,
    /// The further attributes of a multi-attribute partition key, after
    /// `hash` (a global index takes up to four in all); empty otherwise.
    pub extra_hash: &'static [KeyAttr],
    /// The further attributes of a multi-attribute sort key, after `range`
    /// (up to four in all); empty otherwise.
    pub extra_range: &'static [KeyAttr],
    /// The attributes the index holds.
    pub projection: IndexProjection,
}

impl IndexSchema {
    /// The index's key schema: its first partition and sort key attributes
    /// (see [`IndexSchema::hash_attributes`] for a multi-attribute key).
    pub fn key_schema(&self) -> KeySchema {
        KeySchema {
            hash: self.hash,
            range: self.range,
        }
    }

    /// Every partition key attribute, in key order.
    pub fn hash_attributes(&self) -> Vec<KeyAttr> {
        std::iter::once(self.hash)
            .chain(self.extra_hash.iter().copied())
            .collect()
    }

    /// Every sort key attribute, in key order (empty without a sort key).
    pub fn range_attributes(&self) -> Vec<KeyAttr> {
        self.range
            .into_iter()
            .chain(self.extra_range.iter().copied())
            .collect()
    }

    /// Whether a key has several attributes (`hash(a, b)` / `range(a, b)`).
    pub fn is_multi_attribute(&self) -> bool {
        !self.extra_hash.is_empty() || !self.extra_range.is_empty()
    }

    /// The names of every key attribute, partition key first.
    pub fn attribute_names(&self) -> Vec<&'static str> {
        self.hash_attributes()
            .into_iter()
            .chain(self.range_attributes())
            .map(|attr| attr.name)
            .collect()
    }
}

/// Appends a key value (string, number or binary) as `type | length | bytes`,
/// the one form of a key value as bytes (canonical keys, cursors, key-condition
/// fingerprints); `None` for any other type (not a valid key value). The
/// length keeps ("ab", "c") and ("a", "bc") apart.
pub(crate) fn key_value_bytes(
    out: &mut Vec<u8>,
    value: &aws_sdk_dynamodb::types::AttributeValue,
) -> Option<()> {
    use crate::value::key_bytes::{write_tagged, BINARY, NUMBER, STRING};
    let (tag, bytes): (u8, &[u8]) = match value {
        aws_sdk_dynamodb::types::AttributeValue::S(s) => (STRING, s.as_bytes()),
        aws_sdk_dynamodb::types::AttributeValue::N(n) => (NUMBER, n.as_bytes()),
        aws_sdk_dynamodb::types::AttributeValue::B(b) => (BINARY, b.as_ref()),
        _ => return None,
    };
    write_tagged(out, tag, bytes);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn attr(name: &'static str) -> KeyAttr {
        KeyAttr {
            name,
            scalar_type: ScalarType::String,
        }
    }

    fn index(
        range: Option<KeyAttr>,
        extra_hash: &'static [KeyAttr],
        extra_range: &'static [KeyAttr],
    ) -> IndexSchema {
        IndexSchema {
            name: "by_region",
            kind: IndexKind::Global,
            hash: attr("region"),
            range,
            extra_hash,
            extra_range,
            projection: IndexProjection::All,
        }
    }

    #[test]
    fn a_multi_attribute_key_lists_every_attribute_in_order() {
        const HASH: &[KeyAttr] = &[attr("status")];
        const RANGE: &[KeyAttr] = &[attr("seq"), attr("id")];
        let multi = index(Some(attr("at")), HASH, RANGE);
        assert!(multi.is_multi_attribute());
        assert_eq!(multi.hash_attributes(), [attr("region"), attr("status")]);
        assert_eq!(
            multi.range_attributes(),
            [attr("at"), attr("seq"), attr("id")]
        );
        assert_eq!(
            multi.attribute_names(),
            ["region", "status", "at", "seq", "id"]
        );
        assert_eq!(multi.key_schema().names(), ["region", "at"]);
        assert!(index(None, HASH, &[]).is_multi_attribute());
        assert!(index(Some(attr("at")), &[], RANGE).is_multi_attribute());
    }

    #[test]
    fn a_single_attribute_key_is_not_multi_attribute() {
        let plain = index(Some(attr("at")), &[], &[]);
        assert!(!plain.is_multi_attribute());
        assert_eq!(plain.hash_attributes(), [attr("region")]);
        assert_eq!(plain.range_attributes(), [attr("at")]);
        assert_eq!(plain.attribute_names(), ["region", "at"]);
        let no_sort = index(None, &[], &[]);
        assert!(no_sort.range_attributes().is_empty());
        assert_eq!(no_sort.attribute_names(), ["region"]);
    }
}
