//! How a field's value is converted: the adapter type chosen from its type
//! and storage settings (`Vec<u8>` as binary, `serde`, `date`, `null`), and
//! the types of its typed handle. Shared by models and documents.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::{is_vec_u8, Field};

/// The adapter for the field's inner type; `None` means the type's own
/// `Attribute` impl. Fields stored through an adapter hold no documents.
pub fn base_adapter(field: &Field) -> Option<TokenStream> {
    if field.attrs.serde.is_some() {
        return Some(quote!(::dynamodel::__private::Serde));
    }
    if field.attrs.ttl.is_some() {
        if field.attrs.round.is_some() {
            return Some(quote!(::dynamodel::__private::TtlRounded));
        }
        let truncate = field.attrs.truncate.is_some();
        return Some(quote!(::dynamodel::__private::Ttl<#truncate>));
    }
    if let Some(date) = &field.attrs.date {
        if field.attrs.round.is_some() {
            return Some(match date.value().as_str() {
                "seconds" => quote!(::dynamodel::__private::SecondsRounded),
                "iso8601" => quote!(::dynamodel::__private::Iso8601Rounded),
                "iso8601_micros" => quote!(::dynamodel::__private::Iso8601MicrosRounded),
                _ => quote!(::dynamodel::__private::MillisRounded),
            });
        }
        let truncate = field.attrs.truncate.is_some();
        return Some(match (date.value().as_str(), truncate) {
            ("seconds", false) => quote!(::dynamodel::__private::Seconds),
            ("seconds", true) => quote!(::dynamodel::__private::SecondsTruncated),
            ("iso8601", false) => quote!(::dynamodel::__private::Iso8601),
            ("iso8601", true) => quote!(::dynamodel::__private::Iso8601Truncated),
            ("iso8601_micros", false) => quote!(::dynamodel::__private::Iso8601Micros),
            ("iso8601_micros", true) => quote!(::dynamodel::__private::Iso8601MicrosTruncated),
            ("iso8601_nanos", _) => quote!(::dynamodel::__private::Iso8601Nanos),
            (_, false) => quote!(::dynamodel::__private::Millis),
            (_, true) => quote!(::dynamodel::__private::MillisTruncated),
        });
    }
    if is_vec_u8(field.inner_type()) {
        return Some(quote!(::dynamodel::__private::BytesAdapter));
    }
    None
}

/// The adapter type converting the field's declared type.
pub fn adapter(field: &Field) -> TokenStream {
    let base = base_adapter(field);
    if field.option_inner().is_some() {
        let base = base.unwrap_or_else(|| quote!(::dynamodel::__private::Native));
        if field.attrs.null.is_some() {
            return quote!(::dynamodel::__private::Null<#base>);
        }
        return quote!(::dynamodel::__private::Opt<#base>);
    }
    base.unwrap_or_else(|| quote!(::dynamodel::__private::Native))
}

/// The value type of the field's typed handle (`Field<M, _>`): the inner
/// type (so that `nickname.eq("x")` compiles on an `Option` field), or what
/// the adapter compares with (`Binary` for `Vec<u8>`, ...).
pub fn handle_type(field: &Field) -> TokenStream {
    let inner = field.inner_type();
    match base_adapter(field) {
        None => quote!(#inner),
        Some(base) => quote!(<#base as ::dynamodel::__private::Adapter<#inner>>::Handle),
    }
}

/// The presence marker of a field's handle: `Optional` (updates may remove
/// it) for `Option` fields.
pub fn presence(field: &Field) -> TokenStream {
    if field.option_inner().is_some() {
        quote!(::dynamodel::__private::Optional)
    } else {
        quote!(::dynamodel::__private::Required)
    }
}
