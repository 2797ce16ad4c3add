//! Checks that span several fields: keys, and stored-name clashes.

use std::collections::HashMap;

use crate::ast::Model;
use crate::ctxt::Ctxt;

pub fn check(cx: &Ctxt, model: &Model) {
    check_keys(cx, model);
    check_stored_names(cx, model);
    crate::settings::check(cx, model);
    crate::indexes::check(cx, model);
    for field in &model.fields {
        crate::types::check_field(cx, field, false);
    }
}

fn check_keys(cx: &Ctxt, model: &Model) {
    let hash_keys: Vec<_> = model
        .fields
        .iter()
        .filter_map(|f| f.attrs.hash_key.as_ref())
        .collect();
    let range_keys: Vec<_> = model
        .fields
        .iter()
        .filter_map(|f| f.attrs.range_key.as_ref())
        .collect();
    if hash_keys.is_empty() {
        cx.error_spanned_by(
            model.ident,
            format!(
                "model `{}` has no partition key: mark one field with #[dynamodel(hash_key)]",
                model.ident
            ),
        );
    }
    for extra in hash_keys.iter().skip(1) {
        cx.error_spanned_by(
            extra,
            "a model has exactly one partition key, but `hash_key` is set on a second field",
        );
    }
    for extra in range_keys.iter().skip(1) {
        cx.error_spanned_by(
            extra,
            "a model has at most one sort key, but `range_key` is set on a second field",
        );
    }
    for field in &model.fields {
        if let (Some(_), Some(range)) = (&field.attrs.hash_key, &field.attrs.range_key) {
            cx.error_spanned_by(
                range,
                format!(
                    "field `{}` cannot be both the partition key and the sort key",
                    field.ident
                ),
            );
        }
        let is_key = field.attrs.hash_key.is_some() || field.attrs.range_key.is_some();
        if is_key && field.option_inner().is_some() {
            cx.error_spanned_by(
                field.ty,
                format!(
                    "key field `{}` cannot be an Option: every item must have its key attributes",
                    field.ident
                ),
            );
        }
    }
}

fn check_stored_names(cx: &Ctxt, model: &Model) {
    let mut seen: HashMap<String, &syn::Ident> = HashMap::new();
    for field in &model.fields {
        let name = field.stored_name();
        if let Some(first) = seen.get(&name) {
            let message = format!(
                "fields `{first}` and `{}` are both stored as attribute `{name}`",
                field.ident
            );
            match &field.attrs.rename {
                Some(lit) => cx.error_spanned_by(lit, message),
                None => cx.error_spanned_by(field.ident, message),
            }
        } else {
            seen.insert(name, field.ident);
        }
    }
}
