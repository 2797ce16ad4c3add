//! Reading the names serde's own attributes give (`#[serde(rename_all)]`,
//! `#[serde(rename)]`), which dynamodel does not follow: `check` compares
//! them with dynamodel's names so a disagreement is said out loud.

/// The value of `key` (`rename_all` on a struct, `rename` on a field) in
/// the item's `#[serde(...)]` attributes: the plain or `serialize` form.
pub fn serde_name(attrs: &[syn::Attribute], key: &str) -> Option<syn::LitStr> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(key) {
                if meta.input.peek(syn::Token![=]) {
                    found = Some(meta.value()?.parse::<syn::LitStr>()?);
                } else {
                    meta.parse_nested_meta(|inner| {
                        if inner.path.is_ident("serialize") {
                            found = Some(inner.value()?.parse::<syn::LitStr>()?);
                        } else {
                            let _: syn::LitStr = inner.value()?.parse()?;
                        }
                        Ok(())
                    })?;
                }
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            } else if meta.input.peek(syn::token::Paren) {
                let _content;
                syn::parenthesized!(_content in meta.input);
            }
            Ok(())
        });
    }
    found
}
