//! The key schema of a table or index: which attributes form the primary
//! key and their scalar types. Plain data, importing nothing else from the crate.

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
