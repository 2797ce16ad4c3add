//! Item conversion in the `Model` impl: `to_item` and `from_item`, with
//! the `skip` fields (`Default` on read) and the `unknown` catch-all (the
//! undeclared attributes, written after the declared ones).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::adapter::adapter;
use crate::ast::{Field, Model};

/// `fn to_item`: a `match` writes each stored field's attribute by its
/// declaration index into a slot (the one conversion of each field, shared
/// by both ways); the item is a clone of the model's template map filled by
/// it (`ItemTemplate`: no name hashed per item), or, with a catch-all (the
/// capacity then depends on the value), built by inserts in declaration
/// order.
pub fn to_item(model: &Model) -> TokenStream {
    let capacity = item_capacity(model);
    let stored: Vec<&Field> = model.fields.iter().filter(|f| f.is_stored).collect();
    let names = stored.iter().map(|f| f.stored_name());
    let encode = slot_writer(field_arms(&stored));
    let build = if model.unknown_field().is_some() {
        quote! {
            let mut item = ::dynamodel::__private::encode_in_order(NAMES, #capacity, encode)?;
        }
    } else {
        let (declare, template) = template(&capacity);
        quote! {
            #declare
            let item = #template.fill(encode)?;
        }
    };
    let write_unknown = write_unknown(model);
    quote! {
        fn to_item(
            &self,
        ) -> ::dynamodel::__private::Result<::dynamodel::__private::Item, ::dynamodel::__private::Error> {
            const NAMES: &[&::core::primitive::str] = &[#(#names),*];
            let encode = #encode;
            #build
            #write_unknown
            ::dynamodel::__private::Result::Ok(item)
        }
    }
}

/// The closure `(index, slot)` that an `ItemTemplate` fills an item with:
/// a `match` on the attribute's index whose `arms` (`index => write,`)
/// write that attribute into `slot`.
pub fn slot_writer(arms: impl IntoIterator<Item = TokenStream>) -> TokenStream {
    let arms = arms.into_iter();
    quote! {
        |
            index: ::core::primitive::usize,
            slot: &mut ::dynamodel::__private::AttributeValue,
        | -> ::dynamodel::__private::Result<::core::primitive::bool, ::dynamodel::__private::Error> {
            match index {
                #(#arms)*
                // Indices come from `NAMES`.
                _ => ::dynamodel::__private::Result::Ok(false),
            }
        }
    }
}

/// The `static` holding the `ItemTemplate` of the `NAMES` in scope, for
/// items of `capacity` attributes, and the expression giving it (built on
/// first use). (In a generic impl every instantiation shares the static:
/// right, as the names do not depend on type parameters.)
pub fn template(capacity: &TokenStream) -> (TokenStream, TokenStream) {
    let declare = quote! {
        static TEMPLATE: ::dynamodel::__private::OnceLock<::dynamodel::__private::ItemTemplate> =
            ::dynamodel::__private::OnceLock::new();
    };
    let get = quote! {
        TEMPLATE.get_or_init(|| ::dynamodel::__private::ItemTemplate::new(NAMES, #capacity))
    };
    (declare, get)
}

/// The arms of the `match` writing each stored field's attribute into
/// `slot`, by declaration index (among the stored fields).
fn field_arms(stored: &[&Field]) -> Vec<TokenStream> {
    stored
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let ident = field.ident;
            let ty = field.ty;
            let stored = field.stored_name();
            let adapter = adapter(field);
            quote_spanned! {ty.span()=>
                #index => ::dynamodel::__private::encode_field_into::<Self, #ty, #adapter>(slot, #stored, &self.#ident),
            }
        })
        .collect()
}

/// `fn to_keyed_item` for a model with key templates or an entity (and no
/// catch-all, whose item size depends on the value): the item of a write,
/// its fields, composed key attributes and entity attributes, as a clone of
/// one template map holding all their names (`ItemTemplate`), so the key
/// step hashes no name either. The entries after the fields are those the
/// key step writes, in its order (table templates, then index templates),
/// then the entity's: the template's fallback inserts them in that order,
/// as `to_item`, `write_key_attributes` and `Entity::write` do. Nothing for
/// other models (the trait's default runs those three steps).
pub fn to_keyed_item(model: &Model) -> TokenStream {
    if model.unknown_field().is_some() {
        return TokenStream::new();
    }
    let keys = super::template::key_slots(model)
        .into_iter()
        .chain(super::index_template::key_slots(model));
    let entity = entity_names(model)
        .into_iter()
        .enumerate()
        .map(|(position, name)| {
            let write = quote! {
                ::dynamodel::__private::encode_entity_into(
                    <Self as ::dynamodel::__private::Model>::ENTITY,
                    #position,
                    slot,
                )
            };
            (name, write)
        });
    let extra: Vec<(String, TokenStream)> = keys.chain(entity).collect();
    if extra.is_empty() {
        return TokenStream::new();
    }
    let capacity = item_capacity(model);
    let stored: Vec<&Field> = model.fields.iter().filter(|f| f.is_stored).collect();
    let names = stored
        .iter()
        .map(|f| f.stored_name())
        .chain(extra.iter().map(|(name, _)| name.clone()));
    let arms = field_arms(&stored);
    let extra_arms = extra.iter().enumerate().map(|(offset, (_, write))| {
        let index = stored.len() + offset;
        quote!(#index => #write,)
    });
    let encode = slot_writer(arms.into_iter().chain(extra_arms));
    let (declare, template) = template(&capacity);
    quote! {
        fn to_keyed_item(
            &self,
        ) -> ::dynamodel::__private::Result<::dynamodel::__private::Item, ::dynamodel::__private::Error> {
            const NAMES: &[&::core::primitive::str] = &[#(#names),*];
            let encode = #encode;
            // Its own template: `to_item`'s holds the fields' names only.
            #declare
            #template.fill(encode)
        }
    }
}

/// How many attributes the item of `model` holds at most once written: its
/// stored fields, the key attributes its templates compose and its entity's
/// attributes (both added after `to_item`), and the catch-all's. Sized once,
/// the item is never rehashed on the way.
fn item_capacity(model: &Model) -> TokenStream {
    let declared = unique(
        model
            .fields
            .iter()
            .filter(|f| f.is_stored)
            .map(Field::stored_name)
            .chain(template_names(model))
            .chain(entity_names(model)),
    )
    .len();
    match model.unknown_field() {
        Some(field) => {
            let ident = field.ident;
            quote!(#declared + ::dynamodel::__private::HashMap::len(&self.#ident))
        }
        None => quote!(#declared),
    }
}

/// `fn from_item` for the model whose key attributes are `key_names`: one
/// pass moves every attribute of the item into its slot (`Slots::take`,
/// with the `match` on names written here), then each field decodes its
/// slot. Key fields decode last: their slots still describe the item in the
/// error of another field.
pub fn from_item(model: &Model, key_names: &[String]) -> TokenStream {
    let model_name = model.ident.to_string();
    let ordered: Vec<&Field> = model
        .fields
        .iter()
        .filter(|f| !f.is_key && f.is_stored)
        .chain(model.fields.iter().filter(|f| f.is_key))
        .collect();
    // Key attributes composed by templates and the entity attributes are
    // not fields: they have slots that no field decodes (the catch-all does
    // not collect them; an error describes the key by them).
    let names = unique(
        ordered
            .iter()
            .map(|f| f.stored_name())
            .chain(template_names(model))
            .chain(entity_names(model)),
    );
    let slot = |name: &str| names.iter().position(|n| n == name);
    let key_slots = key_names.iter().filter_map(|name| slot(name));
    let decodes = ordered.iter().map(|field| {
        let ident = field.ident;
        let ty = field.ty;
        let adapter = adapter(field);
        let index = slot(&field.stored_name()).unwrap_or_default();
        quote_spanned! {ty.span()=>
            #ident: slots.decode::<#ty, #adapter>(#index)?
        }
    });
    let lookup = super::slots::lookup(&names);
    let (declare_rest, rest) = if model.unknown_field().is_some() {
        (
            quote!(let mut rest = ::dynamodel::__private::HashMap::new();),
            quote!(::core::option::Option::Some(&mut rest)),
        )
    } else {
        (TokenStream::new(), quote!(::core::option::Option::None))
    };
    let unstored = read_unstored(model);
    quote! {
        fn from_item(
            item: ::dynamodel::__private::Item,
        ) -> ::dynamodel::__private::Result<Self, ::dynamodel::__private::Error> {
            #lookup
            const KEY_SLOTS: &[::core::primitive::usize] = &[#(#key_slots),*];
            #declare_rest
            let mut slots = ::dynamodel::__private::Slots::take(
                item, #model_name, NAMES, KEY_SLOTS, slot_of, #rest,
            );
            ::dynamodel::__private::Result::Ok(Self {
                #(#decodes,)*
                #(#unstored,)*
            })
        }
    }
}

/// `names` without repeats, first occurrence kept.
fn unique(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = Vec::new();
    for name in names {
        if !seen.contains(&name) {
            seen.push(name);
        }
    }
    seen
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

/// In `from_item`: the fields not decoded from their own attribute
/// (`skip`: `Default`; `unknown`: the attributes no slot took).
fn read_unstored<'a>(model: &'a Model) -> impl Iterator<Item = TokenStream> + 'a {
    model.fields.iter().filter(|f| !f.is_stored).map(|field| {
        let ident = field.ident;
        if field.attrs.settings.unknown.is_some() {
            quote_spanned! {field.ty.span()=> #ident: rest }
        } else {
            quote_spanned! {field.ty.span()=> #ident: ::core::default::Default::default() }
        }
    })
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
