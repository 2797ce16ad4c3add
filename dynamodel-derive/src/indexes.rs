//! Secondary indexes: parsing `gsi(...)` / `lsi(...)`, checking them, and
//! generating the typed index handles and the `Queryable` implementation.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::meta::ParseNestedMeta;

use crate::ast::{Field, Model};
use crate::attr::{parse_lit_str, path_name};
use crate::ctxt::Ctxt;

const INDEX_SETTINGS: &[&str] = &["name", "hash", "range", "projection"];

/// What an index copies.
pub enum ProjectionAttr {
    All,
    KeysOnly,
    Include(Vec<syn::Ident>),
}

/// One `gsi(...)` or `lsi(...)`.
pub struct IndexAttr {
    pub path: syn::Path,
    pub global: bool,
    pub name: Option<syn::LitStr>,
    pub hash: Option<syn::Ident>,
    pub range: Option<syn::Ident>,
    pub projection: Option<ProjectionAttr>,
}

fn set<T>(cx: &Ctxt, meta: &ParseNestedMeta, slot: &mut Option<T>, value: T) {
    if slot.is_some() {
        cx.error_spanned_by(
            &meta.path,
            format!("`{}` is set twice", path_name(&meta.path)),
        );
    } else {
        *slot = Some(value);
    }
}

fn parse_field_name(meta: &ParseNestedMeta) -> syn::Result<syn::Ident> {
    let name = path_name(&meta.path);
    meta.value()?.parse::<syn::Ident>().map_err(|err| {
        syn::Error::new(
            err.span(),
            format!("`{name}` takes a field name: `{name} = my_field`"),
        )
    })
}

pub fn parse(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<IndexAttr> {
    let mut out = IndexAttr {
        path: meta.path.clone(),
        global: meta.path.is_ident("gsi"),
        name: None,
        hash: None,
        range: None,
        projection: None,
    };
    meta.parse_nested_meta(|inner| {
        if inner.path.is_ident("name") {
            let lit = parse_lit_str(&inner)?;
            set(cx, &inner, &mut out.name, lit);
        } else if inner.path.is_ident("hash") {
            let ident = parse_field_name(&inner)?;
            set(cx, &inner, &mut out.hash, ident);
        } else if inner.path.is_ident("range") {
            let ident = parse_field_name(&inner)?;
            set(cx, &inner, &mut out.range, ident);
        } else if inner.path.is_ident("projection") {
            const PROJECTION: &str =
                "`projection` is \"all\", \"keys_only\" or include(field, ...)";
            let value = inner.value()?;
            let projection = if value.peek(syn::LitStr) {
                let lit: syn::LitStr = value.parse()?;
                match lit.value().as_str() {
                    "all" => ProjectionAttr::All,
                    "keys_only" => ProjectionAttr::KeysOnly,
                    _ => return Err(syn::Error::new(lit.span(), PROJECTION)),
                }
            } else {
                let keyword: syn::Ident = value.parse()?;
                if keyword != "include" {
                    return Err(syn::Error::new(keyword.span(), PROJECTION));
                }
                let content;
                syn::parenthesized!(content in value);
                let fields =
                    syn::punctuated::Punctuated::<syn::Ident, syn::Token![,]>::parse_terminated(
                        &content,
                    )?;
                ProjectionAttr::Include(fields.into_iter().collect())
            };
            set(cx, &inner, &mut out.projection, projection);
        } else {
            let name = path_name(&inner.path);
            cx.error_spanned_by(
                &inner.path,
                format!(
                    "unknown index setting `{name}`; expected one of: {}",
                    INDEX_SETTINGS.join(", ")
                ),
            );
            if inner.input.peek(syn::Token![=]) {
                let _: syn::Expr = inner.value()?.parse()?;
            }
        }
        Ok(())
    })?;
    Ok(out)
}

fn field<'m, 'a>(model: &'m Model<'a>, ident: &syn::Ident) -> Option<&'m Field<'a>> {
    model.fields.iter().find(|f| f.ident == ident)
}

fn no_field(cx: &Ctxt, model: &Model, ident: &syn::Ident) {
    let names: Vec<String> = model.fields.iter().map(|f| f.ident.to_string()).collect();
    cx.error_spanned_by(
        ident,
        format!(
            "model `{}` has no field `{ident}`; fields are: {}",
            model.ident,
            names.join(", ")
        ),
    );
}

pub fn check(cx: &Ctxt, model: &Model) {
    let mut names: HashMap<String, ()> = HashMap::new();
    let mut handles: HashMap<String, ()> = HashMap::new();
    for index in &model.attrs.indexes {
        let kind = if index.global { "gsi" } else { "lsi" };
        match &index.name {
            None => cx.error_spanned_by(
                &index.path,
                format!("`{kind}` needs a name: `{kind}(name = \"...\", ...)`"),
            ),
            Some(lit) => {
                let name = lit.value();
                if !(3..=255).contains(&name.len())
                    || !name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
                {
                    cx.error_spanned_by(
                        lit,
                        "DynamoDB index names are 3 to 255 characters of a-z, A-Z, 0-9, `_`, `-` and `.`",
                    );
                }
                if names.insert(name.clone(), ()).is_some() {
                    cx.error_spanned_by(lit, format!("index `{name}` is declared twice"));
                } else if handles.insert(handle_name(&name), ()).is_some() {
                    cx.error_spanned_by(
                        lit,
                        format!(
                            "index `{name}` gets the same handle name `{}` as another index",
                            handle_name(&name)
                        ),
                    );
                }
            }
        }
        if index.global {
            match &index.hash {
                None => cx.error_spanned_by(
                    &index.path,
                    "a global secondary index needs a partition key: `hash = field`",
                ),
                Some(hash) if field(model, hash).is_none() => no_field(cx, model, hash),
                Some(_) => {}
            }
        } else {
            if let Some(hash) = &index.hash {
                cx.error_spanned_by(
                    hash,
                    "a local secondary index uses the table's partition key: remove `hash`",
                );
            }
            if model.range_key().is_none() {
                cx.error_spanned_by(
                    &index.path,
                    "local secondary indexes need a table with a sort key (`range_key`)",
                );
            }
            if index.range.is_none() {
                cx.error_spanned_by(
                    &index.path,
                    "a local secondary index needs a sort key: `range = field`",
                );
            }
        }
        if let Some(range) = &index.range {
            if field(model, range).is_none() {
                no_field(cx, model, range);
            }
        }
        if let Some(ProjectionAttr::Include(fields)) = &index.projection {
            for ident in fields {
                if field(model, ident).is_none() {
                    no_field(cx, model, ident);
                }
            }
        }
    }
}

/// `by_email` for "by_email", `email_index` for "email-index".
fn handle_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "index_");
    }
    out
}

