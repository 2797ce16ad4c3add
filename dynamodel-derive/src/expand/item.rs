//! Item conversion in the `Model` impl: `to_item` and `from_item`, with
//! the `skip` fields (`Default` on read) and the `unknown` catch-all (the
//! undeclared attributes, written after the declared ones).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::adapter::adapter;
use crate::ast::{Field, Model};

/// `fn to_item`.
pub fn to_item(model: &Model) -> TokenStream {
    let count = model.fields.len();
    let encodes = model.fields.iter().filter(|f| f.is_stored).map(|field| {
        let ident = field.ident;
        let ty = field.ty;
        let stored = field.stored_name();
        let adapter = adapter(field);
        quote_spanned! {ty.span()=>
            ::dynamodel::__private::encode_field_with::<Self, #ty, #adapter>(&mut item, #stored, &self.#ident)?;
        }
    });
    let write_unknown = write_unknown(model);
    quote! {
        fn to_item(
            &self,
        ) -> ::dynamodel::__private::Result<::dynamodel::__private::Item, ::dynamodel::__private::Error> {
            let mut item = ::dynamodel::__private::HashMap::with_capacity(#count);
            #(#encodes)*
            #write_unknown
            ::dynamodel::__private::Result::Ok(item)
        }
    }
}

/// `fn from_item` for the model whose key attributes are `key_names`.
pub fn from_item(model: &Model, key_names: &[String]) -> TokenStream {
    // Key attributes composed by templates and the entity attributes are
    // not fields: the catch-all does not collect them.
    let drop_templates = template_names(model)
        .into_iter()
        .chain(entity_names(model))
        .map(|name| quote!(item.remove(#name);));
    // Key attributes last: they stay in the item to identify it in errors.
    let ordered = model
        .fields
        .iter()
        .filter(|f| !f.is_key && f.is_stored)
        .chain(model.fields.iter().filter(|f| f.is_key));
    let decodes = ordered.map(|field| {
        let ident = field.ident;
        let ty = field.ty;
        let stored = field.stored_name();
        let adapter = adapter(field);
        quote_spanned! {ty.span()=>
            let #ident = ::dynamodel::__private::decode_field_with::<Self, #ty, #adapter>(&mut item, #stored, KEY_NAMES)?;
        }
    });
    let idents = model.fields.iter().map(|field| field.ident);
    let read_unstored = read_unstored(model);
    quote! {
        fn from_item(
            mut item: ::dynamodel::__private::Item,
        ) -> ::dynamodel::__private::Result<Self, ::dynamodel::__private::Error> {
            const KEY_NAMES: &[&str] = &[#(#key_names),*];
            #(#decodes)*
            #(#drop_templates)*
            #read_unstored
            ::dynamodel::__private::Result::Ok(Self { #(#idents),* })
        }
    }
}

/// In `to_item`: writes the catch-all's attributes after the declared ones.
fn write_unknown(model: &Model) -> TokenStream {
    let Some(field) = model.unknown_field() else {
        return TokenStream::new();
    };
    let ident = field.ident;
    let declared: Vec<String> = model
        .fields
        .iter()
        .filter(|f| f.is_stored)
        .map(Field::stored_name)
        .chain(template_names(model))
        .chain(entity_names(model))
        .collect();
    quote_spanned! {field.ty.span()=>
        ::dynamodel::__private::write_unknown(&mut item, &self.#ident, &[#(#declared),*]);
    }
}

/// In `from_item`: the value of a field that is not decoded from its own
/// attribute (`skip`: `Default`; `unknown`: the remaining attributes).
fn read_unstored(model: &Model) -> TokenStream {
    let lets = model.fields.iter().filter(|f| !f.is_stored).map(|field| {
        let ident = field.ident;
        if field.attrs.settings.unknown.is_some() {
            quote_spanned! {field.ty.span()=> let #ident = item; }
        } else {
            quote_spanned! {field.ty.span()=> let #ident = ::core::default::Default::default(); }
        }
    });
    quote!(#(#lets)*)
}

/// The stored names of the key attributes composed by templates.
fn template_names(model: &Model) -> Vec<String> {
    let attrs = &model.attrs;
    attrs
        .pk
        .iter()
        .chain(&attrs.sk)
        .map(|t| t.name.clone())
        .chain(super::index_template::attribute_names(model))
        .collect()
}

/// The attributes the model's entity writes (`dynamodel::entity`).
fn entity_names(model: &Model) -> Vec<String> {
    model
        .entity()
        .map(|entity| entity.attributes())
        .unwrap_or_default()
}
