//! The values a write fills in by itself, as code: a field's default, its
//! `set` transform, the clock reading of a timestamp. Whole-item writes
//! (`pipeline`) and updates (`updates`) both use them, so the two write the
//! same values.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::Field;

/// The field's `default` / `default_with` / `generate` as an expression of
/// the field's type (wrapped in `Some` for an `Option` field), with the span
/// of the setting; `None` when the field has none.
pub fn default_value(field: &Field) -> Option<(Span, TokenStream)> {
    let s = &field.attrs.settings;
    let (span, value) = match (&s.default, &s.default_with, &s.generate) {
        (Some((p, e)), _, _) => (p.span(), default_expr(e)),
        (None, Some((p, f)), _) => (p.span(), quote!(#f())),
        (None, None, Some((p, generator))) => (p.span(), generated(field, generator)),
        (None, None, None) => return None,
    };
    let value = if field.option_inner().is_some() {
        quote!(::dynamodel::__private::Option::Some(#value))
    } else {
        value
    };
    Some((span, value))
}

/// The field's `generate` as an expression of its inner type (not wrapped
/// in `Some`); `None` when the field has no generator.
pub fn generated_value(field: &Field) -> Option<TokenStream> {
    let (_, generator) = field.attrs.settings.generate.as_ref()?;
    Some(generated(field, generator))
}

/// A new identifier from `generator` (checked to be a known one), of the
/// field's inner type; a type the generator cannot fill is reported at the
/// setting through the trait's `on_unimplemented`.
fn generated(field: &Field, generator: &syn::LitStr) -> TokenStream {
    let inner = field.inner_type();
    let (generator_trait, method) = generator_parts(generator);
    quote_spanned! {generator.span()=>
        <#inner as ::dynamodel::__private::#generator_trait>::#method()
    }
}

/// The trait (`GenerateUuid` / `GenerateUlid`) and method of a generator.
fn generator_parts(generator: &syn::LitStr) -> (TokenStream, TokenStream) {
    match generator.value().as_str() {
        "uuid_v4" => (quote!(GenerateUuid), quote!(uuid_v4)),
        "uuid_v7" => (quote!(GenerateUuid), quote!(uuid_v7)),
        _ => (quote!(GenerateUlid), quote!(ulid)),
    }
}

/// Whether a non-`Option` field's value `place` is absent, so its
/// `default` or `generate` fills it: through the generator's own trait for
/// a generated field (so a wrong type gets one error, the generator's).
pub fn is_absent(field: &Field, place: TokenStream) -> TokenStream {
    match &field.attrs.settings.generate {
        Some((_, generator)) => {
            let ty = field.ty;
            let (generator_trait, _) = generator_parts(generator);
            quote_spanned! {generator.span()=>
                <#ty as ::dynamodel::__private::#generator_trait>::is_unset(&#place)
            }
        }
        None => quote!(::dynamodel::__private::Emptiable::is_absent(&#place)),
    }
}

/// `default = "text"` converts into the field's type; other expressions
/// are taken as written.
fn default_expr(expr: &syn::Expr) -> TokenStream {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(_),
            ..
        }) => quote!(::core::convert::Into::into(#expr)),
        _ => quote!(#expr),
    }
}

/// Applies the transform `f` to `place` (an lvalue of the field's type) in
/// place: to the value inside for an `Option` field.
pub fn transform(field: &Field, f: &syn::Path, place: TokenStream) -> TokenStream {
    if field.option_inner().is_some() {
        quote_spanned! {f.span()=> ::dynamodel::__private::transform_option(&mut #place, #f); }
    } else {
        quote_spanned! {f.span()=> ::dynamodel::__private::transform(&mut #place, #f); }
    }
}

/// The clock reading a timestamp field is set from: `now`, or `now` to the
/// whole second for a field stored as exact epoch seconds.
pub fn timestamp_now(field: &Field) -> TokenStream {
    let seconds = field
        .attrs
        .date
        .as_ref()
        .is_some_and(|d| d.value() == "seconds");
    if seconds && field.attrs.truncate.is_none() {
        quote!(::dynamodel::__private::whole_seconds(now))
    } else {
        quote!(now)
    }
}
