//! Secondary indexes: a marker type implementing `Index` per declaration,
//! the `{Model}Indexes` handles returned by `Model::indexes()`, the
//! `Queryable` impl, and `fn index_schemas` for the `Model` impl.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

use super::key::{assert_key_attribute, key_attr, key_type};
use super::template::KeyRole;
use super::{index_template, multi_key};
use crate::ast::{index_handle_name, index_type_name, Field, Model};
use crate::attr::{IndexAttr, ProjectionAttr, TemplateAttr};

/// The items beside the `Model` impl, and `fn index_schemas` inside it.
///
/// `table_hash_ty` / `table_range_ty` are the types queries of the table
/// take (a local index takes the table's partition key type too).
pub fn expand(
    model: &Model,
    table_hash_ty: TokenStream,
    table_range_ty: TokenStream,
) -> (TokenStream, TokenStream) {
    let ident = model.ident;
    let vis = &model.original.vis;
    let attributes: Vec<String> = model.fields.iter().map(Field::stored_name).collect();
    let mut items = Vec::new();
    let mut handle_fields = Vec::new();
    let mut handle_inits = Vec::new();
    let mut schemas = Vec::new();
    for index in &model.attrs.indexes {
        let Some(name) = index.name.as_ref().map(syn::LitStr::value) else {
            continue;
        };
        let (hash_ty, hash_attr) = if !index.global {
            (
                table_hash_ty.clone(),
                quote!(<#ident as ::dynamodel::__private::Model>::key_schema().hash),
            )
        } else if let Some(pk) = &index.pk {
            let ty = index_template::key_ident(model, &name, KeyRole::Partition);
            (quote!(#ty), template_attr(pk))
        } else if let (Some(field), false) = (
            index.hash.as_ref().and_then(|h| model.field(h)),
            index.extra_hash.is_empty(),
        ) {
            // Several attributes: the generated multi-attribute key type.
            let fields = key_fields(model, &index.hash, &index.extra_hash);
            let ty = index_template::key_ident(model, &name, KeyRole::Partition);
            let doc = format!(
                "The partition key of the index `{name}` of [`{ident}`]: build it from a tuple of its fields ({}).",
                field_list(&fields)
            );
            items.push(multi_key::key_type_item(vis, &ty, &fields, false, &doc));
            (quote!(#ty), key_attr(field))
        } else if let Some(field) = index.hash.as_ref().and_then(|h| model.field(h)) {
            let ty = key_type(field);
            let span = key_span(&index.hash, field);
            (quote_spanned!(span=> #ty), key_attr(field))
        } else {
            continue;
        };
        let index_range = index.range.as_ref().and_then(|r| model.field(r));
        let marker = format_ident!("{}{}Index", ident, index_type_name(&name));
        let handle = format_ident!("{}", index_handle_name(&name));
        let (range_ty, range_attr, range_assert) = match (&index.sk, index_range) {
            (Some(sk), _) => {
                let ty = index_template::key_ident(model, &name, KeyRole::Sort);
                let attr = template_attr(sk);
                (
                    quote!(#ty),
                    quote!(::core::option::Option::Some(#attr)),
                    quote!(),
                )
            }
            (None, Some(field)) if !index.extra_range.is_empty() => {
                let fields = key_fields(model, &index.range, &index.extra_range);
                let ty = index_template::key_ident(model, &name, KeyRole::Sort);
                let doc = format!(
                    "The sort key of the index `{name}` of [`{ident}`]: build it from a tuple of its fields ({}), or a left part of them with `prefix_<field>(..)`.",
                    field_list(&fields)
                );
                items.push(multi_key::key_type_item(vis, &ty, &fields, true, &doc));
                let attr = key_attr(field);
                (
                    quote!(#ty),
                    quote!(::core::option::Option::Some(#attr)),
                    quote!(),
                )
            }
            (None, Some(field)) => {
                let ty = key_type(field);
                let span = key_span(&index.range, field);
                let attr = key_attr(field);
                let ty = quote_spanned!(span=> #ty);
                let assert = assert_key_attribute(&ty, Span::call_site());
                (ty, quote!(::core::option::Option::Some(#attr)), assert)
            }
            (None, None) => (
                quote!(::dynamodel::__private::NoSortKey),
                quote!(::core::option::Option::None),
                quote!(),
            ),
        };
        let kind = if index.global {
            quote!(::dynamodel::__private::IndexKind::Global)
        } else {
            quote!(::dynamodel::__private::IndexKind::Local)
        };
        let projection = projection(model, index);
        let extra_hash = multi_key::extra_attrs(&key_fields(model, &None, &index.extra_hash));
        let extra_range = multi_key::extra_attrs(&key_fields(model, &None, &index.extra_range));
        let doc = format!(
            "The {} secondary index `{name}` of [`{ident}`]: pass `{ident}::indexes().{handle}` to `Db::query_index`.",
            if index.global { "global" } else { "local" }
        );
        items.push(quote! {
            #[doc = #doc]
            #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
            #vis struct #marker;

            #[automatically_derived]
            impl ::dynamodel::__private::Index for #marker {
                type Model = #ident;
                type Hash = #hash_ty;
                type Range = #range_ty;

                fn schema(&self) -> ::dynamodel::__private::IndexSchema {
                    #range_assert
                    ::dynamodel::__private::IndexSchema {
                        name: #name,
                        kind: #kind,
                        hash: #hash_attr,
                        range: #range_attr,
                        extra_hash: #extra_hash,
                        extra_range: #extra_range,
                        projection: #projection,
                    }
                }
            }
        });
        let field_doc = format!("The index `{name}`.");
        handle_fields.push(quote! {
            #[doc = #field_doc]
            #vis #handle: #marker
        });
        handle_inits.push(quote!(#handle: #marker));
        schemas.push(quote!(::dynamodel::__private::Index::schema(&#marker)));
    }
    let indexes_ident = format_ident!("{}Indexes", ident);
    let handles = if model.attrs.indexes.is_empty() {
        quote!()
    } else {
        let doc =
            format!("The secondary indexes of [`{ident}`], returned by `{ident}::indexes()`.");
        quote! {
            #[doc = #doc]
            #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
            #vis struct #indexes_ident {
                #(#handle_fields,)*
            }

            impl #ident {
                /// Typed handles on the model's secondary indexes, for `Db::query_index`.
                #vis fn indexes() -> #indexes_ident {
                    #indexes_ident { #(#handle_inits,)* }
                }
            }
        }
    };
    let outside = quote! {
        #(#items)*
        #handles

        #[automatically_derived]
        const _: () = {
            impl ::dynamodel::__private::Queryable for #ident {
                type Hash = #table_hash_ty;
                type Range = #table_range_ty;
                const ATTRIBUTES: &'static [&'static str] = &[#(#attributes),*];
            }
        };
    };
    let method = if schemas.is_empty() {
        quote!()
    } else {
        quote! {
            fn index_schemas() -> &'static [::dynamodel::__private::IndexSchema] {
                // Built once: every write of the model reads it.
                static SCHEMAS: ::std::sync::OnceLock<
                    ::std::vec::Vec<::dynamodel::__private::IndexSchema>,
                > = ::std::sync::OnceLock::new();
                SCHEMAS.get_or_init(|| ::std::vec![#(#schemas),*])
            }
        }
    };
    (outside, method)
}

/// What the index copies, as an `IndexProjection`.
fn projection(model: &Model, index: &IndexAttr) -> TokenStream {
    match &index.projection {
        None | Some(ProjectionAttr::All) => {
            quote!(::dynamodel::__private::IndexProjection::All)
        }
        Some(ProjectionAttr::KeysOnly) => {
            quote!(::dynamodel::__private::IndexProjection::KeysOnly)
        }
        Some(ProjectionAttr::Include(fields)) => {
            let names = fields
                .iter()
                .filter_map(|f| model.field(f))
                .map(Field::stored_name);
            quote!(::dynamodel::__private::IndexProjection::Include(&[#(#names),*]))
        }
    }
}

/// The fields of a key: `first`, then `extra`.
fn key_fields<'m>(
    model: &'m Model,
    first: &Option<syn::Ident>,
    extra: &[syn::Ident],
) -> Vec<&'m Field<'m>> {
    first
        .iter()
        .chain(extra)
        .filter_map(|ident| model.field(ident))
        .collect()
}

/// "`a`, `b`", for docs.
fn field_list(fields: &[&Field]) -> String {
    fields
        .iter()
        .map(|f| format!("`{}`", f.ident))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `KeyAttr` of an attribute a key template writes (always a string).
fn template_attr(template: &TemplateAttr) -> TokenStream {
    let name = &template.name;
    quote! {
        ::dynamodel::__private::KeyAttr {
            name: #name,
            scalar_type: ::dynamodel::__private::ScalarType::String,
        }
    }
}

/// Where an index key's type errors point: the field named in the
/// declaration, or (a local index's partition key) the table's key field.
fn key_span(named: &Option<syn::Ident>, field: &Field) -> Span {
    named
        .as_ref()
        .map(|ident| ident.span())
        .unwrap_or_else(|| field.ident.span())
}
