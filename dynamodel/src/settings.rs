//! The runtime side of the attribute settings `#[dynamodel(...)]`: validation
//! errors, hooks, timestamps, and the traits that decide which setting fits
//! which field type.
//!
//! The settings themselves are applied by [`crate::schema::prepare_write`] and
//! [`crate::schema::finish_read`]; see [`crate::schema`] for the order.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;

use crate::schema::WriteKind;

/// An error a hook or a custom function may return.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// One attribute that broke one rule.
///
/// The message describes the problem without the value (values may be
/// personal data and errors end up in logs): "length 3 is below the minimum 5".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The attribute path as stored (for example `address.zip`); empty for
    /// rules on the whole item (the struct-level `validate`).
    pub path: String,
    /// The rule broken: `range`, `length`, `one_of`, `regex`, `validate`.
    pub rule: &'static str,
    /// What was wrong, without the value.
    pub message: Cow<'static, str>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "({}) {}", self.rule, self.message)
        } else {
            write!(f, "{} ({}): {}", self.path, self.rule, self.message)
        }
    }
}

/// Every rule an item broke, in field order: validation reports all failures
/// at once, not the first one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors {
    errors: Vec<ValidationError>,
}

impl ValidationErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that the attribute at `path` broke `rule`.
    pub fn add(
        &mut self,
        path: impl Into<String>,
        rule: &'static str,
        message: impl Into<Cow<'static, str>>,
    ) {
        self.errors.push(ValidationError {
            path: path.into(),
            rule,
            message: message.into(),
        });
    }

    /// Adds the errors of a nested document stored under `prefix`: its paths
    /// become `prefix.path`, `prefix[i]...` for list elements, or `prefix`
    /// for whole-document rules.
    pub fn nest(&mut self, prefix: &str, nested: ValidationErrors) {
        for mut error in nested.errors {
            error.path = if error.path.is_empty() {
                prefix.to_owned()
            } else if error.path.starts_with('[') {
                format!("{prefix}{}", error.path)
            } else {
                format!("{prefix}.{}", error.path)
            };
            self.errors.push(error);
        }
    }

    /// Whether no rule was broken.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The failures, in field order.
    pub fn errors(&self) -> &[ValidationError] {
        &self.errors
    }

    /// The failures of the attribute at `path`.
    pub fn for_path<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a ValidationError> {
        self.errors.iter().filter(move |e| e.path == path)
    }

    /// `Ok(())` when empty, else `Err(self)`.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// What a custom `validate` function may return: `Result<(), String>`,
/// `Result<(), &'static str>`, `Result<(), ValidationErrors>` or `bool`.
pub trait ValidationOutcome {
    /// Records the failures, if any, under `path`.
    fn record(self, errors: &mut ValidationErrors, path: &str);
}

impl ValidationOutcome for Result<(), String> {
    fn record(self, errors: &mut ValidationErrors, path: &str) {
        if let Err(message) = self {
            errors.add(path, "validate", message);
        }
    }
}

impl ValidationOutcome for Result<(), &'static str> {
    fn record(self, errors: &mut ValidationErrors, path: &str) {
        if let Err(message) = self {
            errors.add(path, "validate", message);
        }
    }
}

impl ValidationOutcome for Result<(), ValidationErrors> {
    fn record(self, errors: &mut ValidationErrors, path: &str) {
        if let Err(nested) = self {
            if path.is_empty() {
                errors.errors.extend(nested.errors);
            } else {
                errors.nest(path, nested);
            }
        }
    }
}

impl ValidationOutcome for bool {
    fn record(self, errors: &mut ValidationErrors, path: &str) {
        if !self {
            errors.add(path, "validate", "custom validation failed");
        }
    }
}

