//! Index keys composed from fields (`gsi(name = "gsi1", pk = "STATUS#{status}",
//! sk = "{placed_at}#{order_id}")`): the statements of the key step writing
//! each index attribute from the fields (none when an `Option` field it
//! names is `None`: a sparse index), the templates' description updates
//! render the index attributes from, and the `{Model}{Index}PartitionKey` / `{Model}{Index}SortKey`
//! types queries of the index take.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};

use super::adapter::adapter;
use super::template::{encode_into, key_type_item, render, KeyRole};
use super::values::generated_value;
use crate::ast::{index_type_name, Field, Model};
use crate::attr::{IndexAttr, Piece, TemplateAttr};

/// The query key type of the template of `index` in `role`.
pub fn key_ident(model: &Model, index: &str, role: KeyRole) -> syn::Ident {
    let suffix = match role {
        KeyRole::Partition => "PartitionKey",
        KeyRole::Sort => "SortKey",
    };
    format_ident!("{}{}{}", model.ident, index_type_name(index), suffix)
}

/// The key types of every index template.
pub fn key_types(model: &Model) -> TokenStream {
    let mut out = TokenStream::new();
    for (index, name) in named(model) {
        let roles = [(&index.pk, KeyRole::Partition), (&index.sk, KeyRole::Sort)];
        for (template, role) in roles {
            if let Some(template) = template {
                let key_ident = key_ident(model, &name, role);
                out.extend(key_type_item(
                    model,
                    &key_ident,
                    template,
                    role,
                    Some(&name),
                ));
            }
        }
    }
    out
}

