//! Validation checks called by the generated `validate` and by the rules
//! attached to typed field handles.

use std::fmt;

#[cfg(feature = "regex")]
use crate::settings::rules::Text;
use crate::settings::rules::{HasLength, Ranged};
use crate::settings::validation::ValidationErrors;

/// A regex compiled once, on first use. Used by generated code.
#[cfg(feature = "regex")]
#[doc(hidden)]
pub type LazyRegex = std::sync::LazyLock<Option<regex::Regex>>;

/// Builds a [`LazyRegex`] initializer. Used by generated code.
#[cfg(feature = "regex")]
#[doc(hidden)]
pub fn compile_regex(pattern: &str) -> Option<regex::Regex> {
    // The derive has already checked the pattern's syntax; a pattern that
    // still fails (size limits) is reported as a validation failure.
    regex::Regex::new(pattern).ok()
}

/// Checks `value` against a compiled pattern. Used by generated code.
#[cfg(feature = "regex")]
#[doc(hidden)]
pub fn check_regex<T: Text + ?Sized>(
    errors: &mut ValidationErrors,
    path: &'static str,
    value: &T,
    regex: &LazyRegex,
    pattern: &'static str,
) {
    match &**regex {
        Some(re) if re.is_match(value.text()) => {}
        Some(_) => errors.add(
            path,
            "regex",
            format!("does not match the pattern `{pattern}`"),
        ),
        None => errors.add(path, "regex", "the pattern could not be compiled"),
    }
}

/// Checks `length(min, max)`. Used by generated code.
#[doc(hidden)]
pub fn check_length<T: HasLength + ?Sized>(
    errors: &mut ValidationErrors,
    path: &'static str,
    value: &T,
    min: Option<usize>,
    max: Option<usize>,
) {
    let len = value.length();
    if let Some(min) = min {
        if len < min {
            errors.add(
                path,
                "length",
                format!("length {len} is below the minimum {min}"),
            );
        }
    }
    if let Some(max) = max {
        if len > max {
            errors.add(
                path,
                "length",
                format!("length {len} is above the maximum {max}"),
            );
        }
    }
}

/// A `range` bound as written in the setting. Used by generated code.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum Bound {
    /// An integer literal.
    Int(i128),
    /// A float literal.
    Float(f64),
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bound::Int(v) => write!(f, "{v}"),
            Bound::Float(v) => write!(f, "{v}"),
        }
    }
}

/// Checks `range(min, max)` (inclusive). Used by generated code.
#[doc(hidden)]
pub fn check_range<T: Ranged + ?Sized>(
    errors: &mut ValidationErrors,
    path: &'static str,
    value: &T,
    min: Option<Bound>,
    max: Option<Bound>,
) {
    use std::cmp::Ordering;
    let cmp = |bound: Bound| match bound {
        Bound::Int(b) => value.cmp_int(b),
        Bound::Float(b) => value.cmp_float(b),
    };
    if let Some(min) = min {
        match cmp(min) {
            Some(Ordering::Less) => {
                errors.add(path, "range", format!("value is below the minimum {min}"))
            }
            None => errors.add(path, "range", "value is not a number (NaN)"),
            _ => {}
        }
    }
    if let Some(max) = max {
        match cmp(max) {
            Some(Ordering::Greater) => {
                errors.add(path, "range", format!("value is above the maximum {max}"))
            }
            // NaN already reported against `min`.
            None if min.is_none() => errors.add(path, "range", "value is not a number (NaN)"),
            _ => {}
        }
    }
}

/// Checks `one_of(...)`. Used by generated code.
#[doc(hidden)]
pub fn check_one_of(
    errors: &mut ValidationErrors,
    path: &'static str,
    found: bool,
    allowed: &'static str,
) {
    if !found {
        errors.add(
            path,
            "one_of",
            format!("value is not one of the allowed values: {allowed}"),
        );
    }
}

/// Applies a field's `set` transform and (when `errors` is given) its
/// validation to a value already converted for a field stored through the
/// adapter `A`: read back as the field's type, transformed, checked and
/// converted again. Used by generated code.
#[doc(hidden)]
pub fn adapted_rule<T, A: crate::value::adapter::Adapter<T>>(
    value: crate::AttributeValue,
    errors: Option<&mut ValidationErrors>,
    set: Option<fn(T) -> T>,
    check: Option<fn(&T, &mut ValidationErrors)>,
) -> Result<crate::AttributeValue, crate::ConvertError> {
    let mut decoded = A::from_attribute(Some(value))?;
    if let Some(set) = set {
        decoded = set(decoded);
    }
    if let (Some(check), Some(errors)) = (check, errors) {
        check(&decoded, errors);
    }
    crate::value::present(A::to_attribute(&decoded)?)
}
