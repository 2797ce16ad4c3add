//! The text encoding of key templates: how each field value is written into
//! a key such as `ORDER#{placed_at}#{order_id}`.
//!
//! Guarantees (each pinned by a property test below):
//!
//! - **Injective.** Two different tuples of field values render two
//!   different keys. Strings are escaped: `%` is written `%25` and the
//!   delimiter `#` is written `%23`, so an encoded string never contains
//!   `#`; every other encoding (numbers, date-times) never contains `#` or
//!   `%` either. The derive requires every `{field}` of a template to be
//!   preceded by `#` (or the start) and followed by `#` (or the end), so the
//!   `#` after a field always ends it: an id such as `1#ORDER#9` is stored
//!   as `1%23ORDER%239` and cannot be mistaken for three segments.
//! - **No prefix widening.** A typed prefix (the template up to and
//!   including the `#` after some field) matches exactly the items whose
//!   fields up to that one are equal to the ones given: no value of another
//!   item, tenant or entity can extend it, since that value would need a
//!   `#` of its own.
//! - **Order.** Integers (signed and unsigned), [`Number`] and date-times
//!   are written so that the text order of the keys is the order of the
//!   values, negative numbers included:
//!   - an unsigned integer is its decimal digits, zero-padded to the width
//!     of its type's maximum (`u32`: 10 digits);
//!   - a signed integer is biased by its type's minimum (`value - MIN`, the
//!     two's complement with the sign bit flipped), then written like the
//!     unsigned type of its width (`i64`: 20 digits, `-1` is
//!     `09223372036854775807`, `0` is `09223372036854775808`);
//!   - a [`Number`] is a sign class (`0` negative, `1` zero, `2` positive),
//!     a three-digit exponent and the significant digits; for negative
//!     numbers the exponent and digits are complemented and a `~` ends the
//!     digits, so a larger magnitude sorts first;
//!   - a date-time is RFC 3339 in UTC with nine fractional digits
//!     (`2026-01-02T03:04:05.000000000Z`), years 0000 to 9999 (others are
//!     refused with a [`ConvertError`], never written out of order).
//!
//! Keys are written, never parsed: reads decode the fields from their own
//! attributes.

use aws_sdk_dynamodb::types::AttributeValue;

use crate::schema::ScalarType;
use crate::value::{Attribute, ConvertError, KeyAttribute, Number};

/// The character that separates the segments of a key template.
pub const DELIMITER: char = '#';

/// The character that starts an escape in an encoded string.
pub const ESCAPE: char = '%';

/// A type whose values can be written into a key template
/// (`#[dynamodel(pk = "CUSTOMER#{customer_id}")]`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be written into a key template",
    label = "key templates hold strings, integers, `dynamodel::Number` and date-times",
    note = "a key template needs an encoding whose text order is the value order; store this field as an ordinary attribute instead"
)]
pub trait KeyPart {
    /// Appends this value's encoding (see the module docs) to `out`.
    fn write_key_part(&self, out: &mut String) -> Result<(), ConvertError>;
}

/// One piece of a key template being rendered: fixed text, or a field's
/// value with the field's name (for errors).
#[derive(Clone, Copy)]
pub enum Segment<'a> {
    /// Text written as is.
    Text(&'static str),
    /// A field's value, encoded; the name locates a failure.
    Value(&'static str, &'a dyn KeyPart),
}

/// Renders a template's segments in order; a value that cannot be encoded
/// fails with a [`ConvertError::At`] naming its field.
pub fn render(segments: &[Segment<'_>]) -> Result<String, ConvertError> {
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Text(text) => out.push_str(text),
            Segment::Value(name, value) => value
                .write_key_part(&mut out)
                .map_err(|source| source.at(name))?,
        }
    }
    Ok(out)
}

/// A rendered key value (always stored as a string, `S`), or why it could
/// not be rendered: the key types the derive generates for templates wrap
/// one, and converting it reports the error, naming the field.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyText(Result<String, ConvertError>);

