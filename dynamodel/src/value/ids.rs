//! Identifiers: `uuid::Uuid` (feature `uuid`) and `ulid::Ulid` (feature
//! `ulid`), stored as `S` in their canonical text: a UUID as 36 lowercase
//! hyphenated characters (`0191b3c4-...`), a ULID as 26 Crockford base32
//! characters (`01J6...`). Both are fixed width, so string order is byte
//! order: UUID v7 and ULID values sort by creation time in a sort key or a
//! key template.
//!
//! A stored text that does not parse is refused with
//! an `Invalid` [conversion error](super::ConvertError::Invalid) naming the type, never the text.

#[cfg(any(feature = "uuid", feature = "ulid"))]
use aws_sdk_dynamodb::types::AttributeValue;

#[cfg(any(feature = "uuid", feature = "ulid"))]
use super::key_bytes::{write_tagged, STRING};
#[cfg(any(feature = "uuid", feature = "ulid"))]
use super::{mismatch, present, Attribute, ConvertError, KeyAttribute};
#[cfg(any(feature = "uuid", feature = "ulid"))]
use crate::key::template::KeyPart;
#[cfg(any(feature = "uuid", feature = "ulid"))]
use crate::schema::ScalarType;
#[cfg(any(feature = "uuid", feature = "ulid"))]
use crate::settings::Emptiable;

/// Reads a stored `S` and parses it with `parse`; `what` names the type in
/// the error (the text itself may be personal data and is not shown).
#[cfg(any(feature = "uuid", feature = "ulid"))]
fn parse_text<T, E>(
    value: Option<AttributeValue>,
    what: &'static str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<T, ConvertError> {
    match present(value)? {
        AttributeValue::S(text) => {
            parse(&text).map_err(|_| ConvertError::Invalid(format!("not a valid {what}")))
        }
        other => Err(mismatch("S", &other)),
    }
}

#[cfg(feature = "uuid")]
mod uuid_impl {
    use super::*;
    use uuid::Uuid;

    impl Attribute for Uuid {
        fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
            // Encoded on the stack, then copied once into an exact string
            // (`to_string` grows its string through the formatter).
            let mut text = Uuid::encode_buffer();
            let text = self.hyphenated().encode_lower(&mut text);
            Ok(Some(AttributeValue::S(String::from(&*text))))
        }

        fn write_key_bytes(
            &self,
            out: &mut Vec<u8>,
        ) -> Result<crate::value::key_bytes::KeyBytes, ConvertError> {
            let mut text = Uuid::encode_buffer();
            let text = self.hyphenated().encode_lower(&mut text);
            Ok(write_tagged(out, STRING, text.as_bytes()))
        }

        fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
            parse_text(value, "UUID", Uuid::parse_str)
        }
    }

    impl KeyAttribute for Uuid {
        const SCALAR_TYPE: ScalarType = ScalarType::String;
    }

    impl KeyPart for Uuid {
        fn write_key_part(&self, out: &mut String) -> Result<(), ConvertError> {
            // Hex digits and hyphens: nothing to escape.
            out.push_str(self.hyphenated().encode_lower(&mut Uuid::encode_buffer()));
            Ok(())
        }
    }

    /// The nil UUID (all zeros) is absent: `default` and `generate` fill it.
    impl Emptiable for Uuid {
        fn is_absent(&self) -> bool {
            self.is_nil()
        }
    }
}

#[cfg(feature = "ulid")]
mod ulid_impl {
    use super::*;
    use ulid::Ulid;

    impl Attribute for Ulid {
        fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
            Ok(Some(AttributeValue::S(self.to_string())))
        }

        fn write_key_bytes(
            &self,
            out: &mut Vec<u8>,
        ) -> Result<crate::value::key_bytes::KeyBytes, ConvertError> {
            let mut text = [0; ulid::ULID_LEN];
            let text = self.array_to_str(&mut text);
            Ok(write_tagged(out, STRING, text.as_bytes()))
        }

        fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
            parse_text(value, "ULID", Ulid::from_string)
        }
    }

    impl KeyAttribute for Ulid {
        const SCALAR_TYPE: ScalarType = ScalarType::String;
    }

    impl KeyPart for Ulid {
        fn write_key_part(&self, out: &mut String) -> Result<(), ConvertError> {
            // Crockford base32: nothing to escape.
            out.push_str(&self.to_string());
            Ok(())
        }
    }

    /// The nil ULID (all zeros) is absent: `default` and `generate` fill it.
    impl Emptiable for Ulid {
        fn is_absent(&self) -> bool {
            self.is_nil()
        }
    }
}

#[cfg(all(test, feature = "uuid", feature = "ulid"))]
mod tests {
    use super::*;
    use ulid::Ulid;
    use uuid::Uuid;

    #[test]
    fn uuid_round_trips_as_lowercase_hyphenated_text() {
        let id = Uuid::from_u128(0x0191_B3C4_AAAA_7BBB_8CCC_DDDD_EEEE_FFFF);
        let stored = id.to_attribute().unwrap().unwrap();
        assert_eq!(
            stored,
            AttributeValue::S("0191b3c4-aaaa-7bbb-8ccc-ddddeeeeffff".into())
        );
        assert_eq!(Uuid::from_attribute(Some(stored)).unwrap(), id);
        let mut part = String::from("P#");
        id.write_key_part(&mut part).unwrap();
        assert_eq!(part, "P#0191b3c4-aaaa-7bbb-8ccc-ddddeeeeffff");
        assert_eq!(Uuid::SCALAR_TYPE, ScalarType::String);
    }

    #[test]
    fn ulid_round_trips_as_crockford_text() {
        let id = Ulid::from_parts(1_793_520_000_000, 42);
        let stored = id.to_attribute().unwrap().unwrap();
        assert_eq!(stored, AttributeValue::S(id.to_string()));
        assert_eq!(id.to_string().len(), 26);
        assert_eq!(Ulid::from_attribute(Some(stored)).unwrap(), id);
        let mut part = String::new();
        id.write_key_part(&mut part).unwrap();
        assert_eq!(part, id.to_string());
        assert_eq!(Ulid::SCALAR_TYPE, ScalarType::String);
    }

    #[test]
    fn bad_text_is_refused_without_showing_it() {
        let bad = Some(AttributeValue::S("secret-not-an-id".into()));
        for err in [
            Uuid::from_attribute(bad.clone()).unwrap_err(),
            Ulid::from_attribute(bad).unwrap_err(),
        ] {
            assert!(matches!(err, ConvertError::Invalid(_)));
            assert!(!err.to_string().contains("secret"));
        }
        assert!(matches!(
            Uuid::from_attribute(Some(AttributeValue::N("1".into()))),
            Err(ConvertError::TypeMismatch {
                expected: "S",
                found: "N"
            })
        ));
        assert!(matches!(
            Ulid::from_attribute(None),
            Err(ConvertError::Missing)
        ));
    }

    #[test]
    fn nil_ids_are_absent() {
        assert!(Uuid::nil().is_absent());
        assert!(!Uuid::now_v7().is_absent());
        assert!(Ulid::nil().is_absent());
        assert!(!Ulid::generate().is_absent());
    }
}
