//! What the `Model` derive generates for updates, which write single
//! attributes instead of whole items: the writes an update adds by itself
//! (`updated_at`, `force_default`; on upsert `created_at` and defaults) and
//! the attributes an upsert must write so the item it may create can be read.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::Model;
use crate::settings::{default_expr, is_key, is_stored, timestamp_now, timestamp_role};

/// The model's `automatic_updates`: what an update writes without being
/// asked, with the same conversion as `to_item`. `updated_at` and
/// `force_default` fields always; `created_at` and defaults only when an
/// upsert may create the item, and then only where the attribute is absent.
pub fn automatic_updates(model: &Model) -> TokenStream {
    let mut always = Vec::new();
    let mut on_upsert = Vec::new();
    for field in model.fields.iter().filter(|f| is_stored(f) && !is_key(f)) {
        let s = &field.attrs.settings;
        let ty = field.ty;
        let stored = field.stored_name();
        let adapter = crate::types::adapter(field);
        let encode = |target: TokenStream| {
            quote! {
                ::dynamodel::__private::encode_field_with::<Self, #ty, #adapter>(#target, #stored, &value)?;
            }
        };
        if let Some((created, span)) = timestamp_role(model, field) {
            let target = if created {
                quote!(set_if_absent)
            } else {
                quote!(set)
            };
            let encode = encode(target);
            let now = timestamp_now(field);
            let code = quote_spanned! {span=>
                {
                    let value = <#ty as ::dynamodel::__private::Timestamp>::at(#now);
                    #encode
                }
            };
            if created {
                on_upsert.push(code);
            } else {
                always.push(code);
            }
            continue;
        }
        let (span, value) = match (&s.default, &s.default_with) {
            (Some((p, e)), _) => (p.span(), default_expr(e)),
            (None, Some((p, f))) => (p.span(), quote!(#f())),
            (None, None) => continue,
        };
        let is_option = field.option_inner().is_some();
        let value = if is_option {
            quote!(::dynamodel::__private::Option::Some(#value))
        } else {
            value
        };
        let transform = s.set.as_ref().map(|(_, f)| {
            if is_option {
                quote_spanned! {f.span()=> ::dynamodel::__private::transform_option(&mut value, #f); }
            } else {
                quote_spanned! {f.span()=> ::dynamodel::__private::transform(&mut value, #f); }
            }
        });
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
    let checks: Vec<_> = model
        .fields
        .iter()
        .filter(|f| is_stored(f) && !is_key(f))
        .map(|field| {
            let ty = field.ty;
            let stored = field.stored_name();
            let adapter = crate::types::adapter(field);
            // The same call as in `from_item`, so a type mistake in the field
            // is reported once, not once more here.
            quote_spanned! {ty.span()=>
                if ::dynamodel::__private::decode_field_with::<Self, #ty, #adapter>(&mut ::dynamodel::__private::HashMap::new(), #stored, &[]).is_err() {
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
