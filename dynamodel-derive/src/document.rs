//! `#[derive(Document)]`: a struct stored as a map (`M`) inside a model, with
//! typed handles on its members; or a unit-only enum stored as a string.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ast::Field;
use crate::attr::{FieldAttrs, StructAttrs};
use crate::ctxt::Ctxt;
use crate::types;

pub fn derive(input: &syn::DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            "#[derive(Document)] does not support generic types yet",
        );
    }
    let expanded = match &input.data {
        syn::Data::Struct(data) => match &data.fields {
            syn::Fields::Named(named) => expand_struct(&cx, input, &named.named),
            _ => {
                cx.error_spanned_by(
                    input,
                    "#[derive(Document)] needs a struct with named fields (stored as a map) or an enum of unit variants (stored as a string)",
                );
                TokenStream::new()
            }
        },
        syn::Data::Enum(data) => expand_enum(&cx, input, data),
        syn::Data::Union(_) => {
            cx.error_spanned_by(
                &input.ident,
                "#[derive(Document)] works on structs and enums, not unions",
            );
            TokenStream::new()
        }
    };
    match cx.check() {
        Ok(()) => expanded,
        Err(error) => {
            let errors = error.to_compile_error();
            let stub = stub(input);
            quote! { #errors #stub }
        }
    }
}

/// An `Attribute` impl that is never run, so one mistake gives one error.
fn stub(input: &syn::DeriveInput) -> TokenStream {
    if !input.generics.params.is_empty() || matches!(input.data, syn::Data::Union(_)) {
        return TokenStream::new();
    }
    let ident = &input.ident;
    quote! {
        #[allow(unreachable_code, unused_variables, clippy::all)]
        const _: () = {
            impl ::dynamodel::__private::Attribute for #ident {
                fn to_attribute(&self) -> ::dynamodel::__private::Result<::core::option::Option<::dynamodel::__private::AttributeValue>, ::dynamodel::__private::ConvertError> {
                    ::core::unreachable!()
                }
                fn from_attribute(value: ::core::option::Option<::dynamodel::__private::AttributeValue>) -> ::dynamodel::__private::Result<Self, ::dynamodel::__private::ConvertError> {
                    ::core::unreachable!()
                }
            }
        };
    }
}

fn stored_names_unique<'a>(
    cx: &Ctxt,
    entries: impl Iterator<Item = (String, &'a syn::Ident, Option<&'a syn::LitStr>)>,
) {
    let mut seen: HashMap<String, &syn::Ident> = HashMap::new();
    for (name, ident, rename) in entries {
        if let Some(first) = seen.get(&name) {
            let message = format!("`{first}` and `{ident}` are both stored as `{name}`");
            match rename {
                Some(lit) => cx.error_spanned_by(lit, message),
                None => cx.error_spanned_by(ident, message),
            }
        } else {
            seen.insert(name, ident);
        }
    }
}

fn expand_struct(
    cx: &Ctxt,
    input: &syn::DeriveInput,
    named: &syn::punctuated::Punctuated<syn::Field, syn::Token![,]>,
) -> TokenStream {
    let attrs = StructAttrs::from_attributes(cx, &input.attrs);
    crate::document_settings::check_struct_attrs(cx, &attrs, false);
    let mut fields: Vec<Field> = named
        .iter()
        .filter_map(|field| {
            Some(Field {
                original: field,
                ident: field.ident.as_ref()?,
                ty: &field.ty,
                attrs: FieldAttrs::from_attributes(cx, &field.attrs),
            })
        })
        .collect();
    if let Some(rule) = &attrs.settings.rename_all {
        for field in fields.iter_mut().filter(|f| f.attrs.rename.is_none()) {
            let name = crate::settings::apply_rule(&rule.value(), &field.ident.to_string());
            field.attrs.rename = Some(syn::LitStr::new(&name, field.ident.span()));
        }
    }
    for field in &fields {
        types::check_field(cx, field, true);
        crate::document_settings::check_member(cx, field);
    }
    stored_names_unique(
        cx,
        fields
            .iter()
            .map(|f| (f.stored_name(), f.ident, f.attrs.rename.as_ref())),
    );

    let ident = &input.ident;
    let vis = &input.vis;
    let fields_ident = format_ident!("{}Fields", ident);
    let count = fields.len();
    let encodes = fields.iter().map(crate::document_settings::encode);
    let decodes = fields.iter().map(crate::document_settings::decode);
    let validate_members = crate::document_settings::validate_members(&fields, &attrs);
    let idents: Vec<_> = fields.iter().map(|f| f.ident).collect();
    let declarations = fields.iter().map(|field| {
        let name = field.ident;
        let ty = types::handle_type(field);
        let doc = format!("The member `{}`.", field.stored_name());
        quote! {
            #[doc = #doc]
            #vis #name: ::dynamodel::__private::Field<Root, #ty>
        }
    });
    let constructors = fields.iter().map(|field| {
        let name = field.ident;
        let stored = field.stored_name();
        let rules = crate::settings::handle_rules(field);
        quote! {
            #name: ::dynamodel::__private::Field::new(::core::clone::Clone::clone(&base).key(#stored))#rules
        }
    });
    let doc = format!(
        "Typed handles on the members of [`{ident}`] stored inside model `Root` (see `dynamodel::Document`)."
    );
    quote! {
        #[doc = #doc]
        #[allow(missing_docs)]
        #vis struct #fields_ident<Root> {
            #(#declarations,)*
            _root: ::dynamodel::__private::PhantomData<fn() -> Root>,
        }

        #[automatically_derived]
        const _: () = {
            impl ::dynamodel::__private::Attribute for #ident {
                fn to_attribute(
                    &self,
                ) -> ::dynamodel::__private::Result<::core::option::Option<::dynamodel::__private::AttributeValue>, ::dynamodel::__private::ConvertError> {
                    let mut map = ::dynamodel::__private::HashMap::with_capacity(#count);
                    #(#encodes)*
                    ::dynamodel::__private::Result::Ok(::core::option::Option::Some(
                        ::dynamodel::__private::AttributeValue::M(map),
                    ))
                }

                fn from_attribute(
                    value: ::core::option::Option<::dynamodel::__private::AttributeValue>,
                ) -> ::dynamodel::__private::Result<Self, ::dynamodel::__private::ConvertError> {
                    #[allow(unused_mut, unused_variables)]
                    let mut map = ::dynamodel::__private::document_map(value)?;
                    #(#decodes)*
                    ::dynamodel::__private::Result::Ok(Self { #(#idents),* })
                }

                // Always: computing it from the members' types would make
                // recursive documents (`children: Vec<Self>`) a const cycle.
                const HAS_MEMBERS: bool = true;

                #[allow(unused_variables)]
                fn validate_members(&self, errors: &mut ::dynamodel::__private::ValidationErrors) {
                    #validate_members
                }
            }

            impl ::dynamodel::__private::Document for #ident {
                type Fields<Root: ::dynamodel::__private::Model> = #fields_ident<Root>;

                #[allow(unused_variables)]
                fn fields_at<Root: ::dynamodel::__private::Model>(
                    base: ::dynamodel::__private::Path,
                ) -> #fields_ident<Root> {
                    #fields_ident {
                        #(#constructors,)*
                        _root: ::dynamodel::__private::PhantomData,
                    }
                }
            }
        };
    }
}

