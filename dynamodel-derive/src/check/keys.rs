//! The table's key: exactly one partition key, at most one sort key, never
//! an `Option`.

use crate::ast::Model;
use crate::ctxt::Ctxt;

pub fn check(cx: &Ctxt, model: &Model) {
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
    // A misspelt setting (`hashkey`) is reported already, with its "did you mean".
    let misspelt = model.fields.iter().any(|f| f.attrs.unknown_setting);
    if hash_keys.is_empty() && !misspelt {
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
        if field.is_key && field.option_inner().is_some() {
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