/// Types with a length, for `#[dynamodel(length(min = .., max = ..))]`.
///
/// Strings count characters (Unicode scalar values), collections count elements.
#[diagnostic::on_unimplemented(
    message = "`length` needs a string or a collection, and `{Self}` has no length",
    label = "`length` is set on this field",
    note = "`length(min = .., max = ..)` applies to String, Vec, sets and maps; use `range` for numbers"
)]
pub trait HasLength {
    /// The length checked by `length`.
    fn length(&self) -> usize;
}

impl HasLength for String {
    fn length(&self) -> usize {
        self.chars().count()
    }
}
impl HasLength for str {
    fn length(&self) -> usize {
        self.chars().count()
    }
}
impl<T> HasLength for Vec<T> {
    fn length(&self) -> usize {
        self.len()
    }
}
impl<T> HasLength for VecDeque<T> {
    fn length(&self) -> usize {
        self.len()
    }
}
impl<T, S> HasLength for HashSet<T, S> {
    fn length(&self) -> usize {
        self.len()
    }
}
impl<T> HasLength for BTreeSet<T> {
    fn length(&self) -> usize {
        self.len()
    }
}
impl<K, V, S> HasLength for HashMap<K, V, S> {
    fn length(&self) -> usize {
        self.len()
    }
}
impl<K, V> HasLength for BTreeMap<K, V> {
    fn length(&self) -> usize {
        self.len()
    }
}

/// Number types, for `#[dynamodel(range(min = .., max = ..))]`.
#[diagnostic::on_unimplemented(
    message = "`range` needs a number, and `{Self}` is not one",
    label = "`range` is set on this field",
    note = "`range(min = .., max = ..)` applies to integer, float and `dynamodel::Number` fields; use `length` for strings and collections"
)]
pub trait Ranged {
    /// Compares the value with an integer bound.
    fn cmp_int(&self, bound: i128) -> Option<std::cmp::Ordering>;
    /// Compares the value with a float bound.
    fn cmp_float(&self, bound: f64) -> Option<std::cmp::Ordering>;
}

macro_rules! numeric_int {
    ($($t:ty),*) => {$(
        impl Ranged for $t {
            #[allow(clippy::cast_lossless, clippy::unnecessary_cast)]
            fn cmp_int(&self, bound: i128) -> Option<std::cmp::Ordering> {
                match i128::try_from(*self) {
                    Ok(v) => Some(v.cmp(&bound)),
                    // Only u128 above i128::MAX lands here.
                    Err(_) => Some(std::cmp::Ordering::Greater),
                }
            }
            #[allow(clippy::cast_precision_loss)]
            fn cmp_float(&self, bound: f64) -> Option<std::cmp::Ordering> {
                (*self as f64).partial_cmp(&bound)
            }
        }
    )*};
}
numeric_int!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

macro_rules! numeric_float {
    ($($t:ty),*) => {$(
        impl Ranged for $t {
            #[allow(clippy::cast_precision_loss)]
            fn cmp_int(&self, bound: i128) -> Option<std::cmp::Ordering> {
                f64::from(*self).partial_cmp(&(bound as f64))
            }
            fn cmp_float(&self, bound: f64) -> Option<std::cmp::Ordering> {
                f64::from(*self).partial_cmp(&bound)
            }
        }
    )*};
}
numeric_float!(f32, f64);

/// Exact: the bound is read as a decimal (the nearest `f64` only for a bound
/// `Number` cannot hold).
impl Ranged for crate::Number {
    fn cmp_int(&self, bound: i128) -> Option<std::cmp::Ordering> {
        match bound.to_string().parse::<crate::Number>() {
            Ok(bound) => Some(self.cmp(&bound)),
            Err(_) => self.to_f64().partial_cmp(&(bound as f64)),
        }
    }
    fn cmp_float(&self, bound: f64) -> Option<std::cmp::Ordering> {
        match format!("{bound:e}").parse::<crate::Number>() {
            Ok(bound) => Some(self.cmp(&bound)),
            Err(_) => self.to_f64().partial_cmp(&bound),
        }
    }
}