fn camel(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut chars = s.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// The type a key field's values have: `T` for `Option<T>` (sparse index keys).
fn key_type<'a>(field: &'a Field) -> &'a syn::Type {
    field.option_inner().unwrap_or(field.ty)
}

fn key_attr(field: &Field) -> TokenStream {
    let ty = key_type(field);
    let stored = field.stored_name();
    quote! {
        ::dynamodel::__private::KeyAttr {
            name: #stored,
            scalar_type: <#ty as ::dynamodel::__private::KeyAttribute>::SCALAR_TYPE,
        }
    }
}

/// The index handles, `Queryable`, and `fn index_schemas()` for the `Model` impl.
pub fn expand(model: &Model, hash: &Field, range: Option<&Field>) -> (TokenStream, TokenStream) {
    let ident = model.ident;
    let vis = &model.original.vis;
    let table_hash_ty = hash.ty;
    let table_range_ty = match range {
        Some(range) => {
            let ty = range.ty;
            quote!(#ty)
        }
        None => quote!(::dynamodel::__private::NoSortKey),
    };
    let attributes: Vec<String> = model.fields.iter().map(Field::stored_name).collect();
    let mut items = Vec::new();
    let mut handle_fields = Vec::new();
    let mut handle_inits = Vec::new();
    let mut schemas = Vec::new();
    for index in &model.attrs.indexes {
        let Some(name) = index.name.as_ref().map(syn::LitStr::value) else {
            continue;
        };
        let index_hash = if index.global {
            index.hash.as_ref().and_then(|h| field(model, h))
        } else {
            Some(hash)
        };
        let index_range = index.range.as_ref().and_then(|r| field(model, r));
        let Some(index_hash) = index_hash else {
            continue;
        };
        let marker = format_ident!("{}{}Index", ident, camel(&name));
        let handle = format_ident!("{}", handle_name(&name));
        let hash_ty = key_type(index_hash);
        let hash_ty = quote_spanned!(hash_ty_span(index, index_hash)=> #hash_ty);
        let hash_attr = key_attr(index_hash);
        let (range_ty, range_attr) = match index_range {
            Some(field) => {
                let ty = key_type(field);
                let span = index
                    .range
                    .as_ref()
                    .map(|r| r.span())
                    .unwrap_or_else(|| field.ident.span());
                let attr = key_attr(field);
                (
                    quote_spanned!(span=> #ty),
                    quote!(::core::option::Option::Some(#attr)),
                )
            }
            None => (
                quote!(::dynamodel::__private::NoSortKey),
                quote!(::core::option::Option::None),
            ),
        };
        let range_assert = match index_range {
            Some(_) => quote! {
                {
                    fn assert_key_attribute<T: ::dynamodel::__private::KeyAttribute>() {}
                    assert_key_attribute::<#range_ty>();
                }
            },
            None => quote!(),
        };
        let kind = if index.global {
            quote!(::dynamodel::__private::IndexKind::Global)
        } else {
            quote!(::dynamodel::__private::IndexKind::Local)
        };
        let projection = match &index.projection {
            None | Some(ProjectionAttr::All) => {
                quote!(::dynamodel::__private::IndexProjection::All)
            }
            Some(ProjectionAttr::KeysOnly) => {
                quote!(::dynamodel::__private::IndexProjection::KeysOnly)
            }
            Some(ProjectionAttr::Include(fields)) => {
                let names = fields
                    .iter()
                    .filter_map(|f| field(model, f))
                    .map(Field::stored_name);
                quote!(::dynamodel::__private::IndexProjection::Include(&[#(#names),*]))
            }
        };
        let doc = format!(
            "The {} secondary index `{name}` of [`{ident}`]: pass `{ident}::indexes().{handle}` to `Db::query_index`.",
            if index.global { "global" } else { "local" }
        );
        items.push(quote! {
            #[doc = #doc]
            #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
            #vis struct #marker;

            #[automatically_derived]
            impl ::dynamodel::__private::Index for #marker {
                type Model = #ident;
                type Hash = #hash_ty;
                type Range = #range_ty;

                fn schema(&self) -> ::dynamodel::__private::IndexSchema {
                    #range_assert
                    ::dynamodel::__private::IndexSchema {
                        name: #name,
                        kind: #kind,
                        hash: #hash_attr,
                        range: #range_attr,
                        projection: #projection,
                    }
                }
            }
        });
        let field_doc = format!("The index `{name}`.");
        handle_fields.push(quote! {
            #[doc = #field_doc]
            #vis #handle: #marker
        });
        handle_inits.push(quote!(#handle: #marker));
        schemas.push(quote!(::dynamodel::__private::Index::schema(&#marker)));
    }
    let indexes_ident = format_ident!("{}Indexes", ident);
    let handles = if model.attrs.indexes.is_empty() {
        quote!()
    } else {
        let doc =
            format!("The secondary indexes of [`{ident}`], returned by `{ident}::indexes()`.");
        quote! {
            #[doc = #doc]
            #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
            #vis struct #indexes_ident {
                #(#handle_fields,)*
            }

            impl #ident {
                /// Typed handles on the model's secondary indexes, for `Db::query_index`.
                #vis fn indexes() -> #indexes_ident {
                    #indexes_ident { #(#handle_inits,)* }
                }
            }
        }
    };
    let outside = quote! {
        #(#items)*
        #handles

        #[automatically_derived]
        const _: () = {
            impl ::dynamodel::__private::Queryable for #ident {
                type Hash = #table_hash_ty;
                type Range = #table_range_ty;
                const ATTRIBUTES: &'static [&'static str] = &[#(#attributes),*];
            }
        };
    };
    let method = if schemas.is_empty() {
        quote!()
    } else {
        quote! {
            fn index_schemas() -> ::std::vec::Vec<::dynamodel::__private::IndexSchema> {
                ::std::vec![#(#schemas),*]
            }
        }
    };
    (outside, method)
}

fn hash_ty_span(index: &IndexAttr, field: &Field) -> proc_macro2::Span {
    index
        .hash
        .as_ref()
        .map(|h| h.span())
        .unwrap_or_else(|| field.ident.span())
}
