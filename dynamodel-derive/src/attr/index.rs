//! A secondary index declared on the struct: `gsi(...)` or `lsi(...)`.

use syn::meta::ParseNestedMeta;

use super::parse::{parse_lit_str, path_name, set_once};
use super::template::TemplateAttr;
use crate::ctxt::Ctxt;

const INDEX_SETTINGS: &[&str] = &["name", "hash", "range", "pk", "sk", "projection"];

/// What an index copies.
pub enum ProjectionAttr {
    /// `projection = "all"`.
    All,
    /// `projection = "keys_only"`.
    KeysOnly,
    /// `projection = include(field, ...)`.
    Include(Vec<syn::Ident>),
}

/// One `gsi(...)` or `lsi(...)`, as written (`check` sees that the named
/// fields exist and that a global index has its partition key).
pub struct IndexAttr {
    /// `gsi` or `lsi`, for error spans.
    pub path: syn::Path,
    /// `true` for `gsi`.
    pub global: bool,
    /// `name = "..."`.
    pub name: Option<syn::LitStr>,
    /// `hash = field`, or the first of `hash(a, b, ..)`.
    pub hash: Option<syn::Ident>,
    /// The further fields of `hash(a, b, ..)` (a multi-attribute key).
    pub extra_hash: Vec<syn::Ident>,
    /// `range = field`, or the first of `range(a, b, ..)`.
    pub range: Option<syn::Ident>,
    /// The further fields of `range(a, b, ..)`.
    pub extra_range: Vec<syn::Ident>,
    /// `pk = "..."` / `pk(name = "..", template = "..")`: the partition key
    /// composed from fields (instead of `hash`).
    pub pk: Option<TemplateAttr>,
    /// `sk = "..."`: the sort key composed from fields (instead of `range`).
    pub sk: Option<TemplateAttr>,
    /// `projection = ...`.
    pub projection: Option<ProjectionAttr>,
}

impl IndexAttr {
    /// Reads the settings inside `gsi(...)` / `lsi(...)`.
    pub fn parse(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Self> {
        let mut out = IndexAttr {
            path: meta.path.clone(),
            global: meta.path.is_ident("gsi"),
            name: None,
            hash: None,
            extra_hash: Vec::new(),
            range: None,
            extra_range: Vec::new(),
            pk: None,
            sk: None,
            projection: None,
        };
        meta.parse_nested_meta(|inner| {
            if inner.path.is_ident("name") {
                let lit = parse_lit_str(&inner)?;
                set_once(cx, &inner, &mut out.name, lit);
            } else if inner.path.is_ident("hash") || inner.path.is_ident("range") {
                let mut fields = parse_key_fields(&inner)?.into_iter();
                let (first, extra) = if inner.path.is_ident("hash") {
                    (&mut out.hash, &mut out.extra_hash)
                } else {
                    (&mut out.range, &mut out.extra_range)
                };
                if let Some(ident) = fields.next() {
                    if first.is_none() {
                        *extra = fields.collect();
                    }
                    set_once(cx, &inner, first, ident);
                }
            } else if inner.path.is_ident("pk") || inner.path.is_ident("sk") {
                if let Some(template) = TemplateAttr::parse(cx, &inner)? {
                    let slot = if inner.path.is_ident("pk") {
                        &mut out.pk
                    } else {
                        &mut out.sk
                    };
                    set_once(cx, &inner, slot, template);
                }
            } else if inner.path.is_ident("projection") {
                let projection = parse_projection(&inner)?;
                set_once(cx, &inner, &mut out.projection, projection);
            } else {
                let name = path_name(&inner.path);
                cx.error_spanned_by(
                    &inner.path,
                    format!(
                        "unknown index setting `{name}`; expected one of: {}",
                        INDEX_SETTINGS.join(", ")
                    ),
                );
                if inner.input.peek(syn::Token![=]) {
                    let _: syn::Expr = inner.value()?.parse()?;
                }
            }
            Ok(())
        })?;
        // An index's key attributes default to the index name and the role:
        // `gsi(name = "gsi1", pk = "..")` writes `gsi1pk`.
        if let Some(index) = &out.name {
            for template in out.pk.iter_mut().chain(&mut out.sk) {
                if !template.explicit_name {
                    template.name = format!("{}{}", index.value(), template.name);
                }
            }
        }
        Ok(out)
    }

    /// The key templates of this index (`pk`, then `sk`).
    pub fn templates(&self) -> impl Iterator<Item = &TemplateAttr> {
        self.pk.iter().chain(&self.sk)
    }
}

/// `hash = field`, or `hash(a, b, ..)` for a multi-attribute key.
fn parse_key_fields(meta: &ParseNestedMeta) -> syn::Result<Vec<syn::Ident>> {
    let name = path_name(&meta.path);
    let expected = |err: syn::Error| {
        syn::Error::new(
            err.span(),
            format!("`{name}` takes a field name, or several: `{name} = my_field`, `{name}(a, b)`"),
        )
    };
    if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        let fields =
            syn::punctuated::Punctuated::<syn::Ident, syn::Token![,]>::parse_terminated(&content)
                .map_err(expected)?;
        if fields.is_empty() {
            return Err(meta.error(format!("`{name}(..)` needs at least one field")));
        }
        return Ok(fields.into_iter().collect());
    }
    let ident = meta.value()?.parse::<syn::Ident>().map_err(expected)?;
    Ok(vec![ident])
}

fn parse_projection(meta: &ParseNestedMeta) -> syn::Result<ProjectionAttr> {
    const PROJECTION: &str = "`projection` is \"all\", \"keys_only\" or include(field, ...)";
    let value = meta.value()?;
    if value.peek(syn::LitStr) {
        let lit: syn::LitStr = value.parse()?;
        return match lit.value().as_str() {
            "all" => Ok(ProjectionAttr::All),
            "keys_only" => Ok(ProjectionAttr::KeysOnly),
            _ => Err(syn::Error::new(lit.span(), PROJECTION)),
        };
    }
    let keyword: syn::Ident = value.parse()?;
    if keyword != "include" {
        return Err(syn::Error::new(keyword.span(), PROJECTION));
    }
    let content;
    syn::parenthesized!(content in value);
    let fields =
        syn::punctuated::Punctuated::<syn::Ident, syn::Token![,]>::parse_terminated(&content)?;
    Ok(ProjectionAttr::Include(fields.into_iter().collect()))
}
