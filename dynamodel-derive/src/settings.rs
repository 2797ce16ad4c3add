//! Schema settings: defaults, validation, transforms, timestamps, `skip`,
//! the `unknown` catch-all, hooks and `rename_all`. Parsing (called from
//! `attr.rs`), checks (called from `check.rs`) and expansion (called from
//! `expand.rs`) all live here.

use heck::{
    ToKebabCase, ToLowerCamelCase, ToShoutyKebabCase, ToShoutySnakeCase, ToSnakeCase,
    ToUpperCamelCase,
};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;

use crate::ast::{Field, Model};
use crate::attr::Flag;
use crate::ctxt::Ctxt;

/// Field setting names handled here (for "did you mean").
pub const FIELD_SETTINGS: &[&str] = &[
    "default",
    "default_with",
    "force_default",
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
/// Struct setting names handled here.
pub const STRUCT_SETTINGS: &[&str] = &["rename_all", "validate", "hooks", "timestamps"];

/// The `rename_all` rules, serde's spelling.
const RENAME_RULES: &[&str] = &[
    "camelCase",
    "snake_case",
    "PascalCase",
    "SCREAMING_SNAKE_CASE",
    "kebab-case",
    "SCREAMING-KEBAB-CASE",
    "lowercase",
    "UPPERCASE",
];

/// A `range` bound literal.
pub enum Bound {
    Int(i128),
    Float(f64),
}

/// Schema settings of one field.
#[derive(Default)]
pub struct FieldSettings {
    pub default: Option<(syn::Path, syn::Expr)>,
    pub default_with: Option<(syn::Path, syn::Path)>,
    pub force_default: Flag,
    pub range: Option<(syn::Path, Option<Bound>, Option<Bound>)>,
    pub length: Option<(syn::Path, Option<usize>, Option<usize>)>,
    pub one_of: Option<(syn::Path, Vec<syn::Expr>)>,
    pub regex: Option<(syn::Path, syn::LitStr)>,
    pub validate: Option<(syn::Path, syn::Path)>,
    pub set: Option<(syn::Path, syn::Path)>,
    pub get: Option<(syn::Path, syn::Path)>,
    pub skip: Flag,
    pub created_at: Flag,
    pub updated_at: Flag,
    pub unknown: Flag,
}

impl FieldSettings {
    /// Every setting given, as the path naming it (for error spans).
    pub fn given(&self) -> impl Iterator<Item = &syn::Path> {
        [
            self.default.as_ref().map(|d| &d.0),
            self.default_with.as_ref().map(|d| &d.0),
            self.force_default.as_ref(),
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

/// Schema settings of the struct.
#[derive(Default)]
pub struct StructSettings {
    pub rename_all: Option<syn::LitStr>,
    pub validate: Option<(syn::Path, syn::Path)>,
    pub hooks: Flag,
    pub timestamps: Flag,
}

fn set_once<T>(cx: &Ctxt, meta: &ParseNestedMeta, slot: &mut Option<T>, value: T) {
    if slot.is_some() {
        cx.error_spanned_by(
            &meta.path,
            format!("`{}` is set twice", crate::attr::path_name(&meta.path)),
        );
    } else {
        *slot = Some(value);
    }
}

fn flag(cx: &Ctxt, meta: &ParseNestedMeta, slot: &mut Flag) -> syn::Result<()> {
    if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
        let name = crate::attr::path_name(&meta.path);
        return Err(meta.error(format!("`{name}` takes no value: write just `{name}`")));
    }
    set_once(cx, meta, slot, meta.path.clone());
    Ok(())
}

fn parse_path_value(meta: &ParseNestedMeta, what: &str) -> syn::Result<syn::Path> {
    let name = crate::attr::path_name(&meta.path);
    let message = format!("`{name}` takes a path to {what}: `{name} = path::to::function`");
    let value = meta.value().map_err(|_| meta.error(&message))?;
    // Accept both `f` and `"f"`.
    if value.peek(syn::LitStr) {
        let lit: syn::LitStr = value.parse()?;
        return lit
            .parse::<syn::Path>()
            .map_err(|_| syn::Error::new(lit.span(), &message));
    }
    value
        .parse::<syn::Path>()
        .map_err(|err| syn::Error::new(err.span(), &message))
}

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

/// Parses `min = .., max = ..` inside `range(...)` / `length(...)`.
fn parse_min_max<T>(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    parse: impl Fn(&syn::Expr) -> Option<T>,
    expected: &str,
) -> syn::Result<(Option<T>, Option<T>)> {
    let name = crate::attr::path_name(&meta.path);
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!(
            "`{name}` takes bounds: `{name}(min = .., max = ..)`"
        )));
    }
    let (mut min, mut max) = (None, None);
    let mut bad_bound = false;
    meta.parse_nested_meta(|inner| {
        let is_min = inner.path.is_ident("min");
        if !is_min && !inner.path.is_ident("max") {
            return Err(inner.error(format!(
                "`{name}` takes `min` and `max`: `{name}(min = .., max = ..)`"
            )));
        }
        let expr: syn::Expr = inner.value()?.parse()?;
        match parse(&expr) {
            Some(v) => {
                let slot = if is_min { &mut min } else { &mut max };
                set_once(cx, &inner, slot, v);
            }
            None => {
                bad_bound = true;
                cx.error_spanned_by(&expr, format!("`{name}` bounds must be {expected}"));
            }
        }
        Ok(())
    })?;
    if min.is_none() && max.is_none() && !bad_bound {
        cx.error_spanned_by(&meta.path, format!("`{name}` needs `min`, `max` or both"));
    }
    Ok((min, max))
}

