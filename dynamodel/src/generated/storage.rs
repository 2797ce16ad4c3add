//! The storage of a `date` / `ttl` field, checked once. The derive gives
//! each such field a local adapter that converts through the storage the
//! setting names, read here through [`StorageProbe`]: when the field's type
//! does not fit the storage, the probe falls back to [`NotAStorage`] (an
//! inherent impl whose bounds fail is skipped in favour of the trait's
//! items), so the conversions, handles and patches that use the field
//! compile, and the derive's own check on the field's type is the one error
//! the mistake gives.

use std::marker::PhantomData;

use crate::value::adapter::Adapter;
use crate::value::ConvertError;
use crate::AttributeValue;

/// Converts a value of `T` to its stored attribute.
pub type ToStored<T> = fn(&T) -> Result<Option<AttributeValue>, ConvertError>;
/// Converts a stored attribute back to `T`.
pub type FromStored<T> = fn(Option<AttributeValue>) -> Result<T, ConvertError>;

/// Storage `A` of a field of type `T`, as a pair of functions.
pub struct StorageProbe<A, T>(PhantomData<fn() -> (A, T)>);

impl<A: Adapter<T>, T> StorageProbe<A, T> {
    /// `A`'s conversion to the stored attribute.
    pub const TO_STORED: ToStored<T> = A::to_attribute;
    /// `A`'s conversion from the stored attribute.
    pub const FROM_STORED: FromStored<T> = A::from_attribute;
}

/// The answers of [`StorageProbe`] when the storage does not apply to the
/// field's type: refusals, never run (the derive's check on the field's
/// type fails the build). Brought into scope by generated code.
pub trait NotAStorage<T> {
    /// Refuses the value.
    const TO_STORED: ToStored<T>;
    /// Refuses the attribute.
    const FROM_STORED: FromStored<T>;
}

impl<A, T> NotAStorage<T> for StorageProbe<A, T> {
    const TO_STORED: ToStored<T> = |_| Err(unfit());
    const FROM_STORED: FromStored<T> = |_| Err(unfit());
}

fn unfit() -> ConvertError {
    ConvertError::Invalid("the field's storage setting does not apply to its type".into())
}

/// Asserts at compile time that a `date = ...` field holds a date-time.
pub const fn assert_date_time<T: crate::value::adapter::DateTimeValue>() {}

#[cfg(test)]
mod tests {
    use super::{NotAStorage as _, StorageProbe};
    use crate::value::adapter::Native;
    use crate::AttributeValue;

    #[test]
    fn a_fitting_storage_converts_and_an_unfit_one_refuses() {
        let to = StorageProbe::<Native, u32>::TO_STORED;
        assert_eq!(to(&7).unwrap(), Some(AttributeValue::N("7".into())));
        let from = StorageProbe::<Native, u32>::FROM_STORED;
        assert_eq!(from(Some(AttributeValue::N("7".into()))).unwrap(), 7);
        // `Native` stores only `Attribute` types: the fallback refuses.
        struct Opaque;
        let to = StorageProbe::<Native, Opaque>::TO_STORED;
        assert!(to(&Opaque).is_err());
        let from = StorageProbe::<Native, Opaque>::FROM_STORED;
        assert!(from(None).is_err());
    }
}
