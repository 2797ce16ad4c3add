//! Typed field handles: the `{Model}Fields` struct returned by
//! `Model::fields()`, the `{Document}Fields<Root>` struct of a document's
//! members, and the rules (`set` transform, validation) each handle applies
//! to the values conditions and updates write.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::adapter::{base_adapter, handle_type, presence};
use super::index_template::{composes_index_key, template_span};
use super::validation::checks;
use crate::ast::{Field, Model};

/// The name of the handles struct of the model or document `ident`.
pub fn fields_ident(ident: &syn::Ident) -> syn::Ident {
    format_ident!("{}Fields", ident)
}

/// The model's `{Model}Fields` struct and its constructor.
pub fn model_handles(model: &Model) -> TokenStream {
    let ident = model.ident;
    let vis = &model.original.vis;
    let fields_ident = fields_ident(ident);
    let doc = format!(
        "Typed attribute handles of [`{ident}`], returned by `{ident}::fields()` (see `dynamodel::Model::fields`)."
    );
    let stored = || model.fields.iter().filter(|f| f.is_stored);
    let declarations = stored().map(|field| {
        let name = field.ident;
        let ty = handle_type(field);
        let presence = presence(field);
        let field_doc = format!("The attribute `{}`.", field.stored_name());
        quote! {
            #[doc = #field_doc]
            #vis #name: ::dynamodel::__private::Field<#ident, #ty, #presence>
        }
    });
    let constructors = stored().map(|field| {
        let stored = field.stored_name();
        let init = handle_init(
            field,
            quote!(::dynamodel::__private::Path::attribute(#stored)),
        );
        let key_part = key_part(model, field);
        quote!(#init #key_part)
    });
    quote! {
        #[doc = #doc]
        // A model whose handles are never used (no conditions, no updates)
        // must not warn, also when it is declared inside a `macro_rules!`.
        #[allow(missing_docs, dead_code)]
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

/// The declarations of a document's member handles (inside
/// `{Document}Fields<Root>`), and their initializers from `base`, the
/// document's own path.
pub fn member_handles(
    vis: &syn::Visibility,
    fields: &[Field],
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let declarations = fields
        .iter()
        .map(|field| {
            let name = field.ident;
            let ty = handle_type(field);
            let doc = format!("The member `{}`.", field.stored_name());
            quote! {
                #[doc = #doc]
                #vis #name: ::dynamodel::__private::Field<Root, #ty>
            }
        })
        .collect();
    let constructors = fields
        .iter()
        .map(|field| {
            let stored = field.stored_name();
            handle_init(
                field,
                quote!(::core::clone::Clone::clone(&base).key(#stored)),
            )
        })
        .collect();
    (declarations, constructors)
}

/// `name: Field::new(path)` followed by the field's rules.
fn handle_init(field: &Field, path: TokenStream) -> TokenStream {
    let name = field.ident;
    let rules = handle_rules(field);
    quote! {
        #name: ::dynamodel::__private::Field::new(#path)#rules
    }
}

/// What follows `Field::new(path)` in the field's typed handle: its `set`
/// transform and validation, which the handle applies to the values that
/// conditions and updates write. Empty when the field has neither.
fn handle_rules(field: &Field) -> TokenStream {
    let inner = field.inner_type();
    let checks = checks(field, "");
    let set = field.attrs.settings.set.as_ref().map(|(_, f)| f);
    let storage = stored_as_handle(field).map(|adapter| {
        quote! {
            .with_storage(<#adapter as ::dynamodel::__private::Adapter<#inner>>::to_attribute)
        }
    });
    if set.is_none() && checks.is_empty() {
        return storage.unwrap_or_default();
    }
    let set = match set {
        Some(f) => quote_spanned! {f.span()=>
            ::dynamodel::__private::Option::Some(|v: #inner| -> #inner { #f(v) })
        },
        None => quote!(::dynamodel::__private::Option::None),
    };
    let check = if checks.is_empty() {
        quote!(::dynamodel::__private::Option::None)
    } else {
        quote! {
            ::dynamodel::__private::Option::Some(
                |v: &#inner, errors: &mut ::dynamodel::__private::ValidationErrors| { #(#checks)* }
            )
        }
    };
    if let Some(storage) = storage {
        return quote!(.with_rules(#set, #check)#storage);
    }
    match base_adapter(field) {
        None => quote!(.with_rules(#set, #check)),
        // The handle speaks the adapter's type (`Binary`, epoch seconds...):
        // the rules run on the converted value, read back as the field's type.
        Some(adapter) => quote! {
            .with_encoded_rule(|value, errors| {
                ::dynamodel::__private::adapted_rule::<#inner, #adapter>(value, errors, #set, #check)
            })
        },
    }
}

/// `.with_key_part(..)` on the handle of a field an index key template
/// names (not the table's key, which updates never write), whose handle
/// takes the field's own type: an update writing it renders the index
/// attribute from the value's key encoding.
fn key_part(model: &Model, field: &Field) -> TokenStream {
    let takes_own_type = stored_as_handle(field).is_some() || base_adapter(field).is_none();
    if field.is_key || !takes_own_type || !composes_index_key(model, field.ident) {
        return TokenStream::new();
    }
    let Some(span) = template_span(model, field.ident) else {
        return TokenStream::new();
    };
    let inner = field.inner_type();
    // Spanned at the template and written as the key step's cast, so a
    // type without a key encoding gives the key step's error only (the
    // compiler reports an identical error once).
    let write = quote_spanned! {span=>
        |value: &#inner, out: &mut ::dynamodel::__private::String| {
            ::dynamodel::__private::KeyPart::write_key_part(
                value as &dyn ::dynamodel::__private::KeyPart,
                out,
            )
        }
    };
    quote!(.with_key_part(#write))
}

/// The adapter of a field whose handle takes the field's own type but
/// stores it differently from that type's `Attribute` impl (date-times as
/// seconds or ISO 8601 text, TTL as epoch seconds): the handle converts its
/// values through it.
pub fn stored_as_handle(field: &Field) -> Option<TokenStream> {
    if field.attrs.serde.is_some() || (field.attrs.date.is_none() && field.attrs.ttl.is_none()) {
        return None;
    }
    base_adapter(field)
}