impl KeyText {
    /// Renders `segments` (see [`render`]).
    pub fn render(segments: &[Segment<'_>]) -> Self {
        KeyText(render(segments))
    }

    /// The rendered text, moved out (what [`Attribute::to_attribute`]
    /// copies), or the error of the field that could not be rendered.
    pub(crate) fn into_text(self) -> Result<String, ConvertError> {
        self.0
    }
}

impl std::fmt::Debug for KeyText {
    // A key holds field values, which may be personal data.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyText(..)")
    }
}

impl Attribute for KeyText {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        self.0.clone().map(|text| Some(AttributeValue::S(text)))
    }

    fn write_key_bytes(
        &self,
        out: &mut Vec<u8>,
    ) -> Result<crate::value::key_bytes::KeyBytes, ConvertError> {
        use crate::value::key_bytes::{write_tagged, STRING};
        match &self.0 {
            Ok(text) => Ok(write_tagged(out, STRING, text.as_bytes())),
            Err(err) => Err(err.clone()),
        }
    }

    fn from_attribute(_: Option<AttributeValue>) -> Result<Self, ConvertError> {
        Err(ConvertError::Invalid(
            "a key template is written from the fields, never read back".into(),
        ))
    }
}

impl KeyAttribute for KeyText {
    const SCALAR_TYPE: ScalarType = ScalarType::String;
}

/// One index key template, as the derive describes it for updates
/// (`gsi(name = "gsi1", sk = "STATUS#{status}#{placed_at}")`): an update
/// that writes one of its fields writes the index attribute too, rendered
/// from the new values (see `crate::ops::update`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexKeyTemplate {
    /// The index whose key this template composes.
    pub index: &'static str,
    /// The attribute the template writes (`gsi1sk`).
    pub attribute: &'static str,
    /// The template's pieces, in order.
    pub pieces: &'static [TemplatePiece],
}

/// One piece of an [`IndexKeyTemplate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplatePiece {
    /// Text written as is.
    Text(&'static str),
    /// A field's value.
    Field {
        /// The field's stored attribute name.
        attribute: &'static str,
        /// Whether the field is an `Option`: `None` writes no index
        /// attribute (a sparse index).
        optional: bool,
    },
}

impl IndexKeyTemplate {
    /// The stored names of the fields the template names, in order.
    pub fn fields(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.pieces.iter().filter_map(|piece| match piece {
            TemplatePiece::Field { attribute, .. } => Some(*attribute),
            TemplatePiece::Text(_) => None,
        })
    }

    /// Whether the template names the field stored as `attribute`.
    pub fn names(&self, attribute: &str) -> bool {
        self.fields().any(|field| field == attribute)
    }

    /// Whether the field stored as `attribute` is an `Option` the template names.
    pub fn is_optional(&self, attribute: &str) -> bool {
        self.pieces.iter().any(|piece| {
            matches!(piece, TemplatePiece::Field { attribute: a, optional: true } if *a == attribute)
        })
    }

    /// Renders the template from its fields' encodings (what
    /// [`KeyPart::write_key_part`] wrote for each value), through
    /// [`render`] like a whole-item write, so the text is the same; `part`
    /// answers each field's encoding by stored name (every field must have one).
    pub fn render_encoded<'a>(
        &self,
        part: impl Fn(&str) -> Option<&'a str>,
    ) -> Result<String, ConvertError> {
        let encoded: Vec<Option<Encoded<'a>>> = self
            .pieces
            .iter()
            .map(|piece| match piece {
                TemplatePiece::Field { attribute, .. } => part(attribute).map(Encoded),
                TemplatePiece::Text(_) => None,
            })
            .collect();
        let mut segments = Vec::with_capacity(self.pieces.len());
        for (piece, encoded) in self.pieces.iter().zip(&encoded) {
            segments.push(match (piece, encoded) {
                (TemplatePiece::Text(text), _) => Segment::Text(text),
                (TemplatePiece::Field { attribute, .. }, Some(encoded)) => {
                    Segment::Value(attribute, encoded)
                }
                (TemplatePiece::Field { attribute, .. }, None) => {
                    return Err(ConvertError::Missing.at(attribute))
                }
            });
        }
        render(&segments)
    }
}

/// A value already encoded by [`KeyPart::write_key_part`], written as is.
struct Encoded<'a>(&'a str);

