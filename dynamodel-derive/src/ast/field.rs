//! One named field of a model, or one member of a document.

use proc_macro2::Span;
use syn::spanned::Spanned;

use super::ty::option_inner;
use crate::attr::{apply_rule, FieldAttrs, StructAttrs};
use crate::ctxt::Ctxt;

/// One named field, with its settings and the roles computed from them.
pub struct Field<'a> {
    /// The struct holding the field (a model or a document).
    pub owner: &'a syn::Ident,
    /// The field as written.
    pub original: &'a syn::Field,
    /// The field's name.
    pub ident: &'a syn::Ident,
    /// The field's declared type.
    pub ty: &'a syn::Type,
    /// The field's `#[dynamodel(...)]` settings, as written.
    pub attrs: FieldAttrs,
    /// The stored name given by `rename`, else made by the container's
    /// `rename_all`; `None` keeps the Rust name.
    pub rename: Option<syn::LitStr>,
    /// `hash_key` or `range_key`, or named in a key template.
    pub is_key: bool,
    /// Named in a `pk` / `sk` key template.
    pub in_template: bool,
    /// Stored as an attribute of its own: not `skip`, not the `unknown`
    /// catch-all. Every member of a document is (`check` refuses the two).
    pub is_stored: bool,
    /// The model's `created_at` / `updated_at` timestamp, if this is one.
    pub timestamp: Option<Timestamp>,
}

/// A timestamp field's role, with the span of the setting that made it one.
#[derive(Clone, Copy)]
pub struct Timestamp {
    /// `created_at` (set once) rather than `updated_at` (set on every write).
    pub created: bool,
    /// The `created_at` / `updated_at` setting, or the struct's `timestamps`.
    pub span: Span,
}

/// What holds the field: a model (an item) or a document (a map inside one).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Model,
    Document,
}

impl<'a> Field<'a> {
    /// Reads one named field held by `container`, whose settings are
    /// `container_attrs`; `None` for an unnamed field.
    pub(super) fn from_syn(
        cx: &Ctxt,
        owner: &'a syn::Ident,
        original: &'a syn::Field,
        container_attrs: &StructAttrs,
        container: Container,
    ) -> Option<Self> {
        let ident = original.ident.as_ref()?;
        let attrs = FieldAttrs::from_attributes(cx, &original.attrs);
        let is_key = attrs.hash_key.is_some() || attrs.range_key.is_some();
        let (is_stored, timestamp) = match container {
            Container::Model => (
                attrs.settings.skip.is_none() && attrs.settings.unknown.is_none(),
                timestamp(&attrs, container_attrs, ident),
            ),
            Container::Document => (true, None),
        };
        // `skip` / `unknown` fields have no attribute to name.
        let rename = match (&attrs.rename, &container_attrs.rename_all) {
            (Some(lit), _) => Some(lit.clone()),
            (None, Some(rule)) if is_stored => Some(syn::LitStr::new(
                &apply_rule(&rule.value(), &ident.to_string()),
                ident.span(),
            )),
            (None, _) => None,
        };
        Some(Field {
            owner,
            original,
            ident,
            ty: &original.ty,
            attrs,
            rename,
            is_key,
            in_template: false,
            is_stored,
            timestamp,
        })
    }

    /// The attribute name in DynamoDB.
    pub fn stored_name(&self) -> String {
        self.rename
            .as_ref()
            .map(|lit| lit.value())
            .unwrap_or_else(|| self.ident.to_string())
    }

    /// `Some(T)` when the field's type is written `Option<T>`.
    pub fn option_inner(&self) -> Option<&syn::Type> {
        option_inner(self.ty)
    }

    /// The type the field's value has when present: `T` for an `Option<T>`
    /// field, else the field's type.
    pub fn inner_type(&self) -> &syn::Type {
        self.option_inner().unwrap_or(self.ty)
    }
}

/// The timestamp role of a model field: its own `created_at` /
/// `updated_at`, or its name under the struct's `timestamps`.
fn timestamp(attrs: &FieldAttrs, container: &StructAttrs, ident: &syn::Ident) -> Option<Timestamp> {
    let s = &attrs.settings;
    if let Some(p) = &s.created_at {
        return Some(Timestamp {
            created: true,
            span: p.span(),
        });
    }
    if let Some(p) = &s.updated_at {
        return Some(Timestamp {
            created: false,
            span: p.span(),
        });
    }
    let span = container.timestamps.as_ref()?.span();
    if ident == "created_at" {
        Some(Timestamp {
            created: true,
            span,
        })
    } else if ident == "updated_at" {
        Some(Timestamp {
            created: false,
            span,
        })
    } else {
        None
    }
}
