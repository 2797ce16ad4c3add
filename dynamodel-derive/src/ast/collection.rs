//! An enum deriving `Collection`: each variant holds one model
//! (`Order(Order)`). What the derive can see is checked here (the shape
//! of the variants, a member listed twice); what only the members know
//! (entity names, tables, partition key templates) is checked by the
//! generated code at compile time.

use crate::ctxt::Ctxt;

/// An enum deriving `Collection`.
pub struct Collection<'a> {
    /// The enum's name.
    pub ident: &'a syn::Ident,
    /// The enum's visibility (its generated key type's).
    pub vis: &'a syn::Visibility,
    /// The members, in order (at least one).
    pub members: Vec<Member<'a>>,
}

/// One variant and the model it holds.
pub struct Member<'a> {
    /// The variant's name.
    pub variant: &'a syn::Ident,
    /// The model's type.
    pub ty: &'a syn::Type,
}

impl Member<'_> {
    /// The member type as written, for messages.
    pub fn type_name(&self) -> String {
        quote::ToTokens::to_token_stream(self.ty)
            .to_string()
            .replace(' ', "")
    }
}

impl<'a> Collection<'a> {
    /// Reads `input`, recording every problem in `cx`; `None` when it is not
    /// an enum at all.
    pub fn from_input(cx: &Ctxt, input: &'a syn::DeriveInput) -> Option<Self> {
        let syn::Data::Enum(data) = &input.data else {
            cx.error_spanned_by(
                &input.ident,
                "#[derive(Collection)] works on enums whose variants each hold a model: `enum CustomerPage { Customer(Customer), Order(Order) }`",
            );
            return None;
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                "#[derive(Collection)] does not support generic enums",
            );
        }
        for attr in input
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("dynamodel"))
        {
            cx.error_spanned_by(attr, "#[derive(Collection)] takes no settings");
        }
        let mut members: Vec<Member> = Vec::new();
        for variant in &data.variants {
            let syn::Fields::Unnamed(fields) = &variant.fields else {
                cx.error_spanned_by(
                    variant,
                    format!(
                        "each variant of a collection holds one model: write `{0}({0})`",
                        variant.ident
                    ),
                );
                continue;
            };
            let mut iter = fields.unnamed.iter();
            let (Some(field), None) = (iter.next(), iter.next()) else {
                cx.error_spanned_by(
                    fields,
                    format!(
                        "each variant of a collection holds exactly one model: `{}(Model)`",
                        variant.ident
                    ),
                );
                continue;
            };
            let member = Member {
                variant: &variant.ident,
                ty: &field.ty,
            };
            if let Some(first) = members.iter().find(|m| m.type_name() == member.type_name()) {
                cx.error_spanned_by(
                    &field.ty,
                    format!(
                        "`{}` is already the member of variant `{}`: each model is listed once",
                        member.type_name(),
                        first.variant
                    ),
                );
                continue;
            }
            members.push(member);
        }
        if data.variants.is_empty() {
            cx.error_spanned_by(
                &input.ident,
                "a collection lists at least one model: `enum CustomerPage { Customer(Customer), Order(Order) }`",
            );
            return None;
        }
        Some(Collection {
            ident: &input.ident,
            vis: &input.vis,
            members,
        })
    }
}
