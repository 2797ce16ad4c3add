//! A struct document: its `Attribute` impl (stored as a map, member by
//! member; read in one pass over the map, as a model's `from_item` reads
//! its item) and its `Document` impl with the typed member handles.

use proc_macro2::TokenStream;
use quote::quote;

use super::attribute::attribute_impl;
use super::handles::{fields_ident, member_handles};
use super::members::{decode, encode, validate_members};
use crate::ast::{Document, Field};

/// Everything `#[derive(Document)]` emits for a checked struct document.
pub fn expand(document: &Document, fields: &[Field]) -> TokenStream {
    let ident = document.ident;
    let vis = document.vis;
    let fields_ident = fields_ident(ident);
    let count = fields.len();
    let encodes = fields.iter().map(encode);
    // Every member is stored under its own name (checked): slot i is
    // member i.
    let names: Vec<String> = fields.iter().map(Field::stored_name).collect();
    let lookup = super::slots::lookup(&names);
    let decodes = fields
        .iter()
        .enumerate()
        .map(|(slot, field)| decode(field, slot));
    let validate_members = validate_members(fields, &document.attrs);
    let idents: Vec<_> = fields.iter().map(|f| f.ident).collect();
    let (declarations, constructors) = member_handles(vis, fields);
    let doc = format!(
        "Typed handles on the members of [`{ident}`] stored inside model `Root` (see `dynamodel::Document`)."
    );
    let attribute = attribute_impl(
        ident,
        quote! {
            let mut map = ::dynamodel::__private::HashMap::with_capacity(#count);
            #(#encodes)*
            ::dynamodel::__private::Result::Ok(::core::option::Option::Some(
                ::dynamodel::__private::AttributeValue::M(map),
            ))
        },
        quote! {
            #lookup
            #[allow(unused_mut, unused_variables)]
            let mut slots = ::dynamodel::__private::Slots::take_members(
                ::dynamodel::__private::document_map(value)?,
                NAMES,
                slot_of,
            );
            #(#decodes)*
            ::dynamodel::__private::Result::Ok(Self { #(#idents),* })
        },
        quote! {
            // Always: computing it from the members' types would make
            // recursive documents (`children: Vec<Self>`) a const cycle.
            const HAS_MEMBERS: bool = true;

            #[allow(unused_variables)]
            fn validate_members(&self, errors: &mut ::dynamodel::__private::ValidationErrors) {
                #validate_members
            }
        },
    );
    let storages = super::adapter::local_storages(fields);
    quote! {
        #storages

        #[doc = #doc]
        #[allow(missing_docs)]
        #vis struct #fields_ident<Root> {
            #(#declarations,)*
            _root: ::dynamodel::__private::PhantomData<fn() -> Root>,
        }

        #[automatically_derived]
        const _: () = {
            #attribute

            impl ::dynamodel::__private::Document for #ident {
                type Fields<Root: ::dynamodel::__private::Model> = #fields_ident<Root>;

                #[allow(unused_variables)]
                fn fields_at<Root: ::dynamodel::__private::Model>(
                    base: ::dynamodel::__private::Path,
                ) -> #fields_ident<Root> {
                    #fields_ident {
                        #(#constructors,)*
                        _root: ::dynamodel::__private::PhantomData,
                    }
                }
            }
        };
    }
}
