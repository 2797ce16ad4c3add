//! How a field is stored when its type alone does not say: the derive routes
//! every field through an [`Adapter`] chosen from its settings.
//!
//! | field | adapter |
//! |---|---|
//! | any [`Attribute`] type | [`Native`] |
//! | written literally `Vec<u8>` | [`Bytes`] (`B`, not a list) |
//! | `#[dynamodel(serde)]` | [`Serde`] (through serde_dynamo) |
//! | `#[dynamodel(date = "millis" \| "seconds" \| "iso8601")]` | [`Millis`], [`Seconds`], [`Iso8601`] |
//! | `#[dynamodel(date = "millis" \| "seconds", truncate)]` | [`MillisTruncated`], [`SecondsTruncated`] |
//! | `#[dynamodel(date = "millis" \| "seconds" \| "iso8601" \| "iso8601_micros", round)]` | [`MillisRounded`], [`SecondsRounded`], [`Iso8601Rounded`], [`Iso8601MicrosRounded`] |
//! | `#[dynamodel(ttl)]` (with or without `truncate`) | [`Ttl`](super::ttl::Ttl) (epoch seconds) |
//! | `#[dynamodel(ttl, round)]` | [`TtlRounded`](super::ttl::TtlRounded) |
//! | `Option<T>` with a non-native adapter | [`Opt`] (`None` = no attribute) |
//! | `Option<T>` with `#[dynamodel(null)]` | [`Null`] (`None` = `NULL`) |
//!
//! Adapters that can store a key attribute implement [`KeyAdapter`], which
//! gives the key's scalar type: the storage decides it, not the field's type
//! (a date-time key is `N` as millis or seconds, `S` as ISO 8601 text).

use std::marker::PhantomData;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use super::key_bytes::KeyBytes;
use super::rounding::{epoch_millis, epoch_seconds, rounded_nanos, Rounding};
use super::{Attribute, Binary, ConvertError, KeyAttribute};
use crate::schema::ScalarType;

/// Converts a field of type `T` to and from its stored attribute.
#[diagnostic::on_unimplemented(
    message = "this dynamodel field setting does not apply to a field of type `{T}`",
    note = "`date = ...` needs std::time::SystemTime, chrono::DateTime<Utc> or time::OffsetDateTime (features `chrono`, `time`); `serde` needs Serialize + Deserialize; `null` needs an Option"
)]
pub trait Adapter<T> {
    /// The value type of the field's typed handle (`Field<M, Handle>`).
    type Handle;

    /// Converts the value; `Ok(None)` stores no attribute.
    fn to_attribute(value: &T) -> Result<Option<AttributeValue>, ConvertError>;

    /// Converts the stored attribute back; `None` means it is absent.
    fn from_attribute(value: Option<AttributeValue>) -> Result<T, ConvertError>;

    /// Appends the canonical key bytes of `value` as stored (see
    /// [`Attribute::write_key_bytes`]): the bytes of
    /// [`Adapter::to_attribute`]'s answer, with its errors. The default
    /// converts the value first.
    #[doc(hidden)]
    fn write_key_bytes(value: &T, out: &mut Vec<u8>) -> Result<KeyBytes, ConvertError> {
        Ok(super::key_bytes::of_converted(
            Self::to_attribute(value)?,
            out,
        ))
    }
}

/// An adapter whose stored value can be a partition or sort key: one value
/// has one stored form, so a key built from a value finds the item stored
/// with it. The truncating date storages are not key adapters (the stored
/// key would differ from the field it came from), nor are `Option`, serde
/// and `Vec<u8>` storages.
#[diagnostic::on_unimplemented(
    message = "this storage cannot hold a DynamoDB key attribute of type `{T}`",
    note = "keys are strings, integers, binary or date-times (any `date` storage without `truncate`)"
)]
pub trait KeyAdapter<T>: Adapter<T> {
    /// The key's scalar type in this storage.
    const SCALAR_TYPE: ScalarType;
}

/// The field's own [`Attribute`] impl.
pub struct Native;

impl<T: KeyAttribute> KeyAdapter<T> for Native {
    const SCALAR_TYPE: ScalarType = T::SCALAR_TYPE;
}

impl<T: Attribute> Adapter<T> for Native {
    type Handle = T;

    #[inline]
    fn to_attribute(value: &T) -> Result<Option<AttributeValue>, ConvertError> {
        value.to_attribute()
    }

    #[inline]
    fn from_attribute(value: Option<AttributeValue>) -> Result<T, ConvertError> {
        T::from_attribute(value)
    }

    #[inline]
    fn write_key_bytes(value: &T, out: &mut Vec<u8>) -> Result<KeyBytes, ConvertError> {
        value.write_key_bytes(out)
    }
}

