//! Conversion of Rust values to and from DynamoDB's [`AttributeValue`].
//!
//! [`Attribute`] is implemented here for the types dynamodel stores natively;
//! the derive calls it field by field, so converting a model never goes
//! through a generic serializer.
//!
//! | Rust | DynamoDB |
//! |---|---|
//! | `String` | `S` |
//! | integers, `f32`, `f64`, [`Number`] (exact, 38 digits) | `N` |
//! | `bool` | `BOOL` |
//! | [`Binary`], `bytes::Bytes`, a field written `Vec<u8>` | `B` |
//! | `HashSet`/`BTreeSet` of strings / numbers / binaries | `SS` / `NS` / `BS` (empty set = no attribute, reads back empty) |
//! | `ordered_float::NotNan` / `OrderedFloat` of `f64`, `f32` (feature `ordered-float`), alone or in sets | `N` / `NS` (NaN and infinities refused) |
//! | `Vec<T>` | `L` |
//! | `HashMap`/`BTreeMap<String, T>`, `#[derive(Document)]` structs | `M` |
//! | `#[derive(Document)]` unit-only enums | `S` |
//! | `Option<T>` | `T`'s type, or no attribute for `None` (`NULL` with `#[dynamodel(null)]`) |
//! | `std::time::SystemTime`, `chrono::DateTime<Utc>`, `time::OffsetDateTime` (features) | `N` epoch millis, or per `#[dynamodel(date = "...")]` (see [`datetime`]) |
//! | `uuid::Uuid`, `ulid::Ulid` (features) | `S`, canonical text (see [`ids`]) |
//! | anything `Serialize + Deserialize` with `#[dynamodel(serde)]` | whatever serde_dynamo writes |
//!
//! `Vec<u8>` is a list of numbers to the type system (`Vec<T>` is `L`), so
//! the derive recognises a field *written* `Vec<u8>` (or `Option<Vec<u8>>`)
//! and stores it as `B`; inside other containers use [`Binary`].

use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};

use aws_sdk_dynamodb::types::AttributeValue;

use crate::schema::ScalarType;
use crate::settings::validation::ValidationErrors;

pub mod adapter;
mod binary;
pub mod datetime;
#[cfg(feature = "ordered-float")]
mod floats;
pub mod ids;
#[doc(hidden)]
pub mod key_bytes;
mod number;
pub mod rounding;
mod sets;
pub mod ttl;

pub use binary::Binary;
pub use number::{Number, NumberError};
pub use sets::{SetElement, SetKind};

/// Why a single value could not be converted. [`crate::Error`] adds the model,
/// the attribute and the item's key.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConvertError {
    /// A required attribute is absent.
    Missing,
    /// The stored attribute has another DynamoDB type than the field expects.
    TypeMismatch {
        /// The DynamoDB type the field expects (`S`, `N`, `BOOL`, ...).
        expected: &'static str,
        /// The DynamoDB type found.
        found: &'static str,
    },
    /// A number does not fit the field's type, or cannot be stored by DynamoDB.
    OutOfRange {
        /// The Rust type or DynamoDB limit involved.
        target: &'static str,
    },
    /// The stored number is not a valid number of the field's type.
    InvalidNumber {
        /// The Rust type expected.
        target: &'static str,
    },
    /// Any other problem, described.
    Invalid(String),
    /// A problem inside a nested value: `path` is relative to the attribute
    /// (`zip`, `lines[2].sku`); [`crate::Error`] reports the full path.
    At {
        /// Where, below the attribute.
        path: String,
        /// What was wrong there.
        source: Box<ConvertError>,
    },
}

impl ConvertError {
    /// This error, located below the map key `name`.
    pub fn at(self, name: &str) -> Self {
        match self {
            ConvertError::At { path, source } => ConvertError::At {
                path: join_path(name, &path),
                source,
            },
            other => ConvertError::At {
                path: name.to_owned(),
                source: Box::new(other),
            },
        }
    }

    /// This error, located below the list index `index`.
    pub fn at_index(self, index: usize) -> Self {
        self.at(&format!("[{index}]"))
    }
}

