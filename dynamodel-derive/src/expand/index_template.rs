//! Index keys composed from fields (`gsi(name = "gsi1", pk = "STATUS#{status}",
//! sk = "{placed_at}#{order_id}")`): the statements of the key step writing
//! each index attribute from the fields (none when an `Option` field it
//! names is `None`: a sparse index), the list of fields an update may not
//! write, and the `{Model}{Index}PartitionKey` / `{Model}{Index}SortKey`
//! types queries of the index take.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::template::{key_type_item, render, KeyRole};
use crate::ast::{index_type_name, Field, Model};
use crate::attr::{IndexAttr, TemplateAttr};

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
    let fields: Vec<&Field> = template
        .fields()
        .filter_map(|name| model.fields.iter().find(|f| f.ident == name))
        .collect();
    let plain = fields
        .iter()
        .filter(|f| f.option_inner().is_none())
        .map(|f| f.ident);
    let optional: Vec<_> = fields
        .iter()
        .filter(|f| f.option_inner().is_some())
        .map(|f| f.ident)
        .collect();
    let name = &template.name;
    let text = render(template, template.pieces.len(), |ident| quote!(#ident));
    let insert = quote! {
        item.insert(
            ::dynamodel::__private::String::from(#name),
            ::dynamodel::__private::encode_key::<Self, ::dynamodel::__private::KeyText>(#name, &#text)?,
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

/// `fn index_template_attributes` of the `Model` impl: each field an index
/// template names, with the index (an update writing one is refused).
pub fn refused_updates(model: &Model) -> TokenStream {
    let mut pairs = Vec::new();
    for (index, name) in named(model) {
        for template in index.templates() {
            for field in template.fields() {
                if let Some(field) = model.fields.iter().find(|f| f.ident == field) {
                    let stored = field.stored_name();
                    pairs.push(quote!((#stored, #name)));
                }
            }
        }
    }
    if pairs.is_empty() {
        return TokenStream::new();
    }
    quote! {
        fn index_template_attributes() -> &'static [(&'static str, &'static str)] {
            &[#(#pairs),*]
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

/// Whether an index key template names the field `ident` (an update may
/// not write it: the index key would disagree).
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