fn expand_enum(cx: &Ctxt, input: &syn::DeriveInput, data: &syn::DataEnum) -> TokenStream {
    let enum_attrs = StructAttrs::from_attributes(cx, &input.attrs);
    crate::document_settings::check_struct_attrs(cx, &enum_attrs, true);
    let rename_all = enum_attrs
        .settings
        .rename_all
        .as_ref()
        .map(syn::LitStr::value);
    let mut variants = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, syn::Fields::Unit) {
            cx.error_spanned_by(
                &variant.fields,
                format!(
                    "variant `{}` carries data: #[derive(Document)] stores enums of unit variants only, as strings (use `#[dynamodel(serde)]` on the field for other enums)",
                    variant.ident
                ),
            );
            continue;
        }
        let attrs = FieldAttrs::from_attributes(cx, &variant.attrs);
        crate::document_settings::check_variant(cx, &attrs);
        let stored = match (&attrs.rename, &rename_all) {
            (Some(lit), _) => lit.value(),
            (None, Some(rule)) => crate::settings::apply_rule(rule, &variant.ident.to_string()),
            (None, None) => variant.ident.to_string(),
        };
        variants.push((&variant.ident, stored, attrs.rename));
    }
    stored_names_unique(
        cx,
        variants
            .iter()
            .map(|(ident, stored, rename)| (stored.clone(), *ident, rename.as_ref())),
    );
    let ident = &input.ident;
    let message = format!("the stored text is not a variant of enum `{ident}`");
    let to_arms = variants.iter().map(|(variant, stored, _)| {
        quote! { #ident::#variant => #stored }
    });
    let from_arms = variants.iter().map(|(variant, stored, _)| {
        quote! { #stored => ::dynamodel::__private::Result::Ok(#ident::#variant) }
    });
    quote! {
        #[automatically_derived]
        const _: () = {
            impl ::dynamodel::__private::Attribute for #ident {
                fn to_attribute(
                    &self,
                ) -> ::dynamodel::__private::Result<::core::option::Option<::dynamodel::__private::AttributeValue>, ::dynamodel::__private::ConvertError> {
                    let text: &'static str = match self { #(#to_arms,)* };
                    ::dynamodel::__private::Result::Ok(::core::option::Option::Some(
                        ::dynamodel::__private::AttributeValue::S(::dynamodel::__private::String::from(text)),
                    ))
                }

                fn from_attribute(
                    value: ::core::option::Option<::dynamodel::__private::AttributeValue>,
                ) -> ::dynamodel::__private::Result<Self, ::dynamodel::__private::ConvertError> {
                    match value {
                        ::core::option::Option::Some(::dynamodel::__private::AttributeValue::S(text)) => match text.as_str() {
                            #(#from_arms,)*
                            _ => ::dynamodel::__private::Result::Err(::dynamodel::__private::ConvertError::Invalid(
                                ::dynamodel::__private::String::from(#message),
                            )),
                        },
                        ::core::option::Option::Some(other) => ::dynamodel::__private::Result::Err(
                            ::dynamodel::__private::ConvertError::TypeMismatch {
                                expected: "S",
                                found: ::dynamodel::__private::type_name(&other),
                            },
                        ),
                        ::core::option::Option::None => ::dynamodel::__private::Result::Err(
                            ::dynamodel::__private::ConvertError::Missing,
                        ),
                    }
                }
            }
        };
    }
}
