//! Date-times: `chrono::DateTime<Utc>` (feature `chrono`) and
//! `time::OffsetDateTime` (feature `time`).
//!
//! Stored per field as epoch milliseconds (`N`, the default), epoch seconds
//! (`N`) or RFC 3339 text (`S`), chosen with
//! `#[dynamodel(date = "millis" | "seconds" | "iso8601")]`. Without the
//! setting, both types store epoch milliseconds (their [`Attribute`] impl).
//! ISO-8601 keeps nanoseconds. Millisecond and second storage hold that
//! precision only, and refuse a finer value (a [`ConvertError`] naming the
//! field, nothing sent) instead of silently cutting it; add `truncate`
//! (`#[dynamodel(date = "seconds", truncate)]`) to round such values toward
//! the past instead. `created_at` / `updated_at` fields are set to the
//! millisecond (to the second when stored as exact seconds).

#[allow(unused_imports)]
use aws_sdk_dynamodb::types::AttributeValue;

#[allow(unused_imports)]
use super::adapter::{Adapter, DateTimeValue, Millis};
#[allow(unused_imports)]
use super::{Attribute, ConvertError};

#[allow(dead_code)]
fn out_of_range() -> ConvertError {
    ConvertError::OutOfRange {
        target: "a date-time",
    }
}

#[cfg(feature = "chrono")]
mod chrono_impl {
    use super::*;
    use chrono::{DateTime, SecondsFormat, Utc};

    impl DateTimeValue for DateTime<Utc> {
        fn to_millis(&self) -> Result<i64, ConvertError> {
            Ok(self.timestamp_millis())
        }
        fn from_millis(millis: i64) -> Result<Self, ConvertError> {
            DateTime::from_timestamp_millis(millis).ok_or_else(out_of_range)
        }
        fn to_seconds(&self) -> Result<i64, ConvertError> {
            Ok(self.timestamp())
        }
        fn from_seconds(seconds: i64) -> Result<Self, ConvertError> {
            DateTime::from_timestamp(seconds, 0).ok_or_else(out_of_range)
        }
        fn to_iso8601(&self) -> Result<String, ConvertError> {
            Ok(self.to_rfc3339_opts(SecondsFormat::AutoSi, true))
        }
        fn from_iso8601(text: &str) -> Result<Self, ConvertError> {
            DateTime::parse_from_rfc3339(text)
                .map(|dt| dt.with_timezone(&Utc))
                .map_err(|_| {
                    ConvertError::Invalid("stored text is not an RFC 3339 date-time".into())
                })
        }
        fn subsec_nanos(&self) -> u32 {
            self.timestamp_subsec_nanos()
        }
    }

    /// Stored as epoch milliseconds (`N`); see the module docs for other formats.
    impl Attribute for DateTime<Utc> {
        fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
            <Millis as Adapter<Self>>::to_attribute(self)
        }
        fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
            <Millis as Adapter<Self>>::from_attribute(value)
        }
    }
}

#[cfg(feature = "time")]
mod time_impl {
    use super::*;
    use time::format_description::well_known::Rfc3339;
    use time::{OffsetDateTime, UtcOffset};

    impl DateTimeValue for OffsetDateTime {
        fn to_millis(&self) -> Result<i64, ConvertError> {
            i64::try_from(self.unix_timestamp_nanos().div_euclid(1_000_000))
                .map_err(|_| out_of_range())
        }
        fn from_millis(millis: i64) -> Result<Self, ConvertError> {
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
                .map_err(|_| out_of_range())
        }
        fn to_seconds(&self) -> Result<i64, ConvertError> {
            Ok(self.unix_timestamp())
        }
        fn from_seconds(seconds: i64) -> Result<Self, ConvertError> {
            OffsetDateTime::from_unix_timestamp(seconds).map_err(|_| out_of_range())
        }
        fn to_iso8601(&self) -> Result<String, ConvertError> {
            self.to_offset(UtcOffset::UTC)
                .format(&Rfc3339)
                .map_err(|_| out_of_range())
        }
        fn from_iso8601(text: &str) -> Result<Self, ConvertError> {
            OffsetDateTime::parse(text, &Rfc3339)
                .map(|dt| dt.to_offset(UtcOffset::UTC))
                .map_err(|_| {
                    ConvertError::Invalid("stored text is not an RFC 3339 date-time".into())
                })
        }
        fn subsec_nanos(&self) -> u32 {
            self.nanosecond()
        }
    }

    /// Stored as epoch milliseconds (`N`), read back in UTC; see the module
    /// docs for other formats.
    impl Attribute for OffsetDateTime {
        fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
            <Millis as Adapter<Self>>::to_attribute(self)
        }
        fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
            <Millis as Adapter<Self>>::from_attribute(value)
        }
    }
}
