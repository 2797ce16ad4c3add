//! What a derive emits when the input has errors: the errors, plus a stub
//! implementation of the derived trait, so that code using the type does
//! not add a second wave of "trait not implemented" errors — one mistake,
//! one error. Shared by both derives.

use proc_macro2::TokenStream;
use quote::quote;

/// The errors, and a `Model` stub for a struct that could implement it.
pub fn model(input: &syn::DeriveInput, error: syn::Error) -> TokenStream {
    let ident = &input.ident;
    let name = ident.to_string();
    let stub = match &input.data {
        // Stub only types that could implement the trait; the error says why not.
        syn::Data::Struct(_) if input.generics.params.is_empty() => quote! {
            #[allow(unreachable_code, unused_variables, clippy::all)]
            const _: () = {
                impl ::dynamodel::__private::Model for #ident {
                    const MODEL_NAME: &'static str = #name;
                    const TABLE_NAME: &'static str = #name;
                    type Key = ();
                    type Fields = ();
                    fn fields() -> Self::Fields {}
                    fn key_schema() -> ::dynamodel::__private::KeySchema {
                        ::core::unreachable!()
                    }
                    fn key(&self) -> Self::Key {}
                    fn key_to_item(
                        key: &Self::Key,
                    ) -> ::dynamodel::__private::Result<::dynamodel::__private::Item, ::dynamodel::__private::Error> {
                        ::core::unreachable!()
                    }
                    fn to_item(
                        &self,
                    ) -> ::dynamodel::__private::Result<::dynamodel::__private::Item, ::dynamodel::__private::Error> {
                        ::core::unreachable!()
                    }
                    fn from_item(
                        item: ::dynamodel::__private::Item,
                    ) -> ::dynamodel::__private::Result<Self, ::dynamodel::__private::Error> {
                        ::core::unreachable!()
                    }
                }
            };
        },
        _ => TokenStream::new(),
    };
    with_errors(error, stub)
}

/// The errors, and an `Attribute` stub for a type that could implement it.
pub fn document(input: &syn::DeriveInput, error: syn::Error) -> TokenStream {
    let ident = &input.ident;
    let stub = if !input.generics.params.is_empty() || matches!(input.data, syn::Data::Union(_)) {
        TokenStream::new()
    } else {
        quote! {
            #[allow(unreachable_code, unused_variables, clippy::all)]
            const _: () = {
                impl ::dynamodel::__private::Attribute for #ident {
                    fn to_attribute(&self) -> ::dynamodel::__private::Result<::core::option::Option<::dynamodel::__private::AttributeValue>, ::dynamodel::__private::ConvertError> {
                        ::core::unreachable!()
                    }
                    fn from_attribute(value: ::core::option::Option<::dynamodel::__private::AttributeValue>) -> ::dynamodel::__private::Result<Self, ::dynamodel::__private::ConvertError> {
                        ::core::unreachable!()
                    }
                }
            };
        }
    };
    with_errors(error, stub)
}

fn with_errors(error: syn::Error, stub: TokenStream) -> TokenStream {
    let errors = error.to_compile_error();
    quote! {
        #errors
        #stub
    }
}

/// The errors alone: a collection stub would need members to point at, and
/// nothing else depends on a collection's impl to compile.
pub fn collection(_input: &syn::DeriveInput, error: syn::Error) -> TokenStream {
    error.to_compile_error()
}
