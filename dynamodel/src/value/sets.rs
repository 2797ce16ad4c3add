//! Sets stored as real DynamoDB sets: `HashSet`/`BTreeSet` of strings are
//! `SS`, of numbers `NS`, of binaries (`Binary`, `bytes::Bytes`) `BS`.
//!
//! DynamoDB has no empty set: an empty set is stored as *no attribute*, and
//! an absent attribute reads back as an empty set.

use std::collections::{BTreeSet, HashSet};
use std::hash::{BuildHasher, Hash};

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use super::{mismatch, Attribute, ConvertError, Number};

/// The kind of DynamoDB set a [`SetElement`] goes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetKind {
    /// `SS`
    Strings,
    /// `NS`
    Numbers,
    /// `BS`
    Binaries,
}

/// A type whose sets are stored as a DynamoDB set (`SS`, `NS` or `BS`).
#[diagnostic::on_unimplemented(
    message = "a set of `{Self}` cannot be stored as a DynamoDB set",
    note = "DynamoDB sets hold strings (SS), numbers (NS) or binaries (BS: dynamodel::Binary, bytes::Bytes); use a Vec for a list of other values"
)]
pub trait SetElement: Attribute {
    /// Which set the element goes in.
    const KIND: SetKind;
}

impl SetElement for String {
    const KIND: SetKind = SetKind::Strings;
}
impl SetElement for Number {
    const KIND: SetKind = SetKind::Numbers;
}
impl SetElement for super::Binary {
    const KIND: SetKind = SetKind::Binaries;
}
impl SetElement for bytes::Bytes {
    const KIND: SetKind = SetKind::Binaries;
}
macro_rules! numeric_set_element {
    ($($t:ty),*) => {$(
        impl SetElement for $t {
            const KIND: SetKind = SetKind::Numbers;
        }
    )*};
}
numeric_set_element!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

fn set_to_attribute<'a, T: SetElement + 'a>(
    elements: impl ExactSizeIterator<Item = &'a T>,
) -> Result<Option<AttributeValue>, ConvertError> {
    if elements.len() == 0 {
        return Ok(None);
    }
    let len = elements.len();
    match T::KIND {
        SetKind::Strings | SetKind::Numbers => {
            let mut out = Vec::with_capacity(len);
            for element in elements {
                match element.to_attribute()? {
                    Some(AttributeValue::S(s) | AttributeValue::N(s)) => out.push(s),
                    _ => return Err(ConvertError::Invalid("set element is not a scalar".into())),
                }
            }
            Ok(Some(if T::KIND == SetKind::Strings {
                AttributeValue::Ss(out)
            } else {
                AttributeValue::Ns(out)
            }))
        }
        SetKind::Binaries => {
            let mut out = Vec::with_capacity(len);
            for element in elements {
                match element.to_attribute()? {
                    Some(AttributeValue::B(b)) => out.push(b),
                    _ => return Err(ConvertError::Invalid("set element is not binary".into())),
                }
            }
            Ok(Some(AttributeValue::Bs(out)))
        }
    }
}

fn set_from_attribute<T: SetElement, C: FromIterator<T>>(
    value: Option<AttributeValue>,
) -> Result<C, ConvertError> {
    match (T::KIND, value) {
        (_, None) => Ok(std::iter::empty().collect()),
        (SetKind::Strings, Some(AttributeValue::Ss(items))) => items
            .into_iter()
            .map(|s| T::from_attribute(Some(AttributeValue::S(s))))
            .collect(),
        (SetKind::Numbers, Some(AttributeValue::Ns(items))) => items
            .into_iter()
            .map(|n| T::from_attribute(Some(AttributeValue::N(n))))
            .collect(),
        (SetKind::Binaries, Some(AttributeValue::Bs(items))) => items
            .into_iter()
            .map(|b: Blob| T::from_attribute(Some(AttributeValue::B(b))))
            .collect(),
        (kind, Some(other)) => Err(mismatch(
            match kind {
                SetKind::Strings => "SS",
                SetKind::Numbers => "NS",
                SetKind::Binaries => "BS",
            },
            &other,
        )),
    }
}

impl<T: SetElement + Eq + Hash, S: BuildHasher + Default> Attribute for HashSet<T, S> {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        set_to_attribute(self.iter())
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
        set_from_attribute(value)
    }
}

impl<T: SetElement + Ord> Attribute for BTreeSet<T> {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        set_to_attribute(self.iter())
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
        set_from_attribute(value)
    }
}
