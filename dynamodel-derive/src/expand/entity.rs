//! The model's entity (`const ENTITY`, see `dynamodel::entity`) and its
//! `SharedPartition` impl, which `#[derive(Collection)]` compares between
//! members at compile time.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Model;
use crate::attr::Piece;

/// `const ENTITY` in the `Model` impl (left to the default `None` for a
/// model that is not an entity).
pub fn entity_const(model: &Model) -> TokenStream {
    let Some(entity) = model.entity() else {
        return TokenStream::new();
    };
    let (name, attribute, accept_missing) =
        (&entity.name, &entity.attribute, entity.accept_missing);
    let version = match &entity.version {
        Some((attribute, value)) => quote! {
            ::core::option::Option::Some(::dynamodel::__private::SchemaVersion {
                attribute: #attribute,
                value: #value,
            })
        },
        None => quote!(::core::option::Option::None),
    };
    quote! {
        const ENTITY: ::core::option::Option<::dynamodel::__private::Entity> =
            ::core::option::Option::Some(::dynamodel::__private::Entity {
                name: #name,
                attribute: #attribute,
                version: #version,
                accept_missing: #accept_missing,
            });
    }
}

/// `impl SharedPartition`: the key attribute names and the partition key
/// template's constant text (`\0` for each field), and its field types.
pub fn shared_partition(model: &Model) -> TokenStream {
    let ident = model.ident;
    let (mut shape, types) = match &model.attrs.pk {
        Some(pk) => {
            let sk = model.attrs.sk.as_ref().map_or("", |sk| sk.name.as_str());
            let mut shape = format!("{}\u{1}{sk}\u{1}", pk.name);
            let mut types = Vec::new();
            for piece in &pk.pieces {
                match piece {
                    Piece::Text(text) => shape.push_str(text),
                    Piece::Field(name) => {
                        shape.push('\0');
                        if let Some(field) = model.fields.iter().find(|f| f.ident == name) {
                            types.push(field.ty);
                        }
                    }
                }
            }
            (shape, types)
        }
        None => {
            let (Some(hash), range) = (model.hash_key(), model.range_key()) else {
                return TokenStream::new();
            };
            let range = range.map(|r| r.stored_name()).unwrap_or_default();
            (
                format!("{}\u{1}{range}\u{1}", hash.stored_name()),
                vec![hash.ty],
            )
        }
    };
    shape.push('\u{1}');
    quote! {
        #[automatically_derived]
        impl ::dynamodel::__private::SharedPartition for #ident {
            const PARTITION_SHAPE: &'static str = #shape;
            type PartitionFields = (#(#types,)*);
        }
    }
}