/// Parses one field setting if it is one of ours: `None` when not.
pub fn parse_field(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    out: &mut FieldSettings,
) -> Option<syn::Result<()>> {
    let path = meta.path.clone();
    let name = path.get_ident()?.to_string();
    let result = (|| -> syn::Result<()> {
        match name.as_str() {
            "default" => {
                let expr: syn::Expr = meta
                    .value()
                    .map_err(|_| meta.error("`default` takes a value: `default = expression`"))?
                    .parse()?;
                set_once(cx, meta, &mut out.default, (path, expr));
            }
            "default_with" => {
                let f = parse_path_value(meta, "a function returning the default")?;
                set_once(cx, meta, &mut out.default_with, (path, f));
            }
            "force_default" => flag(cx, meta, &mut out.force_default)?,
            "range" => {
                let (min, max) = parse_min_max(cx, meta, parse_bound, "number literals")?;
                set_once(cx, meta, &mut out.range, (path, min, max));
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
                set_once(cx, meta, &mut out.length, (path, min, max));
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
                    &mut out.one_of,
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
                set_once(cx, meta, &mut out.regex, (path, lit));
            }
            "validate" => {
                let f = parse_path_value(meta, "a validation function")?;
                set_once(cx, meta, &mut out.validate, (path, f));
            }
            "set" => {
                let f = parse_path_value(meta, "a transform function `fn(T) -> T`")?;
                set_once(cx, meta, &mut out.set, (path, f));
            }
            "get" => {
                let f = parse_path_value(meta, "a transform function `fn(T) -> T`")?;
                set_once(cx, meta, &mut out.get, (path, f));
            }
            "skip" => flag(cx, meta, &mut out.skip)?,
            "created_at" => flag(cx, meta, &mut out.created_at)?,
            "updated_at" => flag(cx, meta, &mut out.updated_at)?,
            "unknown" => flag(cx, meta, &mut out.unknown)?,
            _ => return Err(syn::Error::new(Span::call_site(), "")),
        }
        Ok(())
    })();
    match result {
        Err(err) if err.to_string().is_empty() => None,
        other => Some(other),
    }
}