/// String types, for `#[dynamodel(regex = "...")]`.
#[diagnostic::on_unimplemented(
    message = "`regex` needs a string, and `{Self}` is not one",
    label = "`regex` is set on this field",
    note = "`regex = \"...\"` applies to String fields"
)]
pub trait Text {
    /// The text matched.
    fn text(&self) -> &str;
}

impl Text for String {
    fn text(&self) -> &str {
        self
    }
}
impl Text for Box<str> {
    fn text(&self) -> &str {
        self
    }
}
impl Text for Cow<'static, str> {
    fn text(&self) -> &str {
        self
    }
}

/// Types with an empty value, so that `default` on a non-`Option` field knows
/// when the value is *absent*: an empty string or collection.
///
/// On an `Option<T>` field, `None` is absent and the default is a `T`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no \"absent\" value, so a `default` on it would never apply",
    label = "`default` is set on this field",
    note = "make the field an `Option<..>` (None is absent), or use `force_default` to set it on every write"
)]
pub trait Emptiable {
    /// Whether the value counts as absent.
    fn is_absent(&self) -> bool;
}

impl Emptiable for String {
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}
impl<T> Emptiable for Vec<T> {
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}
impl<T, S> Emptiable for HashSet<T, S> {
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}
impl<T> Emptiable for BTreeSet<T> {
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}
impl<K, V, S> Emptiable for HashMap<K, V, S> {
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}
impl<K, V> Emptiable for BTreeMap<K, V> {
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}

/// Types a `created_at` / `updated_at` field may have.
///
/// dynamodel implements it for `u64` and `i64` (milliseconds since the Unix
/// epoch), for the date-time types of the `chrono` and `time` features
/// (`DateTime<Utc>`, `OffsetDateTime`, set to the millisecond) and for
/// `Option<T>` of those.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a timestamp",
    label = "this field is a `created_at` / `updated_at` timestamp",
    note = "timestamps are `u64` or `i64` epoch milliseconds, a date-time type (`chrono` or `time` feature), an `Option` of those, or a type implementing `dynamodel::settings::Timestamp`"
)]
pub trait Timestamp {
    /// The time `now` in this type. A write reads the clock once, so the
    /// `created_at` and `updated_at` of a new item are equal.
    fn at(now: std::time::SystemTime) -> Self;
    /// Whether the field holds no timestamp yet (`0`, `None`, the epoch):
    /// `put` fills `created_at` only then.
    fn is_unset(&self) -> bool;
}

/// Milliseconds since the Unix epoch (negative before it), saturating.
pub(crate) fn epoch_millis(time: std::time::SystemTime) -> i64 {
    match time.duration_since(std::time::UNIX_EPOCH) {
        Ok(elapsed) => i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_millis()).map_or(i64::MIN, |ms| -ms),
    }
}

impl Timestamp for i64 {
    fn at(now: std::time::SystemTime) -> Self {
        epoch_millis(now)
    }
    fn is_unset(&self) -> bool {
        *self == 0
    }
}

impl Timestamp for u64 {
    fn at(now: std::time::SystemTime) -> Self {
        u64::try_from(epoch_millis(now)).unwrap_or(0)
    }
    fn is_unset(&self) -> bool {
        *self == 0
    }
}

impl<T: Timestamp> Timestamp for Option<T> {
    fn at(now: std::time::SystemTime) -> Self {
        Some(T::at(now))
    }
    fn is_unset(&self) -> bool {
        self.as_ref().map_or(true, T::is_unset)
    }
}

/// Code run around reads and writes of a model.
///
/// Opt in with `#[dynamodel(hooks)]` on the struct and implement this trait;
/// every method defaults to doing nothing. Without the setting the derive
/// implements it empty (so implementing it by hand without the setting is a
/// compile error rather than hooks that silently never run).
///
/// A hook that returns `Err` stops the operation with [`crate::Error::Hook`];
/// nothing is sent to DynamoDB.
pub trait Hooks {
    /// Runs first on every write (create, put, batch and transaction puts),
    /// on the copy about to be written, before defaults, transforms and validation.
    fn before_save(&mut self, kind: WriteKind) -> Result<(), BoxError> {
        let _ = kind;
        Ok(())
    }

