//! Stored names: no two fields, members or variants stored under one name,
//! and no silent disagreement with serde's own renames.

use std::collections::HashMap;

use crate::ast::{Field, Model, Variant};
use crate::attr::serde_name;
use crate::ctxt::Ctxt;

/// No two model fields stored as one attribute.
pub fn check_model(cx: &Ctxt, model: &Model) {
    unique(cx, field_names(&model.fields), |first, ident, name| {
        format!("fields `{first}` and `{ident}` are both stored as attribute `{name}`")
    });
}

/// No two document members stored under one key.
pub fn check_members(cx: &Ctxt, fields: &[Field]) {
    unique(cx, field_names(fields), same_stored_name);
}

/// No two enum variants stored as one text.
pub fn check_variants(cx: &Ctxt, variants: &[Variant]) {
    let entries = variants
        .iter()
        .map(|v| (v.stored_name.clone(), v.ident, v.attrs.rename.as_ref()));
    unique(cx, entries, same_stored_name);
}

fn same_stored_name(first: &syn::Ident, ident: &syn::Ident, name: &str) -> String {
    format!("`{first}` and `{ident}` are both stored as `{name}`")
}

fn field_names<'f, 'a>(
    fields: &'f [Field<'a>],
) -> impl Iterator<Item = (String, &'f syn::Ident, Option<&'f syn::LitStr>)> {
    fields
        .iter()
        .map(|f| (f.stored_name(), f.ident, f.rename.as_ref()))
}

/// Reports each name given a second time, at the `rename` that gave it (or
/// at the name itself).
fn unique<'a>(
    cx: &Ctxt,
    entries: impl Iterator<Item = (String, &'a syn::Ident, Option<&'a syn::LitStr>)>,
    message: impl Fn(&syn::Ident, &syn::Ident, &str) -> String,
) {
    let mut seen: HashMap<String, &syn::Ident> = HashMap::new();
    for (name, ident, rename) in entries {
        if let Some(first) = seen.get(&name) {
            let message = message(first, ident, &name);
            match rename {
                Some(lit) => cx.error_spanned_by(lit, message),
                None => cx.error_spanned_by(ident, message),
            }
        } else {
            seen.insert(name, ident);
        }
    }
}

/// serde renames: dynamodel does not read them, so a disagreement must be
/// explicit.
pub fn check_serde(cx: &Ctxt, model: &Model) {
    if let Some(serde_rule) = serde_name(&model.original.attrs, "rename_all") {
        if model.attrs.rename_all.is_none() {
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
            if serde_rename.value() != field.stored_name() && field.rename.is_none() {
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
}
