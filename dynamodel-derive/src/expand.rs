//! Writes the `Model` implementation and the typed field handles.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Field, Model};
use crate::ctxt::Ctxt;
use crate::{check, fallback};

pub fn derive(input: &syn::DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let model = Model::from_input(&cx, input);
    if let Some(model) = &model {
        check::check(&cx, model);
        crate::version::check(&cx, model);
    }
    match (cx.check(), model) {
        (Ok(()), Some(model)) => expand(&model),
        (Err(error), _) => fallback::expand(input, error),
        // from_input only returns None after recording an error.
        (Ok(()), None) => TokenStream::new(),
    }
}

fn expand(model: &Model) -> TokenStream {
    let ident = model.ident;
    let model_name = ident.to_string();
    let table_name = model.table_name();
    let (Some(hash), range) = (model.hash_key(), model.range_key()) else {
        // check::check guarantees a hash key; nothing sensible to emit otherwise.
        return TokenStream::new();
    };
    let fields_struct = fields_struct(model);
    let fields_ident = fields_ident(model);
    let key = key_impl(hash, range);
    let to_item = to_item(model);
    let from_item = from_item(model, hash, range);
    let (settings, settings_items) = crate::settings::expand(model);
    let version = crate::version::expand(model);
    let (indexes, index_schemas) = crate::indexes::expand(model, hash, range);
    quote! {
        #fields_struct
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
                #settings
                #version
                #index_schemas
            }
            #settings_items
        };
    }
}

fn fields_ident(model: &Model) -> syn::Ident {
    format_ident!("{}Fields", model.ident)
}

/// The type a field's handle carries: `T` for `Option<T>` fields, so that
/// `nickname.eq("x")` compiles.
fn handle_type(field: &Field) -> TokenStream {
    crate::types::handle_type(field)
}

fn fields_struct(model: &Model) -> TokenStream {
    let ident = model.ident;
    let vis = &model.original.vis;
    let fields_ident = fields_ident(model);
    let doc = format!(
        "Typed attribute handles of [`{ident}`], returned by `{ident}::fields()` (see `dynamodel::Model::fields`)."
    );
    let declarations = model
        .fields
        .iter()
        .filter(|f| crate::settings::is_stored(f))
        .map(|field| {
            let name = field.ident;
            let ty = handle_type(field);
            let presence = crate::version::presence(field);
            let field_doc = format!("The attribute `{}`.", field.stored_name());
            quote! {
                #[doc = #field_doc]
                #vis #name: ::dynamodel::__private::Field<#ident, #ty, #presence>
            }
        });
    let constructors = model.fields.iter().filter(|f| crate::settings::is_stored(f)).map(|field| {
        let name = field.ident;
        let stored = field.stored_name();
        let rules = crate::settings::handle_rules(field);
        quote! {
            #name: ::dynamodel::__private::Field::new(::dynamodel::__private::Path::attribute(#stored))#rules
        }
    });
    quote! {
        #[doc = #doc]
        #[allow(missing_docs)]
        #vis struct #fields_ident {
            #(#declarations,)*
        }

        impl #fields_ident {
            fn new() -> Self {
                #fields_ident {
                    #(#constructors,)*
                }
            }
        }
    }
}

/// `fn(){ assert T: KeyAttribute }`, spanned on the key's type so an
/// unsupported key type is reported right there.
fn assert_key_type(field: &Field) -> TokenStream {
    let ty = field.ty;
    quote_spanned! {ty.span()=>
        {
            fn assert_key_attribute<T: ::dynamodel::__private::KeyAttribute>() {}
            assert_key_attribute::<#ty>();
        }
    }
}

fn key_attr(field: &Field) -> TokenStream {
    let ty = field.ty;
    let stored = field.stored_name();
    quote! {
        ::dynamodel::__private::KeyAttr {
            name: #stored,
            scalar_type: <#ty as ::dynamodel::__private::KeyAttribute>::SCALAR_TYPE,
        }
    }
}

fn key_impl(hash: &Field, range: Option<&Field>) -> TokenStream {
    let hash_ident = hash.ident;
    let hash_ty = hash.ty;
    let hash_name = hash.stored_name();
    let hash_attr = key_attr(hash);
    let hash_assert = assert_key_type(hash);
    let hash_encode = quote! {
        ::dynamodel::__private::encode_key::<Self, #hash_ty>(#hash_name, hash)?
    };
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
                let mut item = ::dynamodel::__private::HashMap::with_capacity(1);
                item.insert(::dynamodel::__private::String::from(#hash_name), #hash_encode);
                ::dynamodel::__private::Result::Ok(item)
            }
        },
        Some(range) => {
            let range_ident = range.ident;
            let range_ty = range.ty;
            let range_name = range.stored_name();
            let range_attr = key_attr(range);
            let range_assert = assert_key_type(range);
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
                    let mut item = ::dynamodel::__private::HashMap::with_capacity(2);
                    item.insert(::dynamodel::__private::String::from(#hash_name), #hash_encode);
                    item.insert(
                        ::dynamodel::__private::String::from(#range_name),
                        ::dynamodel::__private::encode_key::<Self, #range_ty>(#range_name, range)?,
                    );
                    ::dynamodel::__private::Result::Ok(item)
                }
            }
        }
    }
}

fn to_item(model: &Model) -> TokenStream {
    let count = model.fields.len();
    let encodes = model.fields.iter().filter(|f| crate::settings::is_stored(f)).map(|field| {
        let ident = field.ident;
        let ty = field.ty;
        let stored = field.stored_name();
        let adapter = crate::types::adapter(field);
        quote_spanned! {ty.span()=>
            ::dynamodel::__private::encode_field_with::<Self, #ty, #adapter>(&mut item, #stored, &self.#ident)?;
        }
    });
    let write_unknown = crate::settings::write_unknown(model);
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

fn from_item(model: &Model, hash: &Field, range: Option<&Field>) -> TokenStream {
    let key_names: Vec<String> = std::iter::once(hash)
        .chain(range)
        .map(Field::stored_name)
        .collect();
    let is_key = |field: &Field| field.attrs.hash_key.is_some() || field.attrs.range_key.is_some();
    // Key attributes last: they stay in the item to identify it in errors.
    let ordered = model
        .fields
        .iter()
        .filter(|f| !is_key(f) && crate::settings::is_stored(f))
        .chain(model.fields.iter().filter(|f| is_key(f)));
    let decodes = ordered.map(|field| {
        let ident = field.ident;
        let ty = field.ty;
        let stored = field.stored_name();
        let adapter = crate::types::adapter(field);
        quote_spanned! {ty.span()=>
            let #ident = ::dynamodel::__private::decode_field_with::<Self, #ty, #adapter>(&mut item, #stored, KEY_NAMES)?;
        }
    });
    let idents = model.fields.iter().map(|field| field.ident);
    let read_unstored = crate::settings::read_unstored(model);
    quote! {
        fn from_item(
            mut item: ::dynamodel::__private::Item,
        ) -> ::dynamodel::__private::Result<Self, ::dynamodel::__private::Error> {
            const KEY_NAMES: &[&str] = &[#(#key_names),*];
            #(#decodes)*
            #read_unstored
            ::dynamodel::__private::Result::Ok(Self { #(#idents),* })
        }
    }
}
