//! The settings written on a field (or on an enum variant, which takes
//! only `rename`; `check` refuses the others there).

use syn::meta::ParseNestedMeta;

use super::parse::{
    did_you_mean, flag, for_each_setting, parse_lit_str, parse_min_max, parse_path_value, set_once,
    unknown_setting, Flag,
};
use crate::ctxt::Ctxt;

/// Field settings a user may write (for "did you mean"), storage first,
/// then the schema settings.
const FIELD_SETTINGS: &[&str] = &[
    "hash_key",
    "range_key",
    "rename",
    "version",
    "null",
    "serde",
    "date",
    "truncate",
    "round",
    "ttl",
    "default",
    "default_with",
    "force_default",
    "generate",
    "range",
    "length",
    "one_of",
    "regex",
    "validate",
    "set",
    "get",
    "skip",
    "created_at",
    "updated_at",
    "unknown",
];
/// Values of the `generate` setting.
const GENERATORS: &[&str] = &["uuid_v4", "uuid_v7", "ulid"];
/// Values of the `date` setting.
const DATE_FORMATS: &[&str] = &[
    "millis",
    "seconds",
    "iso8601",
    "iso8601_micros",
    "iso8601_nanos",
];

/// How a field is stored: its key role, name and representation.
#[derive(Default)]
pub struct FieldAttrs {
    /// `hash_key`: the table's partition key.
    pub hash_key: Flag,
    /// `range_key`: the table's sort key.
    pub range_key: Flag,
    /// `rename = "stored_name"` (checked not to be empty).
    pub rename: Option<syn::LitStr>,
    /// The schema settings: defaults, validation, transforms, timestamps.
    pub settings: FieldSettings,
    /// `version`: the optimistic-locking counter.
    pub version: Flag,
    /// `null`: an `Option` field stores `None` as `NULL` instead of no attribute.
    pub null: Flag,
    /// `serde`: the field goes through serde_dynamo.
    pub serde: Flag,
    /// `date = "millis" | "seconds" | "iso8601" | "iso8601_micros" |
    /// "iso8601_nanos"` (checked to be one of them).
    pub date: Option<syn::LitStr>,
    /// `truncate`: a `millis` / `seconds` date rounds finer precision toward
    /// the past instead of refusing it.
    pub truncate: Flag,
    /// `round`: a `millis` / `seconds` / `iso8601` / `iso8601_micros` date
    /// or a `ttl` rounds to the nearest unit instead of refusing a finer part.
    pub round: Flag,
    /// `ttl`: DynamoDB's time-to-live attribute, stored as epoch seconds.
    pub ttl: Flag,
    /// A setting was not understood (already reported): a check that the
    /// settings name something (a partition key) stays quiet, as the
    /// setting may have been meant to (`hashkey`).
    pub unknown_setting: bool,
}

/// A `range` bound literal.
pub enum Bound {
    /// An integer literal, sign included.
    Int(i128),
    /// A float literal, sign included.
    Float(f64),
}

/// The schema settings of one field, each with the path naming it (for
/// error spans).
#[derive(Default)]
pub struct FieldSettings {
    /// `default = expr`.
    pub default: Option<(syn::Path, syn::Expr)>,
    /// `default_with = path`.
    pub default_with: Option<(syn::Path, syn::Path)>,
    /// `force_default`: the default replaces the value on every write.
    pub force_default: Flag,
    /// `generate = "uuid_v4" | "uuid_v7" | "ulid"` (checked to be one of
    /// them): an identifier made when the value is absent.
    pub generate: Option<(syn::Path, syn::LitStr)>,
    /// `range(min = .., max = ..)`.
    pub range: Option<(syn::Path, Option<Bound>, Option<Bound>)>,
    /// `length(min = .., max = ..)`.
    pub length: Option<(syn::Path, Option<usize>, Option<usize>)>,
    /// `one_of(a, b, ..)`.
    pub one_of: Option<(syn::Path, Vec<syn::Expr>)>,
    /// `regex = "..."` (checked to compile).
    pub regex: Option<(syn::Path, syn::LitStr)>,
    /// `validate = path`.
    pub validate: Option<(syn::Path, syn::Path)>,
    /// `set = path`: the transform applied before a write.
    pub set: Option<(syn::Path, syn::Path)>,
    /// `get = path`: the transform applied after a read.
    pub get: Option<(syn::Path, syn::Path)>,
    /// `skip`: not stored.
    pub skip: Flag,
    /// `created_at`: the creation timestamp.
    pub created_at: Flag,
    /// `updated_at`: the last-write timestamp.
    pub updated_at: Flag,
    /// `unknown`: the catch-all of undeclared attributes.
    pub unknown: Flag,
}

