//! Binary values (`B`): [`Binary`], `bytes::Bytes`, and `Vec<u8>` fields.
//!
//! `Vec<T>` is stored as a list (`L`), so a `Vec<u8>` cannot have its own
//! [`Attribute`] impl. `#[derive(Model)]` and `#[derive(Document)]` detect a
//! field whose type is written literally `Vec<u8>` (or `Option<Vec<u8>>`) and
//! store it as `B` through [`crate::value::adapter::Bytes`]. Anywhere else
//! (set elements, map values, keys) use [`Binary`] or `bytes::Bytes`.

use std::ops::{Deref, DerefMut};

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use super::{mismatch, present, Attribute, ConvertError, KeyAttribute};

/// Bytes stored as a DynamoDB binary (`B`); usable as a key and in sets (`BS`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Binary(pub Vec<u8>);

impl Binary {
    /// The bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl Deref for Binary {
    type Target = Vec<u8>;

    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl DerefMut for Binary {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary(bytes)
    }
}

impl From<&[u8]> for Binary {
    fn from(bytes: &[u8]) -> Self {
        Binary(bytes.to_vec())
    }
}

impl<const N: usize> From<[u8; N]> for Binary {
    fn from(bytes: [u8; N]) -> Self {
        Binary(bytes.to_vec())
    }
}

impl From<Binary> for Vec<u8> {
    fn from(binary: Binary) -> Self {
        binary.0
    }
}

pub(crate) fn blob_from(value: Option<AttributeValue>) -> Result<Vec<u8>, ConvertError> {
    match present(value)? {
        AttributeValue::B(blob) => Ok(blob.into_inner()),
        other => Err(mismatch("B", &other)),
    }
}

impl Attribute for Binary {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        Ok(Some(AttributeValue::B(Blob::new(self.0.clone()))))
    }

    fn write_key_bytes(
        &self,
        out: &mut Vec<u8>,
    ) -> Result<crate::value::key_bytes::KeyBytes, ConvertError> {
        Ok(super::key_bytes::write_tagged(
            out,
            super::key_bytes::BINARY,
            &self.0,
        ))
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
        blob_from(value).map(Binary)
    }
}

impl KeyAttribute for Binary {
    const SCALAR_TYPE: crate::schema::ScalarType = crate::schema::ScalarType::Binary;
}

impl Attribute for bytes::Bytes {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        Ok(Some(AttributeValue::B(Blob::new(self.to_vec()))))
    }

    fn write_key_bytes(
        &self,
        out: &mut Vec<u8>,
    ) -> Result<crate::value::key_bytes::KeyBytes, ConvertError> {
        Ok(super::key_bytes::write_tagged(
            out,
            super::key_bytes::BINARY,
            self,
        ))
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
        blob_from(value).map(bytes::Bytes::from)
    }
}

impl KeyAttribute for bytes::Bytes {
    const SCALAR_TYPE: crate::schema::ScalarType = crate::schema::ScalarType::Binary;
}

/// A raw attribute value, stored as it is. Also the handle type of
/// `#[dynamodel(serde)]` fields.
impl Attribute for AttributeValue {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        Ok(Some(self.clone()))
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
        present(value)
    }
}