/// A `Vec<u8>` field stored as binary (`B`); its handle takes [`Binary`].
pub struct Bytes;

impl Adapter<Vec<u8>> for Bytes {
    type Handle = Binary;

    fn to_attribute(value: &Vec<u8>) -> Result<Option<AttributeValue>, ConvertError> {
        Ok(Some(AttributeValue::B(Blob::new(value.clone()))))
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<Vec<u8>, ConvertError> {
        super::binary::blob_from(value)
    }
}

/// Any `Serialize + Deserialize` type, converted by serde_dynamo. Its handle
/// takes a raw [`AttributeValue`].
pub struct Serde;

impl<T: serde::Serialize + serde::de::DeserializeOwned> Adapter<T> for Serde {
    type Handle = AttributeValue;

    fn to_attribute(value: &T) -> Result<Option<AttributeValue>, ConvertError> {
        // serde messages can quote the value: keep them out of errors.
        serde_dynamo::to_attribute_value::<_, AttributeValue>(value)
            .map(Some)
            .map_err(|_| ConvertError::Invalid("serde could not serialize the value".into()))
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<T, ConvertError> {
        let value = super::present(value)?;
        serde_dynamo::from_attribute_value(value).map_err(|_| {
            ConvertError::Invalid(
                "the stored value does not deserialize into the field's type".into(),
            )
        })
    }
}

/// `Option<T>` through adapter `A`: `None` is stored as no attribute; an
/// absent attribute or `NULL` reads as `None`.
pub struct Opt<A>(PhantomData<A>);

impl<T, A: Adapter<T>> Adapter<Option<T>> for Opt<A> {
    type Handle = A::Handle;

    #[inline]
    fn to_attribute(value: &Option<T>) -> Result<Option<AttributeValue>, ConvertError> {
        match value {
            Some(value) => A::to_attribute(value),
            None => Ok(None),
        }
    }

    #[inline]
    fn from_attribute(value: Option<AttributeValue>) -> Result<Option<T>, ConvertError> {
        match value {
            None | Some(AttributeValue::Null(_)) => Ok(None),
            present => A::from_attribute(present).map(Some),
        }
    }
}

/// `Option<T>` with `#[dynamodel(null)]`: `None` is stored as `NULL`.
pub struct Null<A>(PhantomData<A>);

impl<T, A: Adapter<T>> Adapter<Option<T>> for Null<A> {
    type Handle = A::Handle;

    #[inline]
    fn to_attribute(value: &Option<T>) -> Result<Option<AttributeValue>, ConvertError> {
        match value {
            Some(value) => A::to_attribute(value),
            None => Ok(Some(AttributeValue::Null(true))),
        }
    }