/// Parses one struct setting if it is one of ours: `None` when not.
pub fn parse_struct(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    out: &mut StructSettings,
) -> Option<syn::Result<()>> {
    let path = meta.path.clone();
    let name = path.get_ident()?.to_string();
    let result = (|| -> syn::Result<()> {
        match name.as_str() {
            "rename_all" => {
                let message = format!(
                    "`rename_all` takes one of: {}",
                    RENAME_RULES
                        .iter()
                        .map(|r| format!("\"{r}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                let value = meta.value().map_err(|_| meta.error(&message))?;
                let lit: syn::LitStr = value
                    .parse()
                    .map_err(|err| syn::Error::new(err.span(), &message))?;
                if !RENAME_RULES.contains(&lit.value().as_str()) {
                    cx.error_spanned_by(&lit, &message);
                }
                set_once(cx, meta, &mut out.rename_all, lit);
            }
            "validate" => {
                let f = parse_path_value(meta, "a validation function `fn(&Self) -> ..`")?;
                set_once(cx, meta, &mut out.validate, (path, f));
            }
            "hooks" => flag(cx, meta, &mut out.hooks)?,
            "timestamps" => flag(cx, meta, &mut out.timestamps)?,
            _ => return Err(syn::Error::new(Span::call_site(), "")),
        }
        Ok(())
    })();
    match result {
        Err(err) if err.to_string().is_empty() => None,
        other => Some(other),
    }
}

/// Applies a `rename_all` rule to a field name.
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

/// Gives every field without its own `rename` the name `rename_all` makes.
/// Called by `ast.rs` once the fields are read.
pub fn apply_rename_all(model: &mut Model) {
    let Some(rule) = &model.attrs.settings.rename_all else {
        return;
    };
    let rule = rule.value();
    for field in &mut model.fields {
        // `skip` / `unknown` fields have no attribute to name.
        if field.attrs.rename.is_none() && is_stored(field) {
            let name = apply_rule(&rule, &field.ident.to_string());
            field.attrs.rename = Some(syn::LitStr::new(&name, field.ident.span()));
        }
    }
}

/// Whether the field is stored as an attribute of its own (not `skip`, not
/// the `unknown` catch-all).
pub fn is_stored(field: &Field) -> bool {
    field.attrs.settings.skip.is_none() && field.attrs.settings.unknown.is_none()
}

pub fn is_key(field: &Field) -> bool {
    field.attrs.hash_key.is_some() || field.attrs.range_key.is_some()
}

/// What serde's attributes say about names: `rename_all` on the struct,
/// `rename` on a field (the plain or `serialize` form).
fn serde_name(attrs: &[syn::Attribute], key: &str) -> Option<syn::LitStr> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(key) {
                if meta.input.peek(syn::Token![=]) {
                    found = Some(meta.value()?.parse::<syn::LitStr>()?);
                } else {
                    meta.parse_nested_meta(|inner| {
                        if inner.path.is_ident("serialize") {
                            found = Some(inner.value()?.parse::<syn::LitStr>()?);
                        } else {
                            let _: syn::LitStr = inner.value()?.parse()?;
                        }
                        Ok(())
                    })?;
                }
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            } else if meta.input.peek(syn::token::Paren) {
                let _content;
                syn::parenthesized!(_content in meta.input);
            }
            Ok(())
        });
    }
    found
}

