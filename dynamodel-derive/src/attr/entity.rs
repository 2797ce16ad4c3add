//! The `entity` struct setting: the model's items are marked with an
//! entity name on a shared table. `entity`, `entity = "Order"` or
//! `entity(name = "Order", attribute = "__entity", version = 2,
//! version_attribute = "__entity_version", accept_missing)`.

use syn::meta::ParseNestedMeta;

use super::parse::{flag, parse_lit_str, set_once, Flag};
use crate::ctxt::Ctxt;

/// What `entity(...)` takes, for the error message.
const ENTITY_SETTINGS: &str = "`name = \"...\"`, `attribute = \"...\"`, `version = N`, `version_attribute = \"...\"` and `accept_missing`";

/// The `entity` setting, as written.
#[derive(Default)]
pub struct EntityAttr {
    /// `entity` itself, for error spans.
    pub path: Option<syn::Path>,
    /// `name = "..."` (or `entity = "..."`): the entity name.
    pub name: Option<syn::LitStr>,
    /// `attribute = "..."`: the attribute holding the name.
    pub attribute: Option<syn::LitStr>,
    /// `version = N`: the schema version written beside it.
    pub version: Option<syn::LitInt>,
    /// `version_attribute = "..."`: the attribute holding the version.
    pub version_attribute: Option<syn::LitStr>,
    /// `accept_missing`: items without the attribute are this entity's.
    pub accept_missing: Flag,
}

impl EntityAttr {
    /// Reads `entity`, `entity = "..."` or `entity(...)`.
    pub fn parse(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Self> {
        let mut out = EntityAttr {
            path: Some(meta.path.clone()),
            ..EntityAttr::default()
        };
        if meta.input.peek(syn::Token![=]) {
            out.name = Some(parse_lit_str(meta)?);
        } else if meta.input.peek(syn::token::Paren) {
            meta.parse_nested_meta(|inner| {
                if inner.path.is_ident("name") {
                    set_once(cx, &inner, &mut out.name, parse_lit_str(&inner)?);
                } else if inner.path.is_ident("attribute") {
                    set_once(cx, &inner, &mut out.attribute, parse_lit_str(&inner)?);
                } else if inner.path.is_ident("version_attribute") {
                    set_once(
                        cx,
                        &inner,
                        &mut out.version_attribute,
                        parse_lit_str(&inner)?,
                    );
                } else if inner.path.is_ident("version") {
                    let message = "`version` takes a whole number: `version = 2`";
                    let value = inner.value().map_err(|_| inner.error(message))?;
                    let lit: syn::LitInt = value
                        .parse()
                        .map_err(|err| syn::Error::new(err.span(), message))?;
                    if lit.base10_parse::<u32>().is_err() {
                        cx.error_spanned_by(&lit, message);
                    }
                    set_once(cx, &inner, &mut out.version, lit);
                } else if inner.path.is_ident("accept_missing") {
                    flag(cx, &inner, &mut out.accept_missing)?;
                } else {
                    return Err(inner.error(format!("`entity` takes {ENTITY_SETTINGS}")));
                }
                Ok(())
            })?;
        }
        for lit in [&out.name, &out.attribute, &out.version_attribute]
            .into_iter()
            .flatten()
        {
            if lit.value().is_empty() {
                cx.error_spanned_by(lit, "an entity name or attribute cannot be empty");
            }
        }
        if out.version_attribute.is_some() && out.version.is_none() {
            cx.error_spanned_by(
                &out.version_attribute,
                "`version_attribute` names where `version = N` is stored: add `version = N`",
            );
        }
        Ok(out)
    }
}