    #[inline]
    fn from_attribute(value: Option<AttributeValue>) -> Result<Option<T>, ConvertError> {
        Opt::<A>::from_attribute(value)
    }
}

/// A date-time stored as epoch milliseconds (`N`). A value with finer
/// precision is refused (a [`ConvertError`] naming the field) rather than
/// silently cut: see [`MillisTruncated`]. Its handle takes the date-time.
pub struct Millis;
/// A date-time stored as epoch seconds (`N`). A value with sub-second
/// precision is refused rather than silently cut: see [`SecondsTruncated`].
/// Its handle takes the date-time, converted the same way.
pub struct Seconds;
/// [`Seconds`], rounding to the nearest second, halves toward the future
/// (`#[dynamodel(date = "seconds", round)]`, as Dynamoose stores dates in
/// seconds); see [`super::rounding`].
pub struct SecondsRounded;
/// [`Millis`], rounding to the nearest millisecond, halves toward the
/// future (`#[dynamodel(date = "millis", round)]`); see [`super::rounding`].
pub struct MillisRounded;
/// [`Millis`], rounding finer precision toward the past
/// (`#[dynamodel(date = "millis", truncate)]`).
pub struct MillisTruncated;
/// [`Seconds`], rounding sub-second precision toward the past
/// (`#[dynamodel(date = "seconds", truncate)]`).
pub struct SecondsTruncated;
/// A date-time stored as ISO 8601 text (`S`) in UTC with exactly `DIGITS`
/// fractional digits: `YYYY-MM-DDTHH:MM:SS.sssZ` for 3. One instant has one
/// text and every text has the same width, so DynamoDB's byte-wise string
/// order is time order (sort keys, `between`, `begins_with` on a day).
/// Years outside 0000–9999 are refused (they would break the width). A value
/// finer than `DIGITS` is refused (a [`ConvertError`] naming the field)
/// unless `TRUNCATE`, which rounds it toward the past. Reading accepts any
/// RFC 3339 text (other widths, offsets). Its handle takes the date-time,
/// converted to the same text.
pub struct Iso8601Fixed<const DIGITS: u32, const TRUNCATE: bool>;
/// `date = "iso8601"`: milliseconds, `2026-11-01T08:00:00.000Z`, the form of
/// JavaScript's `toISOString()` (and Dynamoose).
pub type Iso8601 = Iso8601Fixed<3, false>;
/// `date = "iso8601", truncate`: [`Iso8601`] rounding finer values toward the past.
pub type Iso8601Truncated = Iso8601Fixed<3, true>;
/// `date = "iso8601_micros"`: `2026-11-01T08:00:00.000000Z`.
pub type Iso8601Micros = Iso8601Fixed<6, false>;
/// `date = "iso8601_micros", truncate`: [`Iso8601Micros`] rounding finer
/// values toward the past.
pub type Iso8601MicrosTruncated = Iso8601Fixed<6, true>;
/// `date = "iso8601_nanos"`: `2026-11-01T08:00:00.000000000Z`, every
/// nanosecond the date-time types hold.
pub type Iso8601Nanos = Iso8601Fixed<9, false>;
/// [`Iso8601Fixed`] rounding a finer value to the nearest `DIGITS`
/// fractional digits, halves toward the future (`round`; see
/// [`super::rounding`]): `…:59.9996Z` is `…+1s` as `.000Z` at 3 digits.
pub struct Iso8601RoundedFixed<const DIGITS: u32>;
/// `date = "iso8601", round`: [`Iso8601`] rounding to the nearest millisecond.
pub type Iso8601Rounded = Iso8601RoundedFixed<3>;
/// `date = "iso8601_micros", round`: [`Iso8601Micros`] rounding to the
/// nearest microsecond.
pub type Iso8601MicrosRounded = Iso8601RoundedFixed<6>;

/// A date-time type the `date` adapters can store.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a date-time dynamodel can store",
    note = "`date = ...` applies to std::time::SystemTime, chrono::DateTime<Utc> (feature `chrono`) and time::OffsetDateTime (feature `time`)"
)]
pub trait DateTimeValue: Sized {
    /// Milliseconds since the Unix epoch, rounded toward the past.
    fn to_millis(&self) -> Result<i64, ConvertError>;
    /// From milliseconds since the Unix epoch.
    fn from_millis(millis: i64) -> Result<Self, ConvertError>;
    /// Seconds since the Unix epoch, rounded toward the past.
    fn to_seconds(&self) -> Result<i64, ConvertError>;
    /// From seconds since the Unix epoch.
    fn from_seconds(seconds: i64) -> Result<Self, ConvertError>;
    /// RFC 3339 text in UTC with nine fractional digits
    /// (`YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`), or a wider text for years past 9999.
    fn to_iso8601(&self) -> Result<String, ConvertError>;
    /// From RFC 3339 text.
    fn from_iso8601(text: &str) -> Result<Self, ConvertError>;
    /// The nanoseconds past the whole second.
    fn subsec_nanos(&self) -> u32;
}

impl<T: DateTimeValue> Adapter<T> for MillisTruncated {
    type Handle = T;

    fn to_attribute(value: &T) -> Result<Option<AttributeValue>, ConvertError> {
        epoch_millis(value, Rounding::Truncate)?.to_attribute()
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<T, ConvertError> {
        T::from_millis(i64::from_attribute(value)?)
    }
}

impl<T: DateTimeValue> Adapter<T> for Millis {
    type Handle = T;

    fn to_attribute(value: &T) -> Result<Option<AttributeValue>, ConvertError> {
        epoch_millis(value, Rounding::Refuse)?.to_attribute()
    }

    fn write_key_bytes(value: &T, out: &mut Vec<u8>) -> Result<KeyBytes, ConvertError> {
        epoch_millis(value, Rounding::Refuse)?.write_key_bytes(out)
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<T, ConvertError> {
        MillisTruncated::from_attribute(value)
    }
}

impl<T: DateTimeValue> Adapter<T> for MillisRounded {
    type Handle = T;

    fn to_attribute(value: &T) -> Result<Option<AttributeValue>, ConvertError> {
        epoch_millis(value, Rounding::Nearest)?.to_attribute()
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<T, ConvertError> {
        MillisTruncated::from_attribute(value)
    }
}

impl<T: DateTimeValue> Adapter<T> for SecondsTruncated {
    type Handle = T;

    fn to_attribute(value: &T) -> Result<Option<AttributeValue>, ConvertError> {
        epoch_seconds(value, Rounding::Truncate)?.to_attribute()
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<T, ConvertError> {
        T::from_seconds(i64::from_attribute(value)?)
    }
}

impl<T: DateTimeValue> Adapter<T> for Seconds {
    type Handle = T;

