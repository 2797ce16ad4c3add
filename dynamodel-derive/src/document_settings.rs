//! The schema settings of `#[derive(Document)]`: which settings a document,
//! its members and its enum variants take, and the code applying them
//! (validation in `validate_members`, `set` / `get` transforms in
//! `to_attribute` / `from_attribute`). The parsing and the checks' code are
//! the Model derive's (`attr.rs`, `settings.rs`).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::Field;
use crate::attr::{path_name, StructAttrs};
use crate::ctxt::Ctxt;

/// Refuses the struct settings that belong to a model (a table, indexes,
/// hooks, timestamps); `validate` and `rename_all` are taken on structs,
/// `rename_all` only on enums.
pub fn check_struct_attrs(cx: &Ctxt, attrs: &StructAttrs, is_enum: bool) {
    if let Some(table) = &attrs.table {
        cx.error_spanned_by(
            table,
            "a nested document is stored inside a model's item, so it has no `table`",
        );
    }
    for index in &attrs.indexes {
        cx.error_spanned_by(
            &index.path,
            "a nested document has no indexes: declare `gsi` / `lsi` on the model",
        );
    }
    let s = &attrs.settings;
    for (path, why) in [
        (
            s.hooks.as_ref(),
            "put `hooks` on the model holding the document",
        ),
        (
            s.timestamps.as_ref(),
            "put `timestamps` on the model holding the document",
        ),
    ] {
        if let Some(path) = path {
            cx.error_spanned_by(
                path,
                format!("a nested document takes no `{}`: {why}", path_name(path)),
            );
        }
    }
    if is_enum {
        if let Some((path, _)) = &s.validate {
            cx.error_spanned_by(
                path,
                "an enum document takes only `rename_all`: its values are its variants",
            );
        }
    }
}

/// Refuses the field settings that make no sense on a member of a nested
/// document; the validation settings and the transforms are taken.
pub fn check_member(cx: &Ctxt, field: &Field) {
    let s = &field.attrs.settings;
    let default = "a member has no default: build the document with the value, or set a `default` on the model field holding the document";
    let refused = [
        (s.default.as_ref().map(|d| &d.0), default),
        (s.default_with.as_ref().map(|d| &d.0), default),
        (s.force_default.as_ref(), default),
        (
            s.skip.as_ref(),
            "every member of a document is stored; keep values that are not stored outside the document",
        ),
        (
            s.created_at.as_ref(),
            "timestamps are model fields: put `created_at` on a field of the model",
        ),
        (
            s.updated_at.as_ref(),
            "timestamps are model fields: put `updated_at` on a field of the model",
        ),
        (
            s.unknown.as_ref(),
            "the `unknown` catch-all collects a model's undeclared attributes; a document drops the members it does not declare",
        ),
        (
            field.attrs.version.as_ref(),
            "the version attribute is a top-level field of the model",
        ),
    ];
    for (path, why) in refused {
        if let Some(path) = path {
            cx.error_spanned_by(
                path,
                format!(
                    "`{}` does not apply to a member of a nested document: {why}",
                    path_name(path)
                ),
            );
        }
    }
}

/// Refuses every setting but `rename` on an enum variant.
pub fn check_variant(cx: &Ctxt, attrs: &crate::attr::FieldAttrs) {
    let s = &attrs.settings;
    let paths = [
        attrs.hash_key.as_ref(),
        attrs.range_key.as_ref(),
        attrs.null.as_ref(),
        attrs.serde.as_ref(),
        attrs.version.as_ref(),
        attrs.truncate.as_ref(),
    ]
    .into_iter()
    .flatten()
    .chain(s.given());
    for path in paths {
        cx.error_spanned_by(path, "an enum variant takes only `rename`");
    }
    if let Some(date) = &attrs.date {
        cx.error_spanned_by(date, "an enum variant takes only `rename`");
    }
}

/// `value` (an expression of the member's type) through the transform `f`
/// (`fn(T) -> T` on the type inside an `Option`).
fn apply(field: &Field, f: &syn::Path, value: TokenStream) -> TokenStream {
    let inner = crate::types::inner_type(field);
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
    let adapter = crate::types::adapter(field);
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

/// In `from_attribute`: reads one member, then applies its `get` transform.
pub fn decode(field: &Field) -> TokenStream {
    let name = field.ident;
    let ty = field.ty;
    let stored = field.stored_name();
    let adapter = crate::types::adapter(field);
    let get = field.attrs.settings.get.as_ref().map(|(_, f)| {
        let value = apply(field, f, quote!(#name));
        quote!(let #name = #value;)
    });
    quote_spanned! {ty.span()=>
        let #name = ::dynamodel::__private::decode_member::<#ty, #adapter>(&mut map, #stored)?;
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
        let checks = crate::settings::checks(field, &stored);
        // Fields stored through an adapter (serde, dates, bytes) hold no documents.
        let recurse = crate::types::base_adapter(field).is_none();
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
    let struct_validate = attrs.settings.validate.as_ref().map(|(_, f)| {
        quote_spanned! {f.span()=>
            ::dynamodel::__private::ValidationOutcome::record(#f(self), errors, "");
        }
    });
    quote! {
        #(#members)*
        #struct_validate
    }
}
