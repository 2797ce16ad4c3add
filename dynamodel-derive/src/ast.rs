//! The IR of a model: the struct and its fields with their parsed settings,
//! keeping the original syn nodes for error spans.

use crate::attr::{FieldAttrs, StructAttrs};
use crate::ctxt::Ctxt;

/// A struct deriving `Model`.
pub struct Model<'a> {
    pub original: &'a syn::DeriveInput,
    pub ident: &'a syn::Ident,
    pub attrs: StructAttrs,
    pub fields: Vec<Field<'a>>,
}

/// One named field.
pub struct Field<'a> {
    #[allow(dead_code)] // kept for spans of checks that point at the whole field
    pub original: &'a syn::Field,
    pub ident: &'a syn::Ident,
    pub ty: &'a syn::Type,
    pub attrs: FieldAttrs,
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
        let fields = fields
            .iter()
            .filter_map(|field| {
                let ident = field.ident.as_ref()?;
                Some(Field {
                    original: field,
                    ident,
                    ty: &field.ty,
                    attrs: FieldAttrs::from_attributes(cx, &field.attrs),
                })
            })
            .collect();
        let mut model = Model {
            original: input,
            ident: &input.ident,
            attrs,
            fields,
        };
        crate::settings::apply_rename_all(&mut model);
        Some(model)
    }

    /// The field marked `hash_key` (checked to exist before expansion).
    pub fn hash_key(&self) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| f.attrs.hash_key.is_some())
    }

    /// The field marked `range_key`, if any.
    pub fn range_key(&self) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| f.attrs.range_key.is_some())
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

impl Field<'_> {
    /// The attribute name in DynamoDB.
    pub fn stored_name(&self) -> String {
        self.attrs
            .rename
            .as_ref()
            .map(|lit| lit.value())
            .unwrap_or_else(|| self.ident.to_string())
    }

    /// `Some(T)` when the field's type is written `Option<T>`.
    pub fn option_inner(&self) -> Option<&syn::Type> {
        option_inner(self.ty)
    }
}

/// `Some(T)` when `ty` is written `Option<T>` (or `std::option::Option<T>`).
pub fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(inner) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}
