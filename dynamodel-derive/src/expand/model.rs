//! The `Model` impl, put together from the pieces the sibling files write.

use proc_macro2::TokenStream;
use quote::quote;

use super::handles::{fields_ident, model_handles};
use super::{indexes, item, key, pipeline, updates, version};
use crate::ast::Model;

/// Everything `#[derive(Model)]` emits for a checked model.
pub fn expand(model: &Model) -> TokenStream {
    let ident = model.ident;
    let model_name = ident.to_string();
    let table_name = model.table_name();
    let (Some(hash), range) = (model.hash_key(), model.range_key()) else {
        // `check` guarantees a hash key; nothing sensible to emit otherwise.
        return TokenStream::new();
    };
    let handles = model_handles(model);
    let fields_ident = fields_ident(ident);
    let key = key::expand(hash, range);
    let to_item = item::to_item(model);
    let from_item = item::from_item(model, hash, range);
    let automatic_updates = updates::automatic_updates(model);
    let required_attributes = updates::required_attributes(model);
    let (pipeline, pipeline_items) = pipeline::expand(model);
    let version = version::expand(model);
    let (indexes, index_schemas) = indexes::expand(model, hash, range);
    quote! {
        #handles
        #indexes

        #[automatically_derived]
        const _: () = {
            impl ::dynamodel::__private::Model for #ident {
                const MODEL_NAME: &'static str = #model_name;
                const TABLE_NAME: &'static str = #table_name;
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
