//! The storage of a `#[dynamodel(ttl)]` field: epoch seconds (`N`), what
//! DynamoDB's TTL reads, whatever the field's type would store otherwise.
//!
//! A date-time (`std::time::SystemTime`, chrono `DateTime<Utc>`, time
//! `OffsetDateTime`) is stored as whole seconds: a value with sub-second
//! precision is refused (a [`ConvertError`] naming the field) unless the
//! field also says `truncate`, which rounds it toward the past (the item
//! then expires up to a second early), or `round`, which rounds it to the
//! nearest second, halves toward the future, as `date = "seconds", round`
//! does (see [`super::rounding`]). An integer field already holds epoch
//! seconds and is stored as is.

use aws_sdk_dynamodb::types::AttributeValue;

use super::adapter::Adapter;
use super::rounding::{epoch_seconds, Rounding};
use super::{Attribute, ConvertError};

/// A type `#[dynamodel(ttl)]` can store as epoch seconds.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a TTL attribute",
    note = "`ttl` applies to an epoch-seconds integer (i64, u64, i32, u32) or a date-time (std::time::SystemTime, chrono::DateTime<Utc>, time::OffsetDateTime), optionally in an Option"
)]
pub trait TtlValue: Sized {
    /// The value type of the field's typed handle: the type itself (a
    /// date-time handle converts through the TTL storage).
    type Handle;
    /// Epoch seconds; a sub-second part is handled by `rounding` (refused
    /// by default).
    fn to_epoch_seconds(&self, rounding: Rounding) -> Result<AttributeValue, ConvertError>;
    /// From the stored epoch seconds.
    fn from_epoch_seconds(value: Option<AttributeValue>) -> Result<Self, ConvertError>;
}

macro_rules! integer_ttl {
    ($($int:ty),*) => {$(
        impl TtlValue for $int {
            type Handle = $int;
            fn to_epoch_seconds(&self, _rounding: Rounding) -> Result<AttributeValue, ConvertError> {
                crate::value::present(self.to_attribute()?)
            }
            fn from_epoch_seconds(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
                <$int>::from_attribute(value)
            }
        }
    )*};
}
integer_ttl!(i64, u64, i32, u32);

#[cfg(feature = "chrono")]
impl TtlValue for chrono::DateTime<chrono::Utc> {
    type Handle = Self;
    fn to_epoch_seconds(&self, rounding: Rounding) -> Result<AttributeValue, ConvertError> {
        date_time_seconds(self, rounding)
    }
    fn from_epoch_seconds(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
        super::adapter::SecondsTruncated::from_attribute(value)
    }
}

#[cfg(feature = "time")]
impl TtlValue for time::OffsetDateTime {
    type Handle = Self;
    fn to_epoch_seconds(&self, rounding: Rounding) -> Result<AttributeValue, ConvertError> {
        date_time_seconds(self, rounding)
    }
    fn from_epoch_seconds(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
        super::adapter::SecondsTruncated::from_attribute(value)
    }
}

impl TtlValue for std::time::SystemTime {
    type Handle = Self;
    fn to_epoch_seconds(&self, rounding: Rounding) -> Result<AttributeValue, ConvertError> {
        date_time_seconds(self, rounding)
    }
    fn from_epoch_seconds(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
        super::adapter::SecondsTruncated::from_attribute(value)
    }
}

fn date_time_seconds<T: super::adapter::DateTimeValue>(
    value: &T,
    rounding: Rounding,
) -> Result<AttributeValue, ConvertError> {
    if rounding == Rounding::Refuse && value.subsec_nanos() != 0 {
        return Err(ConvertError::Invalid(
            "the TTL date-time has sub-second precision but TTL is stored in whole seconds; round it first, or let the field round it: #[dynamodel(ttl, round)] to the nearest second, #[dynamodel(ttl, truncate)] toward the past".into(),
        ));
    }
    super::present(epoch_seconds(value, rounding)?.to_attribute()?)
}

/// The adapter of a `#[dynamodel(ttl)]` field (`TRUNCATE` with `truncate`).
pub struct Ttl<const TRUNCATE: bool>;

impl<T: TtlValue, const TRUNCATE: bool> Adapter<T> for Ttl<TRUNCATE> {
    type Handle = T::Handle;

    fn to_attribute(value: &T) -> Result<Option<AttributeValue>, ConvertError> {
        let rounding = if TRUNCATE {
            Rounding::Truncate
        } else {
            Rounding::Refuse
        };
        value.to_epoch_seconds(rounding).map(Some)
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<T, ConvertError> {
        T::from_epoch_seconds(value)
    }
}

/// The adapter of a `#[dynamodel(ttl, round)]` field: a date-time rounded
/// to the nearest second, halves toward the future.
pub struct TtlRounded;

impl<T: TtlValue> Adapter<T> for TtlRounded {
    type Handle = T::Handle;

    fn to_attribute(value: &T) -> Result<Option<AttributeValue>, ConvertError> {
        value.to_epoch_seconds(Rounding::Nearest).map(Some)
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<T, ConvertError> {
        T::from_epoch_seconds(value)
    }
}
