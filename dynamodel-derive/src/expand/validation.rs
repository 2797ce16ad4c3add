//! A field's validation settings (`range`, `length`, `one_of`, `regex`,
//! `validate`) as code. The same checks serve the model's `validate`, a
//! document's `validate_members` and the typed handles' rules.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;

use crate::ast::Field;
use crate::attr::Bound;

/// The validation checks of a field, as code run on `v: &Inner` that adds
/// each failure to `errors: &mut ValidationErrors` under `stored` (the
/// attribute's name, or `""` for a path the caller adds).
pub fn checks(field: &Field, stored: &str) -> Vec<TokenStream> {
    let s = &field.attrs.settings;
    let inner = field.inner_type();
    let mut checks = Vec::new();
    let bound = |b: &Option<Bound>| match b {
        Some(Bound::Int(v)) => {
            quote!(::dynamodel::__private::Option::Some(::dynamodel::__private::Bound::Int(#v)))
        }
        Some(Bound::Float(v)) => {
            quote!(::dynamodel::__private::Option::Some(::dynamodel::__private::Bound::Float(#v)))
        }
        None => quote!(::dynamodel::__private::Option::None),
    };
    let usize_opt = |b: &Option<usize>| match b {
        Some(v) => quote!(::dynamodel::__private::Option::Some(#v)),
        None => quote!(::dynamodel::__private::Option::None),
    };
    if let Some((path, min, max)) = &s.range {
        let (min, max) = (bound(min), bound(max));
        checks.push(quote_spanned! {path.span()=>
            ::dynamodel::__private::check_range::<#inner>(errors, #stored, v, #min, #max);
        });
    }
    if let Some((path, min, max)) = &s.length {
        let (min, max) = (usize_opt(min), usize_opt(max));
        checks.push(quote_spanned! {path.span()=>
            ::dynamodel::__private::check_length::<#inner>(errors, #stored, v, #min, #max);
        });
    }
    if let Some((path, values)) = &s.one_of {
        let allowed = values
            .iter()
            .map(|v| v.to_token_stream().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        checks.push(quote_spanned! {path.span()=>
            ::dynamodel::__private::check_one_of(
                errors,
                #stored,
                [#(#values),*].iter().any(|allowed| *v == *allowed),
                #allowed,
            );
        });
    }
    if let Some((path, lit)) = &s.regex {
        checks.push(quote_spanned! {path.span()=>
            {
                static RE: ::dynamodel::__private::LazyRegex =
                    ::dynamodel::__private::LazyRegex::new(|| ::dynamodel::__private::compile_regex(#lit));
                ::dynamodel::__private::check_regex::<#inner>(errors, #stored, v, &RE, #lit);
            }
        });
    }
    if let Some((_, f)) = &s.validate {
        checks.push(quote_spanned! {f.span()=>
            ::dynamodel::__private::ValidationOutcome::record(#f(v), errors, #stored);
        });
    }
    checks
}

/// The struct-level `validate = path`, as code recording its outcome in
/// `errors` (for a model's `validate` and a document's `validate_members`).
pub fn struct_validate(validate: &Option<(syn::Path, syn::Path)>) -> Option<TokenStream> {
    validate.as_ref().map(|(_, f)| {
        quote_spanned! {f.span()=>
            ::dynamodel::__private::ValidationOutcome::record(#f(self), errors, "");
        }
    })
}
