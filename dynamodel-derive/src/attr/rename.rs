//! The `rename_all` rules, serde's spelling, and how each renames a name.

use heck::{
    ToKebabCase, ToLowerCamelCase, ToShoutyKebabCase, ToShoutySnakeCase, ToSnakeCase,
    ToUpperCamelCase,
};

/// The values `rename_all` takes.
pub const RENAME_RULES: &[&str] = &[
    "camelCase",
    "snake_case",
    "PascalCase",
    "SCREAMING_SNAKE_CASE",
    "kebab-case",
    "SCREAMING-KEBAB-CASE",
    "lowercase",
    "UPPERCASE",
];

/// Applies a `rename_all` rule to a field or variant name (an unknown rule,
/// already reported, keeps the name).
pub fn apply_rule(rule: &str, name: &str) -> String {
    match rule {
        "camelCase" => name.to_lower_camel_case(),
        "snake_case" => name.to_snake_case(),
        "PascalCase" => name.to_upper_camel_case(),
        "SCREAMING_SNAKE_CASE" => name.to_shouty_snake_case(),
        "kebab-case" => name.to_kebab_case(),
        "SCREAMING-KEBAB-CASE" => name.to_shouty_kebab_case(),
        "lowercase" => name.to_lowercase(),
        "UPPERCASE" => name.to_uppercase(),
        _ => name.to_owned(),
    }
}
