//! `#[derive(Collection)]`: the `Collection` impl (dispatch on the entity
//! name), `Member` impls, and the compile-time checks only the members can
//! answer, as constants that fail to evaluate with a message naming them.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Collection;

/// Everything the derive emits for a checked enum.
pub fn expand(collection: &Collection) -> TokenStream {
    let ident = collection.ident;
    let name = ident.to_string();
    let Some(first) = collection.members.first() else {
        return TokenStream::new();
    };
    let anchor = first.ty;
    let checks = quote!(::dynamodel::__private::collection_checks);
    let types: Vec<_> = collection.members.iter().map(|m| m.ty).collect();
    let entities = types
        .iter()
        .map(|ty| quote!(#checks::name_or_empty(#checks::entity_name::<#ty>())));
    let dispatch = collection.members.iter().enumerate().map(|(i, member)| {
        let (variant, ty) = (member.variant, member.ty);
        quote! {
            if entity == <Self as ::dynamodel::__private::Collection>::ENTITIES[#i] {
                return ::core::option::Option::Some(
                    #checks::decode::<#ty>(item).map(Self::#variant),
                );
            }
        }
    });
    let mut asserts = Vec::new();
    for member in &collection.members {
        let ty = member.ty;
        let message = format!(
            "collection `{name}`: member `{}` is not an entity: give it key templates (`pk = \"...\"`) or `#[dynamodel(entity)]`",
            member.type_name()
        );
        asserts.push(quote! {
            if #checks::entity_name::<#ty>().is_none() {
                ::core::panic!(#message);
            }
        });
    }
    let first_name = first.type_name();
    for member in &collection.members[1..] {
        let (ty, member_name) = (member.ty, member.type_name());
        let table = format!(
            "collection `{name}`: `{member_name}` is stored in another table than `{first_name}`: the members of a collection share one table"
        );
        let attribute = format!(
            "collection `{name}`: `{member_name}` stores its entity name in another attribute than `{first_name}`: the members of a collection share the entity attribute"
        );
        let shape = format!(
            "collection `{name}`: the partition key of `{member_name}` differs from the one of `{first_name}` (key attribute names or template text): the members of a collection share the partition key template"
        );
        asserts.push(quote! {
            if !#checks::str_eq(#checks::table_name::<#ty>(), #checks::table_name::<#anchor>()) {
                ::core::panic!(#table);
            }
            if #checks::entity_name::<#ty>().is_some()
                && #checks::entity_name::<#anchor>().is_some()
                && !#checks::same_name(
                    #checks::entity_attribute::<#ty>(),
                    #checks::entity_attribute::<#anchor>(),
                )
            {
                ::core::panic!(#attribute);
            }
            if !#checks::str_eq(
                #checks::partition_shape::<#ty>(),
                #checks::partition_shape::<#anchor>(),
            ) {
                ::core::panic!(#shape);
            }
        });
    }
    for (i, a) in collection.members.iter().enumerate() {
        for b in &collection.members[i + 1..] {
            let (ta, tb) = (a.ty, b.ty);
            let message = format!(
                "collection `{name}`: `{}` and `{}` have the same entity name, so their items could not be told apart: give one `#[dynamodel(entity = \"...\")]`",
                a.type_name(),
                b.type_name()
            );
            asserts.push(quote! {
                if #checks::same_name(#checks::entity_name::<#ta>(), #checks::entity_name::<#tb>()) {
                    ::core::panic!(#message);
                }
            });
        }
    }
    let rest = &types[1..];
    quote! {
        #[automatically_derived]
        const _: () = {
            impl ::dynamodel::__private::Collection for #ident {
                const NAME: &'static str = #name;
                type Anchor = #anchor;
                const ENTITY_ATTRIBUTE: &'static str =
                    #checks::name_or_empty(#checks::entity_attribute::<#anchor>());
                const ENTITIES: &'static [&'static str] = &[#(#entities),*];

                fn decode_member(
                    entity: &str,
                    item: ::dynamodel::__private::Item,
                ) -> ::core::option::Option<::dynamodel::__private::Result<Self, ::dynamodel::__private::Error>> {
                    #(#dispatch)*
                    ::core::option::Option::None
                }
            }

            #(impl ::dynamodel::__private::Member<#ident> for #types {})*

            // Checked when the enum is compiled: each member is a model,
            // shares the first member's partition key field types, ...
            const _: () = {
                #(#checks::model::<#types>();)*
                #(#checks::same_partition_fields::<#rest, #anchor>();)*
            };
            // ... and entity names, table, entity attribute and key shape.
            const _: () = {
                #(#asserts)*
            };
        };
    }
}
