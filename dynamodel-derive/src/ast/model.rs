//! A struct deriving `Model`.

use super::field::{Container, Field};
use crate::attr::StructAttrs;
use crate::ctxt::Ctxt;

/// A struct deriving `Model`: its settings and its fields.
pub struct Model<'a> {
    /// The whole input, for its visibility and serde attributes.
    pub original: &'a syn::DeriveInput,
    /// The struct's name.
    pub ident: &'a syn::Ident,
    /// The struct's settings.
    pub attrs: StructAttrs,
    /// The named fields, in order.
    pub fields: Vec<Field<'a>>,
}

impl<'a> Model<'a> {
    /// Reads `input`, recording every problem in `cx`; `None` when the input
    /// is not something a model can be derived for at all.
    pub fn from_input(cx: &Ctxt, input: &'a syn::DeriveInput) -> Option<Self> {
        let fields = match &input.data {
            syn::Data::Struct(data) => match &data.fields {
                syn::Fields::Named(named) => &named.named,
                syn::Fields::Unnamed(_) | syn::Fields::Unit => {
                    cx.error_spanned_by(
                        input,
                        "#[derive(Model)] needs a struct with named fields: each field becomes a DynamoDB attribute",
                    );
                    return None;
                }
            },
            syn::Data::Enum(_) | syn::Data::Union(_) => {
                cx.error_spanned_by(
                    &input.ident,
                    "#[derive(Model)] works on structs only: a DynamoDB item is a struct with named fields",
                );
                return None;
            }
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                "#[derive(Model)] does not support generic structs yet",
            );
        }
        let attrs = StructAttrs::from_attributes(cx, &input.attrs);
        let mut fields: Vec<Field> = fields
            .iter()
            .filter_map(|field| Field::from_syn(cx, &input.ident, field, &attrs, Container::Model))
            .collect();
        // A field a key template names is a key: no update may change it.
        for field in &mut fields {
            let name = field.ident.to_string();
            if attrs
                .pk
                .iter()
                .chain(&attrs.sk)
                .any(|t| t.fields().any(|f| f == name))
            {
                field.is_key = true;
                field.in_template = true;
            }
        }
        Some(Model {
            original: input,
            ident: &input.ident,
            attrs,
            fields,
        })
    }

    /// The field marked `hash_key` (checked to exist before expansion).
    pub fn hash_key(&self) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| f.attrs.hash_key.is_some())
    }

    /// The field marked `range_key`, if any.
    pub fn range_key(&self) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| f.attrs.range_key.is_some())
    }

    /// Whether the key is composed from fields (`pk = "..."`).
    pub fn has_templates(&self) -> bool {
        self.attrs.pk.is_some()
    }

    /// The fields the key templates name, each once: the partition key's
    /// in order, then the sort key's (the order of `Model::Key`).
    pub fn template_key_fields(&self) -> Vec<&Field<'a>> {
        let mut out: Vec<&Field<'a>> = Vec::new();
        for template in self.attrs.pk.iter().chain(&self.attrs.sk) {
            for name in template.fields() {
                if let Some(field) = self.fields.iter().find(|f| f.ident == name) {
                    if !out.iter().any(|f| f.ident == field.ident) {
                        out.push(field);
                    }
                }
            }
        }
        out
    }

    /// The `unknown` catch-all field, if any.
    pub fn unknown_field(&self) -> Option<&Field<'a>> {
        self.fields
            .iter()
            .find(|f| f.attrs.settings.unknown.is_some())
    }

    /// The `version` field, if any.
    /// The `#[dynamodel(ttl)]` field, if any (`check` refuses a second).
    pub fn ttl_field(&self) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| f.attrs.ttl.is_some())
    }

    pub fn version_field(&self) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| f.attrs.version.is_some())
    }

    /// The field named `ident`, if any.
    pub fn field(&self, ident: &syn::Ident) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| f.ident == ident)
    }

    /// The table name: the `table` setting, else the struct's name.
    pub fn table_name(&self) -> String {
        self.attrs
            .table
            .as_ref()
            .map(|lit| lit.value())
            .unwrap_or_else(|| self.ident.to_string())
    }
}
