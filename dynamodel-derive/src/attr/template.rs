//! A key template on the struct: `pk = "CUSTOMER#{customer_id}"` or
//! `pk(name = "PK", template = "...")` (and `sk` alike). The text is split
//! into fixed text and `{field}` placeholders here; `check` relates the
//! placeholders to the fields.

use syn::meta::ParseNestedMeta;

use super::parse::{parse_lit_str, path_name, set_once};
use crate::ctxt::Ctxt;

/// One piece of a template's text.
#[derive(Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text written as is.
    Text(String),
    /// `{field}`: the named field's encoded value.
    Field(String),
}

/// One `pk` / `sk` setting, as written.
pub struct TemplateAttr {
    /// `pk` or `sk`, for error spans.
    pub path: syn::Path,
    /// The stored attribute name: `name = "..."`, else `pk` / `sk` (on an
    /// index, the index name followed by `pk` / `sk`: `gsi1pk`).
    pub name: String,
    /// Whether `name = "..."` was written.
    pub explicit_name: bool,
    /// The template text, for error spans.
    pub lit: syn::LitStr,
    /// The template, split.
    pub pieces: Vec<Piece>,
}

impl TemplateAttr {
    /// Reads `pk = "..."` or `pk(name = "...", template = "...")`; `None`
    /// (with an error) when the template is missing or malformed.
    pub fn parse(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<Self>> {
        let role = path_name(&meta.path);
        let (mut name, mut template) = (None, None);
        if meta.input.peek(syn::Token![=]) {
            template = Some(parse_lit_str(meta)?);
        } else {
            meta.parse_nested_meta(|inner| {
                if inner.path.is_ident("name") {
                    set_once(cx, &inner, &mut name, parse_lit_str(&inner)?);
                } else if inner.path.is_ident("template") {
                    set_once(cx, &inner, &mut template, parse_lit_str(&inner)?);
                } else {
                    return Err(inner.error(format!(
                        "`{role}` takes `name = \"...\"` and `template = \"...\"`"
                    )));
                }
                Ok(())
            })?;
        }
        let Some(lit) = template else {
            cx.error_spanned_by(
                &meta.path,
                format!("`{role}` needs a template: `{role}(name = \"...\", template = \"PREFIX#{{field}}\")`"),
            );
            return Ok(None);
        };
        let pieces = match split(&lit.value()) {
            Ok(pieces) => pieces,
            Err(message) => {
                // Kept (without pieces) so no "no partition key" follows.
                cx.error_spanned_by(&lit, message);
                Vec::new()
            }
        };
        let explicit_name = name.is_some();
        let name = name.map_or(role, |lit| lit.value());
        if name.is_empty() {
            cx.error_spanned_by(&meta.path, "a key attribute name cannot be empty");
        }
        Ok(Some(TemplateAttr {
            path: meta.path.clone(),
            name,
            explicit_name,
            lit,
            pieces,
        }))
    }

    /// The fields the template names, in order.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|piece| match piece {
            Piece::Field(name) => Some(name.as_str()),
            Piece::Text(_) => None,
        })
    }
}

/// Splits a template into text and `{field}` pieces.
pub fn split(template: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(
                "`}` without its `{` in a key template: placeholders are written `{field}`".into(),
            );
        }
        if open > 0 {
            pieces.push(Piece::Text(rest[..open].to_owned()));
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(
                "`{` without its `}` in a key template: placeholders are written `{field}`".into(),
            );
        };
        let name = after[..close].trim();
        if syn::parse_str::<syn::Ident>(name).is_err() {
            return Err(format!(
                "`{{{name}}}` in a key template must name a field: `{{field_name}}`"
            ));
        }
        pieces.push(Piece::Field(name.to_owned()));
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest.to_owned()));
    }
    if pieces.is_empty() {
        return Err("a key template cannot be empty: DynamoDB refuses empty keys".into());
    }
    Ok(pieces)
}
