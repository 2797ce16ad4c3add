//! Parsing of `#[dynamodel(...)]` settings on the struct and its fields.

use syn::meta::ParseNestedMeta;

use crate::ctxt::Ctxt;

/// Struct-level settings a user may write.
const STRUCT_SETTINGS: &[&str] = &["table", "gsi", "lsi"];
/// Field-level settings a user may write.
const FIELD_SETTINGS: &[&str] = &[
    "hash_key",
    "range_key",
    "rename",
    "version",
    "null",
    "serde",
    "date",
    "truncate",
];
/// Values of the `date` setting.
pub const DATE_FORMATS: &[&str] = &["millis", "seconds", "iso8601"];

/// A flag setting, kept with its path for error spans.
pub type Flag = Option<syn::Path>;

/// Settings of the struct.
#[derive(Default)]
pub struct StructAttrs {
    pub table: Option<syn::LitStr>,
    pub settings: crate::settings::StructSettings,
    /// `gsi(...)` / `lsi(...)` declarations, in order.
    pub indexes: Vec<crate::indexes::IndexAttr>,
}

/// Settings of one field.
#[derive(Default)]
pub struct FieldAttrs {
    pub hash_key: Flag,
    pub range_key: Flag,
    pub rename: Option<syn::LitStr>,
    pub settings: crate::settings::FieldSettings,
    pub version: Flag,
    /// `null`: an `Option` field stores `None` as `NULL` instead of no attribute.
    pub null: Flag,
    /// `serde`: the field goes through serde_dynamo.
    pub serde: Flag,
    /// `date = "millis" | "seconds" | "iso8601"` (checked to be one of them).
    pub date: Option<syn::LitStr>,
    /// `truncate`: a `millis` / `seconds` date rounds finer precision toward
    /// the past instead of refusing it.
    pub truncate: Flag,
}

impl StructAttrs {
    pub fn from_attributes(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        let mut out = StructAttrs::default();
        for_each_setting(cx, attrs, |meta| {
            if meta.path.is_ident("table") {
                set_once(cx, &meta, &mut out.table, parse_lit_str(&meta)?);
            } else if let Some(result) = crate::settings::parse_struct(cx, &meta, &mut out.settings)
            {
                result?;
            } else if meta.path.is_ident("gsi") || meta.path.is_ident("lsi") {
                out.indexes.push(crate::indexes::parse(cx, &meta)?);
            } else {
                let known = [STRUCT_SETTINGS, crate::settings::STRUCT_SETTINGS].concat();
                unknown(cx, &meta, "struct", &known);
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Some(table) = &out.table {
            let name = table.value();
            if !(3..=255).contains(&name.len())
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
            {
                cx.error_spanned_by(
                    table,
                    "DynamoDB table names are 3 to 255 characters of a-z, A-Z, 0-9, `_`, `-` and `.`",
                );
            }
        }
        out
    }
}

impl FieldAttrs {
    pub fn from_attributes(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        let mut out = FieldAttrs::default();
        for_each_setting(cx, attrs, |meta| {
            if meta.path.is_ident("hash_key") {
                set_once(cx, &meta, &mut out.hash_key, meta.path.clone());
            } else if meta.path.is_ident("range_key") {
                set_once(cx, &meta, &mut out.range_key, meta.path.clone());
            } else if meta.path.is_ident("rename") {
                let lit = parse_lit_str(&meta)?;
                if lit.value().is_empty() {
                    cx.error_spanned_by(&lit, "an attribute name cannot be empty");
                }
                set_once(cx, &meta, &mut out.rename, lit);
            } else if let Some(result) = crate::settings::parse_field(cx, &meta, &mut out.settings)
            {
                result?;
            } else if meta.path.is_ident("version") {
                set_once(cx, &meta, &mut out.version, meta.path.clone());
            } else if meta.path.is_ident("null") {
                set_once(cx, &meta, &mut out.null, meta.path.clone());
            } else if meta.path.is_ident("serde") {
                set_once(cx, &meta, &mut out.serde, meta.path.clone());
            } else if meta.path.is_ident("date") {
                let lit = parse_lit_str(&meta)?;
                let value = lit.value();
                if !DATE_FORMATS.contains(&value.as_str()) {
                    let mut message = format!("unknown date format `{value}`");
                    match closest(&value, DATE_FORMATS) {
                        Some(close) => message.push_str(&format!("; did you mean `{close}`?")),
                        None => message
                            .push_str(&format!("; expected one of: {}", DATE_FORMATS.join(", "))),
                    }
                    cx.error_spanned_by(&lit, message);
                }
                set_once(cx, &meta, &mut out.date, lit);
            } else if meta.path.is_ident("truncate") {
                set_once(cx, &meta, &mut out.truncate, meta.path.clone());
            } else {
                let known = [FIELD_SETTINGS, crate::settings::FIELD_SETTINGS].concat();
                unknown(cx, &meta, "field", &known);
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Some(truncate) = &out.truncate {
            let format = out.date.as_ref().map(syn::LitStr::value);
            if !matches!(format.as_deref(), Some("millis" | "seconds")) {
                cx.error_spanned_by(
                    truncate,
                    "`truncate` goes with `date = \"millis\"` or `date = \"seconds\"`: it lets them round finer precision toward the past (`iso8601` keeps nanoseconds)",
                );
            }
        }
        out
    }
}

/// Runs `f` on every setting inside every `#[dynamodel(...)]` attribute,
/// recording parse errors and carrying on with the next attribute.
fn for_each_setting(
    cx: &Ctxt,
    attrs: &[syn::Attribute],
    mut f: impl FnMut(ParseNestedMeta) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("dynamodel")) {
        if let Err(err) = attr.parse_nested_meta(&mut f) {
            cx.syn_error(err);
        }
    }
}

pub fn parse_lit_str(meta: &ParseNestedMeta) -> syn::Result<syn::LitStr> {
    let name = path_name(&meta.path);
    let value = meta
        .value()
        .map_err(|_| meta.error(format!("`{name}` takes a string: `{name} = \"...\"`")))?;
    value.parse::<syn::LitStr>().map_err(|err| {
        syn::Error::new(
            err.span(),
            format!("`{name}` takes a string: `{name} = \"...\"`"),
        )
    })
}

fn set_once<T>(cx: &Ctxt, meta: &ParseNestedMeta, slot: &mut Option<T>, value: T) {
    if slot.is_some() {
        cx.error_spanned_by(
            &meta.path,
            format!("`{}` is set twice", path_name(&meta.path)),
        );
    } else {
        *slot = Some(value);
    }
}

fn unknown(cx: &Ctxt, meta: &ParseNestedMeta, place: &str, known: &[&str]) {
    let name = path_name(&meta.path);
    let mut message = format!("unknown dynamodel {place} setting `{name}`");
    if let Some(close) = closest(&name, known) {
        message.push_str(&format!("; did you mean `{close}`?"));
    } else {
        message.push_str(&format!("; expected one of: {}", known.join(", ")));
    }
    cx.error_spanned_by(&meta.path, message);
}

/// Consumes `= value` or `(...)` after an unknown setting so parsing goes on.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _content;
        syn::parenthesized!(_content in meta.input);
    }
    Ok(())
}

pub fn path_name(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// The known name closest to `name`, if close enough to be a typo.
fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|candidate| (strsim::levenshtein(name, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= candidate.len().max(3) / 3 + 1)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}
