//! A key value's canonical bytes (a type tag, a 4-byte big-endian length,
//! the bytes: the form batches and transactions compare keys in) written straight
//! from the field, without building its [`AttributeValue`] first: the
//! slice batch's key pass writes every key of the call this way.
//!
//! Guarantee: for every value, [`Attribute::write_key_bytes`] writes the
//! bytes of [`Attribute::to_attribute`]'s answer as a key value, and fails
//! with the same [`ConvertError`] (each override is tested against that
//! default).
//!
//! [`Attribute::write_key_bytes`]: super::Attribute::write_key_bytes
//! [`Attribute::to_attribute`]: super::Attribute::to_attribute
//! [`ConvertError`]: super::ConvertError

use aws_sdk_dynamodb::types::AttributeValue;

/// What writing a value's key bytes did.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyBytes {
    /// The value's tag, length and bytes were appended.
    Written,
    /// The value is stored as no attribute (nothing appended): a key
    /// lacking it is refused as missing.
    Absent,
    /// The value is stored as a type no key can have (not `S`, `N` or
    /// `B`); nothing appended.
    NotAKey,
}

/// The tag of a string (`S`) key value.
pub(crate) const STRING: u8 = b'S';
/// The tag of a number (`N`) key value.
pub(crate) const NUMBER: u8 = b'N';
/// The tag of a binary (`B`) key value.
pub(crate) const BINARY: u8 = b'B';

/// Appends `tag`, the length of `bytes` (4 bytes, big-endian) and `bytes`.
#[inline]
pub(crate) fn write_tagged(out: &mut Vec<u8>, tag: u8, bytes: &[u8]) -> KeyBytes {
    out.push(tag);
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
    KeyBytes::Written
}

/// The key bytes of a value as converted (`None`: stored as no attribute):
/// the default of [`super::Attribute::write_key_bytes`].
pub(crate) fn of_converted(converted: Option<AttributeValue>, out: &mut Vec<u8>) -> KeyBytes {
    match converted {
        None => KeyBytes::Absent,
        Some(value) => match crate::schema::key_value_bytes(out, &value) {
            Some(()) => KeyBytes::Written,
            None => KeyBytes::NotAKey,
        },
    }
}