/// Checks of the settings, run with the other cross-field checks.
pub fn check(cx: &Ctxt, model: &Model) {
    let settings = &model.attrs.settings;
    // serde renames: dynamodel does not read them, so a disagreement must be explicit.
    if let Some(serde_rule) = serde_name(&model.original.attrs, "rename_all") {
        if settings.rename_all.is_none() {
            cx.error_spanned_by(
                &serde_rule,
                format!(
                    "serde renames the fields with rename_all = \"{0}\", but dynamodel does not read serde's settings and would store them under their Rust names; add #[dynamodel(rename_all = \"{0}\")] to store them the same way, or set dynamodel's own `rename_all` to choose other names",
                    serde_rule.value()
                ),
            );
        }
    }
    for field in &model.fields {
        if let Some(serde_rename) = serde_name(&field.original.attrs, "rename") {
            if serde_rename.value() != field.stored_name() && field.attrs.rename.is_none() {
                cx.error_spanned_by(
                    &serde_rename,
                    format!(
                        "serde names field `{}` \"{}\", but dynamodel would store it as \"{}\"; add #[dynamodel(rename = \"{}\")] to store it the same way, or #[dynamodel(rename = \"{}\")] to keep dynamodel's name",
                        field.ident,
                        serde_rename.value(),
                        field.stored_name(),
                        serde_rename.value(),
                        field.stored_name()
                    ),
                );
            }
        }
    }

    let mut unknown_fields = 0;
    for field in &model.fields {
        let s = &field.attrs.settings;
        if is_key(field) {
            let given = "a key must be given explicitly on every write";
            let matched = "the key that get, delete and query are given would not match the stored one; normalize the key before building it";
            for (path, what, why) in [
                (s.default.as_ref().map(|d| &d.0), "a default", given),
                (s.default_with.as_ref().map(|d| &d.0), "a default", given),
                (s.force_default.as_ref(), "a default", given),
                (s.skip.as_ref(), "`skip`", given),
                (s.unknown.as_ref(), "`unknown`", given),
                (s.created_at.as_ref(), "a timestamp", given),
                (s.updated_at.as_ref(), "a timestamp", given),
                (s.set.as_ref().map(|d| &d.0), "a `set` transform", matched),
                (s.get.as_ref().map(|d| &d.0), "a `get` transform", matched),
            ] {
                if let Some(path) = path {
                    cx.error_spanned_by(
                        path,
                        format!("key field `{}` cannot have {what}: {why}", field.ident),
                    );
                }
            }
        }
        if let (Some(d), Some((p, _))) = (&s.default, &s.default_with) {
            let _ = d;
            cx.error_spanned_by(p, "set either `default` or `default_with`, not both");
        }
        if let Some(force) = &s.force_default {
            if s.default.is_none() && s.default_with.is_none() {
                cx.error_spanned_by(
                    force,
                    "`force_default` needs a `default = ..` or `default_with = ..` to force",
                );
            }
        }
        if let (Some(_), Some(updated)) = (&s.created_at, &s.updated_at) {
            cx.error_spanned_by(
                updated,
                "a field is either `created_at` or `updated_at`, not both",
            );
        }
        if let Some(flag) = s.skip.as_ref().or(s.unknown.as_ref()) {
            let others = s
                .given()
                .any(|p| !p.is_ident("skip") && !p.is_ident("unknown"))
                || field.attrs.rename.is_some();
            if others || (s.skip.is_some() && s.unknown.is_some()) {
                cx.error_spanned_by(
                    flag,
                    format!(
                        "`{}` fields are not stored as an attribute of their own, so they take no other settings",
                        crate::attr::path_name(flag)
                    ),
                );
            }
        }
        if s.unknown.is_some() {
            unknown_fields += 1;
            if unknown_fields == 2 {
                cx.error_spanned_by(
                    s.unknown.as_ref(),
                    "only one field can be the `unknown` catch-all",
                );
            }
        }
    }
    if let Some(timestamps) = &settings.timestamps {
        for name in ["created_at", "updated_at"] {
            if !model.fields.iter().any(|f| f.ident == name) {
                cx.error_spanned_by(
                    timestamps,
                    format!(
                        "`timestamps` needs a field named `{name}` (u64/i64 epoch milliseconds or a date-time type), or mark your own fields with #[dynamodel(created_at)] / #[dynamodel(updated_at)]"
                    ),
                );
            }
        }
    }
}

/// Whether the field is the `created_at` / `updated_at` timestamp.
pub fn timestamp_role(model: &Model, field: &Field) -> Option<(bool, Span)> {
    let s = &field.attrs.settings;
    if let Some(p) = &s.created_at {
        return Some((true, p.span()));
    }
    if let Some(p) = &s.updated_at {
        return Some((false, p.span()));
    }
    let ts = model.attrs.settings.timestamps.as_ref()?;
    if field.ident == "created_at" {
        Some((true, ts.span()))
    } else if field.ident == "updated_at" {
        Some((false, ts.span()))
    } else {
        None
    }
}

/// The clock reading a timestamp field is set from: `now`, or `now` to the
/// whole second for a field stored as exact epoch seconds.
pub fn timestamp_now(field: &Field) -> TokenStream {
    let seconds = field
        .attrs
        .date
        .as_ref()
        .is_some_and(|d| d.value() == "seconds");
    if seconds && field.attrs.truncate.is_none() {
        quote!(::dynamodel::__private::whole_seconds(now))
    } else {
        quote!(now)
    }
}

/// Code run on the field's value `v` (`&T`, the `T` inside for `Option<T>`).
fn on_value(field: &Field, body: TokenStream, mutable: bool) -> TokenStream {
    let ident = field.ident;
    let (inner, is_option) = match field.option_inner() {
        Some(inner) => (inner, true),
        None => (field.ty, false),
    };
    match (is_option, mutable) {
        (true, false) => quote! {
            if let ::dynamodel::__private::Option::Some(v) = &self.#ident {
                let v: &#inner = v;
                #body
            }
        },
        (false, false) => quote! {
            {
                let v: &#inner = &self.#ident;
                #body
            }
        },
        _ => body,
    }
}

