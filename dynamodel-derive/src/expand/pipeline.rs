//! The model's part in the write and read pipelines: one `Model` method per
//! phase — `before_save_hook`, `apply_defaults`, `apply_set_transforms`,
//! `validate`, `apply_timestamps` (writes, on the `write_copy`),
//! `apply_get_transforms`, `after_load_hook` (reads), and the asynchronous
//! hooks around requests (`after_save_hook`, `before_delete_hook`, ...,
//! generated only with `hooks`, so other models keep the `None` defaults
//! and pay nothing) — plus the empty
//! `Hooks` impl of a model without `hooks`. The runtime
//! (`dynamodel::pipeline`) owns the order of the phases; this file writes
//! each phase's code from the field settings.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::adapter::base_adapter;
use super::validation::{checks, struct_validate};
use super::values::{default_value, is_absent, timestamp_now, transform};
use crate::ast::{Field, Model};

/// The pipeline methods of the `Model` impl, and the items beside it.
pub fn expand(model: &Model) -> (TokenStream, TokenStream) {
    let ident = model.ident;
    let hooks = model.attrs.hooks.is_some();

    let mut defaults_code = Vec::new();
    let mut set_code = Vec::new();
    let mut get_code = Vec::new();
    let mut validate_code = Vec::new();
    let mut timestamp_code = Vec::new();
    for field in &model.fields {
        let s = &field.attrs.settings;
        defaults_code.push(defaults(field));
        if let Some((_, f)) = &s.set {
            set_code.push(transform_self(field, f));
        }
        if let Some((_, f)) = &s.get {
            get_code.push(transform_self(field, f));
        }
        validate_code.push(validations(field));
        validate_code.push(member_validation(field));
        if let Some(timestamp) = field.timestamp {
            let fident = field.ident;
            let now = timestamp_now(field);
            let span = timestamp.span;
            timestamp_code.push(if timestamp.created {
                quote_spanned! {span=> ::dynamodel::__private::touch_created(&mut self.#fident, kind, #now); }
            } else {
                quote_spanned! {span=> ::dynamodel::__private::touch_updated(&mut self.#fident, #now); }
            });
        }
    }
    let defaults_code: Vec<_> = defaults_code
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect();
    let validate_code: Vec<_> = validate_code
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect();

    let has_validation = !validate_code.is_empty() || model.attrs.validate.is_some();
    let has_write =
        hooks || !defaults_code.is_empty() || !set_code.is_empty() || !timestamp_code.is_empty();

    let mut methods = TokenStream::new();
    if has_validation {
        let struct_validate = struct_validate(&model.attrs.validate);
        methods.extend(quote! {
            fn validate(&self) -> ::dynamodel::__private::Result<(), ::dynamodel::__private::ValidationErrors> {
                let mut errors = ::dynamodel::__private::ValidationErrors::new();
                {
                    let errors = &mut errors;
                    #(#validate_code)*
                    #struct_validate
                }
                errors.into_result()
            }
        });
    }
    // One method per pipeline phase; the runtime (`dynamodel::pipeline`)
    // decides the order they run in.
    if hooks {
        methods.extend(quote! {
            fn before_save_hook(
                &mut self,
                kind: ::dynamodel::__private::WriteKind,
            ) -> ::dynamodel::__private::Result<(), ::dynamodel::__private::BoxError> {
                <Self as ::dynamodel::__private::Hooks>::before_save(self, kind)
            }

            fn after_load_hook(&mut self) -> ::dynamodel::__private::Result<(), ::dynamodel::__private::BoxError> {
                <Self as ::dynamodel::__private::Hooks>::after_load(self)
            }

            const HAS_HOOKS: bool = true;

            fn after_save_hook(
                &self,
                kind: ::dynamodel::__private::WriteKind,
            ) -> ::dynamodel::__private::Option<::dynamodel::__private::HookFuture<'_>> {
                ::dynamodel::__private::Option::Some(
                    <Self as ::dynamodel::__private::Hooks>::after_save(self, kind),
                )
            }

            fn before_delete_hook(
                key: &<Self as ::dynamodel::__private::Model>::Key,
            ) -> ::dynamodel::__private::Option<::dynamodel::__private::HookFuture<'_>> {
                ::dynamodel::__private::Option::Some(
                    <Self as ::dynamodel::__private::Hooks>::before_delete(key),
                )
            }

            fn after_delete_hook<'a>(
                key: &'a <Self as ::dynamodel::__private::Model>::Key,
                deleted: ::dynamodel::__private::Option<&'a Self>,
            ) -> ::dynamodel::__private::Option<::dynamodel::__private::HookFuture<'a>> {
                ::dynamodel::__private::Option::Some(
                    <Self as ::dynamodel::__private::Hooks>::after_delete(key, deleted),
                )
            }

            fn before_update_hook<'a>(
                update: &'a ::dynamodel::__private::UpdateInfo<'a, Self>,
            ) -> ::dynamodel::__private::Option<::dynamodel::__private::HookFuture<'a>> {
                ::dynamodel::__private::Option::Some(
                    <Self as ::dynamodel::__private::Hooks>::before_update(update),
                )
            }

            fn after_update_hook<'a>(
                update: &'a ::dynamodel::__private::UpdateInfo<'a, Self>,
                returned: ::dynamodel::__private::UpdateReturn<'a, Self>,
            ) -> ::dynamodel::__private::Option<::dynamodel::__private::HookFuture<'a>> {
                ::dynamodel::__private::Option::Some(
                    <Self as ::dynamodel::__private::Hooks>::after_update(update, returned),
                )
            }
        });
    }
    // The key pass of a slice batch cannot know a generated key before
    // the pipeline fills it.
    if model
        .fields
        .iter()
        .any(|field| field.is_key && field.attrs.settings.generate.is_some())
    {
        methods.extend(quote! { const KEY_GENERATED: bool = true; });
    }
    if has_write {
        let clones = model.fields.iter().map(|field| {
            let fident = field.ident;
            if field.attrs.settings.skip.is_some() {
                quote_spanned! {field.ty.span()=> #fident: ::core::default::Default::default() }
            } else {
                quote_spanned! {field.ty.span()=> #fident: ::core::clone::Clone::clone(&self.#fident) }
            }
        });
        methods.extend(quote! {
            fn write_copy(&self) -> ::dynamodel::__private::Option<Self> {
                ::dynamodel::__private::Option::Some(Self { #(#clones,)* })
            }
        });
    }
    if !defaults_code.is_empty() {
        methods.extend(quote! {
            fn apply_defaults(&mut self) {
                #(#defaults_code)*
            }
        });
    }
    if !set_code.is_empty() {
        methods.extend(quote! {
            fn apply_set_transforms(&mut self) {
                #(#set_code)*
            }
        });
    }
    if !timestamp_code.is_empty() {
        methods.extend(quote! {
            fn apply_timestamps(
                &mut self,
                kind: ::dynamodel::__private::WriteKind,
                now: ::dynamodel::__private::SystemTime,
            ) {
                let _ = kind;
                #(#timestamp_code)*
            }
        });
    }
    if !get_code.is_empty() {
        methods.extend(quote! {
            fn apply_get_transforms(&mut self) {
                #(#get_code)*
            }
        });
    }

    let hooks_impl = (!hooks).then(|| {
        quote! { impl ::dynamodel::__private::Hooks for #ident {} }
    });
    (methods, quote!(#hooks_impl))
}

/// Code run on the field's value `v` (`&T`, the `T` inside for `Option<T>`).
fn on_value(field: &Field, body: TokenStream) -> TokenStream {
    let ident = field.ident;
    match field.option_inner() {
        Some(inner) => quote! {
            if let ::dynamodel::__private::Option::Some(v) = &self.#ident {
                let v: &#inner = v;
                #body
            }
        },
        None => {
            let inner = field.ty;
            quote! {
                {
                    let v: &#inner = &self.#ident;
                    #body
                }
            }
        }
    }
}

/// The field's checks in the model's `validate`.
fn validations(field: &Field) -> TokenStream {
    let checks = checks(field, &field.stored_name());
    if checks.is_empty() {
        return TokenStream::new();
    }
    on_value(field, quote!(#(#checks)*))
}

/// In the model's `validate`: the rules of the nested documents inside a
/// stored field (fields stored through an adapter hold no documents).
fn member_validation(field: &Field) -> TokenStream {
    if !field.is_stored || field.is_key || base_adapter(field).is_some() {
        return TokenStream::new();
    }
    let ident = field.ident;
    let stored = field.stored_name();
    quote_spanned! {field.ty.span()=>
        ::dynamodel::__private::validate_members_under(errors, #stored, &self.#ident);
    }
}

/// In `apply_defaults`: the field's default, where it applies.
fn defaults(field: &Field) -> TokenStream {
    let Some((span, value)) = default_value(field) else {
        return TokenStream::new();
    };
    let ident = field.ident;
    let ty = field.ty;
    if field.attrs.settings.force_default.is_some() {
        quote_spanned! {span=> self.#ident = #value; }
    } else if field.option_inner().is_some() {
        quote_spanned! {span=>
            if self.#ident.is_none() { self.#ident = #value; }
        }
    } else {
        let absent = is_absent(field, quote!(self.#ident));
        quote_spanned! {span=>
            if #absent {
                let value: #ty = #value;
                self.#ident = value;
            }
        }
    }
}

/// The transform `f` applied to the field on `self`.
fn transform_self(field: &Field, f: &syn::Path) -> TokenStream {
    let ident = field.ident;
    transform(field, f, quote_spanned! {f.span()=> self.#ident})
}
