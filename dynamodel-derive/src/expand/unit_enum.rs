//! An enum document of unit variants: its `Attribute` impl, storing each
//! variant as a string.

use proc_macro2::TokenStream;
use quote::quote;

use super::attribute::attribute_impl;
use crate::ast::{Document, Variant};

/// Everything `#[derive(Document)]` emits for a checked enum document.
pub fn expand(document: &Document, variants: &[Variant]) -> TokenStream {
    let ident = document.ident;
    let message = format!("the stored text is not a variant of enum `{ident}`");
    let to_arms = variants.iter().map(|variant| {
        let (name, stored) = (variant.ident, &variant.stored_name);
        quote! { #ident::#name => #stored }
    });
    let from_arms = variants.iter().map(|variant| {
        let (name, stored) = (variant.ident, &variant.stored_name);
        quote! { #stored => ::dynamodel::__private::Result::Ok(#ident::#name) }
    });
    let attribute = attribute_impl(
        ident,
        quote! {
            let text: &'static str = match self { #(#to_arms,)* };
            ::dynamodel::__private::Result::Ok(::core::option::Option::Some(
                ::dynamodel::__private::AttributeValue::S(::dynamodel::__private::String::from(text)),
            ))
        },
        quote! {
            match value {
                ::core::option::Option::Some(::dynamodel::__private::AttributeValue::S(text)) => match text.as_str() {
                    #(#from_arms,)*
                    _ => ::dynamodel::__private::Result::Err(::dynamodel::__private::ConvertError::Invalid(
                        ::dynamodel::__private::String::from(#message),
                    )),
                },
                ::core::option::Option::Some(other) => ::dynamodel::__private::Result::Err(
                    ::dynamodel::__private::ConvertError::TypeMismatch {
                        expected: "S",
                        found: ::dynamodel::__private::type_name(&other),
                    },
                ),
                ::core::option::Option::None => ::dynamodel::__private::Result::Err(
                    ::dynamodel::__private::ConvertError::Missing,
                ),
            }
        },
        TokenStream::new(),
    );
    quote! {
        #[automatically_derived]
        const _: () = {
            #attribute
        };
    }
}
