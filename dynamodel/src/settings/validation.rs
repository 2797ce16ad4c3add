//! Validation results: the failures of `range`, `length`, `one_of`, `regex`
//! and `validate` settings, collected per attribute path, and what a custom
//! `validate` function may return.
//!
//! This module imports nothing else from the crate, so every layer
//! (values, models, operations) can report validation failures.

use std::borrow::Cow;
use std::fmt;

/// One attribute that broke one rule.
///
/// The message describes the problem without the value (values may be
/// personal data and errors end up in logs): "length 3 is below the minimum 5".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The attribute path as stored (for example `address.zip`); empty for
    /// rules on the whole item (the struct-level `validate`).
    pub path: String,
    /// The rule broken: `range`, `length`, `one_of`, `regex`, `validate`;
    /// for DynamoDB's limits `key` (a key value of the table or an index),
    /// `name` (an attribute name or map key), `size` (one value over 400 KB)
    /// and `required` (an attribute an upsert must write).
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