/// `parent.child`, or `parent[3]` when the child is a list index.
pub(crate) fn join_path(parent: &str, child: &str) -> String {
    if child.starts_with('[') {
        format!("{parent}{child}")
    } else {
        format!("{parent}.{child}")
    }
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConvertError::Missing => f.write_str("required attribute is missing"),
            ConvertError::TypeMismatch { expected, found } => {
                write!(f, "expected DynamoDB type {expected}, found {found}")
            }
            ConvertError::OutOfRange { target } => {
                write!(f, "number out of range for {target}")
            }
            ConvertError::InvalidNumber { target } => {
                write!(f, "stored number is not a valid {target}")
            }
            ConvertError::Invalid(message) => f.write_str(message),
            ConvertError::At { path, source } => write!(f, "at `{path}`: {source}"),
        }
    }
}

impl std::error::Error for ConvertError {}

/// The DynamoDB type tag of a value (`S`, `N`, `B`, `BOOL`, `NULL`, `M`, `L`, `SS`, `NS`, `BS`).
pub fn type_name(value: &AttributeValue) -> &'static str {
    match value {
        AttributeValue::S(_) => "S",
        AttributeValue::N(_) => "N",
        AttributeValue::B(_) => "B",
        AttributeValue::Bool(_) => "BOOL",
        AttributeValue::Null(_) => "NULL",
        AttributeValue::M(_) => "M",
        AttributeValue::L(_) => "L",
        AttributeValue::Ss(_) => "SS",
        AttributeValue::Ns(_) => "NS",
        AttributeValue::Bs(_) => "BS",
        _ => "unknown",
    }
}

/// A Rust type dynamodel can store as one DynamoDB attribute.
///
/// `to_attribute` returns `Ok(None)` when the value is stored as *no attribute*
/// (an `Option::None`, an empty set); `from_attribute` receives `None` when the
/// attribute is absent.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be stored as a DynamoDB attribute",
    label = "no `dynamodel::Attribute` impl for this type",
    note = "store it through serde with `#[dynamodel(serde)]`, or implement `dynamodel::Attribute` for it"
)]
pub trait Attribute: Sized {
    /// Converts the value; `Ok(None)` stores no attribute.
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError>;

    /// Converts a stored attribute back; `None` means the attribute is absent.
    fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError>;

    /// Whether [`Attribute::validate_members`] may find anything to check in
    /// a value of this type: `true` for documents with rules (or holding
    /// documents with rules), forwarded by containers, which skip walking
    /// their elements when it is `false`. A type overriding
    /// `validate_members` must set it to `true`.
    #[doc(hidden)]
    const HAS_MEMBERS: bool = false;

    /// Checks the validation settings of the nested documents inside this
    /// value, adding each failure to `errors` with a path relative to the
    /// value (`zip`, `[2].zip`). Generated by `#[derive(Document)]` and
    /// forwarded by containers; the default has nothing to check.
    #[doc(hidden)]
    fn validate_members(&self, errors: &mut ValidationErrors) {
        let _ = errors;
    }

    /// Appends this value's canonical key bytes to `out` (the key pass of a
    /// slice batch): the bytes of [`Attribute::to_attribute`]'s answer as a
    /// key value, with its errors. The default converts the value first;
    /// the key types write their bytes straight from the value (see
    /// [`key_bytes`]).
    #[doc(hidden)]
    fn write_key_bytes(&self, out: &mut Vec<u8>) -> Result<key_bytes::KeyBytes, ConvertError> {
        Ok(key_bytes::of_converted(self.to_attribute()?, out))
    }

    /// [`Attribute::to_attribute`], consuming the value: the same answer,
    /// moving what the value owns instead of copying it (an update's `set`
    /// converts a value it no longer needs). The default converts by
    /// reference; `String` and `Option` move.
    #[doc(hidden)]
    #[inline]
    fn into_attribute(self) -> Result<Option<AttributeValue>, ConvertError> {
        self.to_attribute()
    }
}

/// A type usable as a partition or sort key: stored as `S`, `N` or `B`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a DynamoDB key attribute",
    label = "key fields must be strings, integers, binary or date-times",
    note = "DynamoDB keys are scalar: String, an integer type, bytes or a date-time (no Option, Vec, bool, map or float)"
)]
pub trait KeyAttribute: Attribute {
    /// The key's scalar type.
    const SCALAR_TYPE: ScalarType;
}

