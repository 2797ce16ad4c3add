//! How a field's value is converted: the adapter type chosen from its type
//! and storage settings (`Vec<u8>` as binary, `serde`, `date`, `null`), and
//! the types of its typed handle. Shared by models and documents.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{is_vec_u8, Field};

/// The adapter for the field's inner type; `None` means the type's own
/// `Attribute` impl. Fields stored through an adapter hold no documents.
/// A `date` / `ttl` field converts through its local storage (see
/// [`local_storages`]), so a type the setting does not apply to is one error.
pub fn base_adapter(field: &Field) -> Option<TokenStream> {
    if has_local_storage(field) {
        let local = local_storage_ident(field);
        return Some(quote!(#local));
    }
    setting_adapter(field)
}

/// The runtime adapter the field's settings name (what [`base_adapter`]
/// gives, without the local storage): for keys, whose key types name it.
pub fn setting_adapter(field: &Field) -> Option<TokenStream> {
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
/// the adapter compares with (`Binary` for `Vec<u8>`, ...). A `date` / `ttl`
/// field's handle takes its own type (what those storages compare with).
pub fn handle_type(field: &Field) -> TokenStream {
    let inner = field.inner_type();
    if has_local_storage(field) {
        return quote!(#inner);
    }
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

/// Whether the field converts through a local storage: a `date` or `ttl`
/// setting, whose storage applies only to some types. Not on table keys,
/// whose key types name the runtime storage (`StoredKey`).
fn has_local_storage(field: &Field) -> bool {
    !field.is_key
        && field.attrs.serde.is_none()
        && (field.attrs.date.is_some() || field.attrs.ttl.is_some())
}

fn local_storage_ident(field: &Field) -> syn::Ident {
    let name = field.ident.to_string();
    let name = name.trim_start_matches("r#");
    format_ident!("__DynamodelStorage_{}_{}", field.owner, name)
}

/// The local storages of the `date` / `ttl` fields among `fields`: for
/// each, an adapter converting through the storage the setting names when
/// it applies to the field's type, and refusing otherwise (read through
/// `StorageProbe`). Every conversion, handle and patch of the field uses
/// it, so they compile whatever the type, and the check emitted here on
/// the field's type (`date`; `ttl` checks its own) is the one error a type
/// the setting does not apply to gives.
pub fn local_storages<'a>(fields: impl IntoIterator<Item = &'a Field<'a>>) -> TokenStream {
    fields
        .into_iter()
        .filter(|field| has_local_storage(field))
        .map(|field| {
            let local = local_storage_ident(field);
            let inner = field.inner_type();
            let storage = setting_adapter(field);
            let probe = quote!(::dynamodel::__private::StorageProbe::<#storage, #inner>);
            let check = if field.attrs.date.is_some() && field.attrs.ttl.is_none() {
                quote_spanned! {inner.span()=>
                    const _: () = ::dynamodel::__private::assert_date_time::<#inner>();
                }
            } else {
                TokenStream::new()
            };
            quote! {
                #[doc(hidden)]
                #[allow(non_camel_case_types)]
                struct #local;

                #[automatically_derived]
                impl ::dynamodel::__private::Adapter<#inner> for #local {
                    type Handle = #inner;

                    #[inline]
                    fn to_attribute(
                        value: &#inner,
                    ) -> ::dynamodel::__private::Result<
                        ::core::option::Option<::dynamodel::__private::AttributeValue>,
                        ::dynamodel::__private::ConvertError,
                    > {
                        use ::dynamodel::__private::NotAStorage as _;
                        (#probe::TO_STORED)(value)
                    }

                    #[inline]
                    fn from_attribute(
                        value: ::core::option::Option<::dynamodel::__private::AttributeValue>,
                    ) -> ::dynamodel::__private::Result<#inner, ::dynamodel::__private::ConvertError> {
                        use ::dynamodel::__private::NotAStorage as _;
                        (#probe::FROM_STORED)(value)
                    }
                }

                #check
            }
        })
        .collect()
}