impl KeyPart for Encoded<'_> {
    fn write_key_part(&self, out: &mut String) -> Result<(), ConvertError> {
        out.push_str(self.0);
        Ok(())
    }
}

/// The encoding of `value` alone (what it writes into a key template).
pub fn encode_part<T: KeyPart + ?Sized>(value: &T) -> Result<String, ConvertError> {
    let mut out = String::new();
    value.write_key_part(&mut out)?;
    Ok(out)
}

impl KeyPart for String {
    fn write_key_part(&self, out: &mut String) -> Result<(), ConvertError> {
        self.as_str().write_key_part(out)
    }
}

impl KeyPart for str {
    fn write_key_part(&self, out: &mut String) -> Result<(), ConvertError> {
        for c in self.chars() {
            match c {
                ESCAPE => out.push_str("%25"),
                DELIMITER => out.push_str("%23"),
                c => out.push(c),
            }
        }
        Ok(())
    }
}

impl<T: KeyPart + ?Sized> KeyPart for &T {
    fn write_key_part(&self, out: &mut String) -> Result<(), ConvertError> {
        (**self).write_key_part(out)
    }
}

/// Writes `value` zero-padded to the number of digits of `max`.
fn write_padded(out: &mut String, value: u128, max: u128) {
    let width = max.to_string().len();
    out.push_str(&format!("{value:0width$}"));
}

macro_rules! unsigned_key_part {
    ($($t:ty),*) => {$(
        impl KeyPart for $t {
            fn write_key_part(&self, out: &mut String) -> Result<(), ConvertError> {
                write_padded(out, *self as u128, <$t>::MAX as u128);
                Ok(())
            }
        }
    )*};
}

macro_rules! signed_key_part {
    ($($t:ty => $u:ty),*) => {$(
        impl KeyPart for $t {
            fn write_key_part(&self, out: &mut String) -> Result<(), ConvertError> {
                // Flipping the sign bit maps MIN..=MAX onto 0..=MAX of the
                // unsigned type, in order.
                let biased = (*self as $u) ^ (1 as $u).rotate_right(1);
                write_padded(out, biased as u128, <$u>::MAX as u128);
                Ok(())
            }
        }
    )*};
}

unsigned_key_part!(u8, u16, u32, u64, u128, usize);
signed_key_part!(i8 => u8, i16 => u16, i32 => u32, i64 => u64, i128 => u128, isize => usize);

/// DynamoDB exponents (value = 0.d × 10^e) lie in -129..=126; biased by
/// this they fit three digits.
const EXPONENT_BIAS: i64 = 130;

impl KeyPart for Number {
    fn write_key_part(&self, out: &mut String) -> Result<(), ConvertError> {
        let (negative, digits, exponent) = self.sortable_parts();
        if digits.is_empty() {
            out.push('1');
            return Ok(());
        }
        let biased = exponent + EXPONENT_BIAS;
        let digit = |d: u8| char::from(b'0' + d);
        if negative {
            out.push('0');
            out.push_str(&format!("{:03}", 999 - biased));
            out.extend(digits.iter().map(|d| digit(9 - d)));
            // Ends the digits above any digit: of two negatives whose
            // digits one prefixes, the longer (larger magnitude) sorts first.
            out.push('~');
        } else {
            out.push('2');
            out.push_str(&format!("{biased:03}"));
            out.extend(digits.iter().map(|d| digit(*d)));
        }
        Ok(())
    }
}

/// Writes a UTC date-time, fixed width, refusing years outside 0000..=9999
/// (their text would not sort).
#[allow(dead_code)]
fn write_date_time(
    out: &mut String,
    (year, month, day): (i32, u8, u8),
    (hour, minute, second, nanos): (u8, u8, u8, u32),
) -> Result<(), ConvertError> {
    if !(0..=9999).contains(&year) {
        return Err(ConvertError::OutOfRange {
            target: "a key date-time (years 0000 to 9999)",
        });
    }
    out.push_str(&format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{nanos:09}Z"
    ));
    Ok(())
}

