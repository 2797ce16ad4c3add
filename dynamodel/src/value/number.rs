//! [`Number`]: a DynamoDB number kept exactly, up to 38 significant digits.

use std::fmt;
use std::str::FromStr;

use aws_sdk_dynamodb::types::AttributeValue;

use super::{mismatch, present, Attribute, ConvertError, KeyAttribute};

/// An exact decimal number as DynamoDB stores it: up to 38 significant
/// digits, magnitude from 1E-130 to below 1E+126 (or zero).
///
/// Unlike `f64`, a `Number` never rounds: `"0.1"` stays `0.1` and a
/// 38-digit integer keeps every digit. It holds its value as canonical text
/// (no leading or trailing zeros, `-0` is `0`), so two `Number`s are equal
/// exactly when their values are, and a value read back from DynamoDB equals
/// the one written.
///
/// ```
/// use dynamodel::Number;
///
/// let price: Number = "19.990".parse().unwrap();
/// assert_eq!(price.to_string(), "19.99");
/// assert_eq!(Number::from(42u64), "42".parse().unwrap());
/// assert_eq!(i64::try_from(&Number::from(-7i32)), Ok(-7));
/// assert!("1e200".parse::<Number>().is_err());
/// assert!("123456789012345678901234567890123456789".parse::<Number>().is_err());
/// ```
///
/// `Number`s order by value (`9 < 10`, `-2 < -1.5`), not by their text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Number(String);

/// Why a text is not a DynamoDB number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NumberError {
    /// Not a decimal number (`12`, `-3.5`, `1.2E+10` are).
    #[error("not a decimal number")]
    Syntax,
    /// More than 38 significant digits.
    #[error("more than 38 significant digits")]
    TooManyDigits,
    /// Magnitude of 1E+126 or more, or below 1E-130 and not zero.
    #[error("magnitude outside DynamoDB's range (1E-130 to 9.99E+125)")]
    OutOfRange,
    /// A float that is NaN or infinite: DynamoDB stores neither.
    #[error("NaN or an infinity, which DynamoDB cannot store")]
    NotFinite,
}

/// Significant digits, and the decimal exponent `e` with value = 0.d1d2.. × 10^e.
struct Parsed<'a> {
    negative: bool,
    digits: Vec<u8>,
    exponent: i64,
    _text: &'a str,
}

fn parse(text: &str) -> Result<Parsed<'_>, NumberError> {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exp) = match rest.find(['e', 'E']) {
        Some(at) => {
            let exp = &rest[at + 1..];
            let exp: i64 = exp
                .strip_prefix('+')
                .unwrap_or(exp)
                .parse()
                .map_err(|_| NumberError::Syntax)?;
            (&rest[..at], exp)
        }
        None => (rest, 0),
    };
    let (int, frac) = match mantissa.find('.') {
        Some(at) => (&mantissa[..at], &mantissa[at + 1..]),
        None => (mantissa, ""),
    };
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return Err(NumberError::Syntax);
    }
    let all: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
    let Some(first) = all.iter().position(|d| *d != 0) else {
        return Ok(Parsed {
            negative: false,
            digits: Vec::new(),
            exponent: 0,
            _text: text,
        });
    };
    let last = all.iter().rposition(|d| *d != 0).unwrap_or(first);
    let digits = all[first..=last].to_vec();
    let exponent = (int.len() as i64 - first as i64)
        .checked_add(exp)
        .ok_or(NumberError::OutOfRange)?;
    if digits.len() > 38 {
        return Err(NumberError::TooManyDigits);
    }
    // value = 0.d × 10^exponent lies in [10^(exponent-1), 10^exponent).
    if exponent > 126 || exponent - 1 < -130 {
        return Err(NumberError::OutOfRange);
    }
    Ok(Parsed {
        negative,
        digits,
        exponent,
        _text: text,
    })
}