    fn to_attribute(value: &T) -> Result<Option<AttributeValue>, ConvertError> {
        epoch_seconds(value, Rounding::Refuse)?.to_attribute()
    }

    fn write_key_bytes(value: &T, out: &mut Vec<u8>) -> Result<KeyBytes, ConvertError> {
        epoch_seconds(value, Rounding::Refuse)?.write_key_bytes(out)
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<T, ConvertError> {
        SecondsTruncated::from_attribute(value)
    }
}

impl<T: DateTimeValue> Adapter<T> for SecondsRounded {
    type Handle = T;

    fn to_attribute(value: &T) -> Result<Option<AttributeValue>, ConvertError> {
        epoch_seconds(value, Rounding::Nearest)?.to_attribute()
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<T, ConvertError> {
        SecondsTruncated::from_attribute(value)
    }
}

impl<T: DateTimeValue> KeyAdapter<T> for Millis {
    const SCALAR_TYPE: ScalarType = ScalarType::Number;
}

impl<T: DateTimeValue> KeyAdapter<T> for Seconds {
    const SCALAR_TYPE: ScalarType = ScalarType::Number;
}

/// Fixed width, so text order is time order, and exact (no `truncate`).
impl<T: DateTimeValue, const DIGITS: u32> KeyAdapter<T> for Iso8601Fixed<DIGITS, false> {
    const SCALAR_TYPE: ScalarType = ScalarType::String;
}

/// The width of `YYYY-MM-DDTHH:MM:SS.` plus nine digits and `Z`.
const ISO_NANOS_LEN: usize = 30;

/// `nanos_text` (nine fractional digits) cut to `digits` of them.
fn iso8601_fixed(nanos_text: String, digits: u32) -> Result<String, ConvertError> {
    let bytes = nanos_text.as_bytes();
    // Years before 0000 or past 9999 have a sign or a fifth digit.
    if bytes.len() != ISO_NANOS_LEN || !bytes[0].is_ascii_digit() {
        return Err(ConvertError::OutOfRange {
            target: "an ISO 8601 date-time with a four-digit year (0000 to 9999)",
        });
    }
    let end = ISO_NANOS_LEN - 10 + digits as usize;
    Ok(format!("{}Z", &nanos_text[..end]))
}

/// `value` as fixed-width ISO 8601 text with `DIGITS` fractional digits,
/// a finer part handled by `rounding`.
fn iso8601_text<T: DateTimeValue, const DIGITS: u32>(
    value: &T,
    rounding: Rounding,
) -> Result<String, ConvertError> {
    let (storage, unit) = match DIGITS {
        3 => ("iso8601", "millisecond"),
        6 => ("iso8601_micros", "microsecond"),
        _ => ("iso8601_nanos", "nanosecond"),
    };
    let (seconds, nanos) = rounded_nanos(value, 10u32.pow(9 - DIGITS), rounding, storage, unit)?;
    if nanos == value.subsec_nanos() {
        return iso8601_fixed(value.to_iso8601()?, DIGITS);
    }
    // Rounded: the text of the whole second, with the rounded fraction.
    let whole = T::from_seconds(seconds)?.to_iso8601()?;
    let prefix = whole
        .get(..ISO_NANOS_LEN - 10)
        .filter(|_| whole.len() == ISO_NANOS_LEN)
        .ok_or(ConvertError::OutOfRange {
            target: "an ISO 8601 date-time with a four-digit year (0000 to 9999)",
        })?;
    iso8601_fixed(format!("{prefix}{nanos:09}Z"), DIGITS)
}

impl<T: DateTimeValue, const DIGITS: u32, const TRUNCATE: bool> Adapter<T>
    for Iso8601Fixed<DIGITS, TRUNCATE>
{
    type Handle = T;

    fn to_attribute(value: &T) -> Result<Option<AttributeValue>, ConvertError> {
        let rounding = if TRUNCATE {
            Rounding::Truncate
        } else {
            Rounding::Refuse
        };
        iso8601_text::<T, DIGITS>(value, rounding).map(|text| Some(AttributeValue::S(text)))
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<T, ConvertError> {
        T::from_iso8601(&String::from_attribute(value)?)
    }
}

impl<T: DateTimeValue, const DIGITS: u32> Adapter<T> for Iso8601RoundedFixed<DIGITS> {
    type Handle = T;

    fn to_attribute(value: &T) -> Result<Option<AttributeValue>, ConvertError> {
        iso8601_text::<T, DIGITS>(value, Rounding::Nearest)
            .map(|text| Some(AttributeValue::S(text)))
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<T, ConvertError> {
        T::from_iso8601(&String::from_attribute(value)?)
    }
}
