//! A type deriving `Document`: a struct stored as a map, or an enum of unit
//! variants stored as a string.

use super::field::{Container, Field};
use crate::attr::{apply_rule, FieldAttrs, StructAttrs};
use crate::ctxt::Ctxt;

/// A type deriving `Document`.
pub struct Document<'a> {
    /// The type's name.
    pub ident: &'a syn::Ident,
    /// The type's visibility, given to its member handles.
    pub vis: &'a syn::Visibility,
    /// The settings on the type.
    pub attrs: StructAttrs,
    /// Its members or variants.
    pub shape: Shape<'a>,
}

/// How a document is stored.
pub enum Shape<'a> {
    /// A struct with named fields, stored as a map, member by member.
    Struct(Vec<Field<'a>>),
    /// An enum of unit variants, stored as the variant's name.
    Enum(Vec<Variant<'a>>),
}

/// A unit variant of an enum document.
pub struct Variant<'a> {
    /// The variant's name.
    pub ident: &'a syn::Ident,
    /// Its settings (only `rename` is taken; `check` refuses the others).
    pub attrs: FieldAttrs,
    /// The stored text: `rename`, else the `rename_all` rule, else the name.
    pub stored_name: String,
}

impl<'a> Document<'a> {
    /// Reads `input`, recording every problem in `cx`; `None` when the
    /// input cannot be a document at all.
    pub fn from_input(cx: &Ctxt, input: &'a syn::DeriveInput) -> Option<Self> {
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                "#[derive(Document)] does not support generic types yet",
            );
        }
        let shape = match &input.data {
            syn::Data::Struct(data) => match &data.fields {
                syn::Fields::Named(named) => {
                    let attrs = StructAttrs::from_attributes(cx, &input.attrs);
                    let fields = named
                        .named
                        .iter()
                        .filter_map(|field| {
                            Field::from_syn(cx, &input.ident, field, &attrs, Container::Document)
                        })
                        .collect();
                    (attrs, Shape::Struct(fields))
                }
                _ => {
                    cx.error_spanned_by(
                        input,
                        "#[derive(Document)] needs a struct with named fields (stored as a map) or an enum of unit variants (stored as a string)",
                    );
                    return None;
                }
            },
            syn::Data::Enum(data) => {
                let attrs = StructAttrs::from_attributes(cx, &input.attrs);
                let variants = data
                    .variants
                    .iter()
                    .filter_map(|variant| Variant::from_syn(cx, variant, &attrs))
                    .collect();
                (attrs, Shape::Enum(variants))
            }
            syn::Data::Union(_) => {
                cx.error_spanned_by(
                    &input.ident,
                    "#[derive(Document)] works on structs and enums, not unions",
                );
                return None;
            }
        };
        let (attrs, shape) = shape;
        Some(Document {
            ident: &input.ident,
            vis: &input.vis,
            attrs,
            shape,
        })
    }
}

impl<'a> Variant<'a> {
    /// Reads one variant; `None` (with an error) for a variant carrying data.
    fn from_syn(cx: &Ctxt, variant: &'a syn::Variant, enum_attrs: &StructAttrs) -> Option<Self> {
        if !matches!(variant.fields, syn::Fields::Unit) {
            cx.error_spanned_by(
                &variant.fields,
                format!(
                    "variant `{}` carries data: #[derive(Document)] stores enums of unit variants only, as strings (use `#[dynamodel(serde)]` on the field for other enums)",
                    variant.ident
                ),
            );
            return None;
        }
        let attrs = FieldAttrs::from_attributes(cx, &variant.attrs);
        let stored_name = match (&attrs.rename, &enum_attrs.rename_all) {
            (Some(lit), _) => lit.value(),
            (None, Some(rule)) => apply_rule(&rule.value(), &variant.ident.to_string()),
            (None, None) => variant.ident.to_string(),
        };
        Some(Variant {
            ident: &variant.ident,
            attrs,
            stored_name,
        })
    }
}
