//! `#[derive(Collection)]`: the `Collection` impl (dispatch on the entity
//! name), the `{Enum}Key` enum of the members' keys, `Member` impls, the
//! `StreamItem` impl (through a macro of the runtime that is empty without
//! its `streams` feature), and the compile-time checks only the members can
//! answer, as constants that fail to evaluate with a message naming them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

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
    // Every impl below holds only when every member is a model: a member
    // that is not one fails the `model` check alone, not each use of it.
    // (Higher-ranked, so a bound that does not hold is not an error here.)
    let gate = quote! {
        where #(for<'__m> #types: #checks::CollectionModel,)*
    };
    let probe = |ty: &syn::Type, item: &str| {
        let item = format_ident!("{}", item);
        quote!(#checks::Probe::<#ty>::#item)
    };
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
        let (is_model, entity) = (probe(ty, "IS_MODEL"), probe(ty, "ENTITY_NAME"));
        asserts.push(quote! {
            if #is_model && #entity.is_none() {
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
        let both = {
            let (a, b) = (probe(ty, "IS_MODEL"), probe(anchor, "IS_MODEL"));
            quote!((#a && #b))
        };
        let [table_a, table_b] = [ty, anchor].map(|t| probe(t, "TABLE_NAME"));
        let [entity_a, entity_b] = [ty, anchor].map(|t| probe(t, "ENTITY_NAME"));
        let [attribute_a, attribute_b] = [ty, anchor].map(|t| probe(t, "ENTITY_ATTRIBUTE"));
        let [shape_a, shape_b] = [ty, anchor].map(|t| probe(t, "PARTITION_SHAPE"));
        asserts.push(quote! {
            if #both && !#checks::str_eq(#table_a, #table_b) {
                ::core::panic!(#table);
            }
            if #both
                && #entity_a.is_some()
                && #entity_b.is_some()
                && !#checks::same_name(#attribute_a, #attribute_b)
            {
                ::core::panic!(#attribute);
            }
            if #both && !#checks::str_eq(#shape_a, #shape_b) {
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
            let [entity_a, entity_b] = [ta, tb].map(|t| probe(t, "ENTITY_NAME"));
            asserts.push(quote! {
                if #checks::same_name(#entity_a, #entity_b) {
                    ::core::panic!(#message);
                }
            });
        }
    }
    // Spanned on the member, which the error names.
    let same_partition = types[1..].iter().map(|ty| {
        quote_spanned! {ty.span()=>
            Probe::<(#ty, #anchor)>::same_partition_fields();
        }
    });
    let vis = collection.vis;
    let key = format_ident!("{}Key", ident);
    let variants: Vec<_> = collection.members.iter().map(|m| m.variant).collect();
    let key_doc = format!(
        "The primary key of a [`{name}`] item: the key of the member it holds (generated by `#[derive(Collection)]`). `Debug` shows the member, not the key."
    );
    let variant_docs = collection
        .members
        .iter()
        .map(|m| format!("The key of a `{}`.", m.type_name()));
    let debug_names = variants
        .iter()
        .map(|variant| format!("{key}::{variant}(<redacted>)"));
    quote! {
        #[doc = #key_doc]
        #[derive(::core::clone::Clone)]
        #vis enum #key #gate {
            #(
                #[doc = #variant_docs]
                #variants(<#types as ::dynamodel::__private::Model>::Key),
            )*
        }

        #[automatically_derived]
        impl ::core::fmt::Debug for #key #gate {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self {
                    #(Self::#variants(_) => f.write_str(#debug_names),)*
                }
            }
        }

        // Equal when the members' keys compare (the higher-ranked bounds keep
        // a member key without `PartialEq` from failing the derive).
        #[automatically_derived]
        impl ::core::cmp::PartialEq for #key
        where
            #(for<'__m> #types: #checks::CollectionModel,)*
            #(for<'__k> <#types as ::dynamodel::__private::Model>::Key: ::core::cmp::PartialEq,)*
        {
            #[allow(unreachable_patterns)]
            fn eq(&self, other: &Self) -> bool {
                match (self, other) {
                    #((Self::#variants(a), Self::#variants(b)) => a == b,)*
                    _ => false,
                }
            }
        }

        ::dynamodel::__private::collection_stream_item!(#ident);

        #[automatically_derived]
        const _: () = {
            impl ::dynamodel::__private::Collection for #ident #gate {
                const NAME: &'static str = #name;
                type Anchor = #anchor;
                const ENTITY_ATTRIBUTE: &'static str =
                    #checks::name_or_empty(#checks::entity_attribute::<#anchor>());
                const ENTITIES: &'static [&'static str] = &[#(#entities),*];
                type Key = #key;

                fn decode_member(
                    entity: &str,
                    item: ::dynamodel::__private::Item,
                ) -> ::core::option::Option<::dynamodel::__private::Result<Self, ::dynamodel::__private::Error>> {
                    #(#dispatch)*
                    ::core::option::Option::None
                }

                fn key(&self) -> #key {
                    match self {
                        #(Self::#variants(member) => #key::#variants(
                            ::dynamodel::__private::Model::key(member),
                        ),)*
                    }
                }
            }

            #(impl ::dynamodel::__private::Member<#ident> for #types #gate {})*

            // Checked when the enum is compiled: each member is a model,
            // shares the first member's partition key field types, ...
            // (read through `Probe`, which skips a member that is not a
            // model: the `model` check reports it) ...
            const _: () = {
                #(#checks::model::<#types>();)*
            };
            const _: fn() = || {
                use #checks::{NotAModel as _, Probe};
                #(#same_partition)*
            };
            // ... and entity names, table, entity attribute and key shape.
            const _: () = {
                use #checks::NotAModel as _;
                #(#asserts)*
            };
        };
    }
}
