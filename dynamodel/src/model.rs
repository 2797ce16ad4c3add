//! The [`Model`] trait that `#[derive(Model)]` implements, and the schema data it exposes.

use aws_sdk_dynamodb::types::{AttributeValue, ScalarAttributeType};

use crate::{Error, Item};

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

/// A Rust type stored as items of a DynamoDB table.
///
/// Implement it with `#[derive(Model)]`; the derive generates the conversions
/// and schema data, and dynamodel's operations (see [`crate::Db`]) do the rest.
pub trait Model: Sized + Send + Sync + 'static {
    /// The model's name, used in error messages.
    const MODEL_NAME: &'static str;

    /// The table name declared on the model (a [`crate::Db`] may add a prefix).
    const TABLE_NAME: &'static str;

    /// The model's primary key: the partition key's type, or a tuple
    /// `(partition, sort)` when the model has a sort key.
    type Key: Send + Sync + Clone + 'static;

    /// Typed handles on the model's attributes, for conditions and updates
    /// (generated as `<Model>Fields`).
    type Fields;

    /// The typed attribute handles: `User::fields().age.gt(30)`.
    fn fields() -> Self::Fields;

    /// The primary key schema.
    fn key_schema() -> KeySchema;

    /// The primary key of this item.
    fn key(&self) -> Self::Key;

    /// Converts a primary key into the attributes DynamoDB expects in `Key`.
    fn key_to_item(key: &Self::Key) -> Result<Item, Error>;

    /// Converts the model into a DynamoDB item (no defaults, validation or timestamps).
    fn to_item(&self) -> Result<Item, Error>;

    /// Converts a DynamoDB item into the model.
    fn from_item(item: Item) -> Result<Self, Error>;

    /// The secondary indexes declared on the model (created with its table).
    fn index_schemas() -> Vec<crate::query::IndexSchema> {
        Vec::new()
    }
}

/// Reads one attribute out of an item, with the model, attribute and key named on failure.
///
/// Used by generated code.
#[doc(hidden)]
pub fn decode_field<M: Model, T: crate::Attribute>(
    item: &mut Item,
    name: &'static str,
    key_names: &[&str],
) -> Result<T, Error> {
    let value = item.remove(name);
    T::from_attribute(value).map_err(|source| {
        // Generated code decodes key attributes last, so they are still in
        // `item` to identify the faulty item.
        Error::Decode {
            model: M::MODEL_NAME,
            attribute: name.to_owned(),
            key: crate::error::KeyDescription::from_item(item, key_names),
            source,
        }
    })
}

/// Writes one attribute into an item, with the model and attribute named on failure.
///
/// Used by generated code.
#[doc(hidden)]
pub fn encode_field<M: Model, T: crate::Attribute>(
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
        Err(source) => Err(Error::Encode {
            model: M::MODEL_NAME,
            attribute: name.to_owned(),
            source,
        }),
    }
}

/// Converts a key value, naming the model and attribute on failure. Keys may
/// not be absent.
#[doc(hidden)]
pub fn encode_key<M: Model, T: crate::Attribute>(
    name: &'static str,
    value: &T,
) -> Result<AttributeValue, Error> {
    match value.to_attribute() {
        Ok(Some(av)) => Ok(av),
        Ok(None) => Err(Error::Encode {
            model: M::MODEL_NAME,
            attribute: name.to_owned(),
            source: crate::ConvertError::Missing,
        }),
        Err(source) => Err(Error::Encode {
            model: M::MODEL_NAME,
            attribute: name.to_owned(),
            source,
        }),
    }
}
