//! Key templates (`pk = "CUSTOMER#{customer_id}"`, and those of indexes):
//! every placeholder names a stored field once (non-`Option` in the table's
//! key; an index's may be `Option`, making a sparse index), fields are separated by `#` (the
//! encoding's injectivity rests on it), no field named by a template is a
//! timestamp or version that writes would change behind the key, the key
//! attributes' names are free, and templates replace `hash_key` /
//! `range_key` rather than mix with them.

use std::collections::HashSet;

use crate::ast::Model;
use crate::attr::{did_you_mean, Piece, TemplateAttr};
use crate::ctxt::Ctxt;

pub fn check(cx: &Ctxt, model: &Model) {
    let attrs = &model.attrs;
    if let (None, Some(sk)) = (&attrs.pk, &attrs.sk) {
        cx.error_spanned_by(
            &sk.path,
            "`sk` needs a partition key template too: add `pk = \"...\"`",
        );
    }
    let Some(pk) = &attrs.pk else {
        return;
    };
    for field in &model.fields {
        for flag in [&field.attrs.hash_key, &field.attrs.range_key]
            .into_iter()
            .flatten()
        {
            cx.error_spanned_by(
                flag,
                format!(
                    "model `{}` composes its key with `pk`/`sk` templates: remove `{}` (or the templates)",
                    model.ident,
                    crate::attr::path_name(flag)
                ),
            );
        }
    }
    if let Some(sk) = &attrs.sk {
        if sk.name == pk.name {
            cx.error_spanned_by(
                &sk.path,
                format!(
                    "`pk` and `sk` both write the attribute `{}`: give them different names",
                    sk.name
                ),
            );
        }
    }
    for template in [Some(pk), attrs.sk.as_ref()].into_iter().flatten() {
        check_template(cx, model, template, None);
    }
}

/// Checks one template: of the table's key (`index` is `None`) or of the
/// index `index`, whose templates may name `Option` fields (an absent value
/// writes no index attribute: a sparse index) but no field an update could
/// write behind the index key's back.
pub(super) fn check_template(
    cx: &Ctxt,
    model: &Model,
    template: &TemplateAttr,
    index: Option<&str>,
) {
    let lit = &template.lit;
    if let Some(field) = model
        .fields
        .iter()
        .find(|f| f.is_stored && f.stored_name() == template.name)
    {
        cx.error_spanned_by(
            &template.path,
            format!(
                "the key attribute `{}` has the stored name of field `{}`: name the key attribute otherwise (`name = \"...\"`) or rename the field",
                template.name, field.ident
            ),
        );
    }
    let mut seen = HashSet::new();
    for (at, piece) in template.pieces.iter().enumerate() {
        let Piece::Field(name) = piece else {
            continue;
        };
        let before_ok =
            at == 0 || matches!(&template.pieces[at - 1], Piece::Text(t) if t.ends_with('#'));
        let after_ok = match template.pieces.get(at + 1) {
            None => true,
            Some(Piece::Text(t)) => t.starts_with('#'),
            Some(Piece::Field(_)) => false,
        };
        if !before_ok || !after_ok {
            cx.error_spanned_by(
                lit,
                format!(
                    "`{{{name}}}` must stand between `#` separators (or at an end of the template), as in \"ORDER#{{{name}}}#...\": the `#` ending each field keeps keys of different values apart"
                ),
            );
        }
        if !seen.insert(name.as_str()) {
            cx.error_spanned_by(
                lit,
                format!("field `{name}` is named twice in this key template"),
            );
            continue;
        }
        let Some(field) = model.fields.iter().find(|f| f.ident == name) else {
            let known: Vec<String> = model.fields.iter().map(|f| f.ident.to_string()).collect();
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            cx.error_spanned_by(
                lit,
                format!(
                    "model `{}` has no field `{name}`{}",
                    model.ident,
                    did_you_mean(name, &known)
                ),
            );
            continue;
        };
        let rule = if field.option_inner().is_some() && index.is_none() {
            Some("is an Option: every item must have its key")
        } else if !field.is_stored {
            Some("is not stored (`skip` / `unknown`): reads decode key fields from their own attributes")
        } else if field.attrs.version.is_some() {
            Some("is the version: every write changes it, and the key would move")
        } else if field.timestamp.is_some_and(|t| !t.created) {
            Some("is an `updated_at` timestamp: every write changes it, and the key would move")
        } else if field.attrs.settings.set.is_some() || field.attrs.settings.get.is_some() {
            Some("has a `set` / `get` transform: the key that get, delete and query are given would not match the stored one")
        } else if index.is_some() && field.timestamp.is_some() {
            Some("is a timestamp: an update writes it without rewriting the index key")
        } else if index.is_some()
            && (field.attrs.settings.default.is_some()
                || field.attrs.settings.default_with.is_some())
        {
            Some("has a default: an update creating the item writes it without the index key")
        } else {
            None
        };
        if let Some(rule) = rule {
            let what = match index {
                None => String::from("key template field"),
                Some(index) => format!("index `{index}` key template field"),
            };
            cx.error_spanned_by(lit, format!("{what} `{name}` {rule}"));
        }
    }
}