fn canonical(parsed: &Parsed) -> String {
    if parsed.digits.is_empty() {
        return "0".to_owned();
    }
    let mut out = String::with_capacity(parsed.digits.len() + 8);
    if parsed.negative {
        out.push('-');
    }
    let digit = |d: &u8| char::from(b'0' + d);
    let len = parsed.digits.len() as i64;
    let e = parsed.exponent;
    if (-20..=40).contains(&e) {
        if e <= 0 {
            out.push_str("0.");
            out.push_str(&"0".repeat((-e) as usize));
            out.extend(parsed.digits.iter().map(digit));
        } else if e >= len {
            out.extend(parsed.digits.iter().map(digit));
            out.push_str(&"0".repeat((e - len) as usize));
        } else {
            out.extend(parsed.digits[..e as usize].iter().map(digit));
            out.push('.');
            out.extend(parsed.digits[e as usize..].iter().map(digit));
        }
    } else {
        out.push(digit(&parsed.digits[0]));
        if len > 1 {
            out.push('.');
            out.extend(parsed.digits[1..].iter().map(digit));
        }
        out.push('E');
        let exp = e - 1;
        if exp >= 0 {
            out.push('+');
        }
        out.push_str(&exp.to_string());
    }
    out
}

impl Number {
    /// The sign, the significant digits (no leading or trailing zero; none
    /// for zero) and the exponent `e` with value = 0.d1d2.. × 10^e: what
    /// the sortable key encoding writes.
    pub(crate) fn sortable_parts(&self) -> (bool, Vec<u8>, i64) {
        match parse(&self.0) {
            Ok(parsed) => (parsed.negative, parsed.digits, parsed.exponent),
            // The text was canonicalized by `parse` when the Number was made.
            Err(_) => (false, Vec::new(), 0),
        }
    }

    /// The canonical decimal text (what is sent to DynamoDB).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The nearest `f64` (may round).
    pub fn to_f64(&self) -> f64 {
        self.0.parse().unwrap_or(f64::NAN)
    }
}

impl FromStr for Number {
    type Err = NumberError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse(text).map(|parsed| Number(canonical(&parsed)))
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        // Canonical text always parses; the fallback keeps `cmp` total.
        let (Ok(a), Ok(b)) = (parse(&self.0), parse(&other.0)) else {
            return self.0.cmp(&other.0);
        };
        let sign = |p: &Parsed| match (p.digits.is_empty(), p.negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        };
        let magnitude = |p: &Parsed, q: &Parsed| {
            // value = 0.d1d2.. × 10^exponent with d1 ≠ 0: the exponent
            // decides first, then the digits (no trailing zeros).
            p.exponent
                .cmp(&q.exponent)
                .then_with(|| p.digits.cmp(&q.digits))
        };
        match sign(&a).cmp(&sign(&b)) {
            // Zeros have no digits and exponent 0: `magnitude` finds them
            // equal, so they need no arm of their own.
            Ordering::Equal => match sign(&a) {
                1 | 0 => magnitude(&a, &b),
                _ => magnitude(&b, &a),
            },
            unequal => unequal,
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! number_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Number {
            fn from(value: $t) -> Self {
                Number(value.to_string())
            }
        }

        impl TryFrom<&Number> for $t {
            type Error = ConvertError;

            fn try_from(value: &Number) -> Result<Self, ConvertError> {
                super::parse_integer(&value.0, stringify!($t))
            }
        }

        impl TryFrom<Number> for $t {
            type Error = ConvertError;

            fn try_from(value: Number) -> Result<Self, ConvertError> {
                <$t>::try_from(&value)
            }
        }
    )*};
}

number_from_int!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

macro_rules! number_try_from_wide_int {
    ($($t:ty),*) => {$(
        impl TryFrom<$t> for Number {
            type Error = NumberError;

            fn try_from(value: $t) -> Result<Self, NumberError> {
                value.to_string().parse()
            }
        }

        impl TryFrom<&Number> for $t {
            type Error = ConvertError;

            fn try_from(value: &Number) -> Result<Self, ConvertError> {
                super::parse_integer(&value.0, stringify!($t))
            }
        }
    )*};
}

