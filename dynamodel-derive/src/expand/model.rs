//! The `Model` impl, put together from the pieces the sibling files write.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::handles::{fields_ident, model_handles};
use super::{
    adapter, entity, index_template, indexes, item, key, patch, pipeline, projection, template,
    ttl, updates, version,
};
use crate::ast::{Field, Model};

/// Everything `#[derive(Model)]` emits for a checked model.
pub fn expand(model: &Model) -> TokenStream {
    let ident = model.ident;
    let model_name = ident.to_string();
    let table_name = model.table_name();
    let (hash, range) = (model.hash_key(), model.range_key());
    let (key, key_items, key_names, hash_ty, range_ty, table_key_writes) =
        match (&model.attrs.pk, hash) {
            (Some(pk), _) => {
                let (key, key_items, writes) = template::expand(model, pk);
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
                    writes,
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
                    TokenStream::new(),
                )
            }
            // `check` guarantees a key; nothing sensible to emit otherwise.
            (None, None) => return TokenStream::new(),
        };
    let handles = model_handles(model);
    let fields_ident = fields_ident(ident);
    let to_item = item::to_item(model);
    let to_keyed_item = item::to_keyed_item(model);
    let from_item = item::from_item(model, &key_names);
    let automatic_updates = updates::automatic_updates(model);
    let required_attributes = updates::required_attributes(model);
    let (pipeline, pipeline_items) = pipeline::expand(model);
    let version = version::expand(model);
    let ttl = ttl::expand(model);
    let ttl_impls = ttl::expand_impls(model);
    let (indexes, index_schemas) = indexes::expand(model, hash_ty, range_ty);
    let index_key_types = index_template::key_types(model);
    let index_key_writes = index_template::writes(model);
    let index_update_items = index_template::update_items(model);
    // The key step: the table's key templates, then the indexes'.
    let write_key_attributes = if table_key_writes.is_empty() && index_key_writes.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            fn write_key_attributes(
                &self,
                item: &mut ::dynamodel::__private::Item,
            ) -> ::dynamodel::__private::Result<(), ::dynamodel::__private::Error> {
                #table_key_writes
                #index_key_writes
                ::dynamodel::__private::Result::Ok(())
            }
        }
    };
    let entity = entity::entity_const(model);
    let projection = projection::expand(model);
    let shared_partition = entity::shared_partition(model);
    let (patch_type, patch_impl) = patch::expand(model);
    let storages = adapter::local_storages(&model.fields);
    quote! {
        #storages
        #handles
        #indexes
        #key_items
        #index_key_types
        #shared_partition
        #patch_type

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
                #write_key_attributes
                #index_update_items
                #to_item
                #to_keyed_item
                #from_item
                #automatic_updates
                #required_attributes
                #pipeline
                #version
                #ttl
                #index_schemas
            }
            #patch_impl
            #pipeline_items
            #ttl_impls
            #projection
        };
    }
}
