//! Secondary indexes: a marker type implementing `Index` per declaration,
//! the `{Model}Indexes` handles returned by `Model::indexes()`, the
//! `Queryable` impl, and `fn index_schemas` for the `Model` impl.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

use super::key::{assert_key_attribute, key_attr, key_type};
use crate::ast::{index_handle_name, index_type_name, Field, Model};
use crate::attr::{IndexAttr, ProjectionAttr};

/// The items beside the `Model` impl, and `fn index_schemas` inside it.
///
/// `table_hash_ty` / `table_range_ty` are the types queries of the table
/// take; `hash` is the table's partition key field (`None` when the key is
/// composed from fields, where `check` refuses local indexes).
pub fn expand(
    model: &Model,
    hash: Option<&Field>,
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
        let index_hash = if index.global {
            index.hash.as_ref().and_then(|h| model.field(h))
        } else {
            hash
        };
        let index_range = index.range.as_ref().and_then(|r| model.field(r));
        let Some(index_hash) = index_hash else {
            continue;
        };
        let marker = format_ident!("{}{}Index", ident, index_type_name(&name));
        let handle = format_ident!("{}", index_handle_name(&name));
        let hash_ty = key_type(index_hash);
        let hash_ty = quote_spanned!(key_span(&index.hash, index_hash)=> #hash_ty);
        let hash_attr = key_attr(index_hash);
        let (range_ty, range_attr) = match index_range {
            Some(field) => {
                let ty = key_type(field);
                let span = key_span(&index.range, field);
                let attr = key_attr(field);
                (
                    quote_spanned!(span=> #ty),
                    quote!(::core::option::Option::Some(#attr)),
                )
            }
            None => (
                quote!(::dynamodel::__private::NoSortKey),
                quote!(::core::option::Option::None),
            ),
        };
        let range_assert = match index_range {
            Some(_) => assert_key_attribute(&range_ty, Span::call_site()),
            None => quote!(),
        };
        let kind = if index.global {
            quote!(::dynamodel::__private::IndexKind::Global)
        } else {
            quote!(::dynamodel::__private::IndexKind::Local)
        };
        let projection = projection(model, index);
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
            fn index_schemas() -> ::std::vec::Vec<::dynamodel::__private::IndexSchema> {
                ::std::vec![#(#schemas),*]
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

/// Where an index key's type errors point: the field named in the
/// declaration, or (a local index's partition key) the table's key field.
fn key_span(named: &Option<syn::Ident>, field: &Field) -> Span {
    named
        .as_ref()
        .map(|ident| ident.span())
        .unwrap_or_else(|| field.ident.span())
}
