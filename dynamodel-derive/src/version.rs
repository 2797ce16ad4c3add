//! `#[dynamodel(version)]` (optimistic locking) and the presence marker of
//! field handles (`Optional` fields can be removed by updates).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Field, Model};
use crate::ctxt::Ctxt;

/// At most one version field, not a key, not an `Option`.
pub fn check(cx: &Ctxt, model: &Model) {
    let versions: Vec<&Field> = model
        .fields
        .iter()
        .filter(|f| f.attrs.version.is_some())
        .collect();
    for extra in versions.iter().skip(1) {
        if let Some(path) = &extra.attrs.version {
            cx.error_spanned_by(
                path,
                "a model has at most one version attribute, but `version` is set on a second field",
            );
        }
    }
    for field in &versions {
        let Some(path) = &field.attrs.version else {
            continue;
        };
        if field.attrs.hash_key.is_some() || field.attrs.range_key.is_some() {
            cx.error_spanned_by(path, "a key attribute cannot be the version attribute");
        }
        if field.option_inner().is_some() {
            cx.error_spanned_by(
                field.ty,
                "the version attribute cannot be an Option: use an integer starting at 0 (0 = never stored)",
            );
        }
    }
}

/// `fn version_attribute()` for the `Model` impl (nothing when no field is versioned).
pub fn expand(model: &Model) -> TokenStream {
    let Some(field) = model.fields.iter().find(|f| f.attrs.version.is_some()) else {
        return TokenStream::new();
    };
    let ty = field.ty;
    let stored = field.stored_name();
    let assert = quote_spanned! {ty.span()=>
        {
            fn assert_version_attribute<T: ::dynamodel::__private::VersionAttribute>() {}
            assert_version_attribute::<#ty>();
        }
    };
    quote! {
        fn version_attribute() -> ::core::option::Option<&'static str> {
            #assert
            ::core::option::Option::Some(#stored)
        }
    }
}

/// The presence marker of a field's handle: `Optional` for `Option` fields.
pub fn presence(field: &Field) -> TokenStream {
    if field.option_inner().is_some() {
        quote!(::dynamodel::__private::Optional)
    } else {
        quote!(::dynamodel::__private::Required)
    }
}
