//! `#[dynamodel(projection_of = Model)]`: the `ProjectionOf<Model>` impl
//! that `.project::<Self>()` requires, and the compile-time check that
//! every field of the projection is an attribute of `Model` of the same type.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::adapter::handle_type;
use crate::ast::Model;

/// The impl and the field checks; nothing without `projection_of`.
pub fn expand(model: &Model) -> TokenStream {
    let Some(of) = &model.attrs.projection_of else {
        return TokenStream::new();
    };
    let ident = model.ident;
    // Each field names the model's handle of the same name and type: a
    // field the model does not have, or has with another type, fails to
    // compile at the projection's field.
    let checks = model.fields.iter().filter(|f| f.is_stored).map(|field| {
        let name = field.ident;
        let ty = handle_type(field);
        quote_spanned! {name.span()=>
            let _: ::dynamodel::__private::Field<#of, #ty, _> = fields.#name;
        }
    });
    quote! {
        impl ::dynamodel::__private::ProjectionOf<#of> for #ident {}

        const _: fn() = || {
            let fields = <#of as ::dynamodel::__private::Model>::fields();
            #(#checks)*
        };
    }
}
