//! Keys composed from fields (`pk = "CUSTOMER#{customer_id}"`): the key
//! items of the `Model` impl (`type Key` is the template fields, the key
//! attributes are rendered by the key step), and the generated
//! `{Model}PartitionKey` / `{Model}SortKey` types queries take, with the
//! sort key's typed prefixes.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};

use super::adapter::adapter;
use crate::ast::{Field, Model};
use crate::attr::{Piece, TemplateAttr};

/// The key items of the `Model` impl, and the key types beside it.
/// The third part is the statements writing the key attributes from `self`
/// into `item` (the key step, in `write_key_attributes`).
pub fn expand(model: &Model, pk: &TemplateAttr) -> (TokenStream, TokenStream, TokenStream) {
    let sk = model.attrs.sk.as_ref();
    let fields = model.template_key_fields();
    let types: Vec<_> = fields.iter().map(|f| f.ty).collect();
    let idents: Vec<_> = fields.iter().map(|f| f.ident).collect();
    let key_type = match types.as_slice() {
        [one] => quote!(#one),
        many => quote!((#(#many,)*)),
    };
    let bind = match idents.as_slice() {
        [one] => quote!(let #one = key;),
        many => quote!(let (#(#many,)*) = key;),
    };
    let clones = idents
        .iter()
        .map(|i| quote!(::core::clone::Clone::clone(&self.#i)));
    let key_value = match idents.as_slice() {
        [_] => quote!(#(#clones)*),
        _ => quote!((#(#clones,)*)),
    };
    let templates: Vec<&TemplateAttr> = std::iter::once(pk).chain(sk).collect();
    let attr = |t: &TemplateAttr| {
        let name = &t.name;
        quote! {
            ::dynamodel::__private::KeyAttr {
                name: #name,
                scalar_type: ::dynamodel::__private::ScalarType::String,
            }
        }
    };
    let hash_attr = attr(pk);
    let range_attr = match sk {
        Some(sk) => {
            let a = attr(sk);
            quote!(::core::option::Option::Some(#a))
        }
        None => quote!(::core::option::Option::None),
    };
    // A key template's text, from the key's fields (bound by name) or from
    // `self`'s.
    let text_of = |t: &TemplateAttr, from_self: bool| {
        render(t, t.pieces.len(), |ident| {
            if from_self {
                quote!(&self.#ident)
            } else {
                quote!(#ident)
            }
        })
    };
    let insert = |from_self: bool| {
        let inserts = templates.iter().map(|t| {
            let name = &t.name;
            let text = text_of(t, from_self);
            quote! {
                item.insert(
                    ::dynamodel::__private::String::from(#name),
                    ::dynamodel::__private::encode_key_text::<Self>(#name, #text)?,
                );
            }
        });
        quote!(#(#inserts)*)
    };
    let insert_from_self = insert(true);
    // `key_to_item`: a clone of the key's template map (no name hashed).
    let key_from_template = key_template(
        templates
            .iter()
            .map(|t| {
                let text = text_of(t, false);
                (t.name.clone(), encode_into(t, text))
            })
            .collect(),
    );
    // The key attributes' values as `insert` writes them, appended to the
    // canonical key by `key` (a `CanonicalKeyWriter`; no item built).
    let encoded = |from_self: bool| {
        let writes = templates.iter().map(|t| {
            let name = &t.name;
            let text = text_of(t, from_self);
            quote! {
                key.attribute::<
                    ::dynamodel::__private::KeyText,
                    ::dynamodel::__private::Native,
                >(#name, &#text)?;
            }
        });
        quote! {
            let mut key = ::dynamodel::__private::CanonicalKeyWriter::<Self>::new(out);
            #(#writes)*
            key.finish()
        }
    };
    let (encoded_from_key, encoded_from_self) = (encoded(false), encoded(true));
    let field_names: Vec<String> = fields.iter().map(|f| f.stored_name()).collect();
    let field_encodes = fields.iter().map(|field| {
        let (ident, ty, stored) = (field.ident, field.ty, field.stored_name());
        let adapter = adapter(field);
        quote! {
            ::dynamodel::__private::encode_field_with::<Self, #ty, #adapter>(&mut item, #stored, #ident)?;
        }
    });
    let inside = quote! {
        type Key = #key_type;

        fn key_schema() -> ::dynamodel::__private::KeySchema {
            ::dynamodel::__private::KeySchema { hash: #hash_attr, range: #range_attr }
        }

        fn key(&self) -> Self::Key {
            #key_value
        }

        fn key_to_item(
            key: &Self::Key,
        ) -> ::dynamodel::__private::Result<::dynamodel::__private::Item, ::dynamodel::__private::Error> {
            #bind
            #key_from_template
        }

        fn write_canonical_key(
            key: &Self::Key,
            out: &mut ::dynamodel::__private::Vec<u8>,
        ) -> ::dynamodel::__private::Result<(), ::dynamodel::__private::Error> {
            #bind
            #encoded_from_key
        }

        fn write_own_canonical_key(
            &self,
            out: &mut ::dynamodel::__private::Vec<u8>,
        ) -> ::dynamodel::__private::Result<(), ::dynamodel::__private::Error> {
            #encoded_from_self
        }

        fn key_template_attributes() -> &'static [&'static str] {
            &[#(#field_names),*]
        }

        fn key_field_attributes(
            key: &Self::Key,
        ) -> ::dynamodel::__private::Result<::dynamodel::__private::Item, ::dynamodel::__private::Error> {
            #bind
            let mut item = ::dynamodel::__private::HashMap::new();
            #(#field_encodes)*
            ::dynamodel::__private::Result::Ok(item)
        }
    };
    let mut outside = key_type_item(
        model,
        &format_ident!("{}PartitionKey", model.ident),
        pk,
        KeyRole::Partition,
        None,
    );
    if let Some(sk) = sk {
        outside.extend(key_type_item(
            model,
            &format_ident!("{}SortKey", model.ident),
            sk,
            KeyRole::Sort,
            None,
        ));
    }
    (inside, outside, insert_from_self)
}

/// The expression writing the key attribute of `template`, whose text
/// `text` renders, into `slot` (an item template's entry): an `Encoded`.
pub fn encode_into(template: &TemplateAttr, text: TokenStream) -> TokenStream {
    let name = &template.name;
    quote! {
        ::dynamodel::__private::encode_key_into(
            slot,
            ::dynamodel::__private::encode_key_text::<Self>(#name, #text),
        )
    }
}

/// The key attributes the table's key templates compose from `self`, each
/// with the expression writing it into `slot` (for `to_keyed_item`), in
/// the key step's order (partition key first).
pub fn key_slots(model: &Model) -> Vec<(String, TokenStream)> {
    let attrs = &model.attrs;
    attrs
        .pk
        .iter()
        .chain(&attrs.sk)
        .map(|t| {
            let text = render(t, t.pieces.len(), |ident| quote!(&self.#ident));
            (t.name.clone(), encode_into(t, text))
        })
        .collect()
}

/// The body of a `key_to_item` writing the key attributes `slots` (each
/// name with the expression writing its value into `slot`, in key order):
/// the item is a clone of a template map of their names, filled in place
/// (`ItemTemplate`: no name hashed per key); the error, the first failing
/// attribute's in key order.
pub fn key_template(slots: Vec<(String, TokenStream)>) -> TokenStream {
    let count = slots.len();
    let names = slots.iter().map(|(name, _)| name);
    let arms = slots
        .iter()
        .enumerate()
        .map(|(index, (_, write))| quote!(#index => #write,));
    let (declare, template) = super::item::template(&quote!(#count));
    let encode = super::item::slot_writer(arms);
    quote! {
        const NAMES: &[&::core::primitive::str] = &[#(#names),*];
        #declare
        #template.fill(#encode)
    }
}

/// Which key of a table or index a template composes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum KeyRole {
    /// The partition key.
    Partition,
    /// The sort key (its type gets typed prefixes).
    Sort,
}

/// The query key type `key_ident` of a template (`{Model}PartitionKey`,
/// `{Model}SortKey`, and an index's `{Model}{Index}PartitionKey`...),
/// built from the template's fields (the value inside an `Option`).
pub fn key_type_item(
    model: &Model,
    key_ident: &syn::Ident,
    template: &TemplateAttr,
    key_role: KeyRole,
    index: Option<&str>,
) -> TokenStream {
    let ident = model.ident;
    let vis = &model.original.vis;
    let is_sort = key_role == KeyRole::Sort;
    let role = if is_sort { "sort" } else { "partition" };
    let fields: Vec<&Field> = template
        .fields()
        .filter_map(|name| model.fields.iter().find(|f| f.ident == name))
        .collect();
    let idents: Vec<_> = fields.iter().map(|f| f.ident).collect();
    let types: Vec<_> = fields.iter().map(|f| f.inner_type()).collect();
    let full = render(template, template.pieces.len(), |i| quote!(&#i));
    let (from_ty, from_pat) = match (idents.as_slice(), types.as_slice()) {
        ([i], [t]) => (quote!(#t), quote!(#i)),
        _ => (quote!((#(#types,)*)), quote!((#(#idents,)*))),
    };
    // A single `String` field also takes a `&str`.
    let from_str = match (idents.as_slice(), types.as_slice()) {
        ([i], [syn::Type::Path(p)]) if p.path.is_ident("String") => quote! {
            impl ::core::convert::From<&str> for #key_ident {
                fn from(#i: &str) -> Self {
                    #key_ident(#full)
                }
            }
        },
        _ => quote!(),
    };
    let attr_name = &template.name;
    let doc = format!(
        "The {role} key of {}[`{ident}`] (attribute `{attr_name}`, template `{}`), rendered from its fields: build it with `From` (the template's fields, a tuple when several) for queries.",
        index.map(|name| format!("the index `{name}` of ")).unwrap_or_default(),
        template.lit.value()
    );
    let prefixes = if is_sort {
        prefixes(key_ident, template, &fields, vis)
    } else {
        quote!()
    };
    let prefix_impl = if is_sort {
        quote!(impl ::dynamodel::__private::PrefixSortKey for #key_ident {})
    } else {
        quote!()
    };
    quote! {
        #[doc = #doc]
        #[derive(::core::clone::Clone, ::core::fmt::Debug)]
        #vis struct #key_ident(::dynamodel::__private::KeyText);

        #[automatically_derived]
        impl ::core::convert::From<#from_ty> for #key_ident {
            #[allow(unused_variables)]
            fn from(#from_pat: #from_ty) -> Self {
                #key_ident(#full)
            }
        }
        #from_str
        #prefixes

        #[automatically_derived]
        impl ::dynamodel::__private::Attribute for #key_ident {
            fn to_attribute(
                &self,
            ) -> ::dynamodel::__private::Result<
                ::dynamodel::__private::Option<::dynamodel::__private::AttributeValue>,
                ::dynamodel::__private::ConvertError,
            > {
                ::dynamodel::__private::Attribute::to_attribute(&self.0)
            }

            fn from_attribute(
                value: ::dynamodel::__private::Option<::dynamodel::__private::AttributeValue>,
            ) -> ::dynamodel::__private::Result<Self, ::dynamodel::__private::ConvertError> {
                <::dynamodel::__private::KeyText as ::dynamodel::__private::Attribute>::from_attribute(value).map(#key_ident)
            }
        }

        #[automatically_derived]
        impl ::dynamodel::__private::KeyAttribute for #key_ident {
            const SCALAR_TYPE: ::dynamodel::__private::ScalarType = ::dynamodel::__private::ScalarType::String;
        }

        #prefix_impl
    }
}

/// The sort key's typed prefixes: `prefix()` (the text before the first
/// field) and `prefix_<field>(..)` (up to and including the `#` after that
/// field), for `sort_begins_with` and ranges (`sort_between`).
fn prefixes(
    key_ident: &syn::Ident,
    template: &TemplateAttr,
    fields: &[&Field],
    vis: &syn::Visibility,
) -> TokenStream {
    let field_positions: Vec<usize> = template
        .pieces
        .iter()
        .enumerate()
        .filter(|(_, p)| matches!(p, Piece::Field(_)))
        .map(|(at, _)| at)
        .collect();
    let mut fns = Vec::new();
    for (count, &end) in field_positions.iter().enumerate() {
        // Pieces before the `count`-th field: `count` fields and the text after them.
        if end == 0 {
            continue;
        }
        let used = &fields[..count];
        let params = used.iter().map(|f| {
            let (i, t) = (f.ident, f.inner_type());
            quote!(#i: #t)
        });
        let text = render(template, end, |i| quote!(&#i));
        let (name, doc) = match used.last() {
            None => (
                format_ident!("prefix"),
                "The text before the sort key template's first field: every item of this model's sort keys starts with it.".to_owned(),
            ),
            Some(last) => (
                format_ident!("prefix_{}", last.ident),
                format!(
                    "The sort key template up to `{}` and the `#` after it: exactly the items whose fields up to `{}` are these.",
                    last.ident, last.ident
                ),
            ),
        };
        fns.push(quote! {
            #[doc = #doc]
            #vis fn #name(#(#params),*) -> Self {
                #key_ident(#text)
            }
        });
    }
    quote! {
        #[automatically_derived]
        impl #key_ident {
            #(#fns)*
        }
    }
}

/// `KeyText::render(&[..])` of the template's first `end` pieces, each
/// field's value given by `value(ident)` (a reference).
pub fn render(
    template: &TemplateAttr,
    end: usize,
    value: impl Fn(&syn::Ident) -> TokenStream,
) -> TokenStream {
    let span = template.lit.span();
    let segments = template.pieces[..end].iter().map(|piece| match piece {
        Piece::Text(text) => quote!(::dynamodel::__private::Segment::Text(#text)),
        Piece::Field(name) => {
            let ident = syn::Ident::new(name, span);
            let value = value(&ident);
            // Spanned at the template: a field type without a key encoding
            // is reported there.
            quote_spanned! {span=>
                ::dynamodel::__private::Segment::Value(#name, #value)
            }
        }
    });
    quote!(::dynamodel::__private::KeyText::render(&[#(#segments),*]))
}