#[cfg(feature = "chrono")]
impl KeyPart for chrono::DateTime<chrono::Utc> {
    fn write_key_part(&self, out: &mut String) -> Result<(), ConvertError> {
        use chrono::{Datelike, Timelike};
        // A leap second (nanos >= 1e9) keeps its place after second 59.
        write_date_time(
            out,
            (self.year(), self.month() as u8, self.day() as u8),
            (
                self.hour() as u8,
                self.minute() as u8,
                self.second() as u8,
                self.nanosecond(),
            ),
        )
    }
}

#[cfg(feature = "time")]
impl KeyPart for time::OffsetDateTime {
    fn write_key_part(&self, out: &mut String) -> Result<(), ConvertError> {
        let utc = self.to_offset(time::UtcOffset::UTC);
        write_date_time(
            out,
            (utc.year(), u8::from(utc.month()), utc.day()),
            (utc.hour(), utc.minute(), utc.second(), utc.nanosecond()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn enc<T: KeyPart + ?Sized>(value: &T) -> String {
        let mut out = String::new();
        value.write_key_part(&mut out).expect("encodable");
        out
    }

    /// `ORDER#{a}#{b}`, rendered.
    fn key(a: &str, b: &str) -> String {
        render(&[
            Segment::Text("ORDER#"),
            Segment::Value("a", &a),
            Segment::Text("#"),
            Segment::Value("b", &b),
        ])
        .expect("strings always render")
    }

    #[test]
    fn strings_escape_the_delimiter_and_the_escape() {
        assert_eq!(enc("1#ORDER#9"), "1%23ORDER%239");
        assert_eq!(enc("50%"), "50%25");
        assert_eq!(enc("%23"), "%2523");
        assert_eq!(enc("plain"), "plain");
        assert_eq!(enc(&String::from("a#")), "a%23");
    }

    #[test]
    fn integers_are_fixed_width() {
        assert_eq!(enc(&7u8), "007");
        assert_eq!(enc(&7u32), "0000000007");
        assert_eq!(enc(&u64::MAX), "18446744073709551615");
        assert_eq!(enc(&0i8), "128");
        assert_eq!(enc(&-1i8), "127");
        assert_eq!(enc(&i8::MIN), "000");
        assert_eq!(enc(&i8::MAX), "255");
        assert_eq!(enc(&-1i64), "09223372036854775807");
        assert_eq!(enc(&0i64), "09223372036854775808");
        assert_eq!(enc(&5usize).len(), enc(&usize::MAX).len());
        assert_eq!(enc(&i128::MIN), format!("{:039}", 0));
    }

    #[test]
    fn numbers_have_a_sign_class_exponent_and_digits() {
        let n = |s: &str| enc(&s.parse::<Number>().expect("number"));
        assert_eq!(n("0"), "1");
        assert_eq!(n("1.5"), "2131".to_owned() + "15");
        assert_eq!(n("-1.5"), "0868".to_owned() + "84~");
        assert_eq!(n("12"), "213212");
        assert_eq!(n("0.012"), "212912");
    }

    #[test]
    fn render_names_the_failing_field() {
        struct Failing;
        impl KeyPart for Failing {
            fn write_key_part(&self, _: &mut String) -> Result<(), ConvertError> {
                Err(ConvertError::Missing)
            }
        }
        let error =
            render(&[Segment::Text("A#"), Segment::Value("when", &Failing)]).expect_err("refused");
        assert_eq!(error, ConvertError::Missing.at("when"));
        let text = KeyText::render(&[Segment::Value("when", &Failing)]);
        assert!(text.to_attribute().is_err());
        assert_eq!(format!("{text:?}"), "KeyText(..)");
        // Moved out, the same error as the attribute's.
        assert_eq!(
            text.clone().into_text(),
            Err(ConvertError::Missing.at("when"))
        );
        assert_eq!(text.to_attribute(), Err(ConvertError::Missing.at("when")));
    }

    #[test]
    fn into_text_is_the_attribute_s_text() {
        let text = KeyText::render(&[Segment::Text("ORDER#"), Segment::Value("a", &"x#1")]);
        let attribute = text.to_attribute().expect("renders");
        assert_eq!(attribute, Some(AttributeValue::S("ORDER#x%231".into())));
        assert_eq!(text.into_text(), Ok("ORDER#x%231".to_owned()));
    }

    const TEMPLATE: IndexKeyTemplate = IndexKeyTemplate {
        index: "gsi1",
        attribute: "gsi1sk",
        pieces: &[
            TemplatePiece::Text("S#"),
            TemplatePiece::Field {
                attribute: "status",
                optional: false,
            },
            TemplatePiece::Text("#"),
            TemplatePiece::Field {
                attribute: "coupon",
                optional: true,
            },
        ],
    };

    #[test]
    fn index_templates_list_their_fields() {
        assert_eq!(TEMPLATE.fields().collect::<Vec<_>>(), ["status", "coupon"]);
        assert!(TEMPLATE.names("status") && TEMPLATE.names("coupon"));
        assert!(!TEMPLATE.names("S#") && !TEMPLATE.names("gsi1sk"));
        assert!(TEMPLATE.is_optional("coupon"));
        assert!(!TEMPLATE.is_optional("status") && !TEMPLATE.is_optional("other"));
    }

    #[test]
    fn encoded_parts_render_as_the_values_do() {
        let parts = [
            ("status", encode_part("a#%").expect("string")),
            ("coupon", encode_part(&-1i8).expect("number")),
        ];
        let from_parts = TEMPLATE
            .render_encoded(|field| {
                parts
                    .iter()
                    .find(|(f, _)| *f == field)
                    .map(|(_, p)| p.as_str())
            })
            .expect("complete");
        let from_values = render(&[
            Segment::Text("S#"),
            Segment::Value("status", &"a#%"),
            Segment::Text("#"),
            Segment::Value("coupon", &-1i8),
        ])
        .expect("renders");
        assert_eq!(from_parts, from_values);
        assert_eq!(from_parts, "S#a%23%25#127");
        let missing = TEMPLATE
            .render_encoded(|field| (field == "status").then_some("x"))
            .expect_err("coupon missing");
        assert_eq!(missing, ConvertError::Missing.at("coupon"));
    }

    #[test]
    fn key_text_is_a_string_key_written_only() {
        let text = KeyText::render(&[Segment::Text("P#"), Segment::Value("id", &"a#b")]);
        assert_eq!(
            text.to_attribute(),
            Ok(Some(AttributeValue::S("P#a%23b".into())))
        );
        assert_eq!(KeyText::SCALAR_TYPE, ScalarType::String);
        assert!(KeyText::from_attribute(Some(AttributeValue::S("P#x".into()))).is_err());
    }

    #[test]
    fn date_times_outside_four_digit_years_are_refused() {
        let mut out = String::new();
        assert!(write_date_time(&mut out, (10000, 1, 1), (0, 0, 0, 0)).is_err());
        assert!(write_date_time(&mut out, (-1, 1, 1), (0, 0, 0, 0)).is_err());
        assert!(out.is_empty());
        write_date_time(&mut out, (9999, 12, 31), (23, 59, 59, 999_999_999)).expect("in range");
        write_date_time(&mut out, (0, 1, 2), (3, 4, 5, 6)).expect("in range");
        assert_eq!(
            out,
            "9999-12-31T23:59:59.999999999Z0000-01-02T03:04:05.000000006Z"
        );
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_date_times_are_utc_rfc3339_with_nanos() {
        let at = chrono::DateTime::from_timestamp(1_767_225_845, 7).expect("valid");
        assert_eq!(enc(&at), "2026-01-01T00:04:05.000000007Z");
    }

    #[cfg(feature = "time")]
    #[test]
    fn time_date_times_are_converted_to_utc() {
        let at = time::OffsetDateTime::from_unix_timestamp(1_767_225_845)
            .expect("valid")
            .to_offset(time::UtcOffset::from_hms(5, 30, 0).expect("offset"));
        assert_eq!(enc(&at), "2026-01-01T00:04:05.000000000Z");
    }

    /// Strings drawn mostly from the characters that could break the
    /// encoding: the delimiter, the escape and what escapes produce.
    fn tricky() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just('#'),
                Just('%'),
                Just('2'),
                Just('3'),
                Just('5'),
                Just('O'),
                any::<char>()
            ],
            0..12,
        )
        .prop_map(|chars| chars.into_iter().collect())
    }

    fn number() -> impl Strategy<Value = Number> {
        (any::<bool>(), 0u64..10_000_000, -40i32..40).prop_map(|(negative, digits, exp)| {
            let sign = if negative { "-" } else { "" };
            format!("{sign}{digits}E{exp}").parse().expect("in range")
        })
    }

    proptest! {
        #[test]
        fn string_keys_are_injective(a1 in tricky(), b1 in tricky(), a2 in tricky(), b2 in tricky()) {
            prop_assert_eq!(key(&a1, &b1) == key(&a2, &b2), a1 == a2 && b1 == b2);
        }

        #[test]
        fn a_field_prefix_never_widens(a1 in tricky(), a2 in tricky(), b2 in tricky()) {
            // The typed prefix "ORDER#{a}#" matches an item exactly when
            // the item's first field is `a`.
            let prefix = format!("ORDER#{}#", enc(a1.as_str()));
            prop_assert_eq!(key(&a2, &b2).starts_with(&prefix), a1 == a2);
        }

        #[test]
        fn encoded_strings_hold_no_delimiter(s in tricky()) {
            prop_assert!(!enc(s.as_str()).contains(DELIMITER));
        }

        #[test]
        fn i64_order_is_key_order(a in any::<i64>(), b in any::<i64>()) {
            prop_assert_eq!(a.cmp(&b), enc(&a).cmp(&enc(&b)));
        }

        #[test]
        fn small_signed_order_is_key_order(a in any::<i8>(), b in any::<i8>(), c in any::<i32>(), d in any::<i32>()) {
            prop_assert_eq!(a.cmp(&b), enc(&a).cmp(&enc(&b)));
            prop_assert_eq!(c.cmp(&d), enc(&c).cmp(&enc(&d)));
        }

        #[test]
        fn i128_and_u128_order_is_key_order(a in any::<i128>(), b in any::<i128>(), c in any::<u128>(), d in any::<u128>()) {
            prop_assert_eq!(a.cmp(&b), enc(&a).cmp(&enc(&b)));
            prop_assert_eq!(c.cmp(&d), enc(&c).cmp(&enc(&d)));
        }

        #[test]
        fn unsigned_order_is_key_order(a in any::<u64>(), b in any::<u64>(), c in any::<u16>(), d in any::<u16>()) {
            prop_assert_eq!(a.cmp(&b), enc(&a).cmp(&enc(&b)));
            prop_assert_eq!(c.cmp(&d), enc(&c).cmp(&enc(&d)));
        }

        #[test]
        fn number_order_is_key_order(a in number(), b in number()) {
            let (ea, eb) = (enc(&a), enc(&b));
            let (fa, fb) = (a.to_f64(), b.to_f64());
            prop_assert_eq!(fa.partial_cmp(&fb), Some(ea.cmp(&eb)));
            // Also when a `#` follows, as inside a template.
            prop_assert_eq!(fa.partial_cmp(&fb), Some(format!("{ea}#").cmp(&format!("{eb}#"))));
            prop_assert!(!ea.contains(DELIMITER) && !ea.contains(ESCAPE));
        }

        #[cfg(feature = "chrono")]
        #[test]
        fn chrono_order_is_key_order(a in -62_000_000_000i64..253_000_000_000, b in -62_000_000_000i64..253_000_000_000, na in 0u32..1_000_000_000, nb in 0u32..1_000_000_000) {
            let ta = chrono::DateTime::from_timestamp(a, na).expect("in range");
            let tb = chrono::DateTime::from_timestamp(b, nb).expect("in range");
            prop_assert_eq!(ta.cmp(&tb), enc(&ta).cmp(&enc(&tb)));
        }

        #[cfg(feature = "time")]
        #[test]
        fn time_order_is_key_order(a in -62_000_000_000i64..253_000_000_000, b in -62_000_000_000i64..253_000_000_000, offset in -12i8..12) {
            let offset = time::UtcOffset::from_hms(offset, 0, 0).expect("offset");
            let ta = time::OffsetDateTime::from_unix_timestamp(a).expect("in range").to_offset(offset);
            let tb = time::OffsetDateTime::from_unix_timestamp(b).expect("in range");
            prop_assert_eq!(ta.cmp(&tb), enc(&ta).cmp(&enc(&tb)));
        }
    }
}
