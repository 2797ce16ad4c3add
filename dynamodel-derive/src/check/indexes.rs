//! Secondary indexes: named once with a name DynamoDB accepts, keys and
//! projected attributes naming real fields, a global index with its own
//! partition key (a field or a template), a local one on a table with a sort
//! key, and each key template writing an attribute of its own.

use std::collections::HashSet;

use crate::ast::{index_handle_name, Model};
use crate::attr::{is_valid_table_name, IndexAttr, ProjectionAttr};
use crate::ctxt::Ctxt;

pub fn check(cx: &Ctxt, model: &Model) {
    let mut names = HashSet::new();
    let mut handles = HashSet::new();
    // The attributes the table's key templates write: an index template
    // writing one of them would overwrite it.
    let mut template_names: HashSet<String> = model
        .attrs
        .pk
        .iter()
        .chain(&model.attrs.sk)
        .map(|t| t.name.clone())
        .collect();
    for index in &model.attrs.indexes {
        let kind = if index.global { "gsi" } else { "lsi" };
        match &index.name {
            None => cx.error_spanned_by(
                &index.path,
                format!("`{kind}` needs a name: `{kind}(name = \"...\", ...)`"),
            ),
            Some(lit) => {
                let name = lit.value();
                if !is_valid_table_name(&name) {
                    cx.error_spanned_by(
                        lit,
                        "DynamoDB index names are 3 to 255 characters of a-z, A-Z, 0-9, `_`, `-` and `.`",
                    );
                }
                let handle = index_handle_name(&name);
                if !names.insert(name.clone()) {
                    cx.error_spanned_by(lit, format!("index `{name}` is declared twice"));
                    // Its other errors would follow from this one.
                    continue;
                } else if !handles.insert(handle.clone()) {
                    cx.error_spanned_by(
                        lit,
                        format!(
                            "index `{name}` gets the same handle name `{handle}` as another index"
                        ),
                    );
                }
            }
        }
        let index_name = index.name.as_ref().map(syn::LitStr::value);
        let index_name = index_name.as_deref().unwrap_or(kind);
        if let (Some(hash), Some(pk)) = (&index.hash, &index.pk) {
            if index.global {
                cx.error_spanned_by(
                    &pk.path,
                    format!("index `{index_name}` has both `hash = {hash}` and a `pk` template: keep one"),
                );
            }
        }
        if let (Some(range), Some(sk)) = (&index.range, &index.sk) {
            cx.error_spanned_by(
                &sk.path,
                format!("index `{index_name}` has both `range = {range}` and an `sk` template: keep one"),
            );
        }
        if index.global {
            match (&index.hash, &index.pk) {
                (None, None) => cx.error_spanned_by(
                    &index.path,
                    "a global secondary index needs a partition key: `hash = field` or `pk = \"PREFIX#{field}\"`",
                ),
                (Some(hash), _) => key_field(cx, model, hash),
                (None, Some(_)) => {}
            }
        } else {
            if let Some(hash) = &index.hash {
                cx.error_spanned_by(
                    hash,
                    "a local secondary index uses the table's partition key: remove `hash`",
                );
            }
            if let Some(pk) = &index.pk {
                cx.error_spanned_by(
                    &pk.path,
                    "a local secondary index uses the table's partition key: remove `pk`",
                );
            }
            if model.range_key().is_none() && model.attrs.sk.is_none() {
                cx.error_spanned_by(
                    &index.path,
                    "local secondary indexes need a table with a sort key (`range_key` or `sk`)",
                );
            }
            if index.range.is_none() && index.sk.is_none() {
                cx.error_spanned_by(
                    &index.path,
                    "a local secondary index needs a sort key: `range = field` or `sk = \"PREFIX#{field}\"`",
                );
            }
        }
        if let Some(range) = &index.range {
            key_field(cx, model, range);
        }
        multi_attribute(cx, model, index);
        for template in index.templates() {
            super::templates::check_template(cx, model, template, Some(index_name));
            if !template_names.insert(template.name.clone()) {
                cx.error_spanned_by(
                    &template.path,
                    format!(
                        "the key attribute `{}` is written by two templates of model `{}`: give each template its own attribute (`name = \"...\"`)",
                        template.name, model.ident
                    ),
                );
            }
        }
        if let Some(ProjectionAttr::Include(fields)) = &index.projection {
            for ident in fields {
                known_field(cx, model, ident);
            }
        }
    }
}

/// The most attributes a partition or sort key of a global index takes.
const MAX_KEY_ATTRIBUTES: usize = 4;

/// Multi-attribute keys (`hash(a, b)`, `range(c, d)`): global indexes only,
/// at most four attributes per key, each field once across the index key.
fn multi_attribute(cx: &Ctxt, model: &Model, index: &IndexAttr) {
    let keys = [
        (&index.hash, &index.extra_hash, "partition"),
        (&index.range, &index.extra_range, "sort"),
    ];
    let mut seen = HashSet::new();
    for (first, extra, role) in keys {
        if let (false, Some(ident)) = (index.global, extra.first()) {
            cx.error_spanned_by(
                ident,
                "only global secondary indexes take multi-attribute keys: a local index has one sort key attribute",
            );
        }
        if let Some(ident) = extra.get(MAX_KEY_ATTRIBUTES - 1) {
            cx.error_spanned_by(
                ident,
                format!("a {role} key takes at most {MAX_KEY_ATTRIBUTES} attributes"),
            );
        }
        for ident in extra {
            key_field(cx, model, ident);
        }
        for ident in first.iter().chain(extra) {
            if !seen.insert(ident.to_string()) {
                cx.error_spanned_by(
                    ident,
                    format!("field `{ident}` is named twice in the key of this index"),
                );
            }
        }
    }
}

/// Refuses `truncate` on the field an index key names.
fn key_field(cx: &Ctxt, model: &Model, ident: &syn::Ident) {
    known_field(cx, model, ident);
    if let Some(field) = model.field(ident) {
        super::storage::refuse_truncated_key(cx, field);
    }
}

/// Reports `ident` when the model has no field by that name.
fn known_field(cx: &Ctxt, model: &Model, ident: &syn::Ident) {
    if model.field(ident).is_some() {
        return;
    }
    let names: Vec<String> = model.fields.iter().map(|f| f.ident.to_string()).collect();
    cx.error_spanned_by(
        ident,
        format!(
            "model `{}` has no field `{ident}`; fields are: {}",
            model.ident,
            names.join(", ")
        ),
    );
}