number_try_from_wide_int!(i128, u128);

macro_rules! number_try_from_float {
    ($($t:ty),*) => {$(
        /// The float's shortest decimal text that reads back as the same
        /// float (`0.1` for `0.1`, not its binary expansion), so the stored
        /// number converts back to the float it came from. NaN and
        /// infinities are refused ([`NumberError::NotFinite`]), as are
        /// magnitudes outside DynamoDB's range ([`NumberError::OutOfRange`]);
        /// `-0.0` is `0`.
        impl TryFrom<$t> for Number {
            type Error = NumberError;

            fn try_from(value: $t) -> Result<Self, NumberError> {
                if !value.is_finite() {
                    return Err(NumberError::NotFinite);
                }
                // Exponent form: the shortest round-trip digits, and short
                // text for huge and tiny values.
                format!("{value:e}").parse()
            }
        }
    )*};
}

number_try_from_float!(f32, f64);

impl Attribute for Number {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        Ok(Some(AttributeValue::N(self.0.clone())))
    }

    fn write_key_bytes(
        &self,
        out: &mut Vec<u8>,
    ) -> Result<crate::value::key_bytes::KeyBytes, ConvertError> {
        Ok(super::key_bytes::write_number(out, &self.0))
    }

    fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
        match present(value)? {
            AttributeValue::N(n) => n.parse().map_err(|err| match err {
                NumberError::Syntax => ConvertError::InvalidNumber {
                    target: "dynamodel::Number",
                },
                _ => ConvertError::OutOfRange {
                    target: "dynamodel::Number",
                },
            }),
            other => Err(mismatch("N", &other)),
        }
    }
}

impl KeyAttribute for Number {
    const SCALAR_TYPE: crate::schema::ScalarType = crate::schema::ScalarType::Number;
}

#[cfg(test)]
mod float_tests {
    use super::*;

    #[test]
    fn floats_convert_to_their_shortest_round_trip_text() {
        for (value, text) in [
            (0.1f64, "0.1"),
            (-2.5, "-2.5"),
            (1.0, "1"),
            (123_456.789, "123456.789"),
            (1.5e100, "1.5E+100"),
            (-1e-100, "-1E-100"),
            (0.0, "0"),
            (-0.0, "0"),
        ] {
            let number = Number::try_from(value).unwrap();
            assert_eq!(number.as_str(), text, "{value}");
            assert_eq!(number.to_f64(), value, "{value}");
        }
        // f32 gets its own shortest text, not that of its widened f64.
        assert_eq!(Number::try_from(0.1f32).unwrap().as_str(), "0.1");
        assert_eq!(
            Number::try_from(16_777_216f32).unwrap().as_str(),
            "16777216"
        );
        for value in [0.3f32, -7.25e-20, 3.4e38, f32::MIN_POSITIVE] {
            let number = Number::try_from(value).unwrap();
            assert_eq!(number.as_str().parse::<f32>().unwrap(), value, "{value}");
        }
        for value in [
            0.1 + 0.2,
            1.0 / 3.0,
            -9.999_999_999e125,
            1e-130,
            f64::EPSILON,
        ] {
            assert_eq!(Number::try_from(value).unwrap().to_f64(), value, "{value}");
        }
    }

