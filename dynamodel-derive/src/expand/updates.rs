//! What updates need from the model, since they write single attributes
//! instead of whole items: the writes an update adds by itself
//! (`automatic_updates`: `updated_at`, `force_default`; on upsert
//! `created_at` and defaults) and the attributes an upsert must write so
//! the item it may create can be read (`required_attributes`).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::adapter::adapter;
use super::values::{default_value, timestamp_now, transform};
use crate::ast::Model;

/// The model's `automatic_updates`: what an update writes without being
/// asked, with the same conversion as `to_item`. `updated_at` and
/// `force_default` fields always; `created_at` and defaults only when an
/// upsert may create the item, and then only where the attribute is absent.
pub fn automatic_updates(model: &Model) -> TokenStream {
    let mut always = Vec::new();
    let mut on_upsert = Vec::new();
    for field in model.fields.iter().filter(|f| f.is_stored && !f.is_key) {
        let s = &field.attrs.settings;
        let ty = field.ty;
        let stored = field.stored_name();
        let adapter = adapter(field);
        let encode = |target: TokenStream| {
            quote! {
                ::dynamodel::__private::encode_field_with::<Self, #ty, #adapter>(#target, #stored, &value)?;
            }
        };
        if let Some(timestamp) = field.timestamp {
            let target = if timestamp.created {
                quote!(set_if_absent)
            } else {
                quote!(set)
            };
            let encode = encode(target);
            let now = timestamp_now(field);
            let code = quote_spanned! {timestamp.span=>
                {
                    let value = <#ty as ::dynamodel::__private::Timestamp>::at(#now);
                    #encode
                }
            };
            if timestamp.created {
                on_upsert.push(code);
            } else {
                always.push(code);
            }
            continue;
        }
        let Some((span, value)) = default_value(field) else {
            continue;
        };
        let transform = s
            .set
            .as_ref()
            .map(|(_, f)| transform(field, f, quote_spanned! {f.span()=> value}));
        let forced = s.force_default.is_some();
        let encode = encode(if forced {
            quote!(set)
        } else {
            quote!(set_if_absent)
        });
        let code = quote_spanned! {span=>
            {
                #[allow(unused_mut)]
                let mut value: #ty = #value;
                #transform
                #encode
            }
        };
        if forced {
            always.push(code);
        } else {
            on_upsert.push(code);
        }
    }
    if always.is_empty() && on_upsert.is_empty() {
        return TokenStream::new();
    }
    quote! {
        fn automatic_updates(
            kind: ::dynamodel::__private::UpdateKind,
            set: &mut ::dynamodel::__private::Item,
            set_if_absent: &mut ::dynamodel::__private::Item,
        ) -> ::dynamodel::__private::Result<(), ::dynamodel::__private::Error> {
            let _ = (&kind, &set, &set_if_absent);
            #[allow(unused_variables)]
            let now = ::dynamodel::__private::SystemTime::now();
            #(#always)*
            if kind == ::dynamodel::__private::UpdateKind::Upsert {
                #(#on_upsert)*
            }
            ::dynamodel::__private::Result::Ok(())
        }
    }
}

/// The model's `required_attributes`: the stored attributes (keys aside)
/// whose absence `from_item` refuses.
pub fn required_attributes(model: &Model) -> TokenStream {
    let model_name = model.ident.to_string();
    let checks: Vec<_> = model
        .fields
        .iter()
        .filter(|f| f.is_stored && !f.is_key)
        .map(|field| {
            let ty = field.ty;
            let stored = field.stored_name();
            let adapter = adapter(field);
            // The same call as in `from_item`, so a type mistake in the field
            // is reported once, not once more here.
            quote_spanned! {ty.span()=>
                if ::dynamodel::__private::Slots::empty(#model_name, &[#stored]).decode::<#ty, #adapter>(0).is_err() {
                    required.push(#stored);
                }
            }
        })
        .collect();
    if checks.is_empty() {
        return TokenStream::new();
    }
    quote! {
        fn required_attributes() -> ::dynamodel::__private::Vec<&'static str> {
            let mut required = ::dynamodel::__private::Vec::new();
            #(#checks)*
            required
        }
    }
}
