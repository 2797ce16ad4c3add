//! A struct document's members in its `Attribute` impl: writing each one
//! through its `set` transform, reading it back (from its slot, in one
//! pass over the map) through its `get` transform, and `validate_members`
//! (each member's rules on its value as stored, the members' own
//! documents, the struct-level `validate`).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::adapter::{adapter, base_adapter};
use super::validation::{checks, struct_validate};
use crate::ast::Field;
use crate::attr::StructAttrs;

/// `value` (an expression of the member's type) through the transform `f`
/// (`fn(T) -> T` on the type inside an `Option`).
fn apply(field: &Field, f: &syn::Path, value: TokenStream) -> TokenStream {
    let inner = field.inner_type();
    let f = quote_spanned! {f.span()=> |v: #inner| -> #inner { #f(v) } };
    if field.option_inner().is_some() {
        quote!(::core::option::Option::map(#value, #f))
    } else {
        quote!((#f)(#value))
    }
}

/// `self.member` with the member's `set` transform applied, as an owned
/// value of the member's type; `None` when it has no `set` transform.
fn set_value(field: &Field) -> Option<TokenStream> {
    let (_, f) = field.attrs.settings.set.as_ref()?;
    let ident = field.ident;
    Some(apply(
        field,
        f,
        quote!(::core::clone::Clone::clone(&self.#ident)),
    ))
}

/// In `to_attribute`: writes one member, through its `set` transform
/// (applied to a clone of that member only).
pub fn encode(field: &Field) -> TokenStream {
    let name = field.ident;
    let ty = field.ty;
    let stored = field.stored_name();
    let adapter = adapter(field);
    match set_value(field) {
        None => quote_spanned! {ty.span()=>
            ::dynamodel::__private::encode_member::<#ty, #adapter>(&mut map, #stored, &self.#name)?;
        },
        Some(value) => quote_spanned! {ty.span()=>
            {
                let value: #ty = #value;
                ::dynamodel::__private::encode_member::<#ty, #adapter>(&mut map, #stored, &value)?;
            }
        },
    }
}

/// In `from_attribute`: decodes one member from its slot (`slot`, in the
/// `slots` the document's map was moved into), then applies its `get`
/// transform.
pub fn decode(field: &Field, slot: usize) -> TokenStream {
    let name = field.ident;
    let ty = field.ty;
    let adapter = adapter(field);
    let get = field.attrs.settings.get.as_ref().map(|(_, f)| {
        let value = apply(field, f, quote!(#name));
        quote!(let #name = #value;)
    });
    quote_spanned! {ty.span()=>
        let #name = slots.member::<#ty, #adapter>(#slot)?;
        #get
    }
}

/// The body of the document's `validate_members`: each member's rules on
/// its value as stored (after `set`), the members' own nested documents,
/// then the struct-level `validate`.
pub fn validate_members(fields: &[Field], attrs: &StructAttrs) -> TokenStream {
    let members = fields.iter().map(|field| {
        let ident = field.ident;
        let ty = field.ty;
        let stored = field.stored_name();
        let checks = checks(field, &stored);
        // Fields stored through an adapter (serde, dates, bytes) hold no documents.
        let recurse = base_adapter(field).is_none();
        if checks.is_empty() && !recurse {
            return TokenStream::new();
        }
        let value = match set_value(field) {
            Some(value) => quote! {
                let value: #ty = #value;
                let value: &#ty = &value;
            },
            None => quote!(let value: &#ty = &self.#ident;),
        };
        let checks = (!checks.is_empty()).then(|| match field.option_inner() {
            Some(inner) => quote! {
                if let ::core::option::Option::Some(v) = value {
                    let v: &#inner = v;
                    #(#checks)*
                }
            },
            None => quote! {
                let v: &#ty = value;
                #(#checks)*
            },
        });
        let recurse = recurse.then(|| {
            quote_spanned! {ty.span()=>
                ::dynamodel::__private::validate_members_under(errors, #stored, value);
            }
        });
        quote! {
            {
                #value
                #checks
                #recurse
            }
        }
    });
    let struct_validate = struct_validate(&attrs.validate);
    quote! {
        #(#members)*
        #struct_validate
    }
}