/// The attribute, or [`ConvertError::Missing`] when it is absent. A `match`,
/// not `ok_or`: `ok_or` builds the error (a type with drop glue) before
/// knowing it is needed and drops it again on every present attribute.
#[inline]
pub(crate) fn present(value: Option<AttributeValue>) -> Result<AttributeValue, ConvertError> {
    match value {
        Some(value) => Ok(value),
        None => Err(ConvertError::Missing),
    }
}

pub(crate) fn mismatch(expected: &'static str, found: &AttributeValue) -> ConvertError {
    ConvertError::TypeMismatch {
        expected,
        found: type_name(found),
    }
}

impl Attribute for String {
    // Inline (here and for `bool` and the integers): the caller's match on
    // the `Result` folds away, as these conversions cannot fail.
    #[inline]
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        Ok(Some(AttributeValue::S(self.clone())))
    }

    #[inline]
    fn into_attribute(self) -> Result<Option<AttributeValue>, ConvertError> {
        Ok(Some(AttributeValue::S(self)))
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
        match present(value)? {
            AttributeValue::S(s) => Ok(s),
            other => Err(mismatch("S", &other)),
        }
    }

    #[inline]
    fn write_key_bytes(&self, out: &mut Vec<u8>) -> Result<key_bytes::KeyBytes, ConvertError> {
        Ok(key_bytes::write_tagged(
            out,
            key_bytes::STRING,
            self.as_bytes(),
        ))
    }
}

impl KeyAttribute for String {
    const SCALAR_TYPE: ScalarType = ScalarType::String;
}

impl Attribute for bool {
    #[inline]
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        Ok(Some(AttributeValue::Bool(*self)))
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
        match present(value)? {
            AttributeValue::Bool(b) => Ok(b),
            other => Err(mismatch("BOOL", &other)),
        }
    }
}

/// Parses a stored `N` into an integer, telling "too large" apart from "not an integer".
pub(crate) fn parse_integer<T: std::str::FromStr>(
    text: &str,
    target: &'static str,
) -> Result<T, ConvertError> {
    if let Ok(n) = text.parse::<T>() {
        return Ok(n);
    }
    let digits = text.strip_prefix('-').unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        Err(ConvertError::OutOfRange { target })
    } else {
        Err(ConvertError::InvalidNumber { target })
    }
}

/// DynamoDB numbers hold at most 38 significant digits.
const MAX_SIGNIFICANT_DIGITS: usize = 38;

fn check_integer_digits(text: &str, target: &'static str) -> Result<(), ConvertError> {
    let significant = text.trim_start_matches('-').trim_end_matches('0').len();
    if significant > MAX_SIGNIFICANT_DIGITS {
        Err(ConvertError::OutOfRange { target })
    } else {
        Ok(())
    }
}

macro_rules! integer_attribute {
    ($($t:ty),*) => {$(
        impl Attribute for $t {
            #[inline]
            fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
                // itoa writes the same digits as `to_string`, without the
                // formatting machinery (this runs for every number written).
                let text = String::from(itoa::Buffer::new().format(*self));
                // Below 128 bits no value reaches 38 digits.
                if <$t>::BITS >= 128 {
                    check_integer_digits(&text, stringify!($t))?;
                }
                Ok(Some(AttributeValue::N(text)))
            }

            #[inline]
            fn write_key_bytes(
                &self,
                out: &mut Vec<u8>,
            ) -> Result<key_bytes::KeyBytes, ConvertError> {
                let mut digits = itoa::Buffer::new();
                let text = digits.format(*self);
                if <$t>::BITS >= 128 {
                    check_integer_digits(text, stringify!($t))?;
                }
                Ok(key_bytes::write_number(out, text))
            }

            fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
                match present(value)? {
                    AttributeValue::N(n) => parse_integer(&n, stringify!($t)),
                    other => Err(mismatch("N", &other)),
                }
            }
        }

        impl KeyAttribute for $t {
            const SCALAR_TYPE: ScalarType = ScalarType::Number;
        }
    )*};
}

integer_attribute!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