    /// Runs last on every read, after the `get` transforms.
    fn after_load(&mut self) -> Result<(), BoxError> {
        Ok(())
    }
}

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

/// Replaces `*slot` by `f(old value)`, for `set` / `get` transforms on
/// non-`Option` fields. Used by generated code.
#[doc(hidden)]
pub fn transform<T: Default>(slot: &mut T, f: impl FnOnce(T) -> T) {
    let old = std::mem::take(slot);
    *slot = f(old);
}

/// Runs the checks of the nested documents inside a field's value and
/// reports them under the field's name. Used by generated code.
#[doc(hidden)]
pub fn validate_members_under<T: crate::Attribute>(
    errors: &mut ValidationErrors,
    name: &str,
    value: &T,
) {
    let mut nested = ValidationErrors::new();
    value.validate_members(&mut nested);
    if !nested.is_empty() {
        errors.nest(name, nested);
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
    A::to_attribute(&decoded)?.ok_or(crate::ConvertError::Missing)
}

/// Replaces the value inside `Some`, for `set` / `get` transforms on `Option`
/// fields. Used by generated code.
#[doc(hidden)]
pub fn transform_option<T>(slot: &mut Option<T>, f: impl FnOnce(T) -> T) {
    if let Some(old) = slot.take() {
        *slot = Some(f(old));
    }
}

/// `time` to the whole second (toward the past), for timestamps stored as
/// exact epoch seconds. Used by generated code.
#[doc(hidden)]
pub fn whole_seconds(time: std::time::SystemTime) -> std::time::SystemTime {
    let millis = epoch_millis(time);
    let seconds = millis.div_euclid(1000);
    let whole = std::time::Duration::from_secs(seconds.unsigned_abs());
    let shifted = if seconds >= 0 {
        std::time::UNIX_EPOCH.checked_add(whole)
    } else {
        std::time::UNIX_EPOCH.checked_sub(whole)
    };
    shifted.unwrap_or(time)
}

/// Sets a timestamp field on write. Used by generated code.
#[doc(hidden)]
pub fn touch_created<T: Timestamp>(slot: &mut T, kind: WriteKind, now: std::time::SystemTime) {
    if kind == WriteKind::Create || slot.is_unset() {
        *slot = T::at(now);
    }
}

/// Sets an `updated_at` field. Used by generated code.
#[doc(hidden)]
pub fn touch_updated<T: Timestamp>(slot: &mut T, now: std::time::SystemTime) {
    *slot = T::at(now);
}

/// Turns validation failures into [`crate::Error::Validation`]. Used by generated code.
#[doc(hidden)]
pub fn validation_result<M: crate::Model>(errors: ValidationErrors) -> crate::Result<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(crate::Error::Validation {
            model: M::MODEL_NAME,
            errors,
        })
    }
}

/// Wraps a hook's error. Used by generated code.
#[doc(hidden)]
pub fn hook_result<M: crate::Model>(
    hook: &'static str,
    result: Result<(), BoxError>,
) -> crate::Result<()> {
    result.map_err(|source| crate::Error::Hook {
        model: M::MODEL_NAME,
        hook,
        source,
    })
}

/// Writes the catch-all `unknown` attributes into `item`, except names the
/// model declares (its fields win, even when absent). Used by generated code.
#[doc(hidden)]
pub fn write_unknown(item: &mut crate::Item, unknown: &crate::Item, declared: &[&str]) {
    for (name, value) in unknown {
        if !declared.contains(&name.as_str()) && !item.contains_key(name) {
            item.insert(name.clone(), value.clone());
        }
    }
}