    #[test]
    fn floats_dynamodb_cannot_store_are_refused() {
        for value in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(Number::try_from(value), Err(NumberError::NotFinite));
        }
        assert_eq!(Number::try_from(f32::NAN), Err(NumberError::NotFinite));
        assert_eq!(Number::try_from(f32::INFINITY), Err(NumberError::NotFinite));
        for value in [1e126, -1e200, f64::MAX, 1e-131, f64::MIN_POSITIVE, 5e-324] {
            assert_eq!(
                Number::try_from(value),
                Err(NumberError::OutOfRange),
                "{value}"
            );
        }
        assert!(Number::try_from(9.99e125).is_ok());
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_order_by_value() {
        let n = |t: &str| t.parse::<super::Number>().unwrap();
        let sorted = [
            "-1E+100", "-10", "-9", "-1.5", "-1", "-0.001", "0", "1E-130", "0.5", "1", "1.05",
            "1.5", "9", "10", "11", "1E+125",
        ];
        for pair in sorted.windows(2) {
            assert!(n(pair[0]) < n(pair[1]), "{} < {}", pair[0], pair[1]);
            assert!(n(pair[1]) > n(pair[0]), "{} > {}", pair[1], pair[0]);
        }
        assert_eq!(n("1.50").cmp(&n("1.5")), std::cmp::Ordering::Equal);
        assert_eq!(n("-0").cmp(&n("0")), std::cmp::Ordering::Equal);
    }

    use super::*;

    fn n(text: &str) -> String {
        text.parse::<Number>().unwrap().to_string()
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(n("007.500"), "7.5");
        assert_eq!(n("-0.000"), "0");
        assert_eq!(n("1.5e3"), "1500");
        assert_eq!(n("0.05"), "0.05");
        assert_eq!(n("1E+100"), "1E+100");
        assert_eq!(n("-1.25E-100"), "-1.25E-100");
        assert_eq!(
            n("12345678901234567890123456789012345678"),
            "12345678901234567890123456789012345678"
        );
        assert_eq!(n("9.9999999999999999999999999999999999999E+125").len(), 44);
        assert_eq!(n("1E-130"), "1E-130");
    }

    #[test]
    fn limits() {
        assert_eq!("1E126".parse::<Number>(), Err(NumberError::OutOfRange));
        assert_eq!("1E-131".parse::<Number>(), Err(NumberError::OutOfRange));
        assert_eq!(
            "1.23456789012345678901234567890123456789".parse::<Number>(),
            Err(NumberError::TooManyDigits)
        );
        assert_eq!("1.2.3".parse::<Number>(), Err(NumberError::Syntax));
        assert_eq!("".parse::<Number>(), Err(NumberError::Syntax));
        assert_eq!("e5".parse::<Number>(), Err(NumberError::Syntax));
        assert_eq!("1e".parse::<Number>(), Err(NumberError::Syntax));
    }

    #[test]
    fn signs_text_and_floats() {
        assert_eq!(n("+5"), "5");
        assert_eq!(n("+0.25E+2"), "25");
        let x: Number = "-2.5".parse().unwrap();
        assert_eq!(x.as_str(), "-2.5");
        assert_eq!(x.to_f64(), -2.5);
        assert_eq!(Number::from(3u8).to_f64(), 3.0);
        assert_eq!("0".parse::<Number>().unwrap().to_f64(), 0.0);
        assert_eq!(
            Number::from(0u8).cmp(&Number::from(0i64)),
            std::cmp::Ordering::Equal
        );
    }

    #[test]
    fn as_an_attribute() {
        let x: Number = "1.50".parse().unwrap();
        assert_eq!(
            x.to_attribute().unwrap(),
            Some(AttributeValue::N("1.5".into()))
        );
        assert_eq!(
            Number::from_attribute(Some(AttributeValue::N("007".into()))).unwrap(),
            Number::from(7u8)
        );
        let syntax = Number::from_attribute(Some(AttributeValue::N("1.2.3".into())));
        assert!(
            matches!(syntax, Err(ConvertError::InvalidNumber { .. })),
            "{syntax:?}"
        );
        let range = Number::from_attribute(Some(AttributeValue::N("1E200".into())));
        assert!(
            matches!(range, Err(ConvertError::OutOfRange { .. })),
            "{range:?}"
        );
        let wrong = Number::from_attribute(Some(AttributeValue::S("1".into())));
        assert!(wrong.is_err());
    }
}
