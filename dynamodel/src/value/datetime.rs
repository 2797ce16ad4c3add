//! Date-times: `std::time::SystemTime` (always), `chrono::DateTime<Utc>`
//! (feature `chrono`) and `time::OffsetDateTime` (feature `time`).
//!
//! Stored per field as epoch milliseconds (`N`, the default), epoch seconds
//! (`N`) or ISO 8601 text (`S`), chosen with `#[dynamodel(date = "millis" |
//! "seconds" | "iso8601" | "iso8601_micros" | "iso8601_nanos")]`. Without the
//! setting, all three store epoch milliseconds (their [`Attribute`] impl).
//! A `SystemTime` holds nanoseconds (on Linux; 100 ns steps on Windows) and
//! reads back in UTC text as the other two do.
//!
//! ISO 8601 text is written in UTC with a fixed number of fractional digits,
//! the same from chrono and time: `2026-11-01T08:00:00.000Z` for `iso8601`
//! (milliseconds, what JavaScript's `toISOString()` and Dynamoose write),
//! `.000000Z` for `iso8601_micros`, `.000000000Z` for `iso8601_nanos`. One
//! instant has one text and all texts have one width, so DynamoDB's
//! byte-wise string order is time order (sort keys, `between`). Years
//! outside 0000–9999 are refused. Reading accepts any RFC 3339 text (any
//! number of digits, any offset), so items written by other tools read back.
//!
//! Each storage holds its precision only and refuses a finer value (a
//! [`ConvertError`] naming the field, nothing sent) instead of silently
//! cutting it; add `truncate` (`#[dynamodel(date = "seconds", truncate)]`,
//! also with `millis`, `iso8601` and `iso8601_micros`) to round such values
//! toward the past instead, or `round` (with the same storages) to round to
//! the nearest unit as Dynamoose does for seconds (see [`super::rounding`]).
//! `created_at` / `updated_at` fields are set to the
//! millisecond (to the second when stored as exact seconds).
//!
//! A date-time field's typed handle takes the date-time itself in every
//! storage, in conditions (`eq`, `lt`, `between`, `is_in`...) and updates
//! (`set`, `set_if_not_exists`), and converts it exactly as a write of the
//! field would (with its `truncate`): `Session::fields().last_login.gt(ts)`
//! on a `date = "seconds"` field compares epoch seconds, on an `iso8601`
//! field the fixed-width text. The stored number or text is not accepted
//! (a compile error): a text in another format or a number in another unit
//! would compare silently wrong. To compare with a raw stored value, build
//! a handle of that type with `Field::dynamic`.
//!
//! A date-time can be a table or index key in every storage but the
//! truncating ones: `N` as millis or seconds, `S` as ISO 8601 (fixed width,
//! so a sort key orders by time). Keys given to get, delete, batches and
//! queries are converted through the field's storage, so they match the
//! stored item exactly.

#[allow(unused_imports)]
use aws_sdk_dynamodb::types::AttributeValue;

#[allow(unused_imports)]
use super::adapter::{Adapter, DateTimeValue, Millis};
#[allow(unused_imports)]
use super::{Attribute, ConvertError, KeyAttribute};
#[allow(unused_imports)]
use crate::schema::ScalarType;

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
            Ok(self.to_rfc3339_opts(SecondsFormat::Nanos, true))
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
        fn write_key_bytes(
            &self,
            out: &mut Vec<u8>,
        ) -> Result<crate::value::key_bytes::KeyBytes, ConvertError> {
            <Millis as Adapter<Self>>::write_key_bytes(self, out)
        }
        fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
            <Millis as Adapter<Self>>::from_attribute(value)
        }
    }

    /// A key as stored: epoch milliseconds (`N`).
    impl KeyAttribute for DateTime<Utc> {
        const SCALAR_TYPE: ScalarType = ScalarType::Number;
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
            // Nine fractional digits always, as chrono's `Nanos`.
            let utc = self.to_offset(UtcOffset::UTC);
            Ok(format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z",
                utc.year(),
                u8::from(utc.month()),
                utc.day(),
                utc.hour(),
                utc.minute(),
                utc.second(),
                utc.nanosecond()
            ))
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
        fn write_key_bytes(
            &self,
            out: &mut Vec<u8>,
        ) -> Result<crate::value::key_bytes::KeyBytes, ConvertError> {
            <Millis as Adapter<Self>>::write_key_bytes(self, out)
        }
        fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
            <Millis as Adapter<Self>>::from_attribute(value)
        }
    }

    /// A key as stored: epoch milliseconds (`N`).
    impl KeyAttribute for OffsetDateTime {
        const SCALAR_TYPE: ScalarType = ScalarType::Number;
    }
}

mod system_time_impl {
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use aws_smithy_types::date_time::{DateTime as SmithyDateTime, Format};