/// DynamoDB stores magnitudes up to 9.9999999999999999999999999999999999999E+125,
/// so everything below 1E+126 (no f64 lies in between).
const MAGNITUDE_LIMIT: f64 = 1e126;
/// Smallest non-zero magnitude DynamoDB stores.
const MIN_MAGNITUDE: f64 = 1e-130;

/// The text of float `value` (`wide`: the same value as an `f64`), or
/// `OutOfRange` for what DynamoDB cannot store. Formatted once: `value`'s
/// own shortest text (an `f32`'s is not its widened `f64`'s).
fn float_text(
    value: impl std::fmt::Display,
    wide: f64,
    target: &'static str,
) -> Result<String, ConvertError> {
    let magnitude = wide.abs();
    if !wide.is_finite()
        || magnitude >= MAGNITUDE_LIMIT
        || (magnitude != 0.0 && magnitude < MIN_MAGNITUDE)
    {
        return Err(ConvertError::OutOfRange { target });
    }
    // Written into a string sized for the longest text at once: `to_string`
    // starts empty and grows (a reallocation) as the digits arrive.
    let mut text = String::with_capacity(FLOAT_TEXT_CAPACITY);
    // Exponent form keeps huge and tiny values short; Display is exact and
    // shortest for everything in between.
    let written = if magnitude != 0.0 && !(1e-6..1e16).contains(&magnitude) {
        write!(text, "{wide:e}")
    } else {
        write!(text, "{value}")
    };
    // Writing into a `String` does not fail; should it, say so rather than
    // store a partial number.
    match written {
        Ok(()) => Ok(text),
        Err(_) => Err(ConvertError::Invalid(
            "the number could not be formatted".into(),
        )),
    }
}

/// The longest text [`float_text`] writes: `-0.0000012345678901234567`
/// (a sign, `0.00000` and 17 significant digits; the exponent form is
/// shorter, `-1.2345678901234567e-130`).
const FLOAT_TEXT_CAPACITY: usize = 25;

macro_rules! float_attribute {
    ($($t:ty),*) => {$(
        impl Attribute for $t {
            fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
                // f32 widens exactly to f64, but its shortest text is its own.
                let text = float_text(*self, f64::from(*self), stringify!($t))?;
                Ok(Some(AttributeValue::N(text)))
            }

            fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
                match present(value)? {
                    AttributeValue::N(n) => {
                        let parsed: $t = n
                            .parse()
                            .map_err(|_| ConvertError::InvalidNumber { target: stringify!($t) })?;
                        if parsed.is_finite() {
                            Ok(parsed)
                        } else {
                            Err(ConvertError::OutOfRange { target: stringify!($t) })
                        }
                    }
                    other => Err(mismatch("N", &other)),
                }
            }
        }
    )*};
}

float_attribute!(f32, f64);

impl<T: Attribute> Attribute for Option<T> {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        match self {
            Some(value) => value.to_attribute(),
            None => Ok(None),
        }
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
        match value {
            None | Some(AttributeValue::Null(_)) => Ok(None),
            present => T::from_attribute(present).map(Some),
        }
    }

    #[inline]
    fn into_attribute(self) -> Result<Option<AttributeValue>, ConvertError> {
        match self {
            Some(value) => value.into_attribute(),
            None => Ok(None),
        }
    }

    const HAS_MEMBERS: bool = T::HAS_MEMBERS;

    #[inline]
    fn validate_members(&self, errors: &mut ValidationErrors) {
        if let Some(value) = self {
            value.validate_members(errors);
        }
    }
}

impl<T: Attribute> Attribute for Vec<T> {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        let mut list = Vec::with_capacity(self.len());
        for (index, element) in self.iter().enumerate() {
            list.push(
                element
                    .to_attribute()
                    .map_err(|err| err.at_index(index))?
                    .unwrap_or(AttributeValue::Null(true)),
            );
        }
        Ok(Some(AttributeValue::L(list)))
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
        match present(value)? {
            AttributeValue::L(list) => list
                .into_iter()
                .enumerate()
                .map(|(index, element)| {
                    T::from_attribute(Some(element)).map_err(|err| err.at_index(index))
                })
                .collect(),
            other => Err(mismatch("L", &other)),
        }
    }

    const HAS_MEMBERS: bool = T::HAS_MEMBERS;

    #[inline]
    fn validate_members(&self, errors: &mut ValidationErrors) {
        if !T::HAS_MEMBERS {
            return;
        }
        for (index, element) in self.iter().enumerate() {
            // No allocation unless the element has failures: an empty
            // `ValidationErrors` holds an unallocated `Vec`.
            let mut nested = ValidationErrors::new();
            element.validate_members(&mut nested);
            if !nested.is_empty() {
                errors.nest(&format!("[{index}]"), nested);
            }
        }
    }
}

