//! Multi-attribute index keys (`gsi(name = "by_region", hash(region, status),
//! range(placed_at, order_id))`): the `{Model}{Index}PartitionKey` type,
//! built from a tuple of every partition field, and the
//! `{Model}{Index}SortKey` type, built from every sort field or, with
//! `prefix_<field>(..)`, from a left part of them (a query then compares the
//! fields before `<field>` with `=` and `<field>` with its operator), so a
//! query cannot skip a sort attribute. Values convert through each field's
//! storage, as the stored attributes do.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::key::{key_attr, key_type};
use crate::ast::Field;

/// The `&'static [KeyAttr]` of the further attributes of a key.
pub fn extra_attrs(fields: &[&Field]) -> TokenStream {
    let attrs = fields.iter().map(|field| key_attr(field));
    quote! {
        {
            const EXTRA: &[::dynamodel::__private::KeyAttr] = &[#(#attrs),*];
            EXTRA
        }
    }
}

/// The key type `key_ident` over `fields` (all of a multi-attribute key);
/// `sort` adds the left-part constructors and the `SortKey` impl.
pub fn key_type_item(
    vis: &syn::Visibility,
    key_ident: &syn::Ident,
    fields: &[&Field],
    sort: bool,
    doc: &str,
) -> TokenStream {
    let idents: Vec<_> = fields.iter().map(|f| f.ident).collect();
    let types: Vec<_> = fields.iter().map(|f| f.inner_type()).collect();
    let converts = |fields: &[&Field]| -> Vec<TokenStream> {
        fields
            .iter()
            .map(|field| {
                let (ident, inner, key_ty) = (field.ident, field.inner_type(), key_type(field));
                quote! {
                    ::dynamodel::__private::Attribute::to_attribute(
                        &<#key_ty as ::core::convert::From<#inner>>::from(#ident),
                    )
                }
            })
            .collect()
    };
    let all = converts(fields);
    let prefixes = if sort {
        let fns = (1..fields.len()).map(|count| {
            let used = &fields[..count];
            let last = used[count - 1].ident;
            let name = format_ident!("prefix_{}", last);
            let params = used.iter().map(|f| {
                let (i, t) = (f.ident, f.inner_type());
                quote!(#i: #t)
            });
            let values = converts(used);
            let doc = format!(
                "The sort key up to `{last}`: a query compares the fields before it with `=`, and `{last}` with the condition's operator."
            );
            quote! {
                #[doc = #doc]
                #vis fn #name(#(#params),*) -> Self {
                    #key_ident(::std::vec![#(#values),*])
                }
            }
        });
        quote! {
            #[automatically_derived]
            impl #key_ident {
                #(#fns)*
            }

            #[automatically_derived]
            impl ::dynamodel::__private::SortKey for #key_ident {}
        }
    } else {
        quote!()
    };
    let debug = format!("{key_ident}(..)");
    quote! {
        #[doc = #doc]
        #[derive(::core::clone::Clone)]
        #vis struct #key_ident(
            ::std::vec::Vec<
                ::core::result::Result<
                    ::core::option::Option<::dynamodel::__private::AttributeValue>,
                    ::dynamodel::__private::ConvertError,
                >,
            >,
        );

        #[automatically_derived]
        impl ::core::fmt::Debug for #key_ident {
            // Key values may be personal data.
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(#debug)
            }
        }

        #[automatically_derived]
        impl ::core::convert::From<(#(#types,)*)> for #key_ident {
            fn from((#(#idents,)*): (#(#types,)*)) -> Self {
                #key_ident(::std::vec![#(#all),*])
            }
        }

        #[automatically_derived]
        impl ::dynamodel::__private::KeyValues for #key_ident {
            fn key_values(
                &self,
            ) -> ::std::vec::Vec<
                ::core::result::Result<
                    ::core::option::Option<::dynamodel::__private::AttributeValue>,
                    ::dynamodel::__private::ConvertError,
                >,
            > {
                ::core::clone::Clone::clone(&self.0)
            }
        }

        #prefixes
    }
}