impl FieldSettings {
    /// Every setting given, as the path naming it (for error spans).
    pub fn given(&self) -> impl Iterator<Item = &syn::Path> {
        [
            self.default.as_ref().map(|d| &d.0),
            self.default_with.as_ref().map(|d| &d.0),
            self.force_default.as_ref(),
            self.generate.as_ref().map(|d| &d.0),
            self.range.as_ref().map(|d| &d.0),
            self.length.as_ref().map(|d| &d.0),
            self.one_of.as_ref().map(|d| &d.0),
            self.regex.as_ref().map(|d| &d.0),
            self.validate.as_ref().map(|d| &d.0),
            self.set.as_ref().map(|d| &d.0),
            self.get.as_ref().map(|d| &d.0),
            self.skip.as_ref(),
            self.created_at.as_ref(),
            self.updated_at.as_ref(),
            self.unknown.as_ref(),
        ]
        .into_iter()
        .flatten()
    }
}

impl FieldAttrs {
    /// Reads a field's (or variant's) `#[dynamodel(...)]` attributes,
    /// recording every problem in `cx`.
    pub fn from_attributes(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        let mut out = FieldAttrs::default();
        for_each_setting(cx, attrs, |meta| out.parse_setting(cx, &meta));
        if let Some(truncate) = out.truncate.as_ref().filter(|_| out.ttl.is_none()) {
            let format = out.date.as_ref().map(syn::LitStr::value);
            if !matches!(
                format.as_deref(),
                Some("millis" | "seconds" | "iso8601" | "iso8601_micros")
            ) {
                cx.error_spanned_by(
                    truncate,
                    "`truncate` goes with `date = \"millis\"`, `\"seconds\"`, `\"iso8601\"` or `\"iso8601_micros\"`: it lets them round finer precision toward the past (`iso8601_nanos` keeps every nanosecond)",
                );
            }
        }
        if let Some(round) = &out.round {
            let format = out.date.as_ref().map(syn::LitStr::value);
            let unit = out.ttl.is_some()
                || matches!(
                    format.as_deref(),
                    Some("millis" | "seconds" | "iso8601" | "iso8601_micros")
                );
            if !unit {
                cx.error_spanned_by(
                    round,
                    "`round` goes with `date = \"millis\"`, `\"seconds\"`, `\"iso8601\"`, `\"iso8601_micros\"` or `ttl`: it stores a date-time rounded to the nearest unit of its storage instead of refusing a finer part (`iso8601_nanos` keeps every nanosecond)",
                );
            } else if out.truncate.is_some() {
                cx.error_spanned_by(
                    round,
                    "`round` and `truncate` disagree: `round` stores the nearest unit, `truncate` the one before; keep one",
                );
            }
        }
        out
    }

