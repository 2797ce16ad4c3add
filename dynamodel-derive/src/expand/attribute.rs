//! The `Attribute` impl every document gets, around the conversion bodies
//! its shape (map or string) writes.

use proc_macro2::TokenStream;
use quote::quote;

/// `impl Attribute for ident` with `to_attribute` running `to_body` on
/// `&self`, `from_attribute` running `from_body` on `value`, and `extra`
/// items.
pub fn attribute_impl(
    ident: &syn::Ident,
    to_body: TokenStream,
    from_body: TokenStream,
    extra: TokenStream,
) -> TokenStream {
    quote! {
        impl ::dynamodel::__private::Attribute for #ident {
            fn to_attribute(
                &self,
            ) -> ::dynamodel::__private::Result<::core::option::Option<::dynamodel::__private::AttributeValue>, ::dynamodel::__private::ConvertError> {
                #to_body
            }

            fn from_attribute(
                value: ::core::option::Option<::dynamodel::__private::AttributeValue>,
            ) -> ::dynamodel::__private::Result<Self, ::dynamodel::__private::ConvertError> {
                #from_body
            }

            #extra
        }
    }
}
