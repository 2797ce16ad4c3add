//! The `Model` impl, put together from the pieces the sibling files write.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::handles::{fields_ident, model_handles};
use super::{entity, indexes, item, key, pipeline, template, updates, version};
use crate::ast::{Field, Model};

/// Everything `#[derive(Model)]` emits for a checked model.
pub fn expand(model: &Model) -> TokenStream {
    let ident = model.ident;
    let model_name = ident.to_string();
    let table_name = model.table_name();
    let (hash, range) = (model.hash_key(), model.range_key());
    let (key, key_items, key_names, hash_ty, range_ty) = match (&model.attrs.pk, hash) {
        (Some(pk), _) => {
            let (key, key_items) = template::expand(model, pk);
            let hash_ty = format_ident!("{}PartitionKey", ident);
            let range_ty = match &model.attrs.sk {
                Some(_) => {
                    let ty = format_ident!("{}SortKey", ident);
                    quote!(#ty)
                }
                None => quote!(::dynamodel::__private::NoSortKey),
            };
            let names = model
                .attrs
                .pk
                .iter()
                .chain(&model.attrs.sk)
                .map(|t| t.name.clone());
            (
                key,
                key_items,
                names.collect::<Vec<_>>(),
                quote!(#hash_ty),
                range_ty,
            )
        }
        (None, Some(hash)) => {
            let hash_ty = key::key_type(hash);
            let range_ty = match range {
                Some(range) => key::key_type(range),
                None => quote!(::dynamodel::__private::NoSortKey),
            };
            let names = std::iter::once(hash).chain(range).map(Field::stored_name);
            (
                key::expand(hash, range),
                TokenStream::new(),
                names.collect(),
                quote!(#hash_ty),
                range_ty,
            )
        }
        // `check` guarantees a key; nothing sensible to emit otherwise.
        (None, None) => return TokenStream::new(),
    };
    let handles = model_handles(model);
    let fields_ident = fields_ident(ident);
    let to_item = item::to_item(model);
    let from_item = item::from_item(model, &key_names);
    let automatic_updates = updates::automatic_updates(model);
    let required_attributes = updates::required_attributes(model);
    let (pipeline, pipeline_items) = pipeline::expand(model);
    let version = version::expand(model);
    let (indexes, index_schemas) = indexes::expand(model, hash, hash_ty, range_ty);
    let entity = entity::entity_const(model);
    let shared_partition = entity::shared_partition(model);
    quote! {
        #handles
        #indexes
        #key_items
        #shared_partition

        #[automatically_derived]
        const _: () = {
            impl ::dynamodel::__private::Model for #ident {
                const MODEL_NAME: &'static str = #model_name;
                const TABLE_NAME: &'static str = #table_name;
                #entity
                type Fields = #fields_ident;

                fn fields() -> #fields_ident {
                    #fields_ident::new()
                }

                #key
                #to_item
                #from_item
                #automatic_updates
                #required_attributes
                #pipeline
                #version
                #index_schemas
            }
            #pipeline_items
        };
    }
}