fn map_to_attribute<'a, T: Attribute + 'a>(
    entries: impl ExactSizeIterator<Item = (&'a String, &'a T)>,
) -> Result<Option<AttributeValue>, ConvertError> {
    let mut map = HashMap::with_capacity(entries.len());
    for (key, value) in entries {
        if let Some(av) = value.to_attribute().map_err(|err| err.at(key))? {
            map.insert(key.clone(), av);
        }
    }
    Ok(Some(AttributeValue::M(map)))
}

/// Forwards `validate_members` to a map's values, under their keys.
#[inline]
fn map_validate_members<'a, T: Attribute + 'a>(
    entries: impl Iterator<Item = (&'a String, &'a T)>,
    errors: &mut ValidationErrors,
) {
    for (key, value) in entries {
        validate_members_under(errors, key, value);
    }
}

/// Runs the checks of the nested documents inside `value` and reports them
/// under `name`. Used by the map impls here and by generated code.
#[doc(hidden)]
pub fn validate_members_under<T: Attribute>(errors: &mut ValidationErrors, name: &str, value: &T) {
    let mut nested = ValidationErrors::new();
    value.validate_members(&mut nested);
    if !nested.is_empty() {
        errors.nest(name, nested);
    }
}

fn map_from_attribute<T: Attribute, C: FromIterator<(String, T)>>(
    value: Option<AttributeValue>,
) -> Result<C, ConvertError> {
    match present(value)? {
        AttributeValue::M(map) => map
            .into_iter()
            .map(|(key, value)| {
                let value = T::from_attribute(Some(value)).map_err(|err| err.at(&key))?;
                Ok((key, value))
            })
            .collect(),
        other => Err(mismatch("M", &other)),
    }
}

impl<T: Attribute, S: std::hash::BuildHasher + Default> Attribute for HashMap<String, T, S> {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        map_to_attribute(self.iter())
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
        map_from_attribute(value)
    }

    const HAS_MEMBERS: bool = T::HAS_MEMBERS;

    #[inline]
    fn validate_members(&self, errors: &mut ValidationErrors) {
        if T::HAS_MEMBERS {
            map_validate_members(self.iter(), errors);
        }
    }
}

