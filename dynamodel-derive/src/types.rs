//! How each field is stored: the adapter chosen from its type and settings
//! (`Vec<u8>` as binary, `serde`, `date`, `null`), the type of its typed
//! handle, and the checks on those settings. Shared by `#[derive(Model)]`
//! and `#[derive(Document)]`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::{option_inner, Field};
use crate::ctxt::Ctxt;

/// `true` when `ty` is written `Vec<u8>` (any path ending in `Vec`).
pub fn is_vec_u8(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else {
        return false;
    };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    if last.ident != "Vec" {
        return false;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return false;
    };
    matches!(
        args.args.first(),
        Some(syn::GenericArgument::Type(syn::Type::Path(inner)))
            if args.args.len() == 1 && inner.qself.is_none() && inner.path.is_ident("u8")
    )
}

/// The type the adapter converts: `T` for an `Option<T>` field, else the field's type.
pub fn inner_type<'a>(field: &'a Field) -> &'a syn::Type {
    option_inner(field.ty).unwrap_or(field.ty)
}

/// The adapter for the inner type; `None` means the type's own `Attribute` impl.
pub fn base_adapter(field: &Field) -> Option<TokenStream> {
    if field.attrs.serde.is_some() {
        return Some(quote!(::dynamodel::__private::Serde));
    }
    if let Some(date) = &field.attrs.date {
        let truncate = field.attrs.truncate.is_some();
        return Some(match (date.value().as_str(), truncate) {
            ("seconds", false) => quote!(::dynamodel::__private::Seconds),
            ("seconds", true) => quote!(::dynamodel::__private::SecondsTruncated),
            ("iso8601", _) => quote!(::dynamodel::__private::Iso8601),
            (_, false) => quote!(::dynamodel::__private::Millis),
            (_, true) => quote!(::dynamodel::__private::MillisTruncated),
        });
    }
    if is_vec_u8(inner_type(field)) {
        return Some(quote!(::dynamodel::__private::BytesAdapter));
    }
    None
}

/// The adapter type converting the field's declared type.
pub fn adapter(field: &Field) -> TokenStream {
    let base = base_adapter(field);
    if option_inner(field.ty).is_some() {
        let base = base.unwrap_or_else(|| quote!(::dynamodel::__private::Native));
        if field.attrs.null.is_some() {
            return quote!(::dynamodel::__private::Null<#base>);
        }
        return quote!(::dynamodel::__private::Opt<#base>);
    }
    base.unwrap_or_else(|| quote!(::dynamodel::__private::Native))
}

/// The value type of the field's typed handle (`Field<M, _>`): the inner
/// type, or what the adapter compares with (`Binary` for `Vec<u8>`, ...).
pub fn handle_type(field: &Field) -> TokenStream {
    let inner = inner_type(field);
    match base_adapter(field) {
        None => quote!(#inner),
        Some(base) => quote!(<#base as ::dynamodel::__private::Adapter<#inner>>::Handle),
    }
}

/// Checks the type settings of one field; `in_document` when the field is a
/// member of a `#[derive(Document)]` struct.
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
            if let Some(date) = &field.attrs.date {
                cx.error_spanned_by(
                    date,
                    format!("key field `{}` cannot use `date`: store a key date-time as a String or integer", field.ident),
                );
            }
            if is_vec_u8(field.ty) {
                cx.error_spanned_by(
                    field.ty,
                    format!("key field `{}` cannot be a `Vec<u8>`: use `dynamodel::Binary` or `bytes::Bytes` for a binary key", field.ident),
                );
            }
        }
    }
    if let Some(null) = &field.attrs.null {
        if option_inner(field.ty).is_none() {
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
