//! The settings written on the struct (or enum) itself.

use syn::meta::ParseNestedMeta;

use super::entity::EntityAttr;
use super::index::IndexAttr;
use super::parse::{
    flag, for_each_setting, parse_lit_str, parse_path_value, set_once, unknown_setting, Flag,
};
use super::rename::RENAME_RULES;
use super::template::TemplateAttr;
use crate::ctxt::Ctxt;

/// Struct settings a user may write (for "did you mean").
const STRUCT_SETTINGS: &[&str] = &[
    "table",
    "gsi",
    "lsi",
    "rename_all",
    "validate",
    "hooks",
    "timestamps",
    "pk",
    "sk",
    "entity",
    "projection_of",
];

/// Settings of the struct.
#[derive(Default)]
pub struct StructAttrs {
    /// `table = "name"`, checked to be a name DynamoDB accepts.
    pub table: Option<syn::LitStr>,
    /// `rename_all = "camelCase"` (checked to be one of the rules).
    pub rename_all: Option<syn::LitStr>,
    /// `validate = path`: the struct-level validation function.
    pub validate: Option<(syn::Path, syn::Path)>,
    /// `hooks`: the struct implements `Hooks` itself.
    pub hooks: Flag,
    /// `timestamps`: the fields named `created_at` / `updated_at` are timestamps.
    pub timestamps: Flag,
    /// `gsi(...)` / `lsi(...)` declarations, in order.
    pub indexes: Vec<IndexAttr>,
    /// `pk = "..."`: the partition key, composed from fields.
    pub pk: Option<TemplateAttr>,
    /// `sk = "..."`: the sort key, composed from fields.
    pub sk: Option<TemplateAttr>,
    /// `entity(...)`: the model's items are marked on a shared table.
    pub entity: Option<EntityAttr>,
    /// `projection_of = Model`: this struct reads a subset of `Model`'s
    /// attributes (`.project::<Self>()` on `Model`'s reads).
    pub projection_of: Option<syn::Path>,
}

impl StructAttrs {
    /// Reads the struct's `#[dynamodel(...)]` attributes, recording every
    /// problem in `cx`.
    pub fn from_attributes(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        let mut out = StructAttrs::default();
        for_each_setting(cx, attrs, |meta| out.parse_setting(cx, &meta));
        if let Some(table) = &out.table {
            if !is_valid_table_name(&table.value()) {
                cx.error_spanned_by(
                    table,
                    "DynamoDB table names are 3 to 255 characters of a-z, A-Z, 0-9, `_`, `-` and `.`",
                );
            }
        }
        out
    }

    fn parse_setting(&mut self, cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<()> {
        let path = meta.path.clone();
        if path.is_ident("table") {
            set_once(cx, meta, &mut self.table, parse_lit_str(meta)?);
        } else if path.is_ident("rename_all") {
            let message = format!(
                "`rename_all` takes one of: {}",
                RENAME_RULES
                    .iter()
                    .map(|r| format!("\"{r}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let value = meta.value().map_err(|_| meta.error(&message))?;
            let lit: syn::LitStr = value
                .parse()
                .map_err(|err| syn::Error::new(err.span(), &message))?;
            if !RENAME_RULES.contains(&lit.value().as_str()) {
                cx.error_spanned_by(&lit, &message);
            }
            set_once(cx, meta, &mut self.rename_all, lit);
        } else if path.is_ident("validate") {
            let f = parse_path_value(meta, "a validation function `fn(&Self) -> ..`")?;
            set_once(cx, meta, &mut self.validate, (path, f));
        } else if path.is_ident("hooks") {
            flag(cx, meta, &mut self.hooks)?;
        } else if path.is_ident("timestamps") {
            flag(cx, meta, &mut self.timestamps)?;
        } else if path.is_ident("pk") || path.is_ident("sk") {
            if let Some(template) = TemplateAttr::parse(cx, meta)? {
                let slot = if path.is_ident("pk") {
                    &mut self.pk
                } else {
                    &mut self.sk
                };
                set_once(cx, meta, slot, template);
            }
        } else if path.is_ident("entity") {
            let entity = EntityAttr::parse(cx, meta)?;
            set_once(cx, meta, &mut self.entity, entity);
        } else if path.is_ident("projection_of") {
            let message = "`projection_of` takes the model whose attributes this struct reads: `projection_of = User`";
            let value = meta.value().map_err(|_| meta.error(message))?;
            let model: syn::Path = value
                .parse()
                .map_err(|err| syn::Error::new(err.span(), message))?;
            set_once(cx, meta, &mut self.projection_of, model);
        } else if path.is_ident("gsi") || path.is_ident("lsi") {
            self.indexes.push(IndexAttr::parse(cx, meta)?);
        } else {
            unknown_setting(cx, meta, "struct", STRUCT_SETTINGS)?;
        }
        Ok(())
    }
}

/// Whether DynamoDB accepts `name` as a table or index name: 3 to 255
/// characters of a-z, A-Z, 0-9, `_`, `-` and `.`.
pub fn is_valid_table_name(name: &str) -> bool {
    (3..=255).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}