    use super::*;

    const NANOS_PER_SECOND: i128 = 1_000_000_000;

    /// Nanoseconds since the Unix epoch, negative before it.
    fn epoch_nanos(time: &SystemTime) -> Result<i128, ConvertError> {
        let (magnitude, negative) = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => (after.as_nanos(), false),
            Err(before) => (before.duration().as_nanos(), true),
        };
        let magnitude = i128::try_from(magnitude).map_err(|_| out_of_range())?;
        Ok(if negative { -magnitude } else { magnitude })
    }

    /// The time `nanos` nanoseconds after the Unix epoch (before it if negative).
    fn from_epoch_nanos(nanos: i128) -> Result<SystemTime, ConvertError> {
        let magnitude = nanos.unsigned_abs();
        let seconds = u64::try_from(magnitude / NANOS_PER_SECOND.unsigned_abs())
            .map_err(|_| out_of_range())?;
        let sub = u32::try_from(magnitude % NANOS_PER_SECOND.unsigned_abs())
            .map_err(|_| out_of_range())?;
        let offset = Duration::new(seconds, sub);
        if nanos >= 0 {
            UNIX_EPOCH.checked_add(offset)
        } else {
            UNIX_EPOCH.checked_sub(offset)
        }
        .ok_or_else(out_of_range)
    }

    fn whole(time: &SystemTime, nanos_per_unit: i128) -> Result<i64, ConvertError> {
        i64::try_from(epoch_nanos(time)?.div_euclid(nanos_per_unit)).map_err(|_| out_of_range())
    }

    impl DateTimeValue for SystemTime {
        fn to_millis(&self) -> Result<i64, ConvertError> {
            whole(self, 1_000_000)
        }
        fn from_millis(millis: i64) -> Result<Self, ConvertError> {
            from_epoch_nanos(i128::from(millis) * 1_000_000)
        }
        fn to_seconds(&self) -> Result<i64, ConvertError> {
            whole(self, NANOS_PER_SECOND)
        }
        fn from_seconds(seconds: i64) -> Result<Self, ConvertError> {
            from_epoch_nanos(i128::from(seconds) * NANOS_PER_SECOND)
        }
        fn to_iso8601(&self) -> Result<String, ConvertError> {
            // The whole second as the SDK writes it (`…T08:00:00Z`), then
            // nine fractional digits, as chrono's `Nanos`.
            let text = SmithyDateTime::from_secs(self.to_seconds()?)
                .fmt(Format::DateTime)
                .map_err(|_| out_of_range())?;
            let second = text.strip_suffix('Z').ok_or_else(out_of_range)?;
            Ok(format!("{second}.{:09}Z", self.subsec_nanos()))
        }
        fn from_iso8601(text: &str) -> Result<Self, ConvertError> {
            let parsed =
                SmithyDateTime::from_str(text, Format::DateTimeWithOffset).map_err(|_| {
                    ConvertError::Invalid("stored text is not an RFC 3339 date-time".into())
                })?;
            from_epoch_nanos(parsed.as_nanos())
        }
        fn subsec_nanos(&self) -> u32 {
            epoch_nanos(self).map_or(0, |nanos| {
                u32::try_from(nanos.rem_euclid(NANOS_PER_SECOND)).unwrap_or(0)
            })
        }
    }

    /// Stored as epoch milliseconds (`N`); see the module docs for other formats.
    impl Attribute for SystemTime {
        fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
            <Millis as Adapter<Self>>::to_attribute(self)
        }
        fn write_key_bytes(
            &self,
            out: &mut Vec<u8>,
        ) -> Result<crate::value::key_bytes::KeyBytes, ConvertError> {
            <Millis as Adapter<Self>>::write_key_bytes(self, out)
        }
        fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
            <Millis as Adapter<Self>>::from_attribute(value)
        }
    }

    /// A key as stored: epoch milliseconds (`N`).
    impl KeyAttribute for SystemTime {
        const SCALAR_TYPE: ScalarType = ScalarType::Number;
    }

    #[cfg(test)]
    mod tests {
        use super::super::super::adapter::{
            Iso8601, Iso8601MicrosRounded, Iso8601Nanos, Iso8601Rounded, MillisRounded,
        };
        use super::*;

        fn at(nanos: i128) -> SystemTime {
            from_epoch_nanos(nanos).unwrap()
        }

        fn text<A: Adapter<SystemTime>>(value: &SystemTime) -> Result<String, ConvertError> {
            match A::to_attribute(value)? {
                Some(AttributeValue::S(text)) => Ok(text),
                other => panic!("expected text, got {other:?}"),
            }
        }

        #[test]
        fn epoch_parts_round_toward_the_past_on_both_sides_of_1970() {
            let before = at(-1_500_000_001); // -1.500000001 s
            assert_eq!(before.to_seconds(), Ok(-2));
            assert_eq!(before.subsec_nanos(), 499_999_999);
            assert_eq!(before.to_millis(), Ok(-1_501));
            let after = at(12_345_678_901);
            assert_eq!(after.to_seconds(), Ok(12));
            assert_eq!(after.subsec_nanos(), 345_678_901);
            assert_eq!(after.to_millis(), Ok(12_345));
            assert_eq!(SystemTime::from_millis(-1_501), Ok(at(-1_501_000_000)));
            assert_eq!(SystemTime::from_seconds(-2), Ok(at(-2_000_000_000)));
            assert_eq!(SystemTime::from_seconds(12), Ok(at(12_000_000_000)));
        }

        #[test]
        fn iso8601_text_is_fixed_width_utc_and_reads_back_with_offsets() {
            // 2026-11-01T08:00:00Z plus 123456789 ns.
            let value = at(1_801_987_200_123_456_789);
            assert_eq!(
                value.to_iso8601().unwrap(),
                "2027-02-07T08:00:00.123456789Z"
            );
            assert_eq!(
                text::<Iso8601Nanos>(&value).unwrap(),
                "2027-02-07T08:00:00.123456789Z"
            );
            assert!(text::<Iso8601>(&value).is_err(), "finer than millis");
            assert_eq!(
                text::<Iso8601Rounded>(&value).unwrap(),
                "2027-02-07T08:00:00.123Z"
            );
            assert_eq!(
                text::<Iso8601MicrosRounded>(&value).unwrap(),
                "2027-02-07T08:00:00.123457Z"
            );
            let before = at(-1_000_000_000 + 250_000_000);
            assert_eq!(
                before.to_iso8601().unwrap(),
                "1969-12-31T23:59:59.250000000Z"
            );
            assert_eq!(
                SystemTime::from_iso8601("2027-02-07T09:00:00.123456789+01:00"),
                Ok(value)
            );
            assert_eq!(
                SystemTime::from_iso8601("1969-12-31T23:59:59.25Z"),
                Ok(before)
            );
            assert!(SystemTime::from_iso8601("yesterday").is_err());
        }

        #[test]
        fn rounding_carries_into_the_next_second_and_day() {
            // 1970-01-01T23:59:59.9996Z rounds up to the next day.
            let value = at(86_399_999_600_000);
            assert_eq!(
                text::<Iso8601Rounded>(&value).unwrap(),
                "1970-01-02T00:00:00.000Z"
            );
            assert_eq!(
                MillisRounded::to_attribute(&value).unwrap(),
                Some(AttributeValue::N("86400000".into()))
            );
            assert_eq!(
                MillisRounded::to_attribute(&at(86_399_999_400_000)).unwrap(),
                Some(AttributeValue::N("86399999".into()))
            );
            // Halves toward the future, before 1970 too: -0.0005 s is 0 ms.
            assert_eq!(
                MillisRounded::to_attribute(&at(-500_000)).unwrap(),
                Some(AttributeValue::N("0".into()))
            );
            assert_eq!(
                MillisRounded::to_attribute(&at(-500_001)).unwrap(),
                Some(AttributeValue::N("-1".into()))
            );
        }

        #[test]
        fn the_default_storage_is_exact_millis() {
            let value = at(1_500_000_000);
            assert_eq!(
                value.to_attribute().unwrap(),
                Some(AttributeValue::N("1500".into()))
            );
            assert_eq!(
                SystemTime::from_attribute(Some(AttributeValue::N("1500".into()))),
                Ok(value)
            );
            let refused = at(1_500_000_001).to_attribute().unwrap_err().to_string();
            assert!(refused.contains("round"), "{refused}");
            assert!(refused.contains("truncate"), "{refused}");
            assert_eq!(
                <SystemTime as KeyAttribute>::SCALAR_TYPE,
                ScalarType::Number
            );
        }
    }
}

