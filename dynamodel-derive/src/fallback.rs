//! What the derive emits when the struct has errors: the errors, plus a stub
//! implementation so that code using the model does not add a second wave of
//! "trait not implemented" errors.

use proc_macro2::TokenStream;
use quote::quote;

pub fn expand(input: &syn::DeriveInput, error: syn::Error) -> TokenStream {
    let errors = error.to_compile_error();
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
    quote! {
        #errors
        #stub
    }
}