/// The key step's statements writing every index template's attribute from
/// `self` into `item`.
pub fn writes(model: &Model) -> TokenStream {
    let writes = named(model)
        .flat_map(|(index, _)| index.templates())
        .map(|template| write(model, template));
    quote!(#(#writes)*)
}

/// Writes one template's attribute, unless one of its `Option` fields is `None`.
fn write(model: &Model, template: &TemplateAttr) -> TokenStream {
    let (plain, optional) = template_fields(model, template);
    let name = &template.name;
    let text = render(template, template.pieces.len(), |ident| quote!(#ident));
    let insert = quote! {
        item.insert(
            ::dynamodel::__private::String::from(#name),
            ::dynamodel::__private::encode_key_text::<Self>(#name, #text)?,
        );
    };
    let insert = if optional.is_empty() {
        insert
    } else {
        quote! {
            if let (#(::core::option::Option::Some(#optional),)*) = (#(&self.#optional,)*) {
                #insert
            }
        }
    };
    quote! {
        {
            #(let #plain = &self.#plain;)*
            #insert
        }
    }
}

/// The attributes the index templates compose from `self`, each with the
/// expression writing it into `slot` (for `to_keyed_item`), in the key
/// step's order: `Ok(false)` where [`writes`] writes nothing (a `None`
/// field, a sparse index).
pub fn key_slots(model: &Model) -> Vec<(String, TokenStream)> {
    named(model)
        .flat_map(|(index, _)| index.templates())
        .map(|template| (template.name.clone(), key_slot(model, template)))
        .collect()
}

/// One template's entry of [`key_slots`].
fn key_slot(model: &Model, template: &TemplateAttr) -> TokenStream {
    let (plain, optional) = template_fields(model, template);
    let text = render(template, template.pieces.len(), |ident| quote!(#ident));
    let write = encode_into(template, text);
    let write = if optional.is_empty() {
        write
    } else {
        quote! {
            if let (#(::core::option::Option::Some(#optional),)*) = (#(&self.#optional,)*) {
                #write
            } else {
                ::dynamodel::__private::Result::Ok(false)
            }
        }
    };
    quote! {
        {
            #(let #plain = &self.#plain;)*
            #write
        }
    }
}

/// The fields `template` names: those stored as they are, and the `Option`
/// ones (the attribute is written only when all of those are `Some`).
fn template_fields<'m>(
    model: &'m Model,
    template: &TemplateAttr,
) -> (Vec<&'m syn::Ident>, Vec<&'m syn::Ident>) {
    let fields: Vec<&Field> = template
        .fields()
        .filter_map(|name| model.fields.iter().find(|f| f.ident == name))
        .collect();
    let (optional, plain): (Vec<&Field>, Vec<&Field>) =
        fields.into_iter().partition(|f| f.option_inner().is_some());
    (
        plain.iter().map(|f| f.ident).collect(),
        optional.iter().map(|f| f.ident).collect(),
    )
}

/// The `Model` impl's description of the index key templates for updates:
/// `fn index_key_templates` (each template's index, attribute and pieces,
/// fields by stored name) and `fn index_key_parts` (the key encodings of
/// the item key's fields the templates name), so an update writing a
/// template field can render the index attribute.
pub fn update_items(model: &Model) -> TokenStream {
    let mut templates = Vec::new();
    for (index, name) in named(model) {
        for template in index.templates() {
            let attribute = &template.name;
            let pieces = template.pieces.iter().map(|piece| match piece {
                Piece::Text(text) => quote!(::dynamodel::__private::TemplatePiece::Text(#text)),
                Piece::Field(field) => {
                    let field = model.fields.iter().find(|f| f.ident == field);
                    let stored = field.map(|f| f.stored_name()).unwrap_or_default();
                    let optional = field.is_some_and(|f| f.option_inner().is_some());
                    quote! {
                        ::dynamodel::__private::TemplatePiece::Field {
                            attribute: #stored,
                            optional: #optional,
                        }
                    }
                }
            });
            templates.push(quote! {
                ::dynamodel::__private::IndexKeyTemplate {
                    index: #name,
                    attribute: #attribute,
                    pieces: &[#(#pieces),*],
                }
            });
        }
    }
    if templates.is_empty() {
        return TokenStream::new();
    }
    let key_parts = key_parts(model);
    let generated = generated_fields(model);
    quote! {
        fn index_key_templates() -> &'static [::dynamodel::__private::IndexKeyTemplate] {
            &[#(#templates),*]
        }

        #key_parts
        #generated
    }
}

/// `fn generate_index_fields`: a fresh value of each field outside the key
/// that `generate` fills and an index template names, stored as `to_item`
/// stores it, with its key encoding; and `fn generated_template_fields`,
/// their stored names (both empty when there is none).
fn generated_fields(model: &Model) -> TokenStream {
    let generated: Vec<&Field> = model
        .fields
        .iter()
        .filter(|f| f.is_stored && !f.is_key && composes_index_key(model, f.ident))
        .filter(|f| generated_value(f).is_some())
        .collect();
    let names = generated.iter().map(|f| f.stored_name());
    let values: Vec<TokenStream> = generated
        .iter()
        .filter_map(|field| {
            let generated = generated_value(field)?;
            let (ty, inner, stored) = (field.ty, field.inner_type(), field.stored_name());
            let adapter = adapter(field);
            let span = template_span(model, field.ident).unwrap_or_else(proc_macro2::Span::call_site);
            let part = quote_spanned!(span=> ::dynamodel::__private::encode_part(&generated as &dyn ::dynamodel::__private::KeyPart));
            let value = if field.option_inner().is_some() {
                quote!(::dynamodel::__private::Option::Some(generated))
            } else {
                quote!(generated)
            };
            Some(quote! {
                {
                    let generated: #inner = #generated;
                    let part = #part;
                    let value: #ty = #value;
                    let mut item = ::dynamodel::__private::Item::new();
                    ::dynamodel::__private::encode_field_with::<Self, #ty, #adapter>(&mut item, #stored, &value)?;
                    if let ::dynamodel::__private::Option::Some(stored) = item.remove(#stored) {
                        fields.push((#stored, stored, part));
                    }
                }
            })
        })
        .collect();
    if values.is_empty() {
        return TokenStream::new();
    }
    quote! {
        fn generated_template_fields() -> &'static [&'static str] {
            &[#(#names),*]
        }

        fn generate_index_fields() -> ::dynamodel::__private::Result<
            ::dynamodel::__private::Vec<::dynamodel::__private::GeneratedField>,
            ::dynamodel::__private::Error,
        > {
            let mut fields = ::dynamodel::__private::Vec::new();
            #(#values)*
            ::dynamodel::__private::Result::Ok(fields)
        }
    }
}

/// `fn index_key_parts`: binds the key's fields in key order, and encodes
/// those an index template names (empty when none does).
fn key_parts(model: &Model) -> TokenStream {
    let key_fields: Vec<&Field> = if model.has_templates() {
        model.template_key_fields()
    } else {
        model
            .hash_key()
            .into_iter()
            .chain(model.range_key())
            .collect()
    };
    let named: Vec<&Field> = key_fields
        .iter()
        .copied()
        .filter(|f| composes_index_key(model, f.ident))
        .collect();
    if named.is_empty() {
        return TokenStream::new();
    }
    let binders = key_fields.iter().map(|f| {
        if composes_index_key(model, f.ident) {
            let ident = f.ident;
            quote!(#ident)
        } else {
            quote!(_)
        }
    });
    let bind = match key_fields.as_slice() {
        [_] => quote!(let #(#binders)* = key;),
        _ => quote!(let (#(#binders,)*) = key;),
    };
    let parts = named.iter().map(|f| {
        let (ident, stored) = (f.ident, f.stored_name());
        // As the key step casts it, spanned at the template: a type without
        // a key encoding gives the key step's error only.
        let span = template_span(model, f.ident).unwrap_or_else(proc_macro2::Span::call_site);
        let value = quote_spanned!(span=> { let value = #ident; value as &dyn ::dynamodel::__private::KeyPart });
        quote!((#stored, ::dynamodel::__private::encode_part(#value)))
    });
    quote! {
        fn index_key_parts(
            key: &Self::Key,
        ) -> ::dynamodel::__private::Vec<(
            &'static str,
            ::dynamodel::__private::Result<::dynamodel::__private::String, ::dynamodel::__private::ConvertError>,
        )> {
            #bind
            ::dynamodel::__private::Vec::from([#(#parts),*])
        }
    }
}

/// The stored names of the attributes index templates write.
pub fn attribute_names(model: &Model) -> Vec<String> {
    named(model)
        .flat_map(|(index, _)| index.templates())
        .map(|t| t.name.clone())
        .collect()
}

/// Whether an index key template names the field `ident` (an update
/// writing it writes the index attribute too).
pub fn composes_index_key(model: &Model, ident: &syn::Ident) -> bool {
    named(model)
        .flat_map(|(index, _)| index.templates())
        .any(|template| template.fields().any(|field| ident == field))
}

/// The model's indexes that have a name (`check` refuses the others).
fn named<'m>(model: &'m Model<'_>) -> impl Iterator<Item = (&'m IndexAttr, String)> + 'm {
    model
        .attrs
        .indexes
        .iter()
        .filter_map(|index| Some((index, index.name.as_ref()?.value())))
}

/// The span of the first index template naming the field `ident`.
pub fn template_span(model: &Model, ident: &syn::Ident) -> Option<proc_macro2::Span> {
    model
        .attrs
        .indexes
        .iter()
        .flat_map(|index| index.templates())
        .find(|template| template.fields().any(|field| ident == field))
        .map(|template| template.lit.span())
}
