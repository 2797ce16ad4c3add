//! The table key in the `Model` impl: `type Key`, `key_schema`, `key`,
//! `key_to_item` and `key_from_item`; and the key description of one attribute, which indexes
//! use too.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;

use super::adapter::setting_adapter;
use super::template::key_template;
use crate::ast::Field;

/// The adapter converting a key field's value: its storage setting (`date`),
/// or the type's own impl. Keys given to operations go through it too, so
/// they match the stored attribute.
pub fn key_adapter(field: &Field) -> TokenStream {
    setting_adapter(field).unwrap_or_else(|| quote!(::dynamodel::__private::Native))
}

/// The key type queries take for `field`: its inner type, or, when a
/// storage setting converts it, a `StoredKey` converting through that
/// storage (whose `KeyAttribute` impl takes the scalar type from it).
pub fn key_type(field: &Field) -> TokenStream {
    let ty = field.inner_type();
    match setting_adapter(field) {
        None => quote!(#ty),
        Some(adapter) => quote!(::dynamodel::__private::StoredKey<#ty, #adapter>),
    }
}

/// The `KeyAttr` describing `field` as a key attribute (of the table or of
/// an index, where an `Option` field makes a sparse index).
pub fn key_attr(field: &Field) -> TokenStream {
    let ty = key_type(field);
    let stored = field.stored_name();
    quote! {
        ::dynamodel::__private::KeyAttr {
            name: #stored,
            scalar_type: <#ty as ::dynamodel::__private::KeyAttribute>::SCALAR_TYPE,
        }
    }
}

/// `{ assert ty: KeyAttribute }`, spanned at `span` so an unsupported key
/// type is reported where it is written.
pub fn assert_key_attribute(ty: impl ToTokens, span: Span) -> TokenStream {
    quote_spanned! {span=>
        {
            fn assert_key_attribute<T: ::dynamodel::__private::KeyAttribute>() {}
            assert_key_attribute::<#ty>();
        }
    }
}

/// The key items of the `Model` impl for the partition key `hash` and the
/// sort key `range`.
pub fn expand(hash: &Field, range: Option<&Field>) -> TokenStream {
    let hash_ident = hash.ident;
    let hash_ty = hash.ty;
    let hash_attr = key_attr(hash);
    let hash_assert = assert_key_attribute(key_type(hash), hash_ty.span());
    let hash_slot = (hash.stored_name(), encode_into(hash, quote!(hash)));
    // `key_to_item`: a clone of the key's template map (no name hashed).
    let hash_from_template = key_template(vec![hash_slot.clone()]);
    let hash_write = write_canonical(hash, quote!(hash));
    let hash_decode = decode(hash);
    match range {
        None => quote! {
            type Key = #hash_ty;

            fn key_schema() -> ::dynamodel::__private::KeySchema {
                #hash_assert
                ::dynamodel::__private::KeySchema { hash: #hash_attr, range: ::core::option::Option::None }
            }

            fn key(&self) -> Self::Key {
                ::core::clone::Clone::clone(&self.#hash_ident)
            }

            fn key_to_item(
                hash: &Self::Key,
            ) -> ::dynamodel::__private::Result<::dynamodel::__private::Item, ::dynamodel::__private::Error> {
                #hash_from_template
            }

            fn key_from_item(
                item: &::dynamodel::__private::Item,
            ) -> ::dynamodel::__private::Option<
                ::dynamodel::__private::Result<Self::Key, ::dynamodel::__private::Error>,
            > {
                ::dynamodel::__private::Option::Some(#hash_decode)
            }

            fn write_canonical_key(
                hash: &Self::Key,
                out: &mut ::dynamodel::__private::Vec<u8>,
            ) -> ::dynamodel::__private::Result<(), ::dynamodel::__private::Error> {
                let mut key = ::dynamodel::__private::CanonicalKeyWriter::<Self>::new(out);
                #hash_write
                key.finish()
            }

            fn write_own_canonical_key(
                &self,
                out: &mut ::dynamodel::__private::Vec<u8>,
            ) -> ::dynamodel::__private::Result<(), ::dynamodel::__private::Error> {
                <Self as ::dynamodel::__private::Model>::write_canonical_key(&self.#hash_ident, out)
            }
        },
        Some(range) => {
            let range_ident = range.ident;
            let range_ty = range.ty;
            let range_attr = key_attr(range);
            let range_assert = assert_key_attribute(key_type(range), range_ty.span());
            let range_slot = (range.stored_name(), encode_into(range, quote!(range)));
            let pair_from_template = key_template(vec![hash_slot, range_slot]);
            let range_decode = decode(range);
            let range_write = write_canonical(range, quote!(range));
            let own_hash_write = write_canonical(hash, quote!(&self.#hash_ident));
            let own_range_write = write_canonical(range, quote!(&self.#range_ident));
            quote! {
                type Key = (#hash_ty, #range_ty);

                fn key_schema() -> ::dynamodel::__private::KeySchema {
                    #hash_assert
                    #range_assert
                    ::dynamodel::__private::KeySchema {
                        hash: #hash_attr,
                        range: ::core::option::Option::Some(#range_attr),
                    }
                }

                fn key(&self) -> Self::Key {
                    (
                        ::core::clone::Clone::clone(&self.#hash_ident),
                        ::core::clone::Clone::clone(&self.#range_ident),
                    )
                }

                fn key_to_item(
                    key: &Self::Key,
                ) -> ::dynamodel::__private::Result<::dynamodel::__private::Item, ::dynamodel::__private::Error> {
                    let (hash, range) = key;
                    #pair_from_template
                }

                fn key_from_item(
                    item: &::dynamodel::__private::Item,
                ) -> ::dynamodel::__private::Option<
                    ::dynamodel::__private::Result<Self::Key, ::dynamodel::__private::Error>,
                > {
                    ::dynamodel::__private::Option::Some(
                        #hash_decode.and_then(|hash| #range_decode.map(|range| (hash, range))),
                    )
                }

                fn write_canonical_key(
                    key: &Self::Key,
                    out: &mut ::dynamodel::__private::Vec<u8>,
                ) -> ::dynamodel::__private::Result<(), ::dynamodel::__private::Error> {
                    let (hash, range) = key;
                    let mut key = ::dynamodel::__private::CanonicalKeyWriter::<Self>::new(out);
                    #hash_write
                    #range_write
                    key.finish()
                }

                fn write_own_canonical_key(
                    &self,
                    out: &mut ::dynamodel::__private::Vec<u8>,
                ) -> ::dynamodel::__private::Result<(), ::dynamodel::__private::Error> {
                    let mut key = ::dynamodel::__private::CanonicalKeyWriter::<Self>::new(out);
                    #own_hash_write
                    #own_range_write
                    key.finish()
                }
            }
        }
    }
}

/// The expression decoding the key field `field` from the key attributes
/// in `item` through its storage: a `Result` of the field's type.
fn decode(field: &Field) -> TokenStream {
    let ty = field.ty;
    let name = field.stored_name();
    let adapter = key_adapter(field);
    quote! {
        ::dynamodel::__private::decode_key_with::<Self, #ty, #adapter>(item, #name)
    }
}

/// The expression writing the key field `field` held in `value` (a
/// reference) through its storage into `slot` (a key template's entry): an
/// `Encoded`, the error naming the attribute.
fn encode_into(field: &Field, value: TokenStream) -> TokenStream {
    let ty = field.ty;
    let name = field.stored_name();
    let adapter = key_adapter(field);
    quote! {
        ::dynamodel::__private::encode_key_into(
            slot,
            ::dynamodel::__private::encode_key_with::<Self, #ty, #adapter>(#name, #value),
        )
    }
}

/// The statement appending the key field `field` held in `value` (a
/// reference) to the canonical key being written by `key` (a
/// `CanonicalKeyWriter`), through its storage, with `?` on failure.
fn write_canonical(field: &Field, value: TokenStream) -> TokenStream {
    let ty = field.ty;
    let name = field.stored_name();
    let adapter = key_adapter(field);
    quote! {
        key.attribute::<#ty, #adapter>(#name, #value)?;
    }
}
