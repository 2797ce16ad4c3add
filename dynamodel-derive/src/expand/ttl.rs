//! `fn ttl_attribute` of the `Model` impl (`#[dynamodel(ttl)]`).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Model;

/// `impl HasTtl` (what `skip_expired()` requires) and the field's type
/// check, outside the `Model` impl; nothing without a TTL field.
pub fn expand_impls(model: &Model) -> TokenStream {
    let Some(field) = model.ttl_field() else {
        return TokenStream::new();
    };
    let name = model.ident;
    let ty = field.inner_type();
    let assert = quote::quote_spanned! {syn::spanned::Spanned::span(ty)=>
        const _: fn() = || {
            fn assert_ttl_value<T: ::dynamodel::__private::TtlValue>() {}
            assert_ttl_value::<#ty>();
        };
    };
    quote! {
        impl ::dynamodel::__private::HasTtl for #name {}
        #assert
    }
}

/// `fn ttl_attribute()`; nothing when no field is the TTL attribute.
pub fn expand(model: &Model) -> TokenStream {
    let Some(field) = model.ttl_field() else {
        return TokenStream::new();
    };
    let stored = field.stored_name();
    quote! {
        fn ttl_attribute() -> ::core::option::Option<&'static str> {
            ::core::option::Option::Some(#stored)
        }
    }
}
