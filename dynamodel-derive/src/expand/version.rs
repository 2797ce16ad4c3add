//! `fn version_attribute` of the `Model` impl (optimistic locking).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::Model;

/// `fn version_attribute()`; nothing when no field is versioned.
pub fn expand(model: &Model) -> TokenStream {
    let Some(field) = model.version_field() else {
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
