//! The parsing helpers every `#[dynamodel(...)]` setting goes through: one
//! way to walk the settings, to refuse a setting given twice, to read a
//! flag, a string, a path or `min`/`max` bounds, and to name an unknown
//! setting with its closest known spelling.

use syn::meta::ParseNestedMeta;

use crate::ctxt::Ctxt;

/// A flag setting, kept with its path for error spans.
pub type Flag = Option<syn::Path>;

/// Runs `f` on every setting inside every `#[dynamodel(...)]` attribute,
/// recording parse errors and carrying on with the next attribute.
pub fn for_each_setting(
    cx: &Ctxt,
    attrs: &[syn::Attribute],
    mut f: impl FnMut(ParseNestedMeta) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("dynamodel")) {
        if let Err(err) = attr.parse_nested_meta(&mut f) {
            cx.syn_error(err);
        }
    }
}

/// Stores `value` in `slot`, or reports the setting as given twice.
pub fn set_once<T>(cx: &Ctxt, meta: &ParseNestedMeta, slot: &mut Option<T>, value: T) {
    if slot.is_some() {
        cx.error_spanned_by(
            &meta.path,
            format!("`{}` is set twice", path_name(&meta.path)),
        );
    } else {
        *slot = Some(value);
    }
}

/// Reads a setting written alone (`hash_key`, `skip`, ...).
pub fn flag(cx: &Ctxt, meta: &ParseNestedMeta, slot: &mut Flag) -> syn::Result<()> {
    if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
        let name = path_name(&meta.path);
        return Err(meta.error(format!("`{name}` takes no value: write just `{name}`")));
    }
    set_once(cx, meta, slot, meta.path.clone());
    Ok(())
}

/// Reads `name = "..."`.
pub fn parse_lit_str(meta: &ParseNestedMeta) -> syn::Result<syn::LitStr> {
    let name = path_name(&meta.path);
    let value = meta
        .value()
        .map_err(|_| meta.error(format!("`{name}` takes a string: `{name} = \"...\"`")))?;
    value.parse::<syn::LitStr>().map_err(|err| {
        syn::Error::new(
            err.span(),
            format!("`{name}` takes a string: `{name} = \"...\"`"),
        )
    })
}

/// Reads `name = path::to::function` (or the path as a string).
pub fn parse_path_value(meta: &ParseNestedMeta, what: &str) -> syn::Result<syn::Path> {
    let name = path_name(&meta.path);
    let message = format!("`{name}` takes a path to {what}: `{name} = path::to::function`");
    let value = meta.value().map_err(|_| meta.error(&message))?;
    // Accept both `f` and `"f"`.
    if value.peek(syn::LitStr) {
        let lit: syn::LitStr = value.parse()?;
        return lit
            .parse::<syn::Path>()
            .map_err(|_| syn::Error::new(lit.span(), &message));
    }
    value
        .parse::<syn::Path>()
        .map_err(|err| syn::Error::new(err.span(), &message))
}

/// Reads `min = .., max = ..` inside `range(...)` / `length(...)`, each
/// bound through `parse` (`expected` says what it accepts).
pub fn parse_min_max<T>(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    parse: impl Fn(&syn::Expr) -> Option<T>,
    expected: &str,
) -> syn::Result<(Option<T>, Option<T>)> {
    let name = path_name(&meta.path);
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!(
            "`{name}` takes bounds: `{name}(min = .., max = ..)`"
        )));
    }
    let (mut min, mut max) = (None, None);
    let mut bad_bound = false;
    meta.parse_nested_meta(|inner| {
        let is_min = inner.path.is_ident("min");
        if !is_min && !inner.path.is_ident("max") {
            return Err(inner.error(format!(
                "`{name}` takes `min` and `max`: `{name}(min = .., max = ..)`"
            )));
        }
        let expr: syn::Expr = inner.value()?.parse()?;
        match parse(&expr) {
            Some(v) => {
                let slot = if is_min { &mut min } else { &mut max };
                set_once(cx, &inner, slot, v);
            }
            None => {
                bad_bound = true;
                cx.error_spanned_by(&expr, format!("`{name}` bounds must be {expected}"));
            }
        }
        Ok(())
    })?;
    if min.is_none() && max.is_none() && !bad_bound {
        cx.error_spanned_by(&meta.path, format!("`{name}` needs `min`, `max` or both"));
    }
    Ok((min, max))
}

/// Reports a setting `place` (a struct, a field) does not take, then
/// consumes its value so parsing goes on.
pub fn unknown_setting(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    place: &str,
    known: &[&str],
) -> syn::Result<()> {
    let name = path_name(&meta.path);
    let message = format!(
        "unknown dynamodel {place} setting `{name}`{}",
        did_you_mean(&name, known)
    );
    cx.error_spanned_by(&meta.path, message);
    if meta.input.peek(syn::Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        // Consumed whole: leftover tokens would be a second error.
        let _: proc_macro2::TokenStream = content.parse()?;
    }
    Ok(())
}

/// `; did you mean `x`?` when `name` is a typo of a known name, else
/// `; expected one of: ...`.
pub fn did_you_mean(name: &str, known: &[&str]) -> String {
    let closest = known
        .iter()
        .map(|candidate| (strsim::levenshtein(name, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= candidate.len().max(3) / 3 + 1)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate);
    match closest {
        Some(close) => format!("; did you mean `{close}`?"),
        None => format!("; expected one of: {}", known.join(", ")),
    }
}

/// `a::b` for the path `a::b`.
pub fn path_name(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}
