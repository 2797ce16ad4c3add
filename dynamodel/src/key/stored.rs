//! Key values converted through a field's storage: what queries of a key
//! field stored with a `date` setting take.

use std::fmt;
use std::marker::PhantomData;

use aws_sdk_dynamodb::types::AttributeValue;

use crate::schema::ScalarType;
use crate::value::adapter::{Adapter, KeyAdapter};
use crate::value::{Attribute, ConvertError, KeyAttribute};

/// A key value of type `T` stored through adapter `A` (the field's storage,
/// e.g. `date = "iso8601"`), so that a key built from a value is converted
/// exactly as the stored attribute was. The derive uses it as the key type
/// of queries on such fields; build it from the value with `From` (query
/// methods take `impl Into<..>`, so pass the date-time itself).
pub struct StoredKey<T, A> {
    value: T,
    // `fn() -> A`: the adapter is a type-level choice, never held.
    adapter: PhantomData<fn() -> A>,
}

impl<T, A> StoredKey<T, A> {
    /// The key value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The key value, unwrapped.
    pub fn into_value(self) -> T {
        self.value
    }
}

impl<T, A> From<T> for StoredKey<T, A> {
    fn from(value: T) -> Self {
        StoredKey {
            value,
            adapter: PhantomData,
        }
    }
}

impl<T: Clone, A> Clone for StoredKey<T, A> {
    fn clone(&self) -> Self {
        StoredKey::from(self.value.clone())
    }
}

impl<T: PartialEq, A> PartialEq for StoredKey<T, A> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

/// Shows the type only: a key is a stored value.
impl<T, A> fmt::Debug for StoredKey<T, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StoredKey<{}>", std::any::type_name::<T>())
    }
}

impl<T, A: Adapter<T>> Attribute for StoredKey<T, A> {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        A::to_attribute(&self.value)
    }

    fn write_key_bytes(
        &self,
        out: &mut Vec<u8>,
    ) -> Result<crate::value::key_bytes::KeyBytes, ConvertError> {
        A::write_key_bytes(&self.value, out)
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
        A::from_attribute(value).map(StoredKey::from)
    }
}

impl<T, A: KeyAdapter<T>> KeyAttribute for StoredKey<T, A> {
    const SCALAR_TYPE: ScalarType = A::SCALAR_TYPE;
}

#[cfg(all(test, feature = "chrono"))]
mod tests {
    use super::*;
    use crate::value::adapter::{Iso8601, Seconds};

    type At = chrono::DateTime<chrono::Utc>;

    fn at(seconds: i64) -> At {
        chrono::DateTime::from_timestamp(seconds, 0).unwrap()
    }

    #[test]
    fn converts_through_the_storage_both_ways() {
        let iso = StoredKey::<At, Iso8601>::from(at(1_793_520_000));
        let stored = iso.to_attribute().unwrap().unwrap();
        assert_eq!(stored, AttributeValue::S("2026-11-01T08:00:00.000Z".into()));
        let back = StoredKey::<At, Iso8601>::from_attribute(Some(stored)).unwrap();
        assert!(back == iso);
        assert_eq!(*back.value(), at(1_793_520_000));
        assert_eq!(back.clone().into_value(), at(1_793_520_000));
        let seconds = StoredKey::<At, Seconds>::from(at(1_793_520_000));
        assert_eq!(
            seconds.to_attribute().unwrap(),
            Some(AttributeValue::N("1793520000".into()))
        );
        assert!(StoredKey::<At, Seconds>::from(at(1)) != seconds);
    }

    #[test]
    fn the_storage_gives_the_scalar_type() {
        assert_eq!(
            <StoredKey<At, Iso8601> as KeyAttribute>::SCALAR_TYPE,
            ScalarType::String
        );
        assert_eq!(
            <StoredKey<At, Seconds> as KeyAttribute>::SCALAR_TYPE,
            ScalarType::Number
        );
        assert_eq!(<At as KeyAttribute>::SCALAR_TYPE, ScalarType::Number);
    }

    #[test]
    fn debug_shows_no_value() {
        let text = format!("{:?}", StoredKey::<At, Iso8601>::from(at(1_793_520_000)));
        assert!(!text.contains("2026"), "{text}");
        assert!(text.starts_with("StoredKey<"), "{text}");
    }
}