    fn parse_setting(&mut self, cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<()> {
        let path = meta.path.clone();
        let Some(name) = path.get_ident().map(ToString::to_string) else {
            self.unknown_setting = true;
            return unknown_setting(cx, meta, "field", FIELD_SETTINGS);
        };
        let s = &mut self.settings;
        match name.as_str() {
            "hash_key" => flag(cx, meta, &mut self.hash_key)?,
            "range_key" => flag(cx, meta, &mut self.range_key)?,
            "rename" => {
                let lit = parse_lit_str(meta)?;
                if lit.value().is_empty() {
                    cx.error_spanned_by(&lit, "an attribute name cannot be empty");
                }
                set_once(cx, meta, &mut self.rename, lit);
            }
            "version" => flag(cx, meta, &mut self.version)?,
            "null" => flag(cx, meta, &mut self.null)?,
            "serde" => flag(cx, meta, &mut self.serde)?,
            "date" => {
                let lit = parse_lit_str(meta)?;
                let value = lit.value();
                if !DATE_FORMATS.contains(&value.as_str()) {
                    cx.error_spanned_by(
                        &lit,
                        format!(
                            "unknown date format `{value}`{}",
                            did_you_mean(&value, DATE_FORMATS)
                        ),
                    );
                }
                set_once(cx, meta, &mut self.date, lit);
            }
            "truncate" => flag(cx, meta, &mut self.truncate)?,
            "round" => flag(cx, meta, &mut self.round)?,
            "ttl" => flag(cx, meta, &mut self.ttl)?,
            "default" => {
                let expr: syn::Expr = meta
                    .value()
                    .map_err(|_| meta.error("`default` takes a value: `default = expression`"))?
                    .parse()?;
                set_once(cx, meta, &mut s.default, (path, expr));
            }
            "default_with" => {
                let f = parse_path_value(meta, "a function returning the default")?;
                set_once(cx, meta, &mut s.default_with, (path, f));
            }
            "force_default" => flag(cx, meta, &mut s.force_default)?,
            "generate" => {
                let message = "`generate` takes a string: `generate = \"uuid_v7\"` (or \"uuid_v4\", \"ulid\")";
                let value = meta.value().map_err(|_| meta.error(message))?;
                let lit: syn::LitStr = value
                    .parse()
                    .map_err(|err| syn::Error::new(err.span(), message))?;
                let name = lit.value();
                if !GENERATORS.contains(&name.as_str()) {
                    cx.error_spanned_by(
                        &lit,
                        format!(
                            "unknown generator `{name}`{}; the generators are \"uuid_v4\", \"uuid_v7\" and \"ulid\"",
                            did_you_mean(&name, GENERATORS)
                        ),
                    );
                }
                set_once(cx, meta, &mut s.generate, (path, lit));
            }
            "range" => {
                let (min, max) = parse_min_max(cx, meta, parse_bound, "number literals")?;
                set_once(cx, meta, &mut s.range, (path, min, max));
            }
            "length" => {
                let parse = |expr: &syn::Expr| match expr {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Int(int),
                        ..
                    }) => int.base10_parse::<usize>().ok(),
                    _ => None,
                };
                let (min, max) = parse_min_max(cx, meta, parse, "non-negative integer literals")?;
                set_once(cx, meta, &mut s.length, (path, min, max));
            }
            "one_of" => {
                if !meta.input.peek(syn::token::Paren) {
                    return Err(meta.error("`one_of` takes a list: `one_of(\"a\", \"b\")`"));
                }
                let content;
                syn::parenthesized!(content in meta.input);
                let values =
                    syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated(
                        &content,
                    )?;
                if values.is_empty() {
                    cx.error_spanned_by(&path, "`one_of` needs at least one allowed value");
                }
                set_once(
                    cx,
                    meta,
                    &mut s.one_of,
                    (path, values.into_iter().collect()),
                );
            }
            "regex" => {
                let message = "`regex` takes a string: `regex = \"^[a-z]+$\"`";
                let value = meta.value().map_err(|_| meta.error(message))?;
                let lit: syn::LitStr = value
                    .parse()
                    .map_err(|err| syn::Error::new(err.span(), message))?;
                if let Err(err) = regex_syntax::Parser::new().parse(&lit.value()) {
                    cx.error_spanned_by(&lit, format!("invalid regex: {err}"));
                }
                set_once(cx, meta, &mut s.regex, (path, lit));
            }
            "validate" => {
                let f = parse_path_value(meta, "a validation function")?;
                set_once(cx, meta, &mut s.validate, (path, f));
            }
            "set" => {
                let f = parse_path_value(meta, "a transform function `fn(T) -> T`")?;
                set_once(cx, meta, &mut s.set, (path, f));
            }
            "get" => {
                let f = parse_path_value(meta, "a transform function `fn(T) -> T`")?;
                set_once(cx, meta, &mut s.get, (path, f));
            }
            "skip" => flag(cx, meta, &mut s.skip)?,
            "created_at" => flag(cx, meta, &mut s.created_at)?,
            "updated_at" => flag(cx, meta, &mut s.updated_at)?,
            "unknown" => flag(cx, meta, &mut s.unknown)?,
            _ => {
                self.unknown_setting = true;
                unknown_setting(cx, meta, "field", FIELD_SETTINGS)?
            }
        }
        Ok(())
    }
}

/// A `range` bound: a number literal, maybe negated.
fn parse_bound(expr: &syn::Expr) -> Option<Bound> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(int),
            ..
        }) => int.base10_parse::<i128>().ok().map(Bound::Int),
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Float(float),
            ..
        }) => float.base10_parse::<f64>().ok().map(Bound::Float),
        syn::Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr,
            ..
        }) => match parse_bound(expr)? {
            Bound::Int(v) => Some(Bound::Int(-v)),
            Bound::Float(v) => Some(Bound::Float(-v)),
        },
        syn::Expr::Group(group) => parse_bound(&group.expr),
        _ => None,
    }
}