/// The validation checks of a field, as code run on `v: &Inner` that adds
/// each failure to `errors: &mut ValidationErrors` under `stored` (the
/// attribute's name, or `""` for a path the caller adds).
pub fn checks(field: &Field, stored: &str) -> Vec<TokenStream> {
    let s = &field.attrs.settings;
    let inner = field.option_inner().unwrap_or(field.ty);
    let mut checks = Vec::new();
    let bound = |b: &Option<Bound>| match b {
        Some(Bound::Int(v)) => {
            quote!(::dynamodel::__private::Option::Some(::dynamodel::__private::Bound::Int(#v)))
        }
        Some(Bound::Float(v)) => {
            quote!(::dynamodel::__private::Option::Some(::dynamodel::__private::Bound::Float(#v)))
        }
        None => quote!(::dynamodel::__private::Option::None),
    };
    let usize_opt = |b: &Option<usize>| match b {
        Some(v) => quote!(::dynamodel::__private::Option::Some(#v)),
        None => quote!(::dynamodel::__private::Option::None),
    };
    if let Some((path, min, max)) = &s.range {
        let (min, max) = (bound(min), bound(max));
        checks.push(quote_spanned! {path.span()=>
            ::dynamodel::__private::check_range::<#inner>(errors, #stored, v, #min, #max);
        });
    }
    if let Some((path, min, max)) = &s.length {
        let (min, max) = (usize_opt(min), usize_opt(max));
        checks.push(quote_spanned! {path.span()=>
            ::dynamodel::__private::check_length::<#inner>(errors, #stored, v, #min, #max);
        });
    }
    if let Some((path, values)) = &s.one_of {
        let allowed = values
            .iter()
            .map(|v| v.to_token_stream().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        checks.push(quote_spanned! {path.span()=>
            ::dynamodel::__private::check_one_of(
                errors,
                #stored,
                [#(#values),*].iter().any(|allowed| *v == *allowed),
                #allowed,
            );
        });
    }
    if let Some((path, lit)) = &s.regex {
        checks.push(quote_spanned! {path.span()=>
            {
                static RE: ::dynamodel::__private::LazyRegex =
                    ::dynamodel::__private::LazyRegex::new(|| ::dynamodel::__private::compile_regex(#lit));
                ::dynamodel::__private::check_regex::<#inner>(errors, #stored, v, &RE, #lit);
            }
        });
    }
    if let Some((_, f)) = &s.validate {
        checks.push(quote_spanned! {f.span()=>
            ::dynamodel::__private::ValidationOutcome::record(#f(v), errors, #stored);
        });
    }
    checks
}

/// The field's checks in the model's `validate`.
fn validations(field: &Field) -> TokenStream {
    let checks = checks(field, &field.stored_name());
    if checks.is_empty() {
        return TokenStream::new();
    }
    on_value(field, quote!(#(#checks)*), false)
}

/// In the model's `validate`: the rules of the nested documents inside a
/// stored field (fields stored through an adapter hold no documents).
fn member_validation(field: &Field) -> TokenStream {
    if !is_stored(field) || is_key(field) || crate::types::base_adapter(field).is_some() {
        return TokenStream::new();
    }
    let ident = field.ident;
    let stored = field.stored_name();
    quote_spanned! {field.ty.span()=>
        ::dynamodel::__private::validate_members_under(errors, #stored, &self.#ident);
    }
}

/// What follows `Field::new(path)` in the field's typed handle: its `set`
/// transform and validation, which the handle applies to the values that
/// conditions and updates write. Empty when the field has neither.
pub fn handle_rules(field: &Field) -> TokenStream {
    let inner = crate::types::inner_type(field);
    let checks = checks(field, "");
    let set = field.attrs.settings.set.as_ref().map(|(_, f)| f);
    if set.is_none() && checks.is_empty() {
        return TokenStream::new();
    }
    let set = match set {
        Some(f) => quote_spanned! {f.span()=>
            ::dynamodel::__private::Option::Some(|v: #inner| -> #inner { #f(v) })
        },
        None => quote!(::dynamodel::__private::Option::None),
    };
    let check = if checks.is_empty() {
        quote!(::dynamodel::__private::Option::None)
    } else {
        quote! {
            ::dynamodel::__private::Option::Some(
                |v: &#inner, errors: &mut ::dynamodel::__private::ValidationErrors| { #(#checks)* }
            )
        }
    };
    match crate::types::base_adapter(field) {
        None => quote!(.with_rules(#set, #check)),
        // The handle speaks the adapter's type (`Binary`, epoch seconds...):
        // the rules run on the converted value, read back as the field's type.
        Some(adapter) => quote! {
            .with_encoded_rule(|value, errors| {
                ::dynamodel::__private::adapted_rule::<#inner, #adapter>(value, errors, #set, #check)
            })
        },
    }
}

pub fn default_expr(expr: &syn::Expr) -> TokenStream {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(_),
            ..
        }) => quote!(::core::convert::Into::into(#expr)),
        _ => quote!(#expr),
    }
}

fn defaults(field: &Field) -> TokenStream {
    let s = &field.attrs.settings;
    let ident = field.ident;
    let ty = field.ty;
    let (span, value) = match (&s.default, &s.default_with) {
        (Some((p, e)), _) => (p.span(), default_expr(e)),
        (None, Some((p, f))) => (p.span(), quote!(#f())),
        (None, None) => return TokenStream::new(),
    };
    let is_option = field.option_inner().is_some();
    let value = if is_option {
        quote!(::dynamodel::__private::Option::Some(#value))
    } else {
        value
    };
    if s.force_default.is_some() {
        quote_spanned! {span=> self.#ident = #value; }
    } else if is_option {
        quote_spanned! {span=>
            if self.#ident.is_none() { self.#ident = #value; }
        }
    } else {
        quote_spanned! {span=>
            if ::dynamodel::__private::Emptiable::is_absent(&self.#ident) {
                let value: #ty = #value;
                self.#ident = value;
            }
        }
    }
}

fn transform(field: &Field, f: &syn::Path) -> TokenStream {
    let ident = field.ident;
    if field.option_inner().is_some() {
        quote_spanned! {f.span()=> ::dynamodel::__private::transform_option(&mut self.#ident, #f); }
    } else {
        quote_spanned! {f.span()=> ::dynamodel::__private::transform(&mut self.#ident, #f); }
    }
}

/// The settings' part of the `Model` impl, plus items beside it.
pub fn expand(model: &Model) -> (TokenStream, TokenStream) {
    let ident = model.ident;
    let settings = &model.attrs.settings;
    let hooks = settings.hooks.is_some();

    let mut defaults_code = Vec::new();
    let mut set_code = Vec::new();
    let mut get_code = Vec::new();
    let mut validate_code = Vec::new();
    let mut timestamp_code = Vec::new();
    for field in &model.fields {
        let s = &field.attrs.settings;
        defaults_code.push(defaults(field));
        if let Some((_, f)) = &s.set {
            set_code.push(transform(field, f));
        }
        if let Some((_, f)) = &s.get {
            get_code.push(transform(field, f));
        }
        validate_code.push(validations(field));
        validate_code.push(member_validation(field));
        if let Some((created, span)) = timestamp_role(model, field) {
            let fident = field.ident;
            let now = timestamp_now(field);
            timestamp_code.push(if created {
                quote_spanned! {span=> ::dynamodel::__private::touch_created(&mut self.#fident, kind, #now); }
            } else {
                quote_spanned! {span=> ::dynamodel::__private::touch_updated(&mut self.#fident, #now); }
            });
        }
    }
    let defaults_code: Vec<_> = defaults_code
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect();
    let validate_code: Vec<_> = validate_code
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect();

    let has_validation = !validate_code.is_empty() || settings.validate.is_some();
    let has_write =
        hooks || !defaults_code.is_empty() || !set_code.is_empty() || !timestamp_code.is_empty();

    let mut methods = TokenStream::new();
    methods.extend(crate::update::automatic_updates(model));
    methods.extend(crate::update::required_attributes(model));
    if has_validation {
        let struct_validate = settings.validate.as_ref().map(|(_, f)| {
            quote_spanned! {f.span()=>
                ::dynamodel::__private::ValidationOutcome::record(#f(self), errors, "");
            }
        });
        methods.extend(quote! {
            fn validate(&self) -> ::dynamodel::__private::Result<(), ::dynamodel::__private::ValidationErrors> {
                let mut errors = ::dynamodel::__private::ValidationErrors::new();
                {
                    let errors = &mut errors;
                    #(#validate_code)*
                    #struct_validate
                }
                errors.into_result()
            }
        });
    }
    // One method per pipeline phase; the runtime (`dynamodel::pipeline`)
    // decides the order they run in.
    if hooks {
        methods.extend(quote! {
            fn before_save_hook(
                &mut self,
                kind: ::dynamodel::__private::WriteKind,
            ) -> ::dynamodel::__private::Result<(), ::dynamodel::__private::BoxError> {
                <Self as ::dynamodel::__private::Hooks>::before_save(self, kind)
            }

            fn after_load_hook(&mut self) -> ::dynamodel::__private::Result<(), ::dynamodel::__private::BoxError> {
                <Self as ::dynamodel::__private::Hooks>::after_load(self)
            }
        });
    }
    if has_write {
        let clones = model.fields.iter().map(|field| {
            let fident = field.ident;
            if field.attrs.settings.skip.is_some() {
                quote_spanned! {field.ty.span()=> #fident: ::core::default::Default::default() }
            } else {
                quote_spanned! {field.ty.span()=> #fident: ::core::clone::Clone::clone(&self.#fident) }
            }
        });
        methods.extend(quote! {
            fn write_copy(&self) -> ::dynamodel::__private::Option<Self> {
                ::dynamodel::__private::Option::Some(Self { #(#clones,)* })
            }
        });
    }
    if !defaults_code.is_empty() {
        methods.extend(quote! {
            fn apply_defaults(&mut self) {
                #(#defaults_code)*
            }
        });
    }
    if !set_code.is_empty() {
        methods.extend(quote! {
            fn apply_set_transforms(&mut self) {
                #(#set_code)*
            }
        });
    }
    if !timestamp_code.is_empty() {
        methods.extend(quote! {
            fn apply_timestamps(
                &mut self,
                kind: ::dynamodel::__private::WriteKind,
                now: ::dynamodel::__private::SystemTime,
            ) {
                let _ = kind;
                #(#timestamp_code)*
            }
        });
    }
    if !get_code.is_empty() {
        methods.extend(quote! {
            fn apply_get_transforms(&mut self) {
                #(#get_code)*
            }
        });
    }

    let hooks_impl = (!hooks).then(|| {
        quote! { impl ::dynamodel::__private::Hooks for #ident {} }
    });
    (methods, quote!(#hooks_impl))
}

/// The `unknown` catch-all field, if any.
pub fn unknown_field<'a, 'b>(model: &'b Model<'a>) -> Option<&'b Field<'a>> {
    model
        .fields
        .iter()
        .find(|f| f.attrs.settings.unknown.is_some())
}

/// In `to_item`: writes the catch-all's attributes after the declared ones.
pub fn write_unknown(model: &Model) -> TokenStream {
    let Some(field) = unknown_field(model) else {
        return TokenStream::new();
    };
    let ident = field.ident;
    let declared: Vec<String> = model
        .fields
        .iter()
        .filter(|f| is_stored(f))
        .map(Field::stored_name)
        .collect();
    quote_spanned! {field.ty.span()=>
        ::dynamodel::__private::write_unknown(&mut item, &self.#ident, &[#(#declared),*]);
    }
}

/// In `from_item`: the value of a field that is not decoded from its own
/// attribute (`skip`: `Default`; `unknown`: the remaining attributes).
pub fn read_unstored(model: &Model) -> TokenStream {
    let lets = model.fields.iter().filter(|f| !is_stored(f)).map(|field| {
        let ident = field.ident;
        if field.attrs.settings.unknown.is_some() {
            quote_spanned! {field.ty.span()=> let #ident = item; }
        } else {
            quote_spanned! {field.ty.span()=> let #ident = ::core::default::Default::default(); }
        }
    });
    quote!(#(#lets)*)
}