#[cfg(all(test, feature = "chrono", feature = "time"))]
mod tests {
    use super::super::adapter::{
        Iso8601, Iso8601Micros, Iso8601MicrosTruncated, Iso8601Nanos, Iso8601Truncated,
    };
    use super::*;

    fn text<A: Adapter<T>, T>(value: &T) -> Result<String, ConvertError> {
        match A::to_attribute(value)? {
            Some(AttributeValue::S(text)) => Ok(text),
            other => panic!("expected text, got {other:?}"),
        }
    }

    fn chrono_at(seconds: i64, nanos: u32) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp(seconds, nanos).unwrap()
    }

    fn time_at(seconds: i64, nanos: u32) -> time::OffsetDateTime {
        time::OffsetDateTime::from_unix_timestamp_nanos(
            i128::from(seconds) * 1_000_000_000 + i128::from(nanos),
        )
        .unwrap()
    }

    #[test]
    fn chrono_and_time_write_one_fixed_width_text() {
        // 2026-11-01T08:00:00Z
        let s = 1_793_520_000;
        for (nanos, millis) in [
            (0, "2026-11-01T08:00:00.000Z"),
            (500_000_000, "2026-11-01T08:00:00.500Z"),
            (7_000_000, "2026-11-01T08:00:00.007Z"),
        ] {
            assert_eq!(text::<Iso8601, _>(&chrono_at(s, nanos)).unwrap(), millis);
            assert_eq!(text::<Iso8601, _>(&time_at(s, nanos)).unwrap(), millis);
        }
        let precise = 123_456_789;
        assert_eq!(
            text::<Iso8601Nanos, _>(&time_at(s, precise)).unwrap(),
            "2026-11-01T08:00:00.123456789Z"
        );
        assert_eq!(
            text::<Iso8601Nanos, _>(&chrono_at(s, precise)).unwrap(),
            "2026-11-01T08:00:00.123456789Z"
        );
        assert_eq!(
            text::<Iso8601Micros, _>(&chrono_at(s, 123_456_000)).unwrap(),
            "2026-11-01T08:00:00.123456Z"
        );
        assert_eq!(
            text::<Iso8601Truncated, _>(&time_at(s, precise)).unwrap(),
            "2026-11-01T08:00:00.123Z"
        );
        assert_eq!(
            text::<Iso8601MicrosTruncated, _>(&chrono_at(s, precise)).unwrap(),
            "2026-11-01T08:00:00.123456Z"
        );
        // A time with an offset is written in UTC.
        let offset = time_at(s, 0).to_offset(time::UtcOffset::from_hms(2, 0, 0).unwrap());
        assert_eq!(
            text::<Iso8601, _>(&offset).unwrap(),
            "2026-11-01T08:00:00.000Z"
        );
        // Before 1970 and at the edges of four-digit years.
        assert_eq!(
            text::<Iso8601, _>(&chrono_at(-1, 500_000_000)).unwrap(),
            "1969-12-31T23:59:59.500Z"
        );
        let last = time_at(253_402_300_799, 999_999_999);
        assert_eq!(
            text::<Iso8601Nanos, _>(&last).unwrap(),
            "9999-12-31T23:59:59.999999999Z"
        );
    }

    #[test]
    fn finer_values_are_refused_unless_truncated() {
        let s = 1_793_520_000;
        for err in [
            text::<Iso8601, _>(&chrono_at(s, 1_000)).unwrap_err(),
            text::<Iso8601, _>(&time_at(s, 1)).unwrap_err(),
            text::<Iso8601Micros, _>(&time_at(s, 1)).unwrap_err(),
        ] {
            let message = err.to_string();
            assert!(message.contains("truncate"), "{message}");
            assert!(message.contains("iso8601"), "{message}");
        }
        assert!(text::<Iso8601Micros, _>(&time_at(s, 1_000)).is_ok());
    }

    #[test]
    fn years_outside_four_digits_are_refused() {
        let far = chrono::DateTime::from_timestamp(253_402_300_800, 0).unwrap(); // 10000-01-01
        assert!(matches!(
            text::<Iso8601, _>(&far),
            Err(ConvertError::OutOfRange { .. })
        ));
        let before = time::OffsetDateTime::from_unix_timestamp(-62_167_219_201).unwrap(); // -0001
        assert!(matches!(
            text::<Iso8601, _>(&before),
            Err(ConvertError::OutOfRange { .. })
        ));
        let year_zero = time::OffsetDateTime::from_unix_timestamp(-62_167_219_200).unwrap();
        assert_eq!(
            text::<Iso8601, _>(&year_zero).unwrap(),
            "0000-01-01T00:00:00.000Z"
        );
    }

    #[test]
    fn any_rfc3339_text_reads_back() {
        let expected = chrono_at(1_793_520_000, 500_000_000);
        for stored in [
            "2026-11-01T08:00:00.5Z",
            "2026-11-01T08:00:00.500Z",
            "2026-11-01T08:00:00.500000000Z",
            "2026-11-01T10:00:00.5+02:00",
        ] {
            let value = Some(AttributeValue::S(stored.into()));
            let read: chrono::DateTime<chrono::Utc> =
                <Iso8601 as Adapter<_>>::from_attribute(value.clone()).unwrap();
            assert_eq!(read, expected, "{stored}");
            let read: time::OffsetDateTime =
                <Iso8601 as Adapter<_>>::from_attribute(value).unwrap();
            assert_eq!(read, time_at(1_793_520_000, 500_000_000), "{stored}");
        }
    }
}
