//! How a field is stored: the storage settings (`null`, `serde`, `date`)
//! against the field's type and its key role. Shared by models and
//! document members.

use crate::ast::{is_vec_u8, Field};
use crate::ctxt::Ctxt;

/// Checks the storage settings of one field; `in_document` when the field
/// is a member of a `#[derive(Document)]` struct.
pub fn check_field(cx: &Ctxt, field: &Field, in_document: bool) {
    let key = field
        .attrs
        .hash_key
        .as_ref()
        .or(field.attrs.range_key.as_ref());
    if let Some(key) = key {
        if in_document {
            cx.error_spanned_by(
                key,
                "keys belong to the model: a nested document has no `hash_key` or `range_key`",
            );
        } else {
            if let Some(serde) = &field.attrs.serde {
                cx.error_spanned_by(
                    serde,
                    format!("key field `{}` cannot use `serde`: a key is stored as a string, number or binary of its own type", field.ident),
                );
            }
            refuse_truncated_key(cx, field);
            if is_vec_u8(field.ty) {
                cx.error_spanned_by(
                    field.ty,
                    format!("key field `{}` cannot be a `Vec<u8>`: use `dynamodel::Binary` or `bytes::Bytes` for a binary key", field.ident),
                );
            }
        }
    }
    if let Some(null) = &field.attrs.null {
        if field.option_inner().is_none() {
            cx.error_spanned_by(
                null,
                format!(
                    "`null` applies to `Option` fields only (it stores `None` as NULL), but `{}` is not an Option",
                    field.ident
                ),
            );
        }
    }
    if let (Some(serde), Some(_)) = (&field.attrs.serde, &field.attrs.date) {
        cx.error_spanned_by(
            serde,
            format!(
                "field `{}` sets both `serde` and `date`: pick one way to store it",
                field.ident
            ),
        );
    }
}

/// A key field (of the table or of an index) stored with `truncate` would
/// not match the value a key is built from: refused.
pub fn refuse_truncated_key(cx: &Ctxt, field: &Field) {
    if let Some(truncate) = &field.attrs.truncate {
        cx.error_spanned_by(
            truncate,
            format!("key field `{}` cannot use `truncate`: a key rounded on write would not match the value it was built from (get, delete and queries would miss the item); round the value before storing it", field.ident),
        );
    }
    if let Some(round) = &field.attrs.round {
        cx.error_spanned_by(
            round,
            format!("key field `{}` cannot use `round`: a key rounded on write would not match the value it was built from (get, delete and queries would miss the item); round the value before storing it", field.ident),
        );
    }
}
