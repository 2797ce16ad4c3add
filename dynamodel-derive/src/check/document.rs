//! What a `#[derive(Document)]` type refuses: the settings that belong to
//! a model (a table, indexes, hooks, timestamps, defaults, `skip`, the
//! catch-all, the version), and on an enum variant every setting but
//! `rename`.

use crate::ast::Field;
use crate::attr::{path_name, FieldAttrs, StructAttrs};
use crate::ctxt::Ctxt;

/// Refuses the struct settings that belong to a model (a table, indexes,
/// hooks, timestamps); `validate` and `rename_all` are taken on structs,
/// `rename_all` only on enums.
pub fn check_container(cx: &Ctxt, attrs: &StructAttrs, is_enum: bool) {
    if let Some(table) = &attrs.table {
        cx.error_spanned_by(
            table,
            "a nested document is stored inside a model's item, so it has no `table`",
        );
    }
    for index in &attrs.indexes {
        cx.error_spanned_by(
            &index.path,
            "a nested document has no indexes: declare `gsi` / `lsi` on the model",
        );
    }
    for (path, why) in [
        (
            attrs.hooks.as_ref(),
            "put `hooks` on the model holding the document",
        ),
        (
            attrs.timestamps.as_ref(),
            "put `timestamps` on the model holding the document",
        ),
    ] {
        if let Some(path) = path {
            cx.error_spanned_by(
                path,
                format!("a nested document takes no `{}`: {why}", path_name(path)),
            );
        }
    }
    if is_enum {
        if let Some((path, _)) = &attrs.validate {
            cx.error_spanned_by(
                path,
                "an enum document takes only `rename_all`: its values are its variants",
            );
        }
    }
}

/// Refuses the field settings that make no sense on a member of a nested
/// document; the validation settings and the transforms are taken.
pub fn check_member(cx: &Ctxt, field: &Field) {
    let s = &field.attrs.settings;
    let default = "a member has no default: build the document with the value, or set a `default` on the model field holding the document";
    let refused = [
        (s.default.as_ref().map(|d| &d.0), default),
        (s.default_with.as_ref().map(|d| &d.0), default),
        (s.force_default.as_ref(), default),
        (
            s.generate.as_ref().map(|d| &d.0),
            "a member is not generated: generate the identifier on a model field, or build the document with it",
        ),
        (
            s.skip.as_ref(),
            "every member of a document is stored; keep values that are not stored outside the document",
        ),
        (
            s.created_at.as_ref(),
            "timestamps are model fields: put `created_at` on a field of the model",
        ),
        (
            s.updated_at.as_ref(),
            "timestamps are model fields: put `updated_at` on a field of the model",
        ),
        (
            s.unknown.as_ref(),
            "the `unknown` catch-all collects a model's undeclared attributes; a document drops the members it does not declare",
        ),
        (
            field.attrs.version.as_ref(),
            "the version attribute is a top-level field of the model",
        ),
        (
            field.attrs.ttl.as_ref(),
            "DynamoDB's TTL reads a top-level attribute: put `ttl` on a field of the model",
        ),
    ];
    for (path, why) in refused {
        if let Some(path) = path {
            cx.error_spanned_by(
                path,
                format!(
                    "`{}` does not apply to a member of a nested document: {why}",
                    path_name(path)
                ),
            );
        }
    }
}

/// Refuses every setting but `rename` on an enum variant.
pub fn check_variant(cx: &Ctxt, attrs: &FieldAttrs) {
    let paths = [
        attrs.hash_key.as_ref(),
        attrs.range_key.as_ref(),
        attrs.null.as_ref(),
        attrs.serde.as_ref(),
        attrs.version.as_ref(),
        attrs.truncate.as_ref(),
        attrs.round.as_ref(),
        attrs.ttl.as_ref(),
    ]
    .into_iter()
    .flatten()
    .chain(attrs.settings.given());
    for path in paths {
        cx.error_spanned_by(path, "an enum variant takes only `rename`");
    }
    if let Some(date) = &attrs.date {
        cx.error_spanned_by(date, "an enum variant takes only `rename`");
    }
}
