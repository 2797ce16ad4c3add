//! What a derive emits when the input has errors: the errors, plus a stub
//! implementation of the derived trait, so that code using the type does
//! not add a second wave of "trait not implemented" errors — one mistake,
//! one error. Shared by both derives. A model's stub also covers what
//! queries and patches need of it (`Queryable`, `Patchable` and the
//! `{Model}Patch` type), so a patch of it adds no error of its own. (Not
//! `SharedPartition`: a collection holding the model reports it as not a
//! model, as its partition key is unknown.)

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The errors, and a `Model` stub for a struct that could implement it.
pub fn model(input: &syn::DeriveInput, error: syn::Error) -> TokenStream {
    let ident = &input.ident;
    let name = ident.to_string();
    let patch = format_ident!("{}Patch", ident);
    let patch_type = patch_stub(input, &patch);
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
                impl ::dynamodel::__private::Queryable for #ident {
                    type Hash = ::std::string::String;
                    type Range = ::dynamodel::__private::NoSortKey;
                    const ATTRIBUTES: &'static [&'static str] = &[];
                }
                impl ::dynamodel::__private::Patchable for #ident {
                    type Patch = #patch;
                    const PATCH_ATTRIBUTES: &'static [&'static str] = &[];
                    fn apply_patch<R>(
                        patch: Self::Patch,
                        update: ::dynamodel::__private::Update<Self, R>,
                    ) -> ::dynamodel::__private::Update<Self, R> {
                        update
                    }
                    fn into_patch(self, changed: &dyn ::core::ops::Fn(&str) -> bool) -> Self::Patch {
                        ::core::default::Default::default()
                    }
                }
            };
            #patch_type
        },
        _ => TokenStream::new(),
    };
    with_errors(error, stub)
}

/// A stand-in `{Model}Patch`: an `Option` per named field, so code naming
/// the patch's fields compiles while the model's error is fixed.
fn patch_stub(input: &syn::DeriveInput, patch: &syn::Ident) -> TokenStream {
    let syn::Data::Struct(data) = &input.data else {
        return TokenStream::new();
    };
    let vis = &input.vis;
    let fields = data.fields.iter().filter_map(|field| {
        let (name, ty) = (field.ident.as_ref()?, &field.ty);
        Some(quote!(#vis #name: ::core::option::Option<#ty>))
    });
    let name = patch.to_string();
    quote! {
        #[derive(::core::default::Default)]
        #[allow(missing_docs, dead_code)]
        #vis struct #patch {
            #(#fields,)*
        }

        #[automatically_derived]
        impl ::core::fmt::Debug for #patch {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(#name)
            }
        }
    }
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