impl<T: Attribute> Attribute for BTreeMap<String, T> {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        map_to_attribute(self.iter())
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
        map_from_attribute(value)
    }

    const HAS_MEMBERS: bool = T::HAS_MEMBERS;

    #[inline]
    fn validate_members(&self, errors: &mut ValidationErrors) {
        if T::HAS_MEMBERS {
            map_validate_members(self.iter(), errors);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_refuse_values_that_do_not_fit() {
        let stored = Some(AttributeValue::N("300".into()));
        assert_eq!(
            u8::from_attribute(stored),
            Err(ConvertError::OutOfRange { target: "u8" })
        );
        let stored = Some(AttributeValue::N("1.5".into()));
        assert_eq!(
            i64::from_attribute(stored),
            Err(ConvertError::InvalidNumber { target: "i64" })
        );
    }

    #[test]
    fn u128_beyond_38_digits_is_refused() {
        assert!(u128::MAX.to_attribute().is_err());
        assert!(10u128.pow(37).to_attribute().is_ok());
    }

    #[test]
    fn floats_outside_dynamodb_range_are_refused() {
        assert!(f64::NAN.to_attribute().is_err());
        assert!(f64::INFINITY.to_attribute().is_err());
        assert!(1e200f64.to_attribute().is_err());
        assert!(1e-200f64.to_attribute().is_err());
        let big = 1.5e100f64.to_attribute().unwrap();
        assert_eq!(f64::from_attribute(big).unwrap(), 1.5e100);
        let small = 0.1f32.to_attribute().unwrap();
        assert_eq!(small, Some(AttributeValue::N("0.1".into())));
    }

    fn number_text(value: Option<AttributeValue>) -> String {
        match value {
            Some(AttributeValue::N(text)) => text,
            other => panic!("not a number: {other:?}"),
        }
    }

    #[test]
    fn integers_are_written_as_their_decimal_text() {
        macro_rules! same_as_to_string {
            ($($t:ty),*) => {$(
                for value in [<$t>::MIN, <$t>::MAX, 0, 1, 10, 99] {
                    if <$t>::BITS < 128 {
                        assert_eq!(number_text(value.to_attribute().unwrap()), value.to_string());
                    }
                }
            )*};
        }
        same_as_to_string!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);
        assert_eq!(number_text((-1i64).to_attribute().unwrap()), "-1");
        let wide = 10i128.pow(37) + 7;
        assert_eq!(number_text(wide.to_attribute().unwrap()), wide.to_string());
        assert_eq!(
            number_text((-wide).to_attribute().unwrap()),
            (-wide).to_string()
        );
        assert!(i128::MIN.to_attribute().is_err());
        assert!(i128::MAX.to_attribute().is_err());
    }

    #[test]
    fn floats_are_written_as_their_shortest_text() {
        let cases: [(f64, &str); 9] = [
            (1.0, "1"),
            (-0.0, "-0"),
            (1.0 / 3.0, "0.3333333333333333"),
            (1234.5, "1234.5"),
            (1e-6, "0.000001"),
            (9.999e15, "9999000000000000"),
            (1e16, "1e16"),
            (2.5e-7, "2.5e-7"),
            (-1.5e100, "-1.5e100"),
        ];
        for (value, text) in cases {
            assert_eq!(number_text(value.to_attribute().unwrap()), text, "{value}");
        }
        // The longest texts fit the capacity reserved for them.
        let longest = [
            (-1.2345678901234567e-6, "-0.0000012345678901234567"),
            (-1.2345678901234568e-130, "-1.2345678901234568e-130"),
            (-1234567.8901234567, "-1234567.8901234567"),
        ];
        for (value, expected) in longest {
            let text = number_text(value.to_attribute().unwrap());
            assert_eq!(text, expected);
            assert_eq!(text.capacity(), FLOAT_TEXT_CAPACITY, "{text} grew");
        }
        assert_eq!(longest[0].1.len(), FLOAT_TEXT_CAPACITY);
        // An f32's own shortest text, not its widened f64's...
        assert_eq!(number_text(0.1f32.to_attribute().unwrap()), "0.1");
        assert_eq!(
            number_text((1.0f32 / 3.0).to_attribute().unwrap()),
            "0.33333334"
        );
        // ...except in exponent form, written from the exact widened value.
        assert_eq!(
            number_text(1e-7f32.to_attribute().unwrap()),
            format!("{:e}", f64::from(1e-7f32))
        );
        assert!(f32::NAN.to_attribute().is_err());
        assert!(f32::INFINITY.to_attribute().is_err());
    }

    #[test]
    fn option_none_is_absent_and_null_reads_as_none() {
        assert_eq!(None::<String>.to_attribute(), Ok(None));
        assert_eq!(
            Option::<String>::from_attribute(Some(AttributeValue::Null(true))),
            Ok(None)
        );
    }

    #[test]
    fn converting_a_value_it_owns_gives_what_converting_a_borrow_gives() {
        let text = "Renamed".to_owned();
        assert_eq!(text.to_attribute(), text.clone().into_attribute());
        assert_eq!(
            text.clone().into_attribute(),
            Ok(Some(AttributeValue::S(text.clone())))
        );
        assert_eq!(Some(text.clone()).into_attribute(), text.into_attribute());
        assert_eq!(None::<String>.into_attribute(), Ok(None));
        // The default: by reference.
        assert_eq!(
            Some(7u64).into_attribute(),
            Ok(Some(AttributeValue::N("7".into())))
        );
        assert_eq!(None::<u64>.into_attribute(), Ok(None));
    }

    #[test]
    fn present_is_the_attribute_or_missing() {
        let value = AttributeValue::Bool(true);
        assert_eq!(present(Some(value.clone())), Ok(value));
        assert_eq!(present(None), Err(ConvertError::Missing));
    }
}