/// The key bytes of the number text `text` (an `N`).
#[inline]
pub(crate) fn write_number(out: &mut Vec<u8>, text: &str) -> KeyBytes {
    write_tagged(out, NUMBER, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::super::adapter::Adapter;
    use super::super::{Attribute, Binary, ConvertError, Number};
    use super::*;

    #[test]
    fn tagged_bytes_are_tag_length_then_bytes() {
        let mut out = b"x".to_vec();
        assert_eq!(write_tagged(&mut out, STRING, b"ab"), KeyBytes::Written);
        assert_eq!(out, b"xS\0\0\0\x02ab");
        let long = vec![7u8; 0x0102];
        let mut out = Vec::new();
        write_tagged(&mut out, BINARY, &long);
        assert_eq!(&out[..5], b"B\0\0\x01\x02");
        assert_eq!(&out[5..], &long[..]);
        let mut out = Vec::new();
        assert_eq!(write_number(&mut out, "-1"), KeyBytes::Written);
        assert_eq!(out, b"N\0\0\0\x02-1");
    }

    #[test]
    fn converted_values_give_their_key_bytes_or_say_why_not() {
        let mut out = Vec::new();
        assert_eq!(of_converted(None, &mut out), KeyBytes::Absent);
        assert_eq!(
            of_converted(Some(AttributeValue::Bool(true)), &mut out),
            KeyBytes::NotAKey
        );
        assert!(out.is_empty());
        assert_eq!(
            of_converted(Some(AttributeValue::N("12".into())), &mut out),
            KeyBytes::Written
        );
        assert_eq!(out, b"N\0\0\0\x0212");
    }

    /// What the default (converting first) writes for `value`, or its error.
    fn by_conversion<T: Attribute>(value: &T) -> (Result<KeyBytes, ConvertError>, Vec<u8>) {
        let mut out = b"pre".to_vec();
        let answer = value.to_attribute().map(|v| of_converted(v, &mut out));
        (answer, out)
    }

    /// `value`'s own `write_key_bytes` agrees with the default: the same
    /// answer and bytes (appended), or the same error. Returns the bytes
    /// written after the prefix.
    fn agrees<T: Attribute>(value: &T) -> Vec<u8> {
        let mut out = b"pre".to_vec();
        let answer = value.write_key_bytes(&mut out);
        let (expected, expected_out) = by_conversion(value);
        assert_eq!(answer, expected);
        if answer.is_ok() {
            assert_eq!(out, expected_out);
        }
        out.split_off(3)
    }

    /// [`agrees`], through adapter `A`.
    fn adapter_agrees<T, A: Adapter<T>>(value: &T) -> Result<Vec<u8>, ConvertError> {
        let mut out = b"pre".to_vec();
        let answer = A::write_key_bytes(value, &mut out);
        let mut expected_out = b"pre".to_vec();
        let expected = A::to_attribute(value).map(|v| of_converted(v, &mut expected_out));
        assert_eq!(answer, expected);
        answer?;
        assert_eq!(out, expected_out);
        Ok(out.split_off(3))
    }

    #[test]
    fn strings_write_their_bytes() {
        assert_eq!(agrees(&"ab".to_owned()), b"S\0\0\0\x02ab");
        assert_eq!(agrees(&String::new()), b"S\0\0\0\0");
        assert_eq!(agrees(&"é#".to_owned()), "S\0\0\0\x03é#".as_bytes());
    }

    #[test]
    fn integers_write_their_digits() {
        macro_rules! extremes {
            ($($t:ty),*) => {$(
                for value in [<$t>::MIN, <$t>::MAX, 0, 1, 7] {
                    let written = agrees(&value);
                    if value.to_attribute().is_err() {
                        // Past 38 digits (128 bits): refused alike.
                        assert_eq!(written, b"");
                        continue;
                    }
                    assert_eq!(written[0], NUMBER);
                    assert_eq!(&written[5..], value.to_string().as_bytes());
                }
            )*};
        }
        extremes!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);
        assert_eq!(agrees(&-42i64), b"N\0\0\0\x03-42");
        // 39 significant digits: refused as a conversion refuses it.
        let mut out = Vec::new();
        assert_eq!(
            u128::MAX.write_key_bytes(&mut out),
            Err(ConvertError::OutOfRange { target: "u128" })
        );
        assert_eq!(
            i128::MIN.write_key_bytes(&mut out),
            Err(ConvertError::OutOfRange { target: "i128" })
        );
        assert!(out.is_empty());
        // 38 digits, trailing zeros aside, pass.
        let wide: u128 = 10u128.pow(38);
        assert_eq!(&agrees(&wide)[5..], wide.to_string().as_bytes());
    }

    #[test]
    fn numbers_and_binaries_write_their_text_and_bytes() {
        let number: Number = "-12.50".parse().unwrap();
        assert_eq!(agrees(&number), b"N\0\0\0\x05-12.5");
        assert_eq!(agrees(&Binary::from(vec![0u8, 255])), b"B\0\0\0\x02\0\xff");
        assert_eq!(agrees(&Binary::from(Vec::new())), b"B\0\0\0\0");
        assert_eq!(
            agrees(&bytes::Bytes::from_static(&[9, 8, 7])),
            b"B\0\0\0\x03\x09\x08\x07"
        );
    }

    #[test]
    fn types_without_an_override_convert_first() {
        assert_eq!(agrees(&true), b"");
        let mut out = Vec::new();
        assert_eq!(true.write_key_bytes(&mut out), Ok(KeyBytes::NotAKey));
        assert_eq!(
            None::<String>.write_key_bytes(&mut out),
            Ok(KeyBytes::Absent)
        );
        assert_eq!(
            Some("a".to_owned()).write_key_bytes(&mut out),
            Ok(KeyBytes::Written)
        );
        assert_eq!(out, b"S\0\0\0\x01a");
    }

    #[test]
    fn key_text_writes_its_text_or_its_error() {
        use crate::key::template::{KeyText, Segment};
        let text = KeyText::render(&[Segment::Text("A#"), Segment::Value("id", &7u8)]);
        let written = agrees(&text);
        assert_eq!(&written[..5], b"S\0\0\0\x05");
        assert!(written.starts_with(b"S\0\0\0\x05A#"));
        struct Failing;
        impl crate::key::template::KeyPart for Failing {
            fn write_key_part(&self, _: &mut String) -> Result<(), ConvertError> {
                Err(ConvertError::Invalid("no".into()))
            }
        }
        let refused = KeyText::render(&[Segment::Value("f", &Failing)]);
        let mut out = Vec::new();
        let error = refused.write_key_bytes(&mut out).unwrap_err();
        assert_eq!(Err(error), refused.to_attribute());
        assert!(out.is_empty());
    }

    #[test]
    fn date_storages_write_the_number_or_text_they_store() {
        use super::super::adapter::{Iso8601, Millis, Native, Seconds};
        use std::time::{Duration, SystemTime, UNIX_EPOCH};
        let at = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
        assert_eq!(
            adapter_agrees::<_, Millis>(&at).unwrap(),
            b"N\0\0\0\x0d1700000000123"
        );
        assert_eq!(adapter_agrees::<_, Native>(&at).unwrap(), agrees(&at));
        assert_eq!(agrees(&at), b"N\0\0\0\x0d1700000000123");
        // Finer than the storage: refused, as the conversion refuses it.
        assert!(adapter_agrees::<_, Seconds>(&at).is_err());
        let whole = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            adapter_agrees::<_, Seconds>(&whole).unwrap(),
            b"N\0\0\0\x0a1700000000"
        );
        let before: SystemTime = UNIX_EPOCH - Duration::from_millis(1_500);
        assert_eq!(
            adapter_agrees::<_, Millis>(&before).unwrap(),
            b"N\0\0\0\x05-1500"
        );
        assert!(adapter_agrees::<_, Millis>(&(at + Duration::from_nanos(1))).is_err());
        let iso = adapter_agrees::<_, Iso8601>(&at).unwrap();
        assert_eq!(iso, b"S\0\0\0\x182023-11-14T22:13:20.123Z");
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_date_times_write_their_millis() {
        let at = chrono::DateTime::from_timestamp_millis(-86_400_001).unwrap();
        assert_eq!(agrees(&at), b"N\0\0\0\x09-86400001");
    }

    #[cfg(feature = "time")]
    #[test]
    fn time_date_times_write_their_millis() {
        let at = time::OffsetDateTime::from_unix_timestamp_nanos(1_000_000_000).unwrap();
        assert_eq!(agrees(&at), b"N\0\0\0\x041000");
    }

    #[cfg(feature = "uuid")]
    #[test]
    fn uuids_write_their_hyphenated_text() {
        let id = uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        assert_eq!(
            agrees(&id),
            b"S\0\0\0\x2401234567-89ab-cdef-0123-456789abcdef"
        );
    }

    #[cfg(feature = "ulid")]
    #[test]
    fn ulids_write_their_text() {
        let id = ulid::Ulid::from_parts(1_700_000_000_000, 42);
        let written = agrees(&id);
        assert_eq!(&written[..5], b"S\0\0\0\x1a");
        assert_eq!(&written[5..], id.to_string().as_bytes());
    }

    #[test]
    fn stored_keys_write_through_their_storage() {
        use super::super::adapter::Seconds;
        use crate::key::StoredKey;
        use std::time::{Duration, SystemTime, UNIX_EPOCH};
        let key = StoredKey::<SystemTime, Seconds>::from(UNIX_EPOCH + Duration::from_secs(9));
        assert_eq!(agrees(&key), b"N\0\0\0\x019");
    }
}
